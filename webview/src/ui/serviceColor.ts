// A service keeps its colour everywhere (list, legend, waterfall): the class is chosen by
// a hash of its name. The colours themselves are in the stylesheet, per theme.

export const SERVICE_COLORS = 10;

export function serviceColorClass(service: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < service.length; i++) hash = Math.imul(hash ^ service.charCodeAt(i), 0x01000193);
  return `svc-${(hash >>> 0) % SERVICE_COLORS}`;
}
