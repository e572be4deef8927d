// The exchanges we trade and import from, as data: adding a ccxt exchange is one entry here
// (and its tests). Everything that depends on an exchange's habits reads it from its entry:
// the ccxt options, the share of its request-weight limit we allow ourselves, and what each
// request we make weighs.
import { z } from 'zod';
import type { BudgetOptions } from './requestBudget';

const weight = z.number().nonnegative();
/** Request weight of each kind of call we make to an exchange (a schema: workers receive them). */
export const RequestWeightsSchema = z.object({
  /** Loading the markets (once per client). */
  markets: weight,
  /** One page of klines. */
  klines: weight,
  /** The last price of a pair. */
  ticker: weight,
  balances: weight,
  placeOrder: weight,
  /** Finding an order again by its client order id. */
  orderLookup: weight,
  openOrders: weight,
  trades: weight,
  cancel: weight,
  /** The exchange's clock. */
  time: weight,
});
export type RequestWeights = z.infer<typeof RequestWeightsSchema>;

export interface Venue {
  /** Our id, also the request-budget account of its public calls. */
  id: string;
  label: string;
  /** The ccxt class that speaks its API. */
  ccxtId: string;
  /** Stored symbols are PREFIX:BASEQUOTE. */
  symbolPrefix: string;
  /** Where its API lives instead of the ccxt default (a testnet, a local endpoint). */
  apiBaseUrl?: string;
  /** ccxt options: which markets to load, which discovery calls to skip. */
  ccxtOptions: Record<string, unknown>;
  /** The exchange's published request-weight limit per budget window. */
  weightLimit: number;
  /** What we allow ourselves of that limit, and the share kept for trading. */
  budget: BudgetOptions;
  weights: RequestWeights;
  /** Klines per request (the exchange's maximum page). */
  klinesPageSize: number;
  /** Its perpetual futures (funding, perpetual and mark/index bars, depth), where it has them. */
  futures?: FuturesVenue;
}

/** A venue's perpetual-futures API: its own request-weight limit and what our calls weigh there. */
export interface FuturesVenue {
  weightLimit: number;
  budget: BudgetOptions;
  weights: {
    markets: number;
    /** One page of klines (last, mark or index price). */
    klines: number;
    /** One page of funding history. */
    funding: number;
    /** One order book of `depthLevels` a side. */
    depth: number;
  };
  klinesPageSize: number;
  fundingPageSize: number;
  depthLevels: number;
}

/** The request-budget account of a venue's futures API (its weights are counted apart from spot's). */
export function futuresAccount(account: string): string {
  return `${account}:futures`;
}

/** Binance spot: 6,000 weight a minute per IP; we use 4,800 and keep a quarter for trading. */
export const BINANCE: Venue = {
  id: 'binance',
  label: 'Binance',
  ccxtId: 'binance',
  symbolPrefix: 'BINANCE',
  ccxtOptions: { fetchMarkets: { types: ['spot'] }, fetchMargins: false, fetchCurrencies: false, defaultType: 'spot' },
  weightLimit: 6000,
  budget: { limit: 4800, windowMs: 60_000, reserve: 0.25 },
  weights: {
    markets: 20,
    klines: 2,
    ticker: 2,
    balances: 20,
    placeOrder: 1,
    orderLookup: 24,
    openOrders: 6,
    trades: 20,
    cancel: 1,
    time: 1,
  },
  klinesPageSize: 1000,
  // USDⓈ-M futures: 2,400 weight a minute per IP, apart from spot's; nothing of it is traded.
  futures: {
    weightLimit: 2400,
    budget: { limit: 1800, windowMs: 60_000, reserve: 0 },
    weights: { markets: 1, klines: 5, funding: 1, depth: 20 },
    klinesPageSize: 1000,
    fundingPageSize: 1000,
    depthLevels: 1000,
  },
};

export const VENUES: readonly Venue[] = [BINANCE];

/** The facts of the venue a ccxt class speaks for (the first entry using it). */
export function venueOfCcxt(ccxtId: string, venues: readonly Venue[] = VENUES): Venue | null {
  return venues.find((v) => v.ccxtId === ccxtId) ?? null;
}
