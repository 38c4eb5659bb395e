// The order operations are listed in: most calls first, then by name. Comparing names
// with a collator costs about a microsecond each, and a list of a few hundred
// operations with equal counts takes thousands of comparisons: names are ranked once,
// when a name not ranked before appears, and the sort compares ranks.

const collator = new Intl.Collator();
let ranks = new Map<string, number>();

export function sortByCountThenName<T extends { count: number; name: string }>(list: T[]): T[] {
  let unranked = false;
  for (const o of list) if (!ranks.has(o.name)) { unranked = true; break; }
  // Names no longer listed are dropped when they outnumber the listed ones.
  if (unranked || ranks.size > 4 * list.length + 64) {
    const names = new Set(list.map((o) => o.name));
    if (ranks.size <= 4 * list.length + 64) for (const name of ranks.keys()) names.add(name);
    ranks = new Map([...names].sort(collator.compare).map((name, i) => [name, i]));
  }
  return list.sort((a, b) => b.count - a.count || ranks.get(a.name)! - ranks.get(b.name)!);
}
