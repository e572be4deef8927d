// The Trading page's data. A strategy's change arrives as an event carrying its view, which is
// applied to the list in place; the orders, fills and account it implies are read once soon
// after (one read for a burst of changes). Prices move without events: those are read every
// 15 s while the page is open. Each part keeps its own error: unknown is never shown as empty.
import { useCallback, useEffect, useRef } from 'react';
import type { ExecConfigView, FillView, OrderView } from '../../../../core/api/executionContract';
import type { ReplyOf } from '../../../../core/api/contract';
import { useDesk } from '../../deskContext';
import { useLoaded } from '../../useLoaded';

const PRICES_EVERY_MS = 15_000;
const RECORDS_AFTER_CHANGE_MS = 400;

export type TradingStatus = ReplyOf<'execution.status'>;
export type EquityCurves = ReplyOf<'execution.equity'>;

/** A strategy's new view in the list: replaced where it was, added at the end when new. */
export function applyConfigView(list: ExecConfigView[] | null, v: ExecConfigView): ExecConfigView[] {
  if (!list) return [v];
  const i = list.findIndex((c) => c.id === v.id);
  return i < 0 ? [...list, v] : list.map((c, j) => (j === i ? v : c));
}

export function useTrading() {
  const { client, request } = useDesk();
  const configs = useLoaded<ExecConfigView[]>();
  const orders = useLoaded<OrderView[]>();
  const fills = useLoaded<FillView[]>();
  const status = useLoaded<TradingStatus>();
  const equity = useLoaded<EquityCurves>();

  const loadRecords = useCallback(() => {
    request('execution.orders', { limit: 100 }, orders.ok, orders.fail);
    request('execution.fills', { limit: 100 }, fills.ok, fills.fail);
    request('execution.status', {}, status.ok, status.fail);
  }, [request, orders.ok, orders.fail, fills.ok, fills.fail, status.ok, status.fail]);
  const load = useCallback(() => {
    request('execution.configs', {}, configs.ok, configs.fail);
    request('execution.equity', {}, equity.ok, equity.fail);
    loadRecords();
  }, [request, configs.ok, configs.fail, equity.ok, equity.fail, loadRecords]);

  const pending = useRef<number | null>(null);
  const { update } = configs;
  const { update: updateStatus } = status;
  useEffect(() => {
    load();
    const off = client.on('executionChanged', (v) => {
      update((list) => applyConfigView(list, v));
      if (pending.current === null)
        pending.current = window.setTimeout(() => {
          pending.current = null;
          loadRecords();
        }, RECORDS_AFTER_CHANGE_MS);
    });
    const offKill = client.on('killSwitchChanged', ({ killSwitch }) => updateStatus((s) => s && { ...s, killSwitch }));
    const prices = window.setInterval(load, PRICES_EVERY_MS);
    return () => {
      off();
      offKill();
      window.clearInterval(prices);
      if (pending.current !== null) window.clearTimeout(pending.current);
      pending.current = null;
    };
  }, [client, load, loadRecords, update, updateStatus]);

  return { configs, orders, fills, status, equity, reload: load };
}
