// The Trading page's data. A strategy's change arrives as an event carrying its view, which is
// applied to the list in place; the orders, fills and account it implies are read once soon
// after (one read for a burst of changes). Prices move without events: those are read every
// 15 s while the page is open.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ExecConfigView, FillView, OrderView } from '../../../../core/api/executionContract';
import type { ReplyOf } from '../../../../core/api/contract';
import { useDesk } from '../../deskContext';

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
  const [configs, setConfigs] = useState<ExecConfigView[] | null>(null);
  const [orders, setOrders] = useState<OrderView[]>([]);
  const [fills, setFills] = useState<FillView[]>([]);
  const [status, setStatus] = useState<TradingStatus | null>(null);
  const [equity, setEquity] = useState<EquityCurves>([]);

  const loadRecords = useCallback(() => {
    request('execution.orders', { limit: 100 }, setOrders);
    request('execution.fills', { limit: 100 }, setFills);
    request('execution.status', {}, setStatus);
  }, [request]);
  const load = useCallback(() => {
    request('execution.configs', {}, setConfigs, () => setConfigs((c) => c ?? []));
    request('execution.equity', {}, setEquity);
    loadRecords();
  }, [request, loadRecords]);

  const pending = useRef<number | null>(null);
  useEffect(() => {
    load();
    const off = client.on('executionChanged', (v) => {
      setConfigs((list) => applyConfigView(list, v));
      if (pending.current === null)
        pending.current = window.setTimeout(() => {
          pending.current = null;
          loadRecords();
        }, RECORDS_AFTER_CHANGE_MS);
    });
    const prices = window.setInterval(load, PRICES_EVERY_MS);
    return () => {
      off();
      window.clearInterval(prices);
      if (pending.current !== null) window.clearTimeout(pending.current);
      pending.current = null;
    };
  }, [client, load, loadRecords]);

  return { configs, orders, fills, status, equity, reload: load };
}
