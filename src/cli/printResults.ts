import type { SearchResponse, SearchResult } from '../core/index/search/searchTypes';
import type { CliOutput } from './cliContext';
import { printable } from './terminalText';

/** The `--json` shape is a contract for scripts: keep its field names stable. */
export function printResults(response: SearchResponse, json: boolean, output: CliOutput): void {
  if (response.notice) output.err(`${printable(response.notice)}\n`);
  if (json) {
    output.out(`${JSON.stringify({ results: response.results.map(toJson), mode: response.mode }, null, 2)}\n`);
    return;
  }
  if (!response.results.length) {
    output.out('No results.\n');
    return;
  }
  response.results.forEach((result, i) => {
    const where =
      result.page !== undefined
        ? `#page=${result.page}`
        : result.cell !== undefined
          ? ` cell ${result.cell}`
          : result.line !== undefined
            ? `:${result.line}`
            : '';
    const context = result.headingPath?.length ? `  ${printable(result.headingPath.join(' > '))}` : '';
    output.out(`${String(i + 1).padStart(2)}. ${result.score.toFixed(3)}  [${result.kind}] ${printable(result.path)}${where}${context}\n`);
    if (result.snippet) output.out(`      ${printable(result.snippet)}\n`);
  });
}

function toJson(result: SearchResult) {
  return {
    path: result.path,
    kind: result.kind,
    score: Number(result.score.toFixed(6)),
    ...(result.line !== undefined ? { line: result.line, endLine: result.endLine } : {}),
    ...(result.page !== undefined ? { page: result.page } : {}),
    ...(result.cell !== undefined ? { cell: result.cell } : {}),
    ...(result.snippet ? { snippet: result.snippet } : {}),
    ...(result.headingPath ? { headingPath: result.headingPath } : {}),
    ...(result.target ? { target: result.target } : {}),
    ...(result.root ? { root: result.root } : {}),
  };
}
