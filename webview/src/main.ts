// The UI's entry point: pick the transport for where we run, then start the shell.

import './ui/localeGuard.ts';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { App } from './shell/app.ts';
import { startHostTransport, inWebview } from './transport/hostTransport.ts';
import { startHttpTransport } from './transport/httpTransport.ts';

async function start(): Promise<void> {
  const started = inWebview() ? await startHostTransport() : startHttpTransport();
  new App(started);
}

void start();
