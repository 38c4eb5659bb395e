// OTLP/JSON profiles decoding (an ExportProfilesServiceRequest body): the resource tree
// through the shared envelope, and the dictionary beside it.

import type {
  OtlpAttribute, OtlpFunction, OtlpLine, OtlpLink, OtlpLocation, OtlpMapping, OtlpProfile, OtlpSample, OtlpValueType,
  ProfilesData, ProfilesDictionary,
} from '../profilesData.ts';
import { emptyDictionary } from '../profilesData.ts';
import { anyValue } from './common.ts';
import { envelopeOf } from './envelope.ts';
import {
  arrayField, asObject, fail, hexIdField, int32Field, type Json, mapMessages, messageField, optionalInt64Field, type Path,
  toInt64String, toInteger32, uint64Field,
} from './fields.ts';
import { parseOtlpJson } from './parse.ts';

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

export function decodeProfilesJson(text: string): ProfilesData {
  const root = asObject(parseOtlpJson(text), []);
  const data = envelopeOf<ProfilesData>(root, { resource: 'resourceProfiles', scope: 'scopeProfiles', items: 'profiles' }, readProfile);
  const dictionary = messageField(root, 'dictionary', [], readDictionary);
  if (dictionary) data.dictionary = dictionary;
  return data;
}

function readDictionary(o: Json, path: Path): ProfilesDictionary {
  const d = emptyDictionary();
  d.mappingTable = mapMessages(o, 'mappingTable', path, readMapping) ?? [];
  d.locationTable = mapMessages(o, 'locationTable', path, readLocation) ?? [];
  d.functionTable = mapMessages(o, 'functionTable', path, readFunction) ?? [];
  d.linkTable = mapMessages(o, 'linkTable', path, readLink) ?? [];
  d.attributeTable = mapMessages(o, 'attributeTable', path, readAttribute) ?? [];
  d.stackTable = mapMessages(o, 'stackTable', path, (s, p) => int32s(s, 'locationIndices', p)) ?? [];
  d.stringTable = (arrayField(o, 'stringTable', path) ?? []).map((v, i) => (typeof v === 'string' ? v : fail(path, 'stringTable', 'expected a string', i)));
  return d;
}

function readProfile(o: Json, path: Path): OtlpProfile {
  const p: OtlpProfile = {
    samples: mapMessages(o, 'samples', path, readSample) ?? [],
    timeUnixNano: uint64Field(o, 'timeUnixNano', path),
    durationNano: uint64Field(o, 'durationNano', path),
    period: Number(optionalInt64Field(o, 'period', path) ?? 0),
    profileId: hexIdField(o, 'profileId', path),
    attributeIndices: int32s(o, 'attributeIndices', path),
  };
  const sampleType = messageField(o, 'sampleType', path, readValueType);
  if (sampleType) p.sampleType = sampleType;
  const periodType = messageField(o, 'periodType', path, readValueType);
  if (periodType) p.periodType = periodType;
  return p;
}

function readSample(o: Json, path: Path): OtlpSample {
  return {
    stackIndex: int32Field(o, 'stackIndex', path),
    attributeIndices: int32s(o, 'attributeIndices', path),
    linkIndex: int32Field(o, 'linkIndex', path),
    values: (arrayField(o, 'values', path) ?? []).map((v, i) => Number(toInt64String(v, true, path, 'values', i))),
    timestampsUnixNano: (arrayField(o, 'timestampsUnixNano', path) ?? []).map((v, i) => Number(toInt64String(v, false, path, 'timestampsUnixNano', i))),
  };
}

function readValueType(o: Json, path: Path): OtlpValueType {
  return { typeStrindex: int32Field(o, 'typeStrindex', path), unitStrindex: int32Field(o, 'unitStrindex', path) };
}

function readMapping(o: Json, path: Path): OtlpMapping {
  return { filenameStrindex: int32Field(o, 'filenameStrindex', path), memoryStart: uint64Field(o, 'memoryStart', path) };
}

function readLocation(o: Json, path: Path): OtlpLocation {
  return {
    mappingIndex: int32Field(o, 'mappingIndex', path),
    address: uint64Field(o, 'address', path),
    lines: mapMessages(o, 'lines', path, readLine) ?? [],
  };
}

function readLine(o: Json, path: Path): OtlpLine {
  return {
    functionIndex: int32Field(o, 'functionIndex', path),
    line: Number(optionalInt64Field(o, 'line', path) ?? 0),
    column: Number(optionalInt64Field(o, 'column', path) ?? 0),
  };
}

function readFunction(o: Json, path: Path): OtlpFunction {
  return {
    nameStrindex: int32Field(o, 'nameStrindex', path),
    systemNameStrindex: int32Field(o, 'systemNameStrindex', path),
    filenameStrindex: int32Field(o, 'filenameStrindex', path),
    startLine: Number(optionalInt64Field(o, 'startLine', path) ?? 0),
  };
}

function readLink(o: Json, path: Path): OtlpLink {
  return { traceId: hexIdField(o, 'traceId', path), spanId: hexIdField(o, 'spanId', path) };
}

function readAttribute(o: Json, path: Path): OtlpAttribute {
  const a: OtlpAttribute = { keyStrindex: int32Field(o, 'keyStrindex', path), unitStrindex: int32Field(o, 'unitStrindex', path) };
  const value = messageField(o, 'value', path, (v, p) => anyValue(v, p, 1));
  if (value) a.value = value;
  return a;
}

function int32s(o: Json, key: string, path: Path): number[] {
  return (arrayField(o, key, path) ?? []).map((v, i) => toInteger32(v, INT32_MIN, INT32_MAX, path, key, i));
}
