// What a research run, a sweep and a pipeline share: the trader's settings as the backtest's
// configuration, and the version that travels with every run and signal.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { BacktestSettings } from '../api/researchContract';
import type { BacktestConfig } from '../backtest/engine';
import { canonicalJson, type StrategyDefinition } from './strategy';

export function toConfig(s: BacktestSettings): BacktestConfig {
  return {
    initialCash: s.initialCash,
    feeRate: s.feePct / 100,
    slippageBps: s.slippageBps,
    fillAt: s.fillAt,
    stopLossPct: s.stopLossPct,
    rebalanceBand: 0.05,
  };
}

/** A hash of the definition (the first 12 hex digits of its canonical JSON's SHA-256). */
export function strategyVersion(def: StrategyDefinition): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalJson(def)))).slice(0, 12);
}
