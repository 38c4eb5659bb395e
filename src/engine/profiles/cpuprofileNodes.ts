// A .cpuprofile's "nodes" as columns: what the decoder needs of each node, whether it
// was read from the bytes directly (cpuprofileScan.ts, for large files) or from the
// objects JSON.parse made (here, for anything that scanner leaves alone). One shape, so
// the decoder after it has one path and both routes give the same profile.

import { isObject, type JsonObject } from './jsonFields.ts';

export interface NodeTable {
  count: number;
  ids: number[];
  /** Each node's `parent` id (older Chrome profiles name it), NaN where it has none. */
  parents: number[] | undefined;
  /** Node k's children ids are childIds[childStart[k] … childStart[k + 1]). */
  childStart: number[];
  childIds: number[];
  /** Indices into `strings`; -1 where a node has no callFrame. */
  name: number[];
  url: number[];
  /** As V8 writes them (0-based, -1 unknown); NaN where not a number. */
  line: number[];
  column: number[];
  strings: string[];
}

/** The table of `nodes` as JSON.parse made them; `fail` says what is wrong with a node. */
export function nodesFromJson(nodes: unknown[], fail: (detail: string) => never): NodeTable {
  const strings: string[] = [];
  const stringIds = new Map<string, number>();
  const intern = (s: string): number => {
    let id = stringIds.get(s);
    if (id === undefined) stringIds.set(s, (id = strings.push(s) - 1));
    return id;
  };
  const table: NodeTable = { count: nodes.length, ids: [], parents: undefined, childStart: [0], childIds: [], name: [], url: [], line: [], column: [], strings };
  nodes.forEach((node, i) => {
    if (!isObject(node) || typeof node.id !== 'number' || !Number.isInteger(node.id) || node.id < 0) return fail(`node ${i} has no numeric id`);
    table.ids.push(node.id);
    if (typeof node.parent === 'number') (table.parents ??= new Array<number>(nodes.length).fill(NaN))[i] = node.parent;
    const children = node.children;
    if (children !== undefined) {
      if (!Array.isArray(children)) return fail(`node ${node.id}: children is not an array`);
      for (const child of children) {
        if (typeof child !== 'number') return fail(`node ${node.id} lists child ${String(child)}, which is not a node`);
        table.childIds.push(child);
      }
    }
    table.childStart.push(table.childIds.length);
    const cf = node.callFrame;
    if (!isObject(cf)) {
      table.name.push(-1);
      table.url.push(-1);
      table.line.push(NaN);
      table.column.push(NaN);
      return;
    }
    table.name.push(intern(typeof cf.functionName === 'string' ? cf.functionName : ''));
    table.url.push(intern(typeof cf.url === 'string' ? cf.url : ''));
    table.line.push(numberOrNaN(cf, 'lineNumber'));
    table.column.push(numberOrNaN(cf, 'columnNumber'));
  });
  return table;
}

function numberOrNaN(o: JsonObject, key: string): number {
  const v = o[key];
  return typeof v === 'number' ? v : NaN;
}
