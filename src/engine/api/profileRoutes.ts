// The profile API: list, import (file bytes as the body), the compact profile (binary or
// JSON), the top table and merge. Every failure a client can cause is a 4xx that says
// what was wrong and what to send instead.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CompactProfile, ProfileSummary } from '../../protocol/profile.ts';
import { encodeCompactProfile, PROFILE_MEDIA_TYPE } from '../../shared/profile/codec.ts';
import type { Engine } from '../engine.ts';
import { BothTiers } from '../disk/bothTiers.ts';
import { mergeProfiles } from '../profiles/mergeProfiles.ts';
import { prepareDecoder } from '../profiles/profileDecoder.ts';
import { samplesByStack } from '../profiles/samplesByStack.ts';
import { topFunctions, type TopOrder } from '../profiles/topFunctions.ts';
import { QueryError, limit, optionalString } from '../query/params.ts';
import { ReceiverError } from '../receivers/errors.ts';
import { contentCoding, readRequestBody } from '../receivers/httpBody.ts';
import { importFailure, importProfile, pendingImports, settled } from './profileImport.ts';

export interface ProfileApiLimits {
  /** Largest profile upload, as sent and after Content-Encoding is undone. */
  maxProfileBytes: number;
}

/**
 * Profile files are larger than OTLP batches (a 50 MB pprof is common), so uploads get
 * at least this much whatever the OTLP body limit is.
 */
export const MIN_PROFILE_UPLOAD_BYTES = 512 * 1024 * 1024;

type Reply = (res: ServerResponse, status: number, body: unknown) => void;

const MAX_MERGE_BODY_BYTES = 1024 * 1024;

/** Answers `/api/profiles…`; returns false for any other path. */
export async function routeProfiles(engine: Engine, req: IncomingMessage, url: URL, res: ServerResponse, limits: ProfileApiLimits, json: Reply): Promise<boolean> {
  const path = url.pathname;
  if (path !== '/api/profiles' && !path.startsWith('/api/profiles/')) return false;
  const method = req.method ?? 'GET';
  try {
    if (path === '/api/profiles') {
      if (method === 'GET' || method === 'HEAD') {
        // Someone looking at the list may drop a file next: the decoder gets ready meanwhile.
        prepareDecoder();
        json(res, 200, listProfiles(engine, await BothTiers.read(engine), optionalString(url.searchParams, 'traceId')?.toLowerCase()));
      }
      else if (method === 'POST') await importProfile(engine, req, url, res, limits.maxProfileBytes, json, (full, merged) => byStack.set(full, merged));
      else notAllowed(res, 'GET, POST', json);
      return true;
    }
    if (path === '/api/profiles/merge') {
      if (method !== 'POST') notAllowed(res, 'POST', json);
      else await merge(engine, req, res, json);
      return true;
    }
    const m = /^\/api\/profiles\/([^/]+)(\/top)?$/.exec(path);
    if (!m) {
      json(res, 404, { error: `no such endpoint: ${path.slice(0, 200)}; profiles are at /api/profiles, /api/profiles/{id}, /api/profiles/{id}/top and /api/profiles/merge` });
      return true;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      notAllowed(res, 'GET', json);
      return true;
    }
    const id = decodeURIComponent(m[1]);
    // Imported, still decoding: the merged form is there already, anything else waits.
    const pending = pendingImports(engine).get(id);
    if (pending && !m[2] && url.searchParams.get('samples') === 'by-stack') {
      byStack.set(pending.byStack, pending.byStack);
      sendProfile(pending.byStack, req, url, res);
      return true;
    }
    await pending?.done;
    // Memory, or the disk tier for one memory evicted.
    const profile = (await BothTiers.read(engine)).profile(id);
    const failure = profile ? undefined : importFailure(engine, id);
    if (failure) {
      json(res, failure.status, { error: failure.error });
      return true;
    }
    if (!profile) {
      const gone = engine.disk ? 'evicted from memory and dropped from disk' : 'evicted to stay within the memory budget';
      json(res, 404, { error: `profile ${id.slice(0, 40)} is not in the store (never stored, or ${gone}); GET /api/profiles lists the stored ones` });
      return true;
    }
    if (m[2]) json(res, 200, topFunctions(profile, sampleTypeParam(profile, url.searchParams), limit(url.searchParams, 100, 100_000), orderParam(url.searchParams)));
    else sendProfile(profile, req, url, res);
    return true;
  } catch (err) {
    if (err instanceof QueryError) json(res, 400, { error: err.message });
    else if (err instanceof ReceiverError) {
      if (err.kind === 'client-closed') res.destroy();
      else json(res, err.kind === 'too-large' ? 413 : err.kind === 'unsupported-media-type' ? 415 : 400, { error: err.message });
    } else throw err;
    return true;
  }
}

async function merge(engine: Engine, req: IncomingMessage, res: ServerResponse, json: Reply): Promise<void> {
  const body = await readRequestBody(req, contentCoding(req.headers['content-encoding']), MAX_MERGE_BODY_BYTES);
  let ids: unknown;
  let name: unknown;
  try {
    ({ ids, name } = JSON.parse(body.toString('utf8')) as { ids?: unknown; name?: unknown });
  } catch {
    return json(res, 400, { error: 'merge: send JSON like {"ids": ["1", "2"]}' });
  }
  if (!Array.isArray(ids) || ids.length < 1 || !ids.every((i) => typeof i === 'string')) {
    return json(res, 400, { error: 'merge: "ids" must be a non-empty array of profile ids (strings), e.g. {"ids": ["1", "2"]}' });
  }
  const profiles: CompactProfile[] = [];
  for (const id of ids as string[]) await settled(engine, id);
  const tiers = await BothTiers.read(engine);
  for (const id of ids as string[]) {
    const p = tiers.profile(id);
    const failure = p ? undefined : importFailure(engine, id);
    if (failure) return json(res, failure.status, { error: `merge: ${failure.error}` });
    if (!p) return json(res, 404, { error: `merge: profile ${id.slice(0, 40)} is not in the store (never stored, or evicted); GET /api/profiles lists the stored ones` });
    profiles.push(p);
  }
  const merged = mergeProfiles(profiles);
  const label = typeof name === 'string' && name ? name.slice(0, 300) : `merged: ${profiles.map((p) => p.summary.name).join(' + ')}`.slice(0, 300);
  json(res, 201, { id: engine.addProfile(merged, label, 'import') });
}

/** The stored profiles, then those imported and still decoding (they carry no trace ids). */
function listProfiles(engine: Engine, tiers: BothTiers, traceId: string | undefined): ProfileSummary[] {
  const stored = tiers.profiles(traceId);
  if (traceId !== undefined) return stored;
  for (const { byStack } of pendingImports(engine).values()) {
    const { hasSampleTimes: _, ...summary } = byStack.summary;
    stored.push(summary);
  }
  return stored;
}

/** Each stored profile's samples-by-stack form, made on first request and gone with the profile. */
const byStack = new WeakMap<CompactProfile, CompactProfile>();

function sendProfile(stored: CompactProfile, req: IncomingMessage, url: URL, res: ServerResponse): void {
  const samples = url.searchParams.get('samples');
  if (samples !== null && samples !== 'all' && samples !== 'by-stack') throw new QueryError('samples', `expected "all" (every sample, with its time) or "by-stack" (samples merged per stack; labelled ones apart), got "${samples.slice(0, 40)}"`);
  const t0 = performance.now();
  let profile = stored;
  if (samples === 'by-stack') {
    profile = byStack.get(stored) ?? samplesByStack(stored);
    byStack.set(stored, profile);
  }
  const t1 = performance.now();
  const format = url.searchParams.get('format');
  const wantsBinary = format === 'binary' || (format !== 'json' && (req.headers.accept ?? '').includes(PROFILE_MEDIA_TYPE));
  const body = wantsBinary ? Buffer.from(encodeCompactProfile(profile).buffer) : Buffer.from(JSON.stringify(profileAsJson(profile)));
  res.writeHead(200, {
    'server-timing': `merge;dur=${(t1 - t0).toFixed(1)}, encode;dur=${(performance.now() - t1).toFixed(1)}`,
    'content-type': wantsBinary ? PROFILE_MEDIA_TYPE : 'application/json; charset=utf-8',
    'content-length': body.length,
    'cache-control': 'no-store',
    vary: 'accept',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** The compact profile with its typed arrays as plain JSON arrays. */
export function profileAsJson(profile: CompactProfile): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(profile)) out[key] = ArrayBuffer.isView(value) ? Array.from(value as unknown as ArrayLike<number>) : value;
  return out;
}

/** `sampleType` by index or by type name (`cpu`, `alloc_space`…); the profile's default otherwise. */
export function sampleTypeParam(profile: CompactProfile, q: URLSearchParams): number {
  const v = optionalString(q, 'sampleType');
  const types = profile.summary.sampleTypes;
  if (v === undefined) return profile.summary.defaultSampleType;
  const byName = types.findIndex((t) => t.type === v);
  if (byName >= 0) return byName;
  if (/^\d+$/.test(v) && Number(v) < types.length) return Number(v);
  throw new QueryError('sampleType', `this profile has ${types.map((t, i) => `${i} (${t.type}, ${t.unit})`).join(', ')}; got "${v.slice(0, 40)}"`);
}

function orderParam(q: URLSearchParams): TopOrder {
  const v = optionalString(q, 'sort') ?? 'self';
  if (v !== 'self' && v !== 'total') throw new QueryError('sort', `expected "self" or "total", got "${v.slice(0, 40)}"`);
  return v;
}

function notAllowed(res: ServerResponse, allow: string, json: Reply): void {
  res.setHeader('allow', allow);
  json(res, 405, { error: `method not allowed; use ${allow}` });
}
