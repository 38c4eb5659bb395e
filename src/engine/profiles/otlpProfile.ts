// One OTLP profile (with the request's dictionary) → the compact profile. Stacks list
// locations leaf first and a location's lines innermost first, as pprof does; links
// become `trace_id`/`span_id` labels, attributes become labels. A bad index rejects the
// one profile that holds it (counted in partial_success), not the whole request.

import type { AnyValue, Resource } from '../../protocol/otlp.ts';
import type { CompactProfile, SampleType } from '../../protocol/profile.ts';
import { FrameKind } from '../../protocol/profile.ts';
import type { OtlpProfile, OtlpValueType, ProfilesDictionary } from '../otlp/profilesData.ts';
import { serviceNameOf } from '../store/serviceName.ts';
import { ProfileBuilder } from './profileBuilder.ts';

/** A profile that cannot be read: the message says which index points nowhere. */
export class InvalidProfileError extends Error {
  override name = 'InvalidProfileError';
}

const ZERO_TRACE = /^0*$/;

export function compactOtlpProfile(profile: OtlpProfile, dictionary: ProfilesDictionary, resource: Resource): CompactProfile {
  const d = dictionary;
  const str = (i: number, what: string): string => {
    if (!(i >= 0 && i < d.stringTable.length)) throw new InvalidProfileError(`${what} names string ${i}, but the string table has ${d.stringTable.length}`);
    return d.stringTable[i];
  };
  const valueType = (v: OtlpValueType | undefined, what: string): SampleType | undefined =>
    v && { type: str(v.typeStrindex, what), unit: str(v.unitStrindex, what) };
  const sampleType = valueType(profile.sampleType, 'sample_type');
  const builder = new ProfileBuilder({
    format: 'otlp',
    sampleTypes: [sampleType && sampleType.type ? sampleType : { type: 'samples', unit: 'count' }],
    defaultSampleType: 0,
    startTimeUnixNano: profile.timeUnixNano,
    durationNanos: profile.durationNano,
    service: serviceNameOf(resource),
    periodType: valueType(profile.periodType, 'period_type'),
    period: profile.period || undefined,
  });

  // Frames of each location, root first; built once per location the profile uses.
  const locationFrames = new Map<number, number[]>();
  const framesOf = (index: number): number[] => {
    let frames = locationFrames.get(index);
    if (frames) return frames;
    const location = d.locationTable[index];
    if (!location) throw new InvalidProfileError(`a stack names location ${index}, but the location table has ${d.locationTable.length}`);
    frames = [];
    for (let l = location.lines.length - 1; l >= 0; l--) {
      const line = location.lines[l];
      const fn = d.functionTable[line.functionIndex];
      if (!fn) throw new InvalidProfileError(`location ${index} names function ${line.functionIndex}, but the function table has ${d.functionTable.length}`);
      const name = str(fn.nameStrindex, `function ${line.functionIndex}`) || str(fn.systemNameStrindex, `function ${line.functionIndex}`);
      frames.push(builder.frame({
        function: name || `(unnamed function ${line.functionIndex})`,
        file: str(fn.filenameStrindex, `function ${line.functionIndex}`),
        line: Math.max(0, line.line),
        column: Math.max(0, line.column),
        kind: FrameKind.Code,
      }));
    }
    if (frames.length === 0) {
      const mapping = d.mappingTable[location.mappingIndex];
      const file = mapping ? str(mapping.filenameStrindex, `mapping ${location.mappingIndex}`) : '';
      const address = `0x${BigInt(location.address).toString(16)}`;
      frames.push(builder.frame({ function: file ? `${file.slice(file.lastIndexOf('/') + 1)} ${address}` : address, file, line: 0, column: 0, kind: FrameKind.Native }));
    }
    locationFrames.set(index, frames);
    return frames;
  };

  const stackIds = new Map<number, number>();
  const rootFirst: number[] = [];
  const value = [0];
  profile.samples.forEach((sample, i) => {
    let stack = stackIds.get(sample.stackIndex);
    if (stack === undefined) {
      const locations = d.stackTable[sample.stackIndex];
      if (!locations) throw new InvalidProfileError(`sample ${i} names stack ${sample.stackIndex}, but the stack table has ${d.stackTable.length}`);
      rootFirst.length = 0;
      for (let l = locations.length - 1; l >= 0; l--) for (const f of framesOf(locations[l])) rootFirst.push(f);
      stack = builder.stackOf(rootFirst);
      stackIds.set(sample.stackIndex, stack);
    }
    const labels = labelsOf(sample.attributeIndices, sample.linkIndex, d, str, i);
    const { values, timestampsUnixNano: times } = sample;
    if (values.length === 0 && times.length === 0) throw new InvalidProfileError(`sample ${i} has neither values nor timestamps`);
    if (values.length > 0 && times.length > 0 && values.length !== times.length) {
      throw new InvalidProfileError(`sample ${i} has ${values.length} values but ${times.length} timestamps`);
    }
    // Timestamps alone count 1 each; values alone are totals without a time.
    const n = Math.max(values.length, times.length);
    for (let k = 0; k < n; k++) {
      value[0] = values.length ? values[k] : 1;
      builder.sample(stack, value, times.length ? times[k] / 1e6 : undefined, labels);
    }
  });
  return builder.finish();
}

function labelsOf(attributeIndices: number[], linkIndex: number, d: ProfilesDictionary, str: (i: number, what: string) => string, sample: number): string[] | undefined {
  if (attributeIndices.length === 0 && linkIndex === 0) return undefined;
  const labels: string[] = [];
  for (const a of attributeIndices) {
    const attribute = d.attributeTable[a];
    if (!attribute) throw new InvalidProfileError(`sample ${sample} names attribute ${a}, but the attribute table has ${d.attributeTable.length}`);
    const unit = attribute.unitStrindex ? str(attribute.unitStrindex, `attribute ${a}`) : '';
    const text = anyValueText(attribute.value);
    labels.push(str(attribute.keyStrindex, `attribute ${a}`), unit ? `${text} ${unit}` : text);
  }
  if (linkIndex !== 0) {
    const link = d.linkTable[linkIndex];
    if (!link) throw new InvalidProfileError(`sample ${sample} names link ${linkIndex}, but the link table has ${d.linkTable.length}`);
    if (link.traceId && !ZERO_TRACE.test(link.traceId)) labels.push('trace_id', link.traceId);
    if (link.spanId && !ZERO_TRACE.test(link.spanId)) labels.push('span_id', link.spanId);
  }
  return labels.length ? labels : undefined;
}

function anyValueText(v: AnyValue | undefined): string {
  if (!v) return '';
  if ('stringValue' in v) return String(v.stringValue);
  if ('intValue' in v) return String(v.intValue);
  if ('doubleValue' in v) return String(v.doubleValue);
  if ('boolValue' in v) return String(v.boolValue);
  return JSON.stringify(v);
}
