// OTLP profiles decoding from protobuf (ExportProfilesServiceRequest, which has the
// layout of ProfilesData): the resource/scope/profile tree through the shared envelope,
// then the dictionary (field 2) that the profiles' indices point into.

import type {
  OtlpAttribute, OtlpFunction, OtlpLine, OtlpLink, OtlpLocation, OtlpMapping, OtlpProfile, OtlpSample, OtlpValueType,
  ProfilesData, ProfilesDictionary,
} from '../profilesData.ts';
import { emptyDictionary } from '../profilesData.ts';
import { readAnyValue } from './common.ts';
import { readFixed64Decimal } from './decimal.ts';
import { decodeEnvelope, envelope } from './envelope.ts';
import { enter, fieldNames, leave, nested, skipField } from './message.ts';
import { WireReader } from './wire.ts';

// Cases are whole tags: field number << 3 | wire type. Repeated scalars come packed
// (wire type 2) or, from older writers, one by one; both are accepted.

const PROFILES = envelope('ProfilesData', 'ResourceProfiles', 'ScopeProfiles', 'profiles', 'profiles');
// Only field 2 here: the envelope has already checked field 1.
const REQUEST = fieldNames('ExportProfilesServiceRequest', { 2: 'dictionary' });
const DICTIONARY = fieldNames('ProfilesDictionary', {
  1: 'mapping_table', 2: 'location_table', 3: 'function_table', 4: 'link_table', 5: 'string_table', 6: 'attribute_table', 7: 'stack_table',
});
const PROFILE = fieldNames('Profile', {
  1: 'sample_type', 2: 'samples', 3: 'time_unix_nano', 4: 'duration_nano', 5: 'period_type', 6: 'period', 7: 'profile_id',
  8: 'dropped_attributes_count', 9: 'original_payload_format', 10: 'original_payload', 11: 'attribute_indices',
});
const SAMPLE = fieldNames('Sample', { 1: 'stack_index', 2: 'attribute_indices', 3: 'link_index', 4: 'values', 5: 'timestamps_unix_nano' });
const VALUE_TYPE = fieldNames('ValueType', { 1: 'type_strindex', 2: 'unit_strindex' });
const MAPPING = fieldNames('Mapping', { 1: 'memory_start', 2: 'memory_limit', 3: 'file_offset', 4: 'filename_strindex', 5: 'attribute_indices' });
const LOCATION = fieldNames('Location', { 1: 'mapping_index', 2: 'address', 3: 'lines', 4: 'attribute_indices' });
const LINE = fieldNames('Line', { 1: 'function_index', 2: 'line', 3: 'column' });
const FUNCTION = fieldNames('Function', { 1: 'name_strindex', 2: 'system_name_strindex', 3: 'filename_strindex', 4: 'start_line' });
const LINK = fieldNames('Link', { 1: 'trace_id', 2: 'span_id' });
const ATTRIBUTE = fieldNames('KeyValueAndUnit', { 1: 'key_strindex', 2: 'value', 3: 'unit_strindex' });
const STACK = fieldNames('Stack', { 1: 'location_indices' });

export function decodeProfilesRequest(buf: Buffer): ProfilesData {
  const data = decodeEnvelope<ProfilesData>(buf, PROFILES, profileBody);
  // The envelope skipped field 2; a second pass over the top level reads it.
  const r = new WireReader(buf);
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 18) data.dictionary = nested(r, dictionaryBody);
    else skipField(r, tag, REQUEST);
  }
  return data;
}

function dictionaryBody(r: WireReader): ProfilesDictionary {
  const d = emptyDictionary();
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: d.mappingTable.push(nested(r, mappingBody)); break;
      case 18: d.locationTable.push(nested(r, locationBody)); break;
      case 26: d.functionTable.push(nested(r, functionBody)); break;
      case 34: d.linkTable.push(nested(r, linkBody)); break;
      case 42: d.stringTable.push(r.string()); break;
      case 50: d.attributeTable.push(nested(r, attributeBody)); break;
      case 58: d.stackTable.push(nested(r, stackBody)); break;
      default: skipField(r, tag, DICTIONARY);
    }
  }
  return d;
}

function profileBody(r: WireReader): OtlpProfile {
  const p: OtlpProfile = { samples: [], timeUnixNano: '0', durationNano: '0', period: 0, profileId: '', attributeIndices: [] };
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: p.sampleType = nested(r, valueTypeBody); break;
      case 18: p.samples.push(nested(r, sampleBody)); break;
      case 25: p.timeUnixNano = readFixed64Decimal(r); break;
      case 32: p.durationNano = r.uint64String(); break;
      case 42: p.periodType = nested(r, valueTypeBody); break;
      case 48: p.period = Number(r.int64String()); break;
      case 58: p.profileId = r.hex(); break;
      case 88: case 90: int32s(r, tag === 90, p.attributeIndices); break;
      // Known but not shown: dropped_attributes_count, original_payload_format, original_payload.
      case 64: case 74: case 82: r.skip(tag & 7); break;
      default: skipField(r, tag, PROFILE);
    }
  }
  return p;
}

function sampleBody(r: WireReader): OtlpSample {
  const s: OtlpSample = { stackIndex: 0, attributeIndices: [], linkIndex: 0, values: [], timestampsUnixNano: [] };
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 8: s.stackIndex = r.int32(); break;
      case 16: case 18: int32s(r, tag === 18, s.attributeIndices); break;
      case 24: s.linkIndex = r.int32(); break;
      case 32: s.values.push(Number(r.int64String())); break;
      case 34: {
        const outer = enter(r);
        while (r.pos < r.end) s.values.push(Number(r.int64String()));
        leave(r, outer);
        break;
      }
      case 41: s.timestampsUnixNano.push(fixed64Number(r)); break;
      case 42: {
        const outer = enter(r);
        while (r.pos < r.end) s.timestampsUnixNano.push(fixed64Number(r));
        leave(r, outer);
        break;
      }
      default: skipField(r, tag, SAMPLE);
    }
  }
  return s;
}

function valueTypeBody(r: WireReader): OtlpValueType {
  const v: OtlpValueType = { typeStrindex: 0, unitStrindex: 0 };
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 8: v.typeStrindex = r.int32(); break;
      case 16: v.unitStrindex = r.int32(); break;
      default: skipField(r, tag, VALUE_TYPE);
    }
  }
  return v;
}

function mappingBody(r: WireReader): OtlpMapping {
  const m: OtlpMapping = { filenameStrindex: 0, memoryStart: '0' };
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 8: m.memoryStart = r.uint64String(); break;
      case 32: m.filenameStrindex = r.int32(); break;
      // memory_limit, file_offset, attribute_indices (packed or not): not shown.
      case 16: case 24: case 40: case 42: r.skip(tag & 7); break;
      default: skipField(r, tag, MAPPING);
    }
  }
  return m;
}

function locationBody(r: WireReader): OtlpLocation {
  const l: OtlpLocation = { mappingIndex: 0, address: '0', lines: [] };
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 8: l.mappingIndex = r.int32(); break;
      case 16: l.address = r.uint64String(); break;
      case 26: l.lines.push(nested(r, lineBody)); break;
      case 32: case 34: r.skip(tag & 7); break; // attribute_indices: not shown
      default: skipField(r, tag, LOCATION);
    }
  }
  return l;
}

function lineBody(r: WireReader): OtlpLine {
  const l: OtlpLine = { functionIndex: 0, line: 0, column: 0 };
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 8: l.functionIndex = r.int32(); break;
      case 16: l.line = Number(r.int64String()); break;
      case 24: l.column = Number(r.int64String()); break;
      default: skipField(r, tag, LINE);
    }
  }
  return l;
}

function functionBody(r: WireReader): OtlpFunction {
  const f: OtlpFunction = { nameStrindex: 0, systemNameStrindex: 0, filenameStrindex: 0, startLine: 0 };
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 8: f.nameStrindex = r.int32(); break;
      case 16: f.systemNameStrindex = r.int32(); break;
      case 24: f.filenameStrindex = r.int32(); break;
      case 32: f.startLine = Number(r.int64String()); break;
      default: skipField(r, tag, FUNCTION);
    }
  }
  return f;
}

function linkBody(r: WireReader): OtlpLink {
  const l: OtlpLink = { traceId: '', spanId: '' };
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: l.traceId = r.hex(); break;
      case 18: l.spanId = r.hex(); break;
      default: skipField(r, tag, LINK);
    }
  }
  return l;
}

function attributeBody(r: WireReader): OtlpAttribute {
  const a: OtlpAttribute = { keyStrindex: 0, unitStrindex: 0 };
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 8: a.keyStrindex = r.int32(); break;
      case 18: a.value = readAnyValue(r, 1); break;
      case 24: a.unitStrindex = r.int32(); break;
      default: skipField(r, tag, ATTRIBUTE);
    }
  }
  return a;
}

function stackBody(r: WireReader): number[] {
  const locations: number[] = [];
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 8 || tag === 10) int32s(r, tag === 10, locations);
    else skipField(r, tag, STACK);
  }
  return locations;
}

function int32s(r: WireReader, packed: boolean, out: number[]): void {
  if (!packed) {
    out.push(r.int32());
    return;
  }
  const outer = enter(r);
  while (r.pos < r.end) out.push(r.int32());
  leave(r, outer);
}

function fixed64Number(r: WireReader): number {
  const lo = r.fixed32();
  return r.fixed32() * 4294967296 + lo;
}
