// /api/files: telemetry files opened for viewing.
//   POST /api/files?name=…          the file's bytes → its summary (201), with its id
//   GET /api/files                  the open files
//   GET /api/files/{id}             one file's summary
//   DELETE /api/files/{id}          closes it (the editor or page that opened it is gone)
//   POST /api/files/{id}/import     copies it into the live store
//   POST /api/files/import?name=…   a file's bytes read straight into the live store (not opened)
//   GET /api/files/{id}/api/…       any read-only query route, answered from the file

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Engine } from '../engine.ts';
import { importFile, MAX_FILE_BYTES, TelemetryFiles } from './telemetryFiles.ts';
import { TelemetryFileError } from './readTelemetryFile.ts';

type Json = (res: ServerResponse, status: number, body: unknown) => void;
type ApiHandlerFactory = (engine: Engine) => (req: IncomingMessage, res: ServerResponse) => void;

// Each open file may hold this share of the live budget (and at least 16 MiB).
const FILE_BUDGET_SHARE = 4;

const filesByEngine = new WeakMap<Engine, TelemetryFiles>();

export function filesOf(engine: Engine): TelemetryFiles {
  let files = filesByEngine.get(engine);
  if (!files) {
    files = new TelemetryFiles(Math.max(16 * 1048576, Math.floor(engine.options.memoryBudgetBytes / FILE_BUDGET_SHARE)));
    filesByEngine.set(engine, files);
  }
  return files;
}

/** Answers /api/files… and returns true; false for any other path. */
export async function routeFiles(engine: Engine, req: IncomingMessage, url: URL, res: ServerResponse, json: Json, apiFor: ApiHandlerFactory): Promise<boolean> {
  const path = url.pathname;
  if (path !== '/api/files' && !path.startsWith('/api/files/')) return false;
  const files = filesOf(engine);
  if (path === '/api/files') {
    if (req.method === 'GET' || req.method === 'HEAD') json(res, 200, { files: files.list() });
    else if (req.method === 'POST') await upload(files, req, url, res, json);
    else methodNotAllowed(res, json, 'GET, POST');
    return true;
  }
  if (path === '/api/files/import') {
    if (req.method !== 'POST') return methodNotAllowed(res, json, 'POST'), true;
    const name = fileName(url);
    const bytes = await readBody(req, res, name, json);
    if (!bytes) return true;
    try {
      json(res, 200, importFile(engine, bytes));
    } catch (err) {
      if (err instanceof TelemetryFileError) json(res, 400, { error: `${name}: ${err.message}` });
      else throw err;
    }
    return true;
  }
  const match = /^\/api\/files\/([^/]+)(\/import|\/api\/.*)?$/.exec(path);
  const id = decodeURIComponent(match?.[1] ?? '');
  if (!match || !files.summary(id)) {
    json(res, 404, { error: match ? `file ${id.slice(0, 60)} is not open (closed, replaced by newer files, or the engine restarted): open the file again` : `no such endpoint: ${path.slice(0, 200)}` });
    return true;
  }
  const rest = match[2];
  if (!rest) {
    if (req.method === 'DELETE') json(res, 200, { closed: files.close(id) });
    else if (req.method === 'GET' || req.method === 'HEAD') json(res, 200, files.summary(id));
    else methodNotAllowed(res, json, 'GET, DELETE');
    return true;
  }
  if (rest === '/import') {
    if (req.method !== 'POST') return methodNotAllowed(res, json, 'POST'), true;
    req.resume();
    json(res, 200, files.importInto(id, engine));
    return true;
  }
  // The file's own store answers the same routes as the live one; it is only read.
  if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, json, 'GET'), true;
  if (rest === '/api/events') {
    // A file does not change: its event stream says its counts once and stays open.
    files.engineOf(id)!.events.attach(res);
    return true;
  }
  req.url = rest + url.search;
  apiFor(files.engineOf(id)!)(req, res);
  return true;
}

async function upload(files: TelemetryFiles, req: IncomingMessage, url: URL, res: ServerResponse, json: Json): Promise<void> {
  const name = fileName(url);
  const bytes = await readBody(req, res, name, json);
  if (!bytes) return;
  try {
    json(res, 201, files.add(name, bytes));
  } catch (err) {
    if (err instanceof TelemetryFileError) json(res, 400, { error: `${name}: ${err.message}` });
    else throw err;
  }
}

function fileName(url: URL): string {
  return (url.searchParams.get('name') ?? 'telemetry file').slice(0, 300);
}

/** The request's bytes, or undefined once a 413 has answered a file over the limit. */
async function readBody(req: IncomingMessage, res: ServerResponse, name: string, json: Json): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FILE_BYTES) {
      json(res, 413, { error: `${name} is over ${MAX_FILE_BYTES / 1048576} MiB, more than Loupe opens at once: split it (one request per line can be cut anywhere between lines).` });
      req.destroy();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function methodNotAllowed(res: ServerResponse, json: Json, allow: string): void {
  res.setHeader('allow', allow);
  json(res, 405, { error: `method not allowed; use ${allow}` });
}
