// Runs inside desktop VS Code's extension host (see runElectronTests.mjs): the extension
// activates, contributes every command it declares, and Search opens without an index.
const assert = require('node:assert');
const path = require('node:path');
const vscode = require('vscode');

exports.run = async function run() {
  const manifest = require(path.join(__dirname, '..', '..', 'package.json'));
  const extension = vscode.extensions.getExtension(`${manifest.publisher}.${manifest.name}`);
  assert.ok(extension, 'the extension is installed');
  await extension.activate();
  const commands = new Set(await vscode.commands.getCommands(true));
  for (const { command } of manifest.contributes.commands) assert.ok(commands.has(command), `${command} is registered`);
  await vscode.commands.executeCommand('sightline.openSearchPanel');
  const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs.map((tab) => tab.label));
  assert.ok(tabs.includes('Sightline Search'), `the search panel opened (tabs: ${tabs.join(', ')})`);
};
