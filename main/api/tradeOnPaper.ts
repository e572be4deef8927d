// From research to paper trading in one step: the strategy a backtest or a sweep found becomes
// a live pipeline exporting its signals and a paper strategy trading them. Both are found again
// by their strategy id (made from the template, the series and the parameters), so asking twice
// changes nothing but switching them on.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { RequestOf, ReplyOf } from '../../core/api/contract';
import { ServiceError } from '../../core/api/dispatcher';
import { ExecConfigDraftSchema } from '../../core/api/executionContract';
import { PipelineDraftSchema } from '../../core/api/signalsContract';
import { parseSymbol, toPair } from '../../core/market/symbols';
import { canonicalJson } from '../../core/research/strategy';
import { buildFromTemplate } from '../../core/research/templates';
import type { ExecutionDesk } from '../execution/executionDesk';
import type { PipelineDesk } from '../signals/pipelineDesk';

type Request = RequestOf<'research.tradeOnPaper'>;

/** What a strategy put on paper from research stakes per entry (quote currency). */
const DEFAULT_STAKE_QUOTE = 1000;

/** e.g. `trend-ema.btcusdt.1m.3f9a`: readable, and one per template, series and parameter set. */
export function paperStrategyId(r: Pick<Request, 'templateId' | 'symbol' | 'timeframe' | 'params'>): string {
  const tag = bytesToHex(sha256(utf8ToBytes(canonicalJson({ t: r.templateId, p: r.params })))).slice(0, 4);
  return `${r.templateId}.${parseSymbol(r.symbol).ticker.toLowerCase()}.${r.timeframe}.${tag}`.slice(0, 64);
}

export async function tradeOnPaper(
  r: Request,
  desks: { pipelines: PipelineDesk; execution: ExecutionDesk },
): Promise<ReplyOf<'research.tradeOnPaper'>> {
  // a template or parameter the strategy cannot be built from is refused here, before anything is saved
  let definition;
  try {
    definition = buildFromTemplate(r.templateId, r.params, { name: r.templateId, stopLossPct: r.settings.stopLossPct });
  } catch (err) {
    throw new ServiceError('BAD_REQUEST', err instanceof Error ? err.message : String(err));
  }
  const strategyId = paperStrategyId(r);
  const pair = toPair(r.symbol);

  let pipeline = (await desks.pipelines.list()).find((p) => p.strategyId === strategyId);
  const newPipeline = !pipeline;
  if (!pipeline)
    pipeline = await desks.pipelines.save(
      PipelineDraftSchema.parse({
        name: `${definition.name} ${pair} ${r.timeframe}`,
        symbol: r.symbol,
        timeframe: r.timeframe,
        templateId: r.templateId,
        params: r.params,
        strategyId,
        settings: r.settings,
      }),
    );
  if (!pipeline.live) await desks.pipelines.setLive(pipeline.id, true);

  let config = (await desks.execution.list()).find(
    (c) => c.strategyId === strategyId && c.pair === pair && c.timeframe === r.timeframe,
  );
  const newStrategy = !config;
  if (!config)
    config = await desks.execution.save(
      ExecConfigDraftSchema.parse({
        strategyId,
        symbol: r.symbol,
        timeframe: r.timeframe,
        // the Trading page's default stake (never more than the backtest's capital), its stop as the protective stop
        stakeQuote: Math.min(r.settings.initialCash, DEFAULT_STAKE_QUOTE),
        stopLossPct: r.settings.stopLossPct,
        enabled: true,
      }),
    );
  else if (!config.enabled) await desks.execution.enable(config.id, true);
  return {
    strategyId,
    pipelineId: pipeline.id,
    configId: config.id,
    created: { pipeline: newPipeline, strategy: newStrategy },
  };
}
