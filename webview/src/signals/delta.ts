// How a change against the baseline reads: latencies and traffic as a percentage
// ("+35 %"), counts that multiplied as a factor ("×3"), and whether the change is bad.

export interface Delta {
  text: string;
  /** worse: slower, more errors; better: the reverse; same: within noise. */
  tone: 'worse' | 'better' | 'same' | 'none';
}

const NONE: Delta = { text: '', tone: 'none' };

/**
 * `higherIsWorse` for latency and errors; traffic is neither (tone 'same').
 * Changes under 5 % read as unchanged, so noise does not light up the table.
 */
export function delta(current: number | null | undefined, baseline: number | null | undefined, higherIsWorse: boolean | undefined, asFactor = false): Delta {
  if (current === null || current === undefined || baseline === null || baseline === undefined) return NONE;
  if (baseline === 0) return current === 0 ? { text: '±0', tone: 'same' } : { text: 'new', tone: higherIsWorse === undefined ? 'same' : higherIsWorse ? 'worse' : 'better' };
  const ratio = current / baseline;
  const tone: Delta['tone'] = Math.abs(ratio - 1) < 0.05 || higherIsWorse === undefined ? 'same' : (ratio > 1) === higherIsWorse ? 'worse' : 'better';
  if (asFactor && (ratio >= 2 || ratio <= 0.5)) {
    const factor = ratio >= 2 ? ratio : 1 / ratio;
    const shown = factor >= 10 ? Math.round(factor).toString() : factor.toFixed(1).replace(/\.0$/, '');
    return { text: ratio >= 2 ? `×${shown}` : `÷${shown}`, tone };
  }
  const percent = (ratio - 1) * 100;
  const rounded = Math.abs(percent) >= 10 ? Math.round(percent) : Math.round(percent * 10) / 10;
  return { text: `${rounded > 0 ? '+' : rounded < 0 ? '−' : '±'}${Math.abs(rounded)} %`, tone };
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms === 0) return '0';
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

export function formatRate(perSecond: number): string {
  if (perSecond === 0) return '0/s';
  if (perSecond < 0.1) return `${(perSecond * 60).toFixed(1)}/min`;
  if (perSecond < 10) return `${perSecond.toFixed(2)}/s`;
  return `${Math.round(perSecond)}/s`;
}

export function formatPercent(fraction: number): string {
  const p = fraction * 100;
  return p === 0 ? '0 %' : p < 0.1 ? '<0.1 %' : p < 10 ? `${p.toFixed(1)} %` : `${Math.round(p)} %`;
}
