import * as path from 'node:path';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';
import { layersRule } from '../../eslint/layersRule.mjs';

// RuleTester drives its cases through the test framework's describe/it.
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const srcRoot = path.resolve(import.meta.dirname, '../../src');
const file = (relative: string) => path.join(srcRoot, relative);
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' } });
const options = [{ srcRoot }];

tester.run('sightline/layers', layersRule, {
  valid: [
    { filename: file('core/embed/responseDecoder.ts'), code: "import { truncateAndNormalize } from '../common/matryoshka';", options },
    { filename: file('core/index/indexer/indexer.ts'), code: "import { walkWorkspace } from '../../sources/walk/walkWorkspace';", options },
    { filename: file('core/index/search/searchEngine.ts'), code: "import { EmbeddingError } from '../../embed/embeddingError';", options },
    {
      filename: file('vscode/searchPanel.ts'),
      code: "import { parsePanelMessage } from '../shared/panelProtocol';\nimport * as vscode from 'vscode';",
      options,
    },
    {
      filename: file('webview/main.ts'),
      code: "import type { HostMessage } from '../shared/panelProtocol';\nimport { renderResults } from './renderResults';",
      options,
    },
    { filename: file('cli/commands/searchCommand.ts'), code: "const core = await import('../../core/index/search/searchEngine');", options },
    { filename: file('extension.ts'), code: "import { SearchPanel } from './vscode/searchPanel';", options },
  ],
  invalid: [
    // The arrows that ran the wrong way before the layers were written down.
    {
      filename: file('core/embed/responseDecoder.ts'),
      code: "import { truncateAndNormalize } from '../index/vectors/matryoshka';",
      options,
      errors: [{ messageId: 'wrongWay' }],
    },
    {
      filename: file('core/sources/walk/walkContext.ts'),
      code: "import { ConcurrencyLimit } from '../../embed/concurrencyLimit';",
      options,
      errors: [{ messageId: 'wrongWay' }],
    },
    {
      filename: file('core/sources/image/imageTypes.ts'),
      code: "import type { EmbeddingImage } from '../../embed/types';",
      options,
      errors: [{ messageId: 'wrongWay' }],
    },
    { filename: file('vscode/searchPanel.ts'), code: "import { parsePanelMessage } from '../webview/protocol';", options, errors: [{ messageId: 'wrongWay' }] },
    { filename: file('core/common/fileKey.ts'), code: "export { Catalog } from '../index/catalog/catalog';", options, errors: [{ messageId: 'wrongWay' }] },
    { filename: file('webview/main.ts'), code: "import { snippetOf } from '../core/sources/snippet';", options, errors: [{ messageId: 'wrongWay' }] },
    { filename: file('core/index/indexer/indexer.ts'), code: "const cli = await import('../../../cli/runCli');", options, errors: [{ messageId: 'wrongWay' }] },
    { filename: file('core/index/store/indexStore.ts'), code: "import * as vscode from 'vscode';", options, errors: [{ messageId: 'vscodeApi' }] },
    { filename: file('cli/runCli.ts'), code: "import { window } from 'vscode';", options, errors: [{ messageId: 'vscodeApi' }] },
  ],
});
