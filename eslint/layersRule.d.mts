import type { Rule } from 'eslint';

export declare const LAYERS: ReadonlyArray<{ name: string; folder: string; allows: readonly string[] }>;
export declare function layerOf(file: string, srcRoot: string): (typeof LAYERS)[number] | undefined;
export declare const layersRule: Rule.RuleModule;
