;; WebAssembly SIMD kernels of the vector searcher: the int8 scan and the float16 rescoring.
;;
;; score(codes, groupBytes, scales, groups, query, chunks, bias, out)
;;
;; Scores rows in groups of 8. A group holds its rows' codes interleaved in 16-dim chunks,
;; 128 bytes per chunk (chunk c of rows 0..7, then chunk c + 1, ...), so the scan reads memory
;; strictly sequentially and the hardware prefetcher keeps up; groups are `groupBytes` apart
;; and the first `chunks` chunks of each are scored. Within a row's 16 bytes, the codes of
;; even dims are stored plus 128 (as unsigned bytes) and those of odd dims as signed bytes.
;; Read as int16 lanes, each lane is then v = (c_even + 128) + 256 * c_odd, and with query
;; lanes qa = q_even and qb = q_odd - 256 * q_even (both fit int16 as |q| <= 127),
;;   v * qa + (v >> 8) * qb = (c_even + 128) * q_even + c_odd * q_odd,
;; so one arithmetic shift replaces the two sign extensions an int8 dot product needs, and
;; subtracting bias = 128 * sum(q_even) leaves the exact integer dot product. Intermediate
;; int32 sums may wrap, but the final value fits in int32, and wrapping arithmetic is exact
;; modulo 2^32. The query is 32 bytes per chunk: qa (8 x i16) then qb (8 x i16).
;; out[r] = f32(dot_r) * scales[r] for the 8 * groups rows.
(module
  (import "env" "memory" (memory 1))

  (func (export "score")
    (param $codes i32) (param $groupBytes i32) (param $scales i32) (param $groups i32)
    (param $query i32) (param $chunks i32) (param $bias i32) (param $out i32)
    (local $g i32) (local $r i32) (local $p i32) (local $q i32) (local $qend i32) (local $o i32) (local $sc i32)
    (local $qa v128) (local $qb v128) (local $v v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128) (local $a5 v128) (local $a6 v128) (local $a7 v128)
    (local.set $qend (i32.add (local.get $query) (i32.shl (local.get $chunks) (i32.const 5))))
    (block $done
      (loop $groups
        (br_if $done (i32.ge_u (local.get $g) (local.get $groups)))
        (local.set $p (i32.add (local.get $codes) (i32.mul (local.get $g) (local.get $groupBytes))))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $a2 (v128.const i32x4 0 0 0 0))
        (local.set $a3 (v128.const i32x4 0 0 0 0))
        (local.set $a4 (v128.const i32x4 0 0 0 0))
        (local.set $a5 (v128.const i32x4 0 0 0 0))
        (local.set $a6 (v128.const i32x4 0 0 0 0))
        (local.set $a7 (v128.const i32x4 0 0 0 0))
        (local.set $q (local.get $query))
        (block $dimsDone
          (br_if $dimsDone (i32.ge_u (local.get $q) (local.get $qend)))
          (loop $dims
            (local.set $qa (v128.load (local.get $q)))
            (local.set $qb (v128.load offset=16 (local.get $q)))
            (local.set $v (v128.load offset=0 (local.get $p)))
            (local.set $a0 (i32x4.add (local.get $a0) (i32x4.add
              (i32x4.dot_i16x8_s (local.get $v) (local.get $qa))
              (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $v) (i32.const 8)) (local.get $qb)))))
            (local.set $v (v128.load offset=16 (local.get $p)))
            (local.set $a1 (i32x4.add (local.get $a1) (i32x4.add
              (i32x4.dot_i16x8_s (local.get $v) (local.get $qa))
              (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $v) (i32.const 8)) (local.get $qb)))))
            (local.set $v (v128.load offset=32 (local.get $p)))
            (local.set $a2 (i32x4.add (local.get $a2) (i32x4.add
              (i32x4.dot_i16x8_s (local.get $v) (local.get $qa))
              (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $v) (i32.const 8)) (local.get $qb)))))
            (local.set $v (v128.load offset=48 (local.get $p)))
            (local.set $a3 (i32x4.add (local.get $a3) (i32x4.add
              (i32x4.dot_i16x8_s (local.get $v) (local.get $qa))
              (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $v) (i32.const 8)) (local.get $qb)))))
            (local.set $v (v128.load offset=64 (local.get $p)))
            (local.set $a4 (i32x4.add (local.get $a4) (i32x4.add
              (i32x4.dot_i16x8_s (local.get $v) (local.get $qa))
              (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $v) (i32.const 8)) (local.get $qb)))))
            (local.set $v (v128.load offset=80 (local.get $p)))
            (local.set $a5 (i32x4.add (local.get $a5) (i32x4.add
              (i32x4.dot_i16x8_s (local.get $v) (local.get $qa))
              (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $v) (i32.const 8)) (local.get $qb)))))
            (local.set $v (v128.load offset=96 (local.get $p)))
            (local.set $a6 (i32x4.add (local.get $a6) (i32x4.add
              (i32x4.dot_i16x8_s (local.get $v) (local.get $qa))
              (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $v) (i32.const 8)) (local.get $qb)))))
            (local.set $v (v128.load offset=112 (local.get $p)))
            (local.set $a7 (i32x4.add (local.get $a7) (i32x4.add
              (i32x4.dot_i16x8_s (local.get $v) (local.get $qa))
              (i32x4.dot_i16x8_s (i16x8.shr_s (local.get $v) (i32.const 8)) (local.get $qb)))))
            (local.set $p (i32.add (local.get $p) (i32.const 128)))
            (local.set $q (i32.add (local.get $q) (i32.const 32)))
            (br_if $dims (i32.lt_u (local.get $q) (local.get $qend)))))
        (local.set $r (i32.shl (local.get $g) (i32.const 3)))
        ;; Scores written out per row (no helper calls: this V8 does not inline wasm calls).
        (local.set $o (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 2))))
        (local.set $sc (i32.add (local.get $scales) (i32.shl (local.get $r) (i32.const 2))))
        (local.set $v (local.get $a0))
        (f32.store offset=0 (local.get $o)
          (f32.mul
            (f32.convert_i32_s (i32.sub
              (i32.add
                (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
                (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v))))
              (local.get $bias)))
            (f32.load offset=0 (local.get $sc))))
        (local.set $v (local.get $a1))
        (f32.store offset=4 (local.get $o)
          (f32.mul
            (f32.convert_i32_s (i32.sub
              (i32.add
                (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
                (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v))))
              (local.get $bias)))
            (f32.load offset=4 (local.get $sc))))
        (local.set $v (local.get $a2))
        (f32.store offset=8 (local.get $o)
          (f32.mul
            (f32.convert_i32_s (i32.sub
              (i32.add
                (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
                (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v))))
              (local.get $bias)))
            (f32.load offset=8 (local.get $sc))))
        (local.set $v (local.get $a3))
        (f32.store offset=12 (local.get $o)
          (f32.mul
            (f32.convert_i32_s (i32.sub
              (i32.add
                (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
                (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v))))
              (local.get $bias)))
            (f32.load offset=12 (local.get $sc))))
        (local.set $v (local.get $a4))
        (f32.store offset=16 (local.get $o)
          (f32.mul
            (f32.convert_i32_s (i32.sub
              (i32.add
                (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
                (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v))))
              (local.get $bias)))
            (f32.load offset=16 (local.get $sc))))
        (local.set $v (local.get $a5))
        (f32.store offset=20 (local.get $o)
          (f32.mul
            (f32.convert_i32_s (i32.sub
              (i32.add
                (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
                (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v))))
              (local.get $bias)))
            (f32.load offset=20 (local.get $sc))))
        (local.set $v (local.get $a6))
        (f32.store offset=24 (local.get $o)
          (f32.mul
            (f32.convert_i32_s (i32.sub
              (i32.add
                (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
                (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v))))
              (local.get $bias)))
            (f32.load offset=24 (local.get $sc))))
        (local.set $v (local.get $a7))
        (f32.store offset=28 (local.get $o)
          (f32.mul
            (f32.convert_i32_s (i32.sub
              (i32.add
                (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
                (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v))))
              (local.get $bias)))
            (f32.load offset=28 (local.get $sc))))
        (local.set $g (i32.add (local.get $g) (i32.const 1)))
        (br $groups))))

  ;; rescore(halves, rows, chunks, query, out) computes, for each row r < rows of float16
  ;; values (chunks * 8 halves per row, contiguous from `halves`) against a float32 query of
  ;; chunks * 8 values, the float32 dot product and squared norm: out[2r] = dot, out[2r+1] = norm.
  ;; Halves widen to float32 exactly: the 15 magnitude bits shifted into a float32's exponent
  ;; and mantissa give value * 2^-112 (subnormal halves included), so one multiply by 2^112
  ;; restores the value and the sign bit is ORed back. Infinities and NaNs are not expected in
  ;; embeddings and are not special-cased. Two accumulators per sum keep two dependency chains
  ;; in flight: lane l of the first adds dims 8c+l, lane l of the second dims 8c+4+l, over
  ;; chunks c in order; then lane l = first + second, and the lanes sum as (l0 + l1) + (l2 + l3).
  ;; The JS fallback repeats exactly this order so both paths give identical scores.
  (func (export "rescore")
    (param $halves i32) (param $rows i32) (param $chunks i32) (param $query i32) (param $out i32)
    (local $r i32) (local $p i32) (local $q i32) (local $qend i32)
    (local $h v128) (local $x v128) (local $lo v128) (local $hi v128) (local $dot v128) (local $dot2 v128) (local $norm v128) (local $norm2 v128)
    (local $mag v128) (local $sign v128) (local $pow112 v128)
    (local.set $mag (v128.const i32x4 0x7fff 0x7fff 0x7fff 0x7fff))
    (local.set $sign (v128.const i32x4 0x8000 0x8000 0x8000 0x8000))
    (local.set $pow112 (v128.const f32x4 0x1p112 0x1p112 0x1p112 0x1p112))
    (local.set $qend (i32.add (local.get $query) (i32.shl (local.get $chunks) (i32.const 5))))
    (local.set $p (local.get $halves))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $dot (v128.const i32x4 0 0 0 0))
        (local.set $dot2 (v128.const i32x4 0 0 0 0))
        (local.set $norm (v128.const i32x4 0 0 0 0))
        (local.set $norm2 (v128.const i32x4 0 0 0 0))
        (local.set $q (local.get $query))
        (block $dimsDone
          (br_if $dimsDone (i32.ge_u (local.get $q) (local.get $qend)))
          (loop $dims
            (local.set $h (v128.load (local.get $p)))
            ;; Widening is written out twice rather than called: this V8 does not inline
            ;; wasm calls, and a call per 4 values costs more than the arithmetic.
            (local.set $x (i32x4.extend_low_i16x8_u (local.get $h)))
            (local.set $lo (v128.or
              (f32x4.mul
                (i32x4.shl (v128.and (local.get $x) (local.get $mag)) (i32.const 13))
                (local.get $pow112))
              (i32x4.shl (v128.and (local.get $x) (local.get $sign)) (i32.const 16))))
            (local.set $x (i32x4.extend_high_i16x8_u (local.get $h)))
            (local.set $hi (v128.or
              (f32x4.mul
                (i32x4.shl (v128.and (local.get $x) (local.get $mag)) (i32.const 13))
                (local.get $pow112))
              (i32x4.shl (v128.and (local.get $x) (local.get $sign)) (i32.const 16))))
            (local.set $dot (f32x4.add (local.get $dot) (f32x4.mul (local.get $lo) (v128.load (local.get $q)))))
            (local.set $dot2 (f32x4.add (local.get $dot2) (f32x4.mul (local.get $hi) (v128.load offset=16 (local.get $q)))))
            (local.set $norm (f32x4.add (local.get $norm) (f32x4.mul (local.get $lo) (local.get $lo))))
            (local.set $norm2 (f32x4.add (local.get $norm2) (f32x4.mul (local.get $hi) (local.get $hi))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (local.set $q (i32.add (local.get $q) (i32.const 32)))
            (br_if $dims (i32.lt_u (local.get $q) (local.get $qend)))))
        (local.set $dot (f32x4.add (local.get $dot) (local.get $dot2)))
        (local.set $norm (f32x4.add (local.get $norm) (local.get $norm2)))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3)))
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $dot)) (f32x4.extract_lane 1 (local.get $dot)))
            (f32.add (f32x4.extract_lane 2 (local.get $dot)) (f32x4.extract_lane 3 (local.get $dot)))))
        (f32.store offset=4 (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3)))
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $norm)) (f32x4.extract_lane 1 (local.get $norm)))
            (f32.add (f32x4.extract_lane 2 (local.get $norm)) (f32x4.extract_lane 3 (local.get $norm)))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows)))))
