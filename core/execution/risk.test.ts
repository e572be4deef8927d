import { describe, expect, it } from 'vitest';
import { english } from '../wording/wording';
import { DEFAULT_RISK, floorToStep, sizeEntry, sizeExit, type AccountView, type Sizing } from './risk';

/** A sizing with its reason in English, as logs and alert channels get it. */
const said = (s: Sizing) => (s.ok ? s : { ok: false, reason: english(s.reason) });

const rules = { minNotional: 5, amountStep: 0.0001, minAmount: 0.0001 };
const acct = (over: Partial<AccountView> = {}): AccountView => ({
  equity: 10_000,
  freeQuote: 10_000,
  openPositions: 0,
  dayStartEquity: 10_000,
  dayPnl: 0,
  ...over,
});

describe('risk checks', () => {
  it('sizes by percent of equity or a fixed stake, floored to the lot step, within the free balance', () => {
    expect(sizeEntry(acct(), 3000, { ...DEFAULT_RISK, stake: { kind: 'percent', pct: 50 } }, rules, 0.001)).toEqual({
      ok: true,
      amount: 1.6666,
      notional: 1.6666 * 3000,
    });
    expect(
      sizeEntry(acct(), 3000, { ...DEFAULT_RISK, stake: { kind: 'quote', amount: 100 } }, rules, 0.001),
    ).toMatchObject({ ok: true, amount: 0.0333 });
    expect(
      sizeEntry(
        acct({ freeQuote: 1000 }),
        3000,
        { ...DEFAULT_RISK, stake: { kind: 'quote', amount: 5000 } },
        rules,
        0.001,
      ),
    ).toMatchObject({ ok: true, amount: 0.333 });
    expect(floorToStep(0.30000000000000004, 0.1)).toBe(0.3);
  });

  it('refuses with a reason: kill switch, too many positions, daily loss, minimum notional, balance', () => {
    const r = (a: Partial<AccountView>, risk = DEFAULT_RISK) => said(sizeEntry(acct(a), 3000, risk, rules, 0.001));
    expect(r({}, { ...DEFAULT_RISK, killSwitch: true })).toEqual({ ok: false, reason: 'kill switch is on' });
    expect(r({ openPositions: 3 })).toMatchObject({
      ok: false,
      reason: 'already 3 open position(s), the maximum is 3',
    });
    expect(r({ dayPnl: -1100 })).toMatchObject({ ok: false, reason: 'daily loss 11 % reached the limit of 10 %' });
    // The account's cash moving into another strategy's position is not this strategy's loss.
    expect(r({ equity: 5000, freeQuote: 5000, dayPnl: 0 })).toMatchObject({ ok: true });
    expect(
      said(sizeEntry(acct(), 3000, { ...DEFAULT_RISK, stake: { kind: 'quote', amount: 4 } }, rules, 0.001)),
    ).toMatchObject({ ok: false, reason: 'order value 3.9 is below the exchange minimum of 5' });
    expect(r({ freeQuote: 3 })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^insufficient balance: 3 free/),
    });
  });

  it('exits the whole position floored to the step, and calls dust dust', () => {
    expect(sizeExit(0.123456, 3000, rules)).toMatchObject({ ok: true, amount: 0.1234 });
    expect(sizeExit(0.001, 3000, rules)).toMatchObject({ ok: false, reason: { code: 'order.dust' } });
    expect(said(sizeExit(0.001, 3000, rules))).toMatchObject({ reason: expect.stringMatching(/\(dust\)$/) });
  });
});
