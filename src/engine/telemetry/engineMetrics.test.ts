import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EngineMetrics } from './engineMetrics.ts';

describe("the engine's own metrics", () => {
  it('are all named loupe_…, with the process and Node.js ones prefixed once', async () => {
    const text = await new EngineMetrics(() => ({ traces: 1, logs: 2, metrics: 3, profiles: 4 })).text();
    const names = [...text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]);
    assert.ok(names.length > 10, names.join(' '));
    for (const name of names) assert.match(name, /^loupe_/);
    assert.ok(names.includes('loupe_process_cpu_user_seconds_total'), names.join(' '));
    assert.ok(names.includes('loupe_process_resident_memory_bytes'), names.join(' '));
    assert.ok(names.some((n) => n.startsWith('loupe_nodejs_heap_')), names.join(' '));
    assert.ok(!names.some((n) => /loupe_process_(process|nodejs)_/.test(n)), names.join(' '));
    assert.match(text, /^loupe_store_bytes\{signal="logs"\} 2$/m);
  });
});
