import type { LazyCore } from './lazyCore';

let loading: Promise<LazyCore> | undefined;

/**
 * The only way into the heavy core (sharp, the PDF engine, the vector index). Nothing imports
 * lazyCore.ts statically, so esbuild keeps it, and everything behind it, off the activation path.
 */
export function loadCore(): Promise<LazyCore> {
  loading ??= import('./lazyCore');
  return loading;
}
