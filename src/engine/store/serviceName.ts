// The service a resource belongs to, as every store files its data under it.

import type { Resource } from '../../protocol/otlp.ts';

/** `service.name`, or the SDKs' own fallback when the resource has none. */
export function serviceNameOf(resource: Resource): string {
  for (const kv of resource.attributes ?? []) {
    if (kv.key === 'service.name' && kv.value && 'stringValue' in kv.value) return kv.value.stringValue as string;
  }
  return 'unknown_service';
}
