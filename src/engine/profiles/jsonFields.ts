// Small checks the JSON profile decoders share, each failing through the decoder's own
// `fail` so the message names the format.

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function arrayField(o: JsonObject, key: string, fail: (detail: string) => never): unknown[] {
  const v = o[key];
  if (!Array.isArray(v)) return fail(v === undefined ? `"${key}" is missing` : `"${key}" is not an array`);
  return v;
}

export function numberField(o: JsonObject, key: string, fail: (detail: string) => never, fallback: number): number {
  const v = o[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) return fail(`"${key}" is not a number`);
  return v;
}
