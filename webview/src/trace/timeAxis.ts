// Ticks for the waterfall's time axis: round steps (1, 2 or 5 × a power of ten
// nanoseconds) so labels read "0, 20 ms, 40 ms" rather than "0, 18.6 ms".

export interface Ticks {
  step: number;
  values: number[];
}

export function niceTicks(durationNs: number, target = 6): Ticks {
  if (!(durationNs > 0)) return { step: 1, values: [0] };
  const rough = durationNs / target;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const values: number[] = [];
  for (let v = 0; v <= durationNs + step * 1e-9; v += step) values.push(v);
  return { step, values };
}
