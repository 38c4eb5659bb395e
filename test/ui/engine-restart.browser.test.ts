// A new engine behind an open page (restarted on the same port): the page notices the
// new instance id on its event stream and drops what it showed, the list and an open
// trace alike, instead of offering traces the new engine never held.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StatusResponse } from '../../src/protocol/api.ts';
import { getJson } from '../support/engine.ts';
import { openUi } from './support/browser.ts';
import { useEngineAndBrowser } from './support/engineAndBrowser.ts';
import { eventually, shownTraces } from './support/pageQueries.ts';
import { span, TraceRecorder } from './support/sdkTraces.ts';

const session = useEngineAndBrowser();

async function sendTrace(name: string): Promise<string> {
  const rec = new TraceRecorder();
  const id = span(rec.tracer('web'), name, undefined, Date.now() - 1000, Date.now() - 990).spanContext().traceId;
  await rec.send(session.engine.httpUrl);
  return id;
}

describe('after the engine restarts', () => {
  it('the list and an open trace show the new engine’s data', async () => {
    const before = await sendTrace('GET /before');
    const first = (await getJson<StatusResponse>(session.engine.httpUrl, '/api/status')).body.instanceId;
    const list = await openUi(session.browser, session.engine.httpUrl);
    const trace = await openUi(session.browser, session.engine.httpUrl, `trace=${before}`);
    await eventually(() => shownTraces(list.page), (r) => r.length === 1 && r[0].id === before);
    await trace.page.waitForSelector('.span-row');

    await session.restartEngine();
    const second = (await getJson<StatusResponse>(session.engine.httpUrl, '/api/status')).body.instanceId;
    assert.notEqual(second, first, 'each engine has its own instance id');
    const after = await sendTrace('GET /after');

    // The event stream reconnects within its 2 s retry and says which engine it reached.
    await eventually(() => shownTraces(list.page), (r) => r.length === 1 && r[0].id === after, 15_000);
    await eventually(() => trace.page.locator('.trace-body').innerText(), (t) => /is not in the store/.test(t), 15_000);
    await list.page.context().close();
    await trace.page.context().close();
  });
});
