// The engine's profile API played in the page (Playwright routes), so the UI tests run
// against known compact profiles whatever the engine's decoders do: list, binary fetch,
// upload (with the engine's error for a file it cannot read) and the trace filter.

import type { Page } from 'playwright-core';
import type { CompactProfile } from '../../../src/protocol/profile.ts';
import { samplesByStack } from '../../../src/engine/profiles/samplesByStack.ts';
import { encodeCompactProfile, PROFILE_MEDIA_TYPE } from '../../../src/shared/profile/codec.ts';

export interface ProfileApi {
  profiles: CompactProfile[];
  /** Uploaded files by name, and what they turn into (a profile to add, or the engine's error). */
  uploads: Map<string, CompactProfile | string>;
  requests: string[];
}

export async function serveProfiles(page: Page, api: ProfileApi): Promise<void> {
  await page.route(/\/api\/profiles(\/|\?|$)/, async (route) => {
    const req = route.request();
    const url = new URL(req.url());
    api.requests.push(`${req.method()} ${url.pathname}${url.search}`);
    const json = (status: number, body: unknown) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
    if (req.method() === 'POST' && url.pathname === '/api/profiles') {
      const name = url.searchParams.get('name') ?? '';
      const made = api.uploads.get(name);
      if (typeof made === 'string' || !made) return json(400, { error: made ?? `${name}: not a profile Loupe knows` });
      api.profiles.push(made);
      return json(201, { id: made.summary.id });
    }
    const one = /^\/api\/profiles\/([^/]+)$/.exec(url.pathname);
    if (one) {
      const p = api.profiles.find((x) => x.summary.id === decodeURIComponent(one[1]));
      if (!p) return json(404, { error: `no profile ${one[1]}` });
      const binary = url.searchParams.get('format') === 'binary' || (req.headers().accept ?? '').includes(PROFILE_MEDIA_TYPE);
      if (!binary) return json(200, p.summary);
      const sent = url.searchParams.get('samples') === 'by-stack' ? samplesByStack(p) : p;
      return route.fulfill({ status: 200, contentType: PROFILE_MEDIA_TYPE, body: Buffer.from(encodeCompactProfile(sent)) });
    }
    const traceId = url.searchParams.get('traceId');
    return json(200, api.profiles.map((p) => p.summary).filter((s) => !traceId || s.traceIds.includes(traceId)));
  });
}
