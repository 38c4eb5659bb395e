// OTLP profiles (opentelemetry/proto/profiles/v1development) as both decoders produce
// them: the request's resource/scope/profile tree plus the dictionary its indices point
// into. Indices are kept as sent; ingest checks them when it builds the compact profile.
// 64-bit counts and times are doubles here (exact to 2^53; times to a fraction of a µs).

import type { AnyValue, InstrumentationScope, Resource } from '../../protocol/otlp.ts';

export interface ProfilesData {
  resourceProfiles?: ResourceProfiles[];
  dictionary?: ProfilesDictionary;
}

export interface ResourceProfiles {
  resource?: Resource;
  scopeProfiles?: ScopeProfiles[];
  schemaUrl?: string;
}

export interface ScopeProfiles {
  scope?: InstrumentationScope;
  profiles?: OtlpProfile[];
  schemaUrl?: string;
}

export interface ProfilesDictionary {
  mappingTable: OtlpMapping[];
  locationTable: OtlpLocation[];
  functionTable: OtlpFunction[];
  linkTable: OtlpLink[];
  stringTable: string[];
  attributeTable: OtlpAttribute[];
  stackTable: number[][];
}

export interface OtlpValueType {
  typeStrindex: number;
  unitStrindex: number;
}

export interface OtlpProfile {
  sampleType?: OtlpValueType;
  samples: OtlpSample[];
  timeUnixNano: string;
  durationNano: string;
  periodType?: OtlpValueType;
  period: number;
  /** Lowercase hex; "" when absent. */
  profileId: string;
  attributeIndices: number[];
}

export interface OtlpSample {
  stackIndex: number;
  attributeIndices: number[];
  linkIndex: number;
  values: number[];
  timestampsUnixNano: number[];
}

export interface OtlpMapping {
  filenameStrindex: number;
  memoryStart: string;
}

export interface OtlpLocation {
  mappingIndex: number;
  /** uint64 as a decimal string. */
  address: string;
  lines: OtlpLine[];
}

export interface OtlpLine {
  functionIndex: number;
  line: number;
  column: number;
}

export interface OtlpFunction {
  nameStrindex: number;
  systemNameStrindex: number;
  filenameStrindex: number;
  startLine: number;
}

export interface OtlpLink {
  /** Lowercase hex. */
  traceId: string;
  spanId: string;
}

export interface OtlpAttribute {
  keyStrindex: number;
  value?: AnyValue;
  unitStrindex: number;
}

export function emptyDictionary(): ProfilesDictionary {
  return { mappingTable: [], locationTable: [], functionTable: [], linkTable: [], stringTable: [], attributeTable: [], stackTable: [] };
}
