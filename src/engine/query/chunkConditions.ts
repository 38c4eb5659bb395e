// Search conditions that trace and log search build the same way over their chunks:
// an attribute `key=value` (Bloom filters, then a byte search, then the item's decoded
// attributes decide) and the combining of per-chunk conditions into one test of an item.

import type { InstrumentationScope, KeyValue, Resource } from '../../protocol/otlp.ts';
import { valueText } from '../../shared/plainValue.ts';
import { bloomHas, filterHashes, keyValueTail, valueEncodings } from '../store/attributeBloom.ts';
import { BytePattern, LazyCandidates, storedByteFrequencies } from '../store/byteSearch.ts';
import { blockCount, type TextChunk } from '../store/textIndex.ts';

/** A chunk of stored items as the conditions read it. */
export type SearchChunk = Pick<TextChunk, 'bytes' | 'used' | 'ends' | 'count'> & { readonly bloom: Uint32Array; readonly group: Int32Array };

/** An item test for one chunk, or null when no item of the chunk can pass. */
export type ChunkMatcher<C> = (chunk: C) => ((i: number) => boolean) | null;

export interface SearchStore<C> {
  readonly chunks: readonly C[];
  readonly groups: readonly { readonly resource: Resource; readonly scope: InstrumentationScope }[];
}

/**
 * `key=value` on an item's attributes (`itemHas` decides for a candidate), or on its
 * resource or scope. Candidates are the items holding the attribute's stored bytes (key,
 * then value, in any of the types the text can stand for), searched only in blocks whose
 * Bloom filter may hold it and only when an item of the block is asked about.
 */
export function attributeCondition<C extends SearchChunk>(store: SearchStore<C>, key: string, value: string, itemHas: (chunk: C, i: number) => boolean): ChunkMatcher<C> {
  const groupHit = Uint8Array.from(store.groups, (g) =>
    hasAttribute(g.resource.attributes, key, value) || hasAttribute(g.scope.attributes, key, value) ? 1 : 0);
  const anyGroup = groupHit.includes(1);
  const frequencies = storedByteFrequencies(store);
  const needles = valueEncodings(value).map((v) => new BytePattern(keyValueTail(key, v), frequencies));
  const hashes = filterHashes(key, value);
  return (chunk) => {
    const searchable = (b: number) => hashes.some((h) => bloomHas(chunk.bloom, b, h));
    if (!anyGroup && !blocksOf(chunk).some(searchable)) return null;
    const candidates = new LazyCandidates(chunk, needles, searchable);
    return (i) => {
      if (groupHit[chunk.group[i]]) return true;
      return candidates.has(i) && itemHas(chunk, i);
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
