// The paper broker on the real database: fills at the live price with the backtest's cost
// model, guarded balances, idempotent by client order id, refusals with reasons.
import { word } from '../../core/wording/wording';
import { describe, expect, it } from 'vitest';
import { useTestDb } from '../../test/testDb';
import { PaperBroker } from './paperBroker';

const t = useTestDb('paper');
let price = 2000;
const market = {
  price: async () => price,
  rules: async () => ({ minNotional: 5, amountStep: 0.0001, minAmount: 0.0001 }),
  barClose: async (_pair: string, _tf: string, at: number) => (at === 60_000 ? 1990 : null),
};
const paper = () =>
  new PaperBroker({
    db: t.db,
    accountId: 'acct',
    market,
    feeRate: 0.001,
    slippageBps: 10,
    startBalances: { USDT: 1000 },
  });

describe('paper broker', () => {
  it('fills at the last price plus slippage, charges the fee in quote, and moves the balances', async () => {
    const o = await paper().placeMarket({ pair: 'ETH/USDT', side: 'buy', amount: 0.2, clientOrderId: 'p1' });
    expect(o).toMatchObject({ status: 'closed', filled: 0.2 });
    // The signal bar's reference comes from the exchange's public data, as for a live account.
    expect(await paper().barClose('ETH/USDT', '1m', 60_000)).toBe(1990);
    expect(await paper().barClose('ETH/USDT', '1m', 120_000)).toBeNull();
    expect(o.average).toBeCloseTo(2002, 9);
    expect(o.fills[0]!.fee).toBeCloseTo(0.2 * 2002 * 0.001, 9);
    expect(o.fills[0]).toMatchObject({
      feeCurrency: 'USDT',
      note: word('fill.paperBuy', { price: 2000, bps: 10, feePct: 0.1, quote: 'USDT' }),
    });
    const b = await paper().balances();
    expect(b.ETH!.total).toBeCloseTo(0.2, 12);
    expect(b.USDT!.total).toBeCloseTo(1000 - 400.4 - 0.4004, 9);
    price = 2100;
    const s = await paper().placeMarket({ pair: 'ETH/USDT', side: 'sell', amount: 0.2, clientOrderId: 'p2' });
    expect(s.average).toBeCloseTo(2097.9, 9);
    expect((await paper().balances()).ETH!.total).toBeCloseTo(0, 12);
  });

  it('the same client order id twice is one order', async () => {
    price = 2000;
    const a = await paper().placeMarket({ pair: 'ETH/USDT', side: 'buy', amount: 0.1, clientOrderId: 'p3' });
    const before = (await paper().balances()).USDT!.total;
    const b = await paper().placeMarket({ pair: 'ETH/USDT', side: 'buy', amount: 0.1, clientOrderId: 'p3' });
    expect(b.id).toBe(a.id);
    expect((await paper().balances()).USDT!.total).toBe(before);
    expect(await paper().orderByClientId('ETH/USDT', 'p3')).toMatchObject({ id: a.id });
    expect((await paper().trades('ETH/USDT', 0)).filter((x) => x.orderId === a.id)).toHaveLength(1);
  });

  it('refuses what the wallet cannot pay for and orders under the minimum, changing nothing', async () => {
    const before = await paper().balances();
    await expect(
      paper().placeMarket({ pair: 'ETH/USDT', side: 'buy', amount: 5, clientOrderId: 'p4' }),
    ).rejects.toMatchObject({ kind: 'insufficient' });
    await expect(
      paper().placeMarket({ pair: 'ETH/USDT', side: 'sell', amount: 3, clientOrderId: 'p5' }),
    ).rejects.toMatchObject({ kind: 'insufficient' });
    await expect(
      paper().placeMarket({ pair: 'ETH/USDT', side: 'buy', amount: 0.001, clientOrderId: 'p6' }),
    ).rejects.toMatchObject({ kind: 'rejected' });
    expect(await paper().balances()).toEqual(before);
    expect(await paper().orderByClientId('ETH/USDT', 'p4')).toBeNull();
  });
});

describe('paper broker after a crash', () => {
  it('finishes a half-done order once: the funds never move twice', async () => {
    price = 2000;
    const b = paper();
    // A crash right after the funds moved, before the order was marked placed: redo it.
    const first = await b.placeMarket({ pair: 'ETH/USDT', side: 'buy', amount: 0.1, clientOrderId: 'crash-1' });
    const after = (await b.balances()).USDT!.total;
    await t
      .db()
      .collection('quantdesk_paper_orders')
      .updateOne({ _id: 'crash-1' as never }, { $set: { status: 'pending' } });
    expect(await b.orderByClientId('ETH/USDT', 'crash-1')).toBeNull();
    const again = await b.placeMarket({ pair: 'ETH/USDT', side: 'buy', amount: 0.1, clientOrderId: 'crash-1' });
    expect(again).toMatchObject({ id: first.id, status: 'closed' });
    expect((await b.balances()).USDT!.total).toBe(after);
    expect(await b.orderByClientId('ETH/USDT', 'crash-1')).toMatchObject({ status: 'closed' });
  });
});
