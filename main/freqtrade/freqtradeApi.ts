// A Freqtrade bot's REST API (its api_server), as far as the desk watches it: the bot's
// configuration, its open and closed trades with their orders, its balance and profit, and its
// log. HTTP basic auth; every reply checked against the part of its shape we rely on.
import { z } from 'zod';

const OrderSchema = z.object({
  order_id: z.string(),
  pair: z.string(),
  status: z.string().nullable(),
  amount: z.number(),
  filled: z.number().nullable().optional(),
  safe_price: z.number(),
  ft_order_side: z.string(),
  order_type: z.string().nullable(),
  is_open: z.boolean(),
  order_timestamp: z.number().nullable().optional(),
  order_filled_timestamp: z.number().nullable().optional(),
  ft_order_tag: z.string().nullable().optional(),
});
export type FreqtradeOrder = z.infer<typeof OrderSchema>;

const TradeSchema = z.object({
  trade_id: z.number().int(),
  pair: z.string(),
  is_open: z.boolean(),
  amount: z.number(),
  stake_amount: z.number(),
  open_rate: z.number(),
  open_timestamp: z.number(),
  open_rate_requested: z.number().nullable().optional(),
  close_rate: z.number().nullable().optional(),
  close_rate_requested: z.number().nullable().optional(),
  close_timestamp: z.number().nullable().optional(),
  enter_tag: z.string().nullable().optional(),
  exit_reason: z.string().nullable().optional(),
  profit_abs: z.number().nullable().optional(),
  profit_ratio: z.number().nullable().optional(),
  orders: z.array(OrderSchema),
});
export type FreqtradeTrade = z.infer<typeof TradeSchema>;

const ConfigSchema = z.object({
  dry_run: z.boolean(),
  stake_currency: z.string(),
  timeframe: z.string().nullable().optional(),
  exchange: z.string(),
  strategy: z.string().nullable().optional(),
  state: z.string().optional(),
  bot_name: z.string().optional(),
});
export type FreqtradeConfigView = z.infer<typeof ConfigSchema>;

const BalanceSchema = z.object({ total: z.number(), stake: z.string(), starting_capital: z.number().optional() });
const ProfitSchema = z.object({
  profit_all_coin: z.number(),
  profit_closed_coin: z.number(),
  trade_count: z.number().int(),
  closed_trade_count: z.number().int(),
});
const LogsSchema = z.object({ log_count: z.number(), logs: z.array(z.array(z.unknown())) });

/** One line of the bot's log: when, which logger, its level and its message. */
export interface FreqtradeLogLine {
  at: number;
  logger: string;
  level: string;
  message: string;
}

export class FreqtradeApiError extends Error {
  constructor(
    message: string,
    /** The bot answered, but refused us (bad credentials): not an outage. */
    readonly refused = false,
  ) {
    super(message);
    this.name = 'FreqtradeApiError';
  }
}

export const FreqtradeBotAccessSchema = z.object({
  url: z.string(),
  username: z.string(),
  password: z.string(),
  /** Whose signals the bot trades (its EXT_SIG_STRATEGY_ID): what its trades are reconciled against. */
  strategyId: z.string().nullable().optional(),
  /** The pairs and timeframe it was set up to trade. */
  pairs: z.array(z.string()).optional(),
  timeframe: z.enum(['1m', '1d']).optional(),
  /** It has answered at least once (its silence is then an alert). */
  answered: z.boolean().optional(),
  /** Since when the desk watches it (ms): older signals were never its to trade. */
  since: z.number().optional(),
});
export type FreqtradeBotAccess = z.infer<typeof FreqtradeBotAccessSchema>;

export class FreqtradeApi {
  private readonly base: string;
  private readonly auth: string;

  constructor(
    access: FreqtradeBotAccess,
    private readonly timeoutMs = 5000,
  ) {
    this.base = `${access.url.replace(/\/+$/, '')}/api/v1/`;
    this.auth = `Basic ${Buffer.from(`${access.username}:${access.password}`).toString('base64')}`;
  }

  private async get<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    let res: Response;
    try {
      res = await fetch(new URL(path, this.base), {
        headers: { authorization: this.auth, accept: 'application/json' },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      throw new FreqtradeApiError(`no answer from the bot (${cause ?? (err as Error).message})`);
    }
    if (res.status === 401 || res.status === 403)
      throw new FreqtradeApiError('the bot refused the username or password', true);
    if (!res.ok) throw new FreqtradeApiError(`the bot answered ${res.status} to ${path}`);
    const parsed = schema.safeParse(await res.json());
    if (!parsed.success) throw new FreqtradeApiError(`the bot's reply to ${path} is not what Freqtrade sends`);
    return parsed.data;
  }

  config(): Promise<FreqtradeConfigView> {
    return this.get('show_config', ConfigSchema);
  }

  openTrades(): Promise<FreqtradeTrade[]> {
    return this.get('status', z.array(TradeSchema));
  }

  /** The latest closed trades (Freqtrade answers at most 500 a call). */
  async trades(limit = 500): Promise<FreqtradeTrade[]> {
    // newest closes first (by id it would be the oldest 500)
    return (await this.get(`trades?limit=${limit}&order_by_id=false`, z.object({ trades: z.array(TradeSchema) })))
      .trades;
  }

  balance(): Promise<z.infer<typeof BalanceSchema>> {
    return this.get('balance', BalanceSchema);
  }

  profit(): Promise<z.infer<typeof ProfitSchema>> {
    return this.get('profit', ProfitSchema);
  }

  async logs(limit = 200): Promise<FreqtradeLogLine[]> {
    const r = await this.get(`logs?limit=${limit}`, LogsSchema);
    return r.logs.map((l) => ({
      at: Number(l[1]),
      logger: String(l[2] ?? ''),
      level: String(l[3] ?? ''),
      message: String(l[4] ?? ''),
    }));
  }
}
