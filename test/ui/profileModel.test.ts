// The flame graph's layout math: stacks merged by function, left-heavy order, the
// per-function figures of the top table, search shares, sandwich halves, time order and
// the diff's widths and colours.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { change, changeColour, unifyFunctions } from '../../webview/src/profiles/model/diff.ts';
import { boxAt, layoutTree, pathTo, type FlameLayout } from '../../webview/src/profiles/model/flameLayout.ts';
import { functionFigures, matchedWeight, matchFunctions } from '../../webview/src/profiles/model/functionTotals.ts';
import { functionTable } from '../../webview/src/profiles/model/functions.ts';
import { ProfileModel } from '../../webview/src/profiles/model/profileModel.ts';
import { labelSummary, stackWeights } from '../../webview/src/profiles/model/sampleFilter.ts';
import { timeOrderLayout } from '../../webview/src/profiles/model/timeOrder.ts';
import { diffTree } from '../../webview/src/profiles/model/trees.ts';
import { compactProfile } from '../../src/shared/profile/testSupport/compactFixture.ts';

/** Each box as `depth name start+width`, in layout order. */
function boxes(l: FlameLayout, names: readonly string[]): string[] {
  return Array.from({ length: l.count }, (_, b) => `${l.depth[b]} ${l.func[b] < 0 ? 'all' : names[l.func[b]]} ${l.start[b]}+${l.width[b]}`);
}

const shop = compactProfile([
  { stack: ['main', 'serve', 'parse@parse.go:12'], values: 10 },
  { stack: ['main', 'serve', 'render'], values: 30 },
  { stack: ['main', 'serve'], values: 5 },
  { stack: ['main', 'gc'], values: 20 },
  // The same function at another line merges with the first `parse`.
  { stack: ['main', 'serve', 'parse@parse.go:40'], values: 15 },
  // Recursion: `walk` twice on one stack.
  { stack: ['main', 'walk', 'walk', 'leaf'], values: 8 },
]);

describe('the flame graph layout', () => {
  const m = new ProfileModel(shop, 0);
  const l = m.flame();
  const names = m.fns.name;

  it('merges stacks by function and puts the widest child leftmost', () => {
    assert.deepEqual(boxes(l, names), [
      '0 all 0+88', '1 main 0+88', '2 serve 0+60', '3 render 0+30', '3 parse 30+25',
      '2 gc 60+20', '2 walk 80+8', '3 walk 80+8', '4 leaf 80+8',
    ]);
  });

  it('keeps a function seen at two lines as one function', () => {
    assert.equal(names.filter((n) => n === 'parse').length, 1);
    assert.equal(l.total[boxAt(l, 3, 31)], 25);
  });

  it('lists each row in x order for hit testing, and paths lead back to the root', () => {
    for (const row of l.rows) for (let i = 1; i < row.length; i++) assert.ok(l.start[row[i]] > l.start[row[i - 1]]);
    assert.equal(names[l.func[boxAt(l, 2, 65)]], 'gc');
    assert.equal(boxAt(l, 3, 70), -1, 'nothing above gc');
    assert.deepEqual(pathTo(l, boxAt(l, 4, 81)).map((b) => (l.func[b] < 0 ? 'all' : names[l.func[b]])), ['all', 'main', 'walk', 'walk', 'leaf']);
  });

  it('counts self and total per function, total once per stack under recursion (as pprof -cum)', () => {
    const fig = functionFigures(l, m.fns.count);
    const f = (name: string) => names.indexOf(name);
    assert.deepEqual([fig.self[f('serve')], fig.total[f('serve')]], [5, 60]);
    assert.deepEqual([fig.self[f('walk')], fig.total[f('walk')]], [0, 8]);
    assert.deepEqual([fig.self[f('main')], fig.total[f('main')]], [0, 88]);
    assert.deepEqual([fig.self[f('parse')], fig.total[f('parse')]], [25, 25]);
  });

  it('sums what a search matches once per stack, and says when the pattern is not a regex', () => {
    const byRegex = matchFunctions(names, '^(serve|render)$');
    assert.equal(byRegex.count, 2);
    assert.equal(matchedWeight(l, m.fns.count, byRegex.matches), 60, 'render is inside serve: counted once');
    const walkOnly = matchFunctions(names, 'walk');
    assert.equal(matchedWeight(l, m.fns.count, walkOnly.matches), 8);
    const broken = matchFunctions(names, 'parse(');
    assert.match(broken.error ?? '', /not a regular expression/);
    assert.equal(broken.count, 0);
  });
});

describe('the sandwich', () => {
  const p = compactProfile([
    { stack: ['main', 'a', 'db', 'read'], values: 4 },
    { stack: ['main', 'b', 'db', 'write'], values: 6 },
    { stack: ['main', 'b', 'db'], values: 1 },
    { stack: ['main', 'db', 'db', 'read'], values: 2 },
  ]);
  const m = new ProfileModel(p, 0);
  const names = m.fns.name;
  const db = names.indexOf('db');

  it('merges what the function calls under it, recursion counted once', () => {
    assert.deepEqual(boxes(m.callees(db), names), ['0 all 0+13', '1 db 0+13', '2 write 0+6', '2 read 6+4', '2 db 10+2', '3 read 10+2']);
  });

  it('lists its callers below it, weighted by the time inside it', () => {
    assert.deepEqual(boxes(m.callers(db), names), ['0 all 0+13', '1 db 0+13', '2 b 0+7', '3 main 0+7', '2 a 7+4', '3 main 7+4', '2 main 11+2']);
  });
});

describe('time order', () => {
  it('draws samples in time order and joins a frame that stays on the stack', () => {
    const p = compactProfile([
      { stack: ['main', 'b'], values: 1, timeMs: 30 },
      { stack: ['main', 'a'], values: 1, timeMs: 10 },
      { stack: ['main', 'a'], values: 2, timeMs: 20 },
      { stack: ['(idle)'], values: 1, timeMs: 40 },
    ]);
    const fns = functionTable(p);
    assert.deepEqual(boxes(timeOrderLayout(p, fns, 0), fns.name), ['0 all 0+5', '1 main 0+4', '2 a 0+3', '2 b 3+1', '1 (idle) 4+1']);
  });
});

describe('labels', () => {
  it('lists label values and keeps only matching samples when filtered', () => {
    const p = compactProfile([
      { stack: ['main', 'a'], values: 3, labels: { thread: 'worker-1', span_id: 'aaaa' } },
      { stack: ['main', 'b'], values: 5, labels: { thread: 'worker-2' } },
      { stack: ['main', 'a'], values: 7, labels: { thread: 'worker-1' } },
    ]);
    assert.deepEqual(labelSummary(p).map((l) => [l.key, l.values.map((v) => `${v.value}:${v.samples}`)]), [['span_id', ['aaaa:1']], ['thread', ['worker-1:2', 'worker-2:1']]]);
    const m = new ProfileModel(p, 0, { key: 'thread', value: 'worker-1' });
    assert.equal(m.flame().grandTotal, 10);
    m.choose(0, { key: 'span_id', value: 'aaaa' });
    assert.equal(m.flame().grandTotal, 3);
    m.choose(0, undefined);
    assert.equal(m.flame().grandTotal, 15);
  });

  it('picks the sample type', () => {
    const p = compactProfile([{ stack: ['main', 'alloc'], values: [2, 4096] }, { stack: ['main', 'free'], values: [1, 10] }],
      { sampleTypes: [{ type: 'alloc_objects', unit: 'count' }, { type: 'alloc_space', unit: 'bytes' }] });
    assert.deepEqual(Array.from(stackWeights(p, 1)).filter(Boolean), [4096, 10]);
    assert.equal(new ProfileModel(p, 1).flame().grandTotal, 4106);
  });
});

describe('the diff', () => {
  const before = compactProfile([{ stack: ['main', 'slow'], values: 80 }, { stack: ['main', 'gone'], values: 20 }]);
  const after = compactProfile([{ stack: ['main', 'slow'], values: 30 }, { stack: ['main', 'new'], values: 50 }]);
  const fa = functionTable(before), fb = functionTable(after);
  const u = unifyFunctions(fa, fb);
  const l = layoutTree(diffTree(u.table.count, [
    { p: before, fns: u.a, weights: stackWeights(before, 0) },
    { p: after, fns: u.b, weights: stackWeights(after, 0) },
  ]), u.table.name);

  it('makes each box as wide as the larger side, so children always fit', () => {
    assert.deepEqual(boxes(l, u.table.name), ['0 all 0+150', '1 main 0+150', '2 slow 0+80', '2 new 80+50', '2 gone 130+20']);
    const at = (name: string) => l.func.indexOf(u.table.name.indexOf(name));
    assert.deepEqual([l.baseTotal![at('slow')], l.total[at('slow')]], [80, 30]);
    assert.deepEqual([l.baseTotal![at('new')], l.total[at('new')]], [0, 50]);
  });

  it('colours by the change: blue for less, orange-red for more, grey for the same', () => {
    assert.equal(change(80, 30), -50 / 80);
    assert.equal(change(0, 50), 1);
    assert.equal(change(10, 10), 0);
    assert.equal(change(50, 100, 2), 0, 'scaled base');
    assert.equal(changeColour(0), 'rgb(190,190,190)');
    assert.equal(changeColour(-1), 'rgb(33,102,172)');
    assert.equal(changeColour(1), 'rgb(214,96,77)');
    const [r, , b] = changeColour(-0.25).match(/\d+/g)!.map(Number);
    assert.ok(b > r, 'a decrease leans blue');
  });
});
