;; WebAssembly SIMD kernels of the vector searcher: the int8 scan and the float16 rescoring.
;;
;; score(codes, stride, scales, rows, query, chunks, out) writes, for each row r < rows,
;;   out[r] = f32(sum_j codes[r * stride + j] * query[j]) * scales[r]
;; over j < chunks * 16. The query is passed pre-widened to int16, 32 bytes per 16-dim chunk
;; (dims 16c..16c+7 then 16c+8..16c+15), so each code byte is widened once and multiplied
;; with i32x4.dot_i16x8_s (pmaddwd on x86). Codes lie in [-127, 127], so every product
;; and pair sum fits in int32 exactly. Rows are processed four at a time to load each
;; query chunk once per four rows.
(module
  (import "env" "memory" (memory 1))

  (func $hsum (param $v v128) (result i32)
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
      (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v)))))

  (func $emit (param $out i32) (param $scales i32) (param $r i32) (param $acc v128)
    (f32.store
      (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 2)))
      (f32.mul
        (f32.convert_i32_s (call $hsum (local.get $acc)))
        (f32.load (i32.add (local.get $scales) (i32.shl (local.get $r) (i32.const 2)))))))

  (func (export "score")
    (param $codes i32) (param $stride i32) (param $scales i32) (param $rows i32)
    (param $query i32) (param $chunks i32) (param $out i32)
    (local $r i32) (local $q i32) (local $qend i32)
    (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $ql v128) (local $qh v128) (local $v v128)

    (local.set $qend (i32.add (local.get $query) (i32.shl (local.get $chunks) (i32.const 5))))

    ;; Blocks of four rows.
    (block $done4
      (loop $rows4
        (br_if $done4 (i32.gt_u (i32.add (local.get $r) (i32.const 4)) (local.get $rows)))
        (local.set $p0 (i32.add (local.get $codes) (i32.mul (local.get $r) (local.get $stride))))
        (local.set $p1 (i32.add (local.get $p0) (local.get $stride)))
        (local.set $p2 (i32.add (local.get $p1) (local.get $stride)))
        (local.set $p3 (i32.add (local.get $p2) (local.get $stride)))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $a2 (v128.const i32x4 0 0 0 0))
        (local.set $a3 (v128.const i32x4 0 0 0 0))
        (local.set $q (local.get $query))
        (block $dimsDone
          (br_if $dimsDone (i32.ge_u (local.get $q) (local.get $qend)))
          (loop $dims
            (local.set $ql (v128.load (local.get $q)))
            (local.set $qh (v128.load offset=16 (local.get $q)))

            (local.set $v (v128.load (local.get $p0)))
            (local.set $a0 (i32x4.add (local.get $a0)
              (i32x4.add
                (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $v)) (local.get $ql))
                (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $v)) (local.get $qh)))))

            (local.set $v (v128.load (local.get $p1)))
            (local.set $a1 (i32x4.add (local.get $a1)
              (i32x4.add
                (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $v)) (local.get $ql))
                (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $v)) (local.get $qh)))))

            (local.set $v (v128.load (local.get $p2)))
            (local.set $a2 (i32x4.add (local.get $a2)
              (i32x4.add
                (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $v)) (local.get $ql))
                (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $v)) (local.get $qh)))))

            (local.set $v (v128.load (local.get $p3)))
            (local.set $a3 (i32x4.add (local.get $a3)
              (i32x4.add
                (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $v)) (local.get $ql))
                (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $v)) (local.get $qh)))))

            (local.set $p0 (i32.add (local.get $p0) (i32.const 16)))
            (local.set $p1 (i32.add (local.get $p1) (i32.const 16)))
            (local.set $p2 (i32.add (local.get $p2) (i32.const 16)))
            (local.set $p3 (i32.add (local.get $p3) (i32.const 16)))
            (local.set $q (i32.add (local.get $q) (i32.const 32)))
            (br_if $dims (i32.lt_u (local.get $q) (local.get $qend)))))
        (call $emit (local.get $out) (local.get $scales) (local.get $r) (local.get $a0))
        (call $emit (local.get $out) (local.get $scales) (i32.add (local.get $r) (i32.const 1)) (local.get $a1))
        (call $emit (local.get $out) (local.get $scales) (i32.add (local.get $r) (i32.const 2)) (local.get $a2))
        (call $emit (local.get $out) (local.get $scales) (i32.add (local.get $r) (i32.const 3)) (local.get $a3))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $rows4)))

    ;; The remaining zero to three rows, one at a time.
    (block $done1
      (loop $rows1
        (br_if $done1 (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $p0 (i32.add (local.get $codes) (i32.mul (local.get $r) (local.get $stride))))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $q (local.get $query))
        (block $dimsDone1
          (br_if $dimsDone1 (i32.ge_u (local.get $q) (local.get $qend)))
          (loop $dims1
            (local.set $v (v128.load (local.get $p0)))
            (local.set $a0 (i32x4.add (local.get $a0)
              (i32x4.add
                (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $v)) (v128.load (local.get $q)))
                (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $v)) (v128.load offset=16 (local.get $q))))))
            (local.set $p0 (i32.add (local.get $p0) (i32.const 16)))
            (local.set $q (i32.add (local.get $q) (i32.const 32)))
            (br_if $dims1 (i32.lt_u (local.get $q) (local.get $qend)))))
        (call $emit (local.get $out) (local.get $scales) (local.get $r) (local.get $a0))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows1))))

  ;; rescore(halves, rows, chunks, query, out) computes, for each row r < rows of float16
  ;; values (chunks * 8 halves per row, contiguous from `halves`) against a float32 query of
  ;; chunks * 8 values, the float32 dot product and squared norm: out[2r] = dot, out[2r+1] = norm.
  ;; Halves widen to float32 exactly: the 15 magnitude bits shifted into a float32's exponent
  ;; and mantissa give value * 2^-112 (subnormal halves included), so one multiply by 2^112
  ;; restores the value and the sign bit is ORed back. Infinities and NaNs are not expected in
  ;; embeddings and are not special-cased. Lane l accumulates dims 8c+l then 8c+4+l for each
  ;; chunk c, and lanes are summed as (l0 + l1) + (l2 + l3); the JS fallback repeats exactly
  ;; this order so both paths give identical scores.
  (func $widen (param $h v128) (result v128)
    (v128.or
      (f32x4.mul
        (i32x4.shl (v128.and (local.get $h) (v128.const i32x4 0x7fff 0x7fff 0x7fff 0x7fff)) (i32.const 13))
        (v128.const f32x4 0x1p112 0x1p112 0x1p112 0x1p112))
      (i32x4.shl (v128.and (local.get $h) (v128.const i32x4 0x8000 0x8000 0x8000 0x8000)) (i32.const 16))))

  (func $fsum (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  (func (export "rescore")
    (param $halves i32) (param $rows i32) (param $chunks i32) (param $query i32) (param $out i32)
    (local $r i32) (local $p i32) (local $q i32) (local $qend i32)
    (local $h v128) (local $lo v128) (local $hi v128) (local $dot v128) (local $norm v128)
    (local.set $qend (i32.add (local.get $query) (i32.shl (local.get $chunks) (i32.const 5))))
    (local.set $p (local.get $halves))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $dot (v128.const i32x4 0 0 0 0))
        (local.set $norm (v128.const i32x4 0 0 0 0))
        (local.set $q (local.get $query))
        (block $dimsDone
          (br_if $dimsDone (i32.ge_u (local.get $q) (local.get $qend)))
          (loop $dims
            (local.set $h (v128.load (local.get $p)))
            (local.set $lo (call $widen (i32x4.extend_low_i16x8_u (local.get $h))))
            (local.set $hi (call $widen (i32x4.extend_high_i16x8_u (local.get $h))))
            (local.set $dot (f32x4.add (local.get $dot) (f32x4.mul (local.get $lo) (v128.load (local.get $q)))))
            (local.set $dot (f32x4.add (local.get $dot) (f32x4.mul (local.get $hi) (v128.load offset=16 (local.get $q)))))
            (local.set $norm (f32x4.add (local.get $norm) (f32x4.mul (local.get $lo) (local.get $lo))))
            (local.set $norm (f32x4.add (local.get $norm) (f32x4.mul (local.get $hi) (local.get $hi))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (local.set $q (i32.add (local.get $q) (i32.const 32)))
            (br_if $dims (i32.lt_u (local.get $q) (local.get $qend)))))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3))) (call $fsum (local.get $dot)))
        (f32.store offset=4 (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 3))) (call $fsum (local.get $norm)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows)))))
