// The views, in navigation order. A new view is one more entry (and one more ViewName in
// the protocol): the navigation bar and the host both follow.

import { CompareView } from '../compare/compareView.ts';
import { LogsView } from '../logs/logsView.ts';
import { ProfilesView } from '../profiles/profilesView.ts';
import { SignalsView } from '../signals/signalsView.ts';
import { TracesView } from '../traces/tracesView.ts';
import type { ViewRegistry } from './view.ts';

export const VIEWS: ViewRegistry = {
  traces: { title: 'Traces', create: (ctx) => new TracesView(ctx) },
  logs: { title: 'Logs', create: (ctx) => new LogsView(ctx) },
  signals: { title: 'Golden Signals', create: (ctx) => new SignalsView(ctx) },
  profiles: { title: 'Profiles', create: (ctx) => new ProfilesView(ctx) },
  compare: { title: 'Compare', create: (ctx) => new CompareView(ctx) },
};
