// Decides, from what the Sightline status bar item showed and when, whether the extension's
// background open of an index really ran and finished: the extension host memory benchmark
// measures "after the open" only at the moment this says it ended, and refuses a run in which
// the item never said "opening index", or was left on it, or ended on an error.

const OPENING = /opening index/;
const READY = /^\$\(search\) Sightline: ([\d,]+) items$/;
const EMPTY = '$(search) Sightline';

/**
 * `renders`: [{ atMs, text }] in order, one per time the item was shown. With `expectIndex`,
 * returns { openingAtMs, openedAtMs, items }: when "opening index" first showed, when the item
 * first showed the index's item count after it, and that count. Without, the window has no
 * index: returns { settledAtMs } once the item showed the not-indexed text, and refuses any
 * render that says an index is opening or open. Throws with what was seen otherwise.
 */
export function backgroundOpenOutcome(renders, { expectIndex }) {
  const seen = () => renders.map((r) => JSON.stringify(r.text)).join(' -> ') || 'nothing';
  if (!expectIndex) {
    const wrong = renders.find((r) => OPENING.test(r.text) || READY.test(r.text));
    if (wrong) throw new Error(`a window without an index showed ${JSON.stringify(wrong.text)} (status bar: ${seen()})`);
    const settled = renders.find((r, i) => i > 0 && r.text === EMPTY);
    if (!settled) throw new Error(`the status bar never settled on ${JSON.stringify(EMPTY)} (status bar: ${seen()})`);
    return { settledAtMs: settled.atMs };
  }
  const opening = renders.findIndex((r) => OPENING.test(r.text));
  if (opening < 0) throw new Error(`the status bar never showed "opening index" (status bar: ${seen()})`);
  const after = renders.slice(opening + 1);
  const stuck = after.find((r) => !OPENING.test(r.text) && !READY.test(r.text));
  if (stuck) throw new Error(`the background open ended on ${JSON.stringify(stuck.text)}, not the index's count (status bar: ${seen()})`);
  const opened = after.find((r) => READY.test(r.text));
  if (!opened) throw new Error(`the status bar still shows "opening index" (status bar: ${seen()})`);
  return { openingAtMs: renders[opening].atMs, openedAtMs: opened.atMs, items: Number(READY.exec(opened.text)[1].replace(/,/g, '')) };
}
