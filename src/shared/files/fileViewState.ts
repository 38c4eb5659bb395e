// The state a view opens with on a telemetry file. A file's telemetry is usually older
// than the golden signals' default window (the last 15 minutes), so that view opens on
// the file's own time span; the trace list and logs show any time by default already.

import type { FileSummary } from '../../protocol/files.ts';
import type { ViewName } from '../../protocol/webview.ts';

const MARGIN_NS = 60_000_000_000n;

export function fileViewState(file: Pick<FileSummary, 'startUnixNano' | 'endUnixNano'>, view: ViewName): Record<string, string> {
  if (view !== 'signals' || !file.startUnixNano || !file.endUnixNano) return {};
  const from = BigInt(file.startUnixNano) - MARGIN_NS;
  const to = BigInt(file.endUnixNano) + MARGIN_NS;
  return { range: 'custom', from: (from > 0n ? from : 0n).toString(), to: to.toString() };
}

/** Traces when the file has any, else logs, else the metrics (golden signals) view. */
export function firstFileView(file: Pick<FileSummary, 'counts'>): ViewName {
  if (file.counts.spans) return 'traces';
  return file.counts.logs ? 'logs' : 'signals';
}
