import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { reconcile, type ExchangeSide, type OurSide } from './reconcile';

const opts = { since: 0, pairs: ['BTC/USDT'], tolerance: 1e-8 };

describe('reconciliation', () => {
  it('finds nothing when both sides agree (generated clean accounts)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ amount: fc.double({ min: 0.001, max: 1, noNaN: true }), buy: fc.boolean(), open: fc.boolean() }),
          { maxLength: 20 },
        ),
        (items) => {
          let position = 0;
          const ours: OurSide = { orders: [], fills: [], positions: {} };
          const ex: ExchangeSide = { openOrders: [], trades: [], balances: {} };
          items.forEach((it, i) => {
            const side = it.buy || position < it.amount ? 'buy' : 'sell';
            const id = `c${i}`;
            if (it.open) {
              (ours.orders as unknown[]).push({
                clientOrderId: id,
                pair: 'BTC/USDT',
                side,
                amount: it.amount,
                status: 'open',
              });
              (ex.openOrders as unknown[]).push({
                id: `x${i}`,
                clientOrderId: id,
                pair: 'BTC/USDT',
                side,
                amount: it.amount,
                filled: 0,
              });
            } else {
              position += side === 'buy' ? it.amount : -it.amount;
              (ours.orders as unknown[]).push({
                clientOrderId: id,
                pair: 'BTC/USDT',
                side,
                amount: it.amount,
                status: 'filled',
              });
              (ours.fills as unknown[]).push({
                tradeId: `t${i}`,
                clientOrderId: id,
                pair: 'BTC/USDT',
                side,
                amount: it.amount,
                price: 100,
                time: i,
              });
              (ex.trades as unknown[]).push({
                id: `t${i}`,
                orderId: `x${i}`,
                pair: 'BTC/USDT',
                side,
                amount: it.amount,
                price: 100,
                time: i,
              });
            }
          });
          (ours as { positions: Record<string, number> }).positions['BTC/USDT'] = position;
          (ex as { balances: Record<string, number> }).balances.BTC = position;
          expect(reconcile(ours, ex, opts)).toEqual([]);
        },
      ),
    );
  });

  it('reports each kind of difference with a stable key, and forgets the ignored ones', () => {
    const ours: OurSide = {
      orders: [
        { clientOrderId: 'ours-open', pair: 'BTC/USDT', side: 'buy', amount: 0.1, status: 'open' },
        { clientOrderId: 'ours-done', pair: 'BTC/USDT', side: 'buy', amount: 0.2, status: 'filled' },
      ],
      fills: [
        {
          tradeId: 't-ours-only',
          clientOrderId: 'ours-done',
          pair: 'BTC/USDT',
          side: 'buy',
          amount: 0.2,
          price: 100,
          time: 10,
        },
      ],
      positions: { 'BTC/USDT': 0.2 },
    };
    const ex: ExchangeSide = {
      openOrders: [{ id: '77', clientOrderId: 'manual-1', pair: 'BTC/USDT', side: 'sell', amount: 1, filled: 0 }],
      trades: [{ id: 't-theirs-only', orderId: '78', pair: 'BTC/USDT', side: 'buy', amount: 0.5, price: 99, time: 11 }],
      balances: { BTC: 0.7 },
    };
    const diffs = reconcile(ours, ex, opts);
    expect(diffs.map((d) => [d.kind, d.key])).toEqual([
      ['unknown-order', 'order:77'],
      ['missing-order', 'ours:ours-open'],
      ['unknown-fill', 'trade:BTC/USDT:t-theirs-only'],
      ['missing-fill', 'fill:BTC/USDT:t-ours-only'],
      ['position-mismatch', 'position:BTC/USDT:0.7'],
    ]);
    expect(
      reconcile(ours, ex, { ...opts, ignored: new Set(['order:77', 'position:BTC/USDT:0.7']) }).map((d) => d.kind),
    ).toEqual(['missing-order', 'unknown-fill', 'missing-fill']);
    // Settled history before `since` is not compared.
    expect(reconcile(ours, ex, { ...opts, since: 100 }).map((d) => d.kind)).toEqual([
      'unknown-order',
      'missing-order',
      'position-mismatch',
    ]);
  });
});
