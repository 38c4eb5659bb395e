import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nodesFromJson } from './cpuprofileNodes.ts';
import { scanCpuProfile } from './cpuprofileScan.ts';
import { decodeProfile } from './decodeProfile.ts';
import { extractNumberArrays, locateNumberArrays } from './jsonNumberArrays.ts';

const encode = (s: string): Uint8Array => new TextEncoder().encode(s);
const KEYS = ['samples', 'timeDeltas'];
const scan = (text: string) => { const bytes = encode(text); return scanCpuProfile(bytes, locateNumberArrays(bytes, KEYS)); };

/** The node table as the JSON route makes it, strings resolved (the two routes number strings differently). */
function viaJson(text: string) {
  const doc = JSON.parse(extractNumberArrays(encode(text), KEYS).rest) as { nodes: unknown[]; startTime?: number; endTime?: number };
  return { ...resolved(nodesFromJson(doc.nodes, (d) => { throw new Error(d); })), startTime: doc.startTime, endTime: doc.endTime };
}

function resolved(t: ReturnType<typeof nodesFromJson>) {
  const { strings, name, url, ...rest } = t;
  return { ...rest, name: name.map((i) => (i < 0 ? null : strings[i])), url: url.map((i) => (i < 0 ? null : strings[i])) };
}

function sameAsJson(text: string): void {
  const got = scan(text);
  assert.ok(got, `scanned: ${text.slice(0, 120)}`);
  assert.deepEqual({ ...resolved(got.nodes), startTime: got.startTime, endTime: got.endTime }, viaJson(text));
}

const frame = (name: string, url = 'file:///a.js', line = 3, column = 4) => ({ functionName: name, scriptId: '12', url, lineNumber: line, columnNumber: column });

test('the node table read from the bytes is the one JSON.parse gives, for the shapes V8 and Chrome write', () => {
  const nodes = [
    { id: 1, callFrame: frame('(root)', '', -1, -1), hitCount: 0, children: [2, 3] },
    { id: 2, callFrame: frame('main'), hitCount: 10, children: [4], positionTicks: [{ line: 4, ticks: 7 }, { line: 9, ticks: 3 }] },
    { id: 3, callFrame: { ...frame('(garbage collector)', ''), codeType: 'other' }, hitCount: 2 },
    { id: 4, callFrame: frame('naïve ünïcode — 漢字 😀', 'file:///dir%20x/b.mjs', 0, 0), hitCount: 1, deoptReason: '', children: [] },
  ];
  sameAsJson(JSON.stringify({ nodes, startTime: 5, endTime: 1e6, samples: [2, 2, 3, 4], timeDeltas: [0, 100, 100, 100] }));
  // Chrome's older form: each node names its parent; whitespace and key order as a person might write them.
  const older = nodes.map(({ children: _c, ...n }, i) => (i === 0 ? n : { ...n, parent: i === 3 ? 2 : 1 }));
  sameAsJson(JSON.stringify({ startTime: 0.5, samples: [2, 3], endTime: 17.25e3, nodes: older }, null, 2));
});

test('escaped strings, fractions and exponents read as JSON.parse reads them', () => {
  const nodes = [
    { id: 1, callFrame: frame('(root)', '', -1, -1), children: [2] },
    { id: 2, callFrame: frame('say "hi"\\\n\t\u0001 \ud83d\ude00 \ud800', 'file:///C:\\dir\\a.js', 1.5, 2e2) },
  ];
  sameAsJson(JSON.stringify({ nodes, samples: [2], timeDeltas: [1] }));
  sameAsJson(`{"nodes":[{"id":1,"callFrame":{"functionName":"a\\u0041\\/","url":"","lineNumber":-0,"columnNumber":1E+2},"x":[true,false,null,{"y":[-1.5e-3]}]}],"samples":[1]}`);
});

test('shapes it does not read are left to JSON.parse, which gives the same profile or says what is wrong', () => {
  const ok = (nodes: string) => `{"nodes":${nodes},"startTime":0,"endTime":10,"samples":[1],"timeDeltas":[1]}`;
  const cases = [
    ok('[{"id":1,"callFrame":{"functionName":null,"url":"","lineNumber":0,"columnNumber":0}}]'), // a name that is not a string
    ok('[{"id":1,"id":1,"callFrame":{"functionName":"f","url":""}}]'), // a key given twice
    ok('[{"\\u0069d":1,"callFrame":{"functionName":"f","url":""}}]'), // an escaped key
    ok('[{"id":1.0,"callFrame":{"functionName":"f","url":""}}]'), // an id written as a fraction
    ok('[{"id":1,"callFrame":{"functionName":"f","url":"","lineNumber":"7"}}]'), // a line that is a string
    '{"nodes":[{"id":1,"callFrame":{"functionName":"f","url":""}}],"samples":[1],"samples":[1]}', // samples twice
    '{"nodes":[{"id":1,"callFrame":{"functionName":"f","url":"","samples":[1]}}],"samples":[1]}', // samples first found inside a node
  ];
  for (const text of cases) {
    assert.equal(scan(text), undefined, text);
    assert.deepEqual(decodeProfile(encode(text)).summary.sampleCount, 1, text);
  }
});

test('broken JSON is never read as a profile', () => {
  const good = JSON.stringify({ nodes: [{ id: 1, callFrame: frame('(root)', '', -1, -1), children: [2] }, { id: 2, callFrame: frame('f') }], startTime: 0, endTime: 9, samples: [2, 2], timeDeltas: [1, 1] });
  assert.ok(scan(good));
  const broken = [
    good.slice(0, -1), good + 'x', good.replace('"f"', '"f'), good.replace('"f"', '"f\u0001"'), good.replace('"f"', '"\\x"'),
    good.replace('"scriptId":"12"', '"scriptId":tru'), good.replace('"scriptId":"12"', '"scriptId":01'), good.replace('},{', '}{'), good.replace('"url"', 'url'),
  ];
  for (const text of broken) {
    assert.equal(scan(text), undefined, text);
    assert.throws(() => decodeProfile(encode(text)), /cpuprofile|unrecognized|JSON/, text);
  }
});
