// Back-links from the disk tier: spans memory evicted that link into a trace. Records
// are searched as stored for the id as their encoding writes it (protobuf: the field's
// tag, length and 16 bytes; OTLP/JSON: 32 hex digits), and only the records that
// contain it are decoded, into a small view the memory search then runs on; a segment
// file without it is passed over after one search. Newest segments first; the answer
// stops at the cap or when the time allowed is spent (`truncated`), as memory's does
// at the cap.

import type { BackLinksResponse } from '../../protocol/api.ts';
import { backLinkKey, collectBackLinks, traceIdOnWire, type LinkTarget } from '../query/backLinks.ts';
import { DISK_QUERY_MS } from './diskQuery.ts';
import type { DiskTier } from './diskTier.ts';
import type { DiskRecord } from './record.ts';
import { SegmentView } from './segmentView.ts';

/** `hot` is memory's answer: it comes first, and the spans it lists are not listed again. */
export function diskBackLinks(tier: DiskTier, target: LinkTarget, hot: BackLinksResponse): BackLinksResponse {
  if (hot.truncated) return hot;
  const { needles, mentions } = wireForms(target);
  const backlinks = [...hot.backlinks];
  const seen = new Set(backlinks.map(backLinkKey));
  const upTo = tier.coldUpTo('traces');
  const deadline = Date.now() + DISK_QUERY_MS;
  const segments = tier.segments;
  for (let s = segments.length - 1; s >= 0; s--) {
    const index = segments[s];
    if (index.firstSeq > upTo || index.signals.traces === 0) continue;
    if (Date.now() > deadline) return { backlinks, truncated: true };
    const matching = tier.recordsContaining(index, 'traces', (seq) => seq <= upTo, needles).filter(mentions);
    if (matching.length && collectBackLinks(new SegmentView(matching).traces, target, backlinks, seen)) return { backlinks, truncated: true };
  }
  return { backlinks, truncated: false };
}

/** The target's id as each encoding writes it, and whether a trace record's bytes contain it as its encoding does (then it may link there). */
function wireForms(target: LinkTarget): { needles: Buffer[]; mentions: (r: DiskRecord) => boolean } {
  const wire = traceIdOnWire(target.key);
  const hex = target.traceId.toLowerCase();
  // The JSON decoder accepts hex ids in either case.
  const json = [Buffer.from(`"${hex}"`), Buffer.from(`"${hex.toUpperCase()}"`)];
  return {
    needles: [wire, ...json],
    mentions: (r) => (r.encoding === 'protobuf' ? r.body.includes(wire) : json.some((id) => r.body.includes(id))),
  };
}
