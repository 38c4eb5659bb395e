// `POST /api/profiles`: a profile file as the body, decoded on the worker thread and
// stored. A V8 .cpuprofile's samples merged by stack are known well before its
// per-sample rows are made: the import answers with the id then, and until the decode
// ends that id serves the merged form (what a viewer opens on) while every other read
// of it waits for the whole profile. The two forms are the same numbers
// (src/engine/profiles/byStackFirst.test.ts), so nothing a view shows changes.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CompactProfile } from '../../protocol/profile.ts';
import type { Engine } from '../engine.ts';
import { BodyArrival } from '../profiles/bodyArrival.ts';
import { canDecodeWhileArriving, decodeProfileOffThread } from '../profiles/profileDecoder.ts';
import { ProfileDecodeError } from '../profiles/profileError.ts';
import { optionalString } from '../query/params.ts';
import { checkDeclaredLength, contentCoding, readRequestBody } from '../receivers/httpBody.ts';
import { profileBytes } from '../store/profileStore.ts';

type Reply = (res: ServerResponse, status: number, body: unknown) => void;

/** An upload this large is decoded while it arrives (a .cpuprofile's nodes come first). */
const DECODE_WHILE_ARRIVING_BYTES = 4 * 1024 * 1024;

/** Largest profile after gzip is undone: a Buffer cannot be much larger. */
const MAX_INFLATED_BYTES = 2 ** 31 - 1;

export interface PendingImport {
  /** The samples merged by stack, with the id, name and source the profile will have. */
  byStack: CompactProfile;
  /** Settles when the profile is stored (or its decode failed). */
  done: Promise<void>;
}

const pendingByEngine = new WeakMap<Engine, Map<string, PendingImport>>();

/** How many failed imports are remembered (the oldest is forgotten first). */
const MAX_FAILED = 32;

/** Per engine: imports answered early whose decode then failed, id → what went wrong. */
const failedByEngine = new WeakMap<Engine, Map<string, { message: string; status: number }>>();

/** Imports answered whose decode has not ended yet, by id. */
export function pendingImports(engine: Engine): Map<string, PendingImport> {
  let m = pendingByEngine.get(engine);
  if (!m) pendingByEngine.set(engine, (m = new Map()));
  return m;
}

/**
 * Why `id`'s import failed after it was answered early (its decode ran out of memory,
 * its thread stopped…), as an answer for any read of it; undefined if it did not.
 */
export function importFailure(engine: Engine, id: string): { status: number; error: string } | undefined {
  const failed = failedByEngine.get(engine)?.get(id);
  if (!failed) return undefined;
  const memory = /memory/i.test(failed.message) ? '; if it ran out of memory, raise the engine\'s memory (--memory-budget-mb or the setting loupe.memoryBudgetMB, and --max-old-space-size) or split the profile' : '';
  return { status: failed.status, error: `profile ${id.slice(0, 40)}'s import failed after its first view: ${failed.message}. It was not stored: import the file again${memory}` };
}

function rememberFailure(engine: Engine, id: string, err: unknown): void {
  let m = failedByEngine.get(engine);
  if (!m) failedByEngine.set(engine, (m = new Map()));
  m.set(id, { message: err instanceof Error ? err.message : String(err), status: err instanceof ProfileDecodeError ? 422 : 500 });
  if (m.size > MAX_FAILED) m.delete(m.keys().next().value!);
}

/** Waits for the decode of `id` if its import was answered before it ended. */
export async function settled(engine: Engine, id: string): Promise<void> {
  await pendingImports(engine).get(id)?.done;
}

export async function importProfile(engine: Engine, req: IncomingMessage, url: URL, res: ServerResponse, maxProfileBytes: number, json: Reply, remember: (full: CompactProfile, byStack: CompactProfile) => void): Promise<void> {
  const t0 = performance.now();
  const declared = checkDeclaredLength(req.headers['content-length'], maxProfileBytes);
  const coding = contentCoding(req.headers['content-encoding']);
  const name = optionalString(url.searchParams, 'name')?.slice(0, 300) ?? `profile ${new Date().toISOString()}`;
  const source = url.searchParams.get('source') === 'capture' ? 'capture' : 'import';
  let early: ((p: CompactProfile) => void) | undefined;
  const first = new Promise<CompactProfile>((resolve) => { early = resolve; });
  const maxInflated = Math.min(MAX_INFLATED_BYTES, maxProfileBytes * 8);
  let full: Promise<CompactProfile>;
  if (coding === 'identity' && declared >= DECODE_WHILE_ARRIVING_BYTES && canDecodeWhileArriving()) {
    // Large and sent as it is: the decoder reads the body in shared memory as it arrives.
    const arrival = new BodyArrival();
    const buffer = Buffer.from(new SharedArrayBuffer(declared));
    full = decodeProfileOffThread(buffer, maxInflated, early, arrival.state);
    full.catch(() => undefined); // a failure while the body still arrives is answered below, not unhandled
    try {
      arrival.complete((await readRequestBody(req, coding, maxProfileBytes, declared, { buffer, arrived: (n) => arrival.arrived(n) })).length);
    } catch (err) {
      arrival.abandon();
      full.catch(() => undefined);
      throw err;
    }
  } else {
    full = decodeProfileOffThread(await readRequestBody(req, coding, maxProfileBytes, declared), maxInflated, early);
  }
  const t1 = performance.now();
  let byStack: CompactProfile | undefined;
  let profile: CompactProfile | undefined;
  try {
    const got = await Promise.race([full.then((p) => ({ p })), first.then((b) => ({ b }))]);
    if ('p' in got) profile = got.p;
    else byStack = got.b;
  } catch (err) {
    return failed(err, res, json);
  }
  // For an upload decoded as it arrived, "decode" is what remained after the last byte.
  const timing = (stored: number) => `read;dur=${(t1 - t0).toFixed(1)}, decode;dur=${(stored - t1).toFixed(1)}, store;dur=${(performance.now() - stored).toFixed(1)}`;
  if (profile) {
    if (overBudget(engine, profileBytes(profile), profile.summary.sampleCount, res, json)) return;
    const t2 = performance.now();
    const id = engine.addProfile(profile, name, source);
    // Where an import's time went, for the browser's resource timing (bench/browser/firstPaint.ts).
    res.setHeader('server-timing', timing(t2));
    return json(res, 201, { id });
  }
  // The merged form first: the per-sample rows it leaves out, at most one per sample.
  const merged = byStack!;
  const types = merged.summary.sampleTypes.length;
  if (overBudget(engine, profileBytes(merged) + merged.summary.sampleCount * (4 + 8 * types + 8), merged.summary.sampleCount, res, json)) {
    full.catch(() => undefined);
    return;
  }
  const t2 = performance.now();
  const id = engine.profiles.reserveId();
  merged.summary = { ...merged.summary, id, name, source };
  const pending = pendingImports(engine);
  pending.set(id, {
    byStack: merged,
    done: full.then((p) => {
      engine.addProfile(p, name, source, id);
      remember(p, merged);
    }, (err: unknown) => {
      // The id was given out and a view may be open on it: its later reads say what happened.
      rememberFailure(engine, id, err);
    }).finally(() => pending.delete(id)),
  });
  res.setHeader('server-timing', timing(t2));
  json(res, 201, { id });
}

function failed(err: unknown, res: ServerResponse, json: Reply): void {
  if (!(err instanceof ProfileDecodeError)) throw err;
  json(res, 400, { error: `${err.message}. Send a pprof (.pb.gz, .pprof, .prof), V8 .cpuprofile or .heapprofile, or folded-stacks file as the request body.` });
}

/** Stored, it would push itself out at once: say so (413) instead of answering with an id that 404s. */
function overBudget(engine: Engine, needs: number, samples: number, res: ServerResponse, json: Reply): boolean {
  const budget = engine.options.memoryBudgetBytes;
  if (needs <= budget) return false;
  json(res, 413, { error: `the decoded profile needs ${mib(needs)} MiB (${samples.toLocaleString('en-US')} samples), more than the engine's whole memory budget of ${mib(budget)} MiB, so it cannot be kept. Raise the budget (setting loupe.memoryBudgetMB, or --memory-budget-mb) above ${Math.ceil(needs / 1048576 / 0.8)} MiB and open it again.` });
  return true;
}

function mib(bytes: number): string {
  return (bytes / 1048576).toFixed(0);
}
