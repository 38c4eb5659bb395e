// An ExportProfilesServiceRequest written from its OTLP/JSON form, so tests send the very
// same request as JSON and as protobuf. The protobuf side is written field by field from
// profiles.proto (v1development) with the engine's ProtoWriter, independent of the decoder.

import { WireType } from '../protobuf/wire.ts';
import { ProtoWriter } from '../protobuf/writer.ts';

type J = Record<string, any>;

export function profilesRequestProtobuf(request: J): Buffer {
  const w = new ProtoWriter();
  for (const rp of request.resourceProfiles ?? []) message(w, 1, () => resourceProfiles(w, rp));
  if (request.dictionary) message(w, 2, () => dictionary(w, request.dictionary));
  return w.finish();
}

function message(w: ProtoWriter, field: number, body: () => void): void {
  w.message(field, body);
}

function varint(w: ProtoWriter, field: number, v: number | string | undefined): void {
  if (v === undefined || v === 0 || v === '0') return;
  w.tag(field, WireType.Varint);
  w.varint64Decimal(String(v));
}

function int32(w: ProtoWriter, field: number, v: number | undefined): void {
  if (!v) return;
  w.tag(field, WireType.Varint);
  w.int32(v);
}

function str(w: ProtoWriter, field: number, v: string | undefined): void {
  if (!v) return;
  w.tag(field, WireType.LengthDelimited);
  w.string(v);
}

function packedInt32(w: ProtoWriter, field: number, list: number[] | undefined): void {
  if (!list?.length) return;
  message(w, field, () => list.forEach((v) => w.int32(v)));
}

function resourceProfiles(w: ProtoWriter, rp: J): void {
  if (rp.resource) message(w, 1, () => (rp.resource.attributes ?? []).forEach((kv: J) => message(w, 1, () => keyValue(w, kv))));
  for (const sp of rp.scopeProfiles ?? []) {
    message(w, 2, () => {
      if (sp.scope) message(w, 1, () => str(w, 1, sp.scope.name));
      for (const p of sp.profiles ?? []) message(w, 2, () => profile(w, p));
    });
  }
}

function keyValue(w: ProtoWriter, kv: J): void {
  str(w, 1, kv.key);
  message(w, 2, () => anyValue(w, kv.value));
}

function anyValue(w: ProtoWriter, v: J): void {
  if ('stringValue' in v) { w.tag(1, WireType.LengthDelimited); w.string(v.stringValue); }
  if ('intValue' in v) { w.tag(3, WireType.Varint); w.varint64Decimal(String(v.intValue)); }
}

function valueType(w: ProtoWriter, field: number, v: J | undefined): void {
  if (v) message(w, field, () => { int32(w, 1, v.typeStrindex); int32(w, 2, v.unitStrindex); });
}

function profile(w: ProtoWriter, p: J): void {
  valueType(w, 1, p.sampleType);
  for (const s of p.samples ?? []) {
    message(w, 2, () => {
      int32(w, 1, s.stackIndex);
      packedInt32(w, 2, s.attributeIndices);
      int32(w, 3, s.linkIndex);
      if (s.values?.length) message(w, 4, () => s.values.forEach((v: number | string) => w.varint64Decimal(String(v))));
      if (s.timestampsUnixNano?.length) message(w, 5, () => s.timestampsUnixNano.forEach((t: string) => w.fixed64Decimal(t)));
    });
  }
  if (p.timeUnixNano) { w.tag(3, WireType.Fixed64); w.fixed64Decimal(p.timeUnixNano); }
  varint(w, 4, p.durationNano);
  valueType(w, 5, p.periodType);
  varint(w, 6, p.period);
  if (p.profileId) { w.tag(7, WireType.LengthDelimited); w.hexBytes(p.profileId); }
  packedInt32(w, 11, p.attributeIndices);
}

function dictionary(w: ProtoWriter, d: J): void {
  for (const m of d.mappingTable ?? []) message(w, 1, () => { varint(w, 1, m.memoryStart); int32(w, 4, m.filenameStrindex); });
  for (const l of d.locationTable ?? []) {
    message(w, 2, () => {
      int32(w, 1, l.mappingIndex);
      varint(w, 2, l.address);
      for (const line of l.lines ?? []) message(w, 3, () => { int32(w, 1, line.functionIndex); varint(w, 2, line.line); varint(w, 3, line.column); });
    });
  }
  for (const f of d.functionTable ?? []) {
    message(w, 3, () => { int32(w, 1, f.nameStrindex); int32(w, 2, f.systemNameStrindex); int32(w, 3, f.filenameStrindex); varint(w, 4, f.startLine); });
  }
  for (const l of d.linkTable ?? []) {
    message(w, 4, () => {
      if (l.traceId) { w.tag(1, WireType.LengthDelimited); w.hexBytes(l.traceId); }
      if (l.spanId) { w.tag(2, WireType.LengthDelimited); w.hexBytes(l.spanId); }
    });
  }
  // string_table[0] is "" and must be present, so strings are written even when empty.
  for (const s of d.stringTable ?? []) { w.tag(5, WireType.LengthDelimited); w.string(s); }
  for (const a of d.attributeTable ?? []) {
    message(w, 6, () => { int32(w, 1, a.keyStrindex); if (a.value) message(w, 2, () => anyValue(w, a.value)); int32(w, 3, a.unitStrindex); });
  }
  for (const s of d.stackTable ?? []) message(w, 7, () => packedInt32(w, 1, s.locationIndices));
}

/** A CPU profile of service "checkout": inlined frames, an unsymbolized frame, a link and an attribute. */
export function sampleProfilesRequest(): J {
  return {
    resourceProfiles: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] },
      scopeProfiles: [{
        scope: { name: 'otel-profiler' },
        profiles: [
          {
            sampleType: { typeStrindex: 1, unitStrindex: 2 },
            timeUnixNano: '1700000000000000000',
            durationNano: '10000000000',
            periodType: { typeStrindex: 1, unitStrindex: 2 },
            period: '10000000',
            profileId: '0102030405060708090a0b0c0d0e0f10',
            samples: [
              { stackIndex: 1, values: ['10'] },
              { stackIndex: 2, values: ['30', '20'], timestampsUnixNano: ['1700000000100000000', '1700000000200000000'], linkIndex: 1, attributeIndices: [1] },
              { stackIndex: 3, timestampsUnixNano: ['1700000000300000000'] },
            ],
          },
          // Names a stack the dictionary does not have: rejected on its own.
          { sampleType: { typeStrindex: 1, unitStrindex: 2 }, samples: [{ stackIndex: 99, values: ['1'] }] },
        ],
      }],
    }],
    dictionary: {
      mappingTable: [{}, { filenameStrindex: 9, memoryStart: '4096' }],
      locationTable: [
        {},
        { lines: [{ functionIndex: 1, line: '10' }] },
        { lines: [{ functionIndex: 2, line: '20', column: '3' }] },
        { lines: [{ functionIndex: 4, line: '5' }, { functionIndex: 3, line: '30' }] },
        { mappingIndex: 1, address: '4660' },
      ],
      functionTable: [
        {},
        { nameStrindex: 3, filenameStrindex: 6, startLine: '8' },
        { nameStrindex: 4, filenameStrindex: 6 },
        { nameStrindex: 5, filenameStrindex: 6 },
        { nameStrindex: 10, filenameStrindex: 6 },
      ],
      linkTable: [{}, { traceId: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', spanId: 'bbbbbbbbbbbbbbbb' }],
      stringTable: ['', 'cpu', 'nanoseconds', 'main', 'handle', 'parse', 'app.go', 'thread.name', 'worker-1', '/lib/libc.so.6', 'inlinedHelper'],
      attributeTable: [{}, { keyStrindex: 7, value: { stringValue: 'worker-1' } }],
      stackTable: [{}, { locationIndices: [2, 1] }, { locationIndices: [3, 2, 1] }, { locationIndices: [4, 3, 2, 1] }],
    },
  };
}
