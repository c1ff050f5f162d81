// The layer rule: an import may only point down the stack written in README.md's
// "Architecture" section. Project imports are relative, so resolving them against the importing
// file's folder says exactly which layer each side is in; no resolver plugin is needed.
import * as path from 'node:path';

/** Layers by folder under src/, most specific first. `allows` lists the layers it may import. */
export const LAYERS = [
  { name: 'core/common', folder: 'core/common', allows: [] },
  { name: 'core/embed', folder: 'core/embed', allows: ['core/common'] },
  { name: 'core/sources', folder: 'core/sources', allows: ['core/common'] },
  { name: 'core/index', folder: 'core/index', allows: ['core/common', 'core/embed', 'core/sources'] },
  { name: 'core/settings', folder: 'core/settings', allows: ['core/common', 'core/embed', 'core/sources', 'core/index'] },
  { name: 'shared', folder: 'shared', allows: [] },
  { name: 'webview', folder: 'webview', allows: ['shared'] },
  { name: 'cli', folder: 'cli', allows: ['core/common', 'core/embed', 'core/sources', 'core/index', 'core/settings'] },
  { name: 'cli', folder: 'cli.ts', allows: ['cli'] },
  { name: 'vscode', folder: 'vscode', allows: ['core/common', 'core/embed', 'core/sources', 'core/index', 'core/settings', 'shared'] },
  { name: 'vscode', folder: 'extension.ts', allows: ['vscode', 'core/common', 'core/settings'] },
];

/** Only these layers may import the `vscode` module. */
const VSCODE_API_LAYERS = new Set(['vscode']);

export function layerOf(file, srcRoot) {
  const relative = path.relative(srcRoot, file).split(path.sep).join('/');
  if (relative.startsWith('..')) return undefined;
  return LAYERS.find((layer) => relative === layer.folder || relative.startsWith(`${layer.folder}/`));
}

/** @type {import('eslint').Rule.RuleModule} */
export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports follow the layer order: core/common <- embed, sources <- index <- cli, vscode; webview imports only shared.' },
    schema: [{ type: 'object', properties: { srcRoot: { type: 'string' } }, required: ['srcRoot'], additionalProperties: false }],
    messages: {
      wrongWay: '{{from}} may not import {{to}} ({{source}}): layers import only downwards ({{from}} may import: {{allowed}}).',
      vscodeApi: "only the vscode layer may import 'vscode'; {{from}} must stay plain Node (the CLI and the tests run it without VS Code).",
    },
  },
  create(context) {
    const srcRoot = path.resolve(context.options[0].srcRoot);
    const from = layerOf(context.filename, srcRoot);
    if (!from) return {};
    function check(node, source) {
      if (typeof source !== 'string') return;
      if (source === 'vscode') {
        if (!VSCODE_API_LAYERS.has(from.name)) context.report({ node, messageId: 'vscodeApi', data: { from: from.name } });
        return;
      }
      if (!source.startsWith('.')) return;
      const to = layerOf(path.resolve(path.dirname(context.filename), source), srcRoot);
      if (!to || to.name === from.name || from.allows.includes(to.name)) return;
      context.report({ node, messageId: 'wrongWay', data: { from: from.name, to: to.name, source, allowed: from.allows.join(', ') || 'nothing' } });
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      TSImportType: (node) => {
        const literal = node.argument?.literal ?? node.argument;
        if (literal?.type === 'Literal') check(node, literal.value);
      },
    };
  },
};
