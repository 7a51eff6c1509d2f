// Starts `rubricc lsp` for .rubric files (diagnostics, hover, formatting).
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration('rubric');
  const command = config.get('rubriccPath', 'rubricc');
  const args = ['--lang', config.get('lang', 'zh'), 'lsp'];
  client = new LanguageClient('rubricc', 'rubricc', { command, args },
                              { documentSelector: [{ scheme: 'file', language: 'rubric' }] });
  client.start();
  context.subscriptions.push({ dispose: () => client && client.stop() });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
