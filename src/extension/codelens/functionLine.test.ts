import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findFunctionLine } from './functionLine.ts';

describe('finding the function a span names', () => {
  it("prefers the editor's symbols", () => {
    assert.equal(findFunctionLine({ function: 'checkout' }, [{ name: 'cart', line: 1 }, { name: 'checkout', line: 7 }], ''), 7);
    assert.equal(findFunctionLine({ function: 'Shop.checkout' }, [{ name: 'checkout', line: 3 }], ''), 3);
  });

  it('else finds the definition in common languages', () => {
    const cases: [string, string][] = [
      ['function checkout(cart) {', 'checkout'],
      ['const checkout = async (cart) => {', 'checkout'],
      ['def checkout(cart):', 'checkout'],
      ['func (s *Shop) Checkout(ctx context.Context) error {', 'main.(*Shop).Checkout'],
      ['    public async Task<int> Checkout(Cart cart)', 'Shop.Checkout'],
    ];
    for (const [line, fn] of cases) assert.equal(findFunctionLine({ function: fn }, [], `// shop\n\n${line}\n`), 2, line);
  });

  it('falls back to the line the spans gave, and gives up rather than guess', () => {
    assert.equal(findFunctionLine({ function: 'handler', line: 3 }, [], 'a\nb\nc\n'), 2);
    assert.equal(findFunctionLine({ function: 'handler' }, [], 'handlerX()\n'), undefined);
    assert.equal(findFunctionLine({ function: 'handler', line: 99 }, [], 'a\n'), undefined);
  });
});
