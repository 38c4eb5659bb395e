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
import { acceptFileDrops } from './files/fileDrop.ts';
import { FILE_STATE_KEY } from './files/fileTransport.ts';
import { showFileError, startFileView } from './files/fileView.ts';

async function start(): Promise<void> {
  const browser = !inWebview();
  const started = browser ? startHttpTransport() : await startHostTransport();
  // A telemetry file opened for viewing (a VS Code editor, or a file dropped on the page).
  const backToLive = browser ? () => location.assign(location.pathname) : undefined;
  const file = started.state[FILE_STATE_KEY];
  if (typeof started.state.fileError === 'string') return showFileError(started.state.fileError, { backToLive });
  if (browser) acceptFileDrops(started.transport);
  new App(typeof file === 'string' && file ? startFileView(started, file, { backToLive }) : started);
}

void start();
