// Search conditions that trace and log search build the same way over their chunks:
// an attribute `key=value` (Bloom filters, then a byte search, then the decoded item
// decides) and the combining of per-chunk conditions into one test of an item.

import type { InstrumentationScope, KeyValue, Resource } from '../../protocol/otlp.ts';
import { valueText } from '../../shared/plainValue.ts';
import { bloomHas, filterHashes } from '../store/attributeBloom.ts';
import { BytePattern, candidatesInBlocks, storedByteFrequencies } from '../store/byteSearch.ts';
import { blockCount, type TextChunk } from '../store/textIndex.ts';

/** A chunk of stored items as the conditions read it. */
export type SearchChunk = Pick<TextChunk, 'bytes' | 'used' | 'ends' | 'count'> & { readonly bloom: Uint32Array; readonly group: Int32Array };

/** An item test for one chunk, or null when no item of the chunk can pass. */
export type ChunkMatcher<C> = (chunk: C) => ((i: number) => boolean) | null;

export interface SearchStore<C> {
  readonly chunks: readonly C[];
  readonly groups: readonly { readonly resource: Resource; readonly scope: InstrumentationScope }[];
}

/** `key=value` on the item's attributes (read by `attributesOf`), or on its resource or scope. */
export function attributeCondition<C extends SearchChunk>(store: SearchStore<C>, key: string, value: string, attributesOf: (chunk: C, i: number) => KeyValue[] | undefined): ChunkMatcher<C> {
  const groupHit = Uint8Array.from(store.groups, (g) =>
    hasAttribute(g.resource.attributes, key, value) || hasAttribute(g.scope.attributes, key, value) ? 1 : 0);
  const anyGroup = groupHit.includes(1);
  // String values appear verbatim in the bytes; numbers and booleans do not, so those
  // look for the key instead.
  const needle = new BytePattern(Buffer.from(/^(-?\d+(\.\d+)?|true|false)$/.test(value) ? key : value), storedByteFrequencies(store));
  const hashes = filterHashes(key, value);
  return (chunk) => {
    // Blocks whose filter may hold the attribute; with a resource match, every block.
    const blocks = blocksOf(chunk).filter((b) => anyGroup || hashes.some((h) => bloomHas(chunk.bloom, b, h)));
    if (!blocks.length) return null;
    const candidates = candidatesInBlocks(chunk, [needle], blocks);
    return (i) => {
      if (groupHit[chunk.group[i]]) return true;
      return candidates[i] === 1 && hasAttribute(attributesOf(chunk, i), key, value);
    };
  };
}

/** The conditions for one chunk together: null when one of them rules the chunk out. */
export function allOf<C>(conditions: readonly ChunkMatcher<C>[], chunk: C): ((i: number) => boolean) | null {
  const tests: ((i: number) => boolean)[] = [];
  for (const c of conditions) {
    const test = c(chunk);
    if (test === null) return null;
    tests.push(test);
  }
  return (i) => {
    for (const test of tests) if (!test(i)) return false;
    return true;
  };
}

export function blocksOf(chunk: Pick<TextChunk, 'used'>): number[] {
  return Array.from({ length: blockCount(chunk) }, (_, b) => b);
}

export function hasAttribute(kvs: KeyValue[] | undefined, key: string, value: string): boolean {
  return !!kvs?.some((kv) => kv.key === key && valueText(kv.value) === value);
}
