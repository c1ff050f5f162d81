import type { ViewerTextRun } from '../../shared/pdfViewerProtocol';

/**
 * Lays the page's text over its picture as transparent, selectable spans, each stretched to the
 * width PDFium measured, so selecting on the page selects the words under the pointer and Copy
 * copies them. Text goes in as textContent only: it comes from the file and is never markup.
 */
export function renderTextLayer(layer: HTMLElement, runs: readonly ViewerTextRun[], pixelsPerPoint: number): void {
  const spans = runs.map((run) => {
    const span = document.createElement('span');
    span.textContent = run.text;
    span.style.left = `${run.left * pixelsPerPoint}px`;
    span.style.top = `${run.top * pixelsPerPoint}px`;
    span.style.fontSize = `${run.height * pixelsPerPoint}px`;
    span.style.lineHeight = '1';
    return span;
  });
  // Line breaks between runs on different lines, spaces between runs of one line: what a
  // selection across them copies (the breaks take no room, the spans are positioned).
  const nodes: Node[] = [];
  spans.forEach((span, i) => {
    if (i > 0) {
      const previous = runs[i - 1]!;
      nodes.push(runs[i]!.top > previous.top + previous.height / 2 ? document.createElement('br') : document.createTextNode(' '));
    }
    nodes.push(span);
  });
  layer.replaceChildren(...nodes);
  // Measure after all are in the page (one layout), then stretch each to its printed width.
  const measured = spans.map((span) => span.getBoundingClientRect().width);
  spans.forEach((span, i) => {
    const target = runs[i]!.width * pixelsPerPoint;
    if (measured[i]! > 0 && target > 0) span.style.transform = `scaleX(${target / measured[i]!})`;
  });
}
