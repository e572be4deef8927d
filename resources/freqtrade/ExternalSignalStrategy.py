"""Trades the signals another program (e.g. Quantdesk's research side) wrote to MongoDB.

Reads crypto_signals (the data contract: ts, timeframe, symbol, pair, action or
score/weight, strategy_id, optional valid_until) and applies the same consumption rules as
Quantdesk's executor (core/signals/consumption.ts), in the same order:

 1. for the candle being decided (its open time), candidates are the signals whose ts lies
    within +-EXT_SIG_TOLERANCE_BARS bars of it;
 2. a candidate is ignored when its bar has not closed by the time of the decision (in a
    backtest it would be a signal from the future), when stale (its bar closed more than
    EXT_SIG_MAX_STALENESS_BARS bars before the decision) or past its valid_until;
 3. the latest remaining candidate wins;
 4. a signal already acted on is not acted on again (a rewrite of the same key that says
    something else counts as a new signal);
 5. no entry while in a position or within EXT_SIG_COOLDOWN_BARS of the last exit, no exit
    while flat or before EXT_SIG_MIN_HOLD_BARS since the entry.
A score/weight enters at >= EXT_SIG_ENTER_ABOVE and exits below EXT_SIG_EXIT_BELOW.

Entries and exits land on the candle the signal belongs to, so Freqtrade fills them at the
next candle's open, as Quantdesk's backtests do. ROI and stop-loss are left to the signals.

Configuration comes from the environment (or a .env file next to this strategy):
EXT_SIG_MONGO_URI, EXT_SIG_DB, EXT_SIG_COLLECTION, EXT_SIG_STRATEGY_ID, and the optional
rule settings above.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

from pandas import DataFrame
from pymongo import MongoClient

from freqtrade.strategy import IStrategy

TIMEFRAME_MS = {"1m": 60_000, "1d": 86_400_000}


def _load_env_file() -> None:
    """KEY=VALUE lines of a .env beside this file; real environment variables win."""
    env = Path(__file__).with_name(".env")
    if not env.exists():
        return
    for line in env.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip('"').strip("'"))


_load_env_file()


def _setting(name: str, default: str) -> str:
    return os.environ.get(name, default)


class ExternalSignalStrategy(IStrategy):
    INTERFACE_VERSION = 3
    timeframe = "1d"
    can_short = False
    # Exits come from the signals: no ROI table, no strategy stop-loss.
    minimal_roi = {"0": 100.0}
    stoploss = -0.99
    use_exit_signal = True
    exit_profit_only = False
    process_only_new_candles = True
    startup_candle_count = 0

    def __init__(self, config: dict) -> None:
        super().__init__(config)
        self.mongo_uri = _setting("EXT_SIG_MONGO_URI", "mongodb://127.0.0.1:27017")
        self.db_name = _setting("EXT_SIG_DB", "quantdesk")
        self.collection_name = _setting("EXT_SIG_COLLECTION", "crypto_signals")
        self.strategy_id = _setting("EXT_SIG_STRATEGY_ID", "")
        if not self.strategy_id:
            raise ValueError("EXT_SIG_STRATEGY_ID is not set: which strategy's signals should this bot trade?")
        self.tolerance_bars = int(_setting("EXT_SIG_TOLERANCE_BARS", "1"))
        self.max_staleness_bars = float(_setting("EXT_SIG_MAX_STALENESS_BARS", "3"))
        self.enter_above = float(_setting("EXT_SIG_ENTER_ABOVE", "0.5"))
        self.exit_below = float(_setting("EXT_SIG_EXIT_BELOW", "0.5"))
        self.min_hold_bars = int(_setting("EXT_SIG_MIN_HOLD_BARS", "0"))
        self.cooldown_bars = int(_setting("EXT_SIG_COOLDOWN_BARS", "0"))
        self._client: MongoClient | None = None

    # -- reading ----------------------------------------------------------------------------
    def _collection(self):
        if self._client is None:
            self._client = MongoClient(self.mongo_uri, tz_aware=True, serverSelectionTimeoutMS=5000)
        return self._client[self.db_name][self.collection_name]

    def _signals(self, pair: str, start: datetime, end: datetime) -> list[dict]:
        step = timedelta(milliseconds=TIMEFRAME_MS[self.timeframe])
        window = step * self.tolerance_bars
        cursor = self._collection().find(
            {"strategy_id": self.strategy_id, "pair": pair, "timeframe": self.timeframe, "ts": {"$gte": start - window, "$lte": end + window}},
            {"_id": 0, "ts": 1, "action": 1, "score": 1, "weight": 1, "valid_until": 1},
        ).sort("ts", 1)
        return [s for s in cursor if isinstance(s.get("ts"), datetime)]

    # -- the rules (mirrors core/signals/consumption.ts) --------------------------------------
    def _intent(self, s: dict) -> str | None:
        if s.get("action") == "enter_long":
            return "enter"
        if s.get("action") == "exit_long":
            return "exit"
        value = s.get("weight", s.get("score"))
        if not isinstance(value, (int, float)):
            return None
        if value >= self.enter_above:
            return "enter"
        if value < self.exit_below:
            return "exit"
        return None

    def _pick(self, signals: list[dict], bar_open: datetime, now: datetime) -> dict | None:
        step = timedelta(milliseconds=TIMEFRAME_MS[self.timeframe])
        best = None
        for s in signals:
            ts = s["ts"]
            if abs(ts - bar_open) > step * self.tolerance_bars:
                continue
            if ts + step > now:
                continue
            if now - (ts + step) > step * self.max_staleness_bars:
                continue
            valid_until = s.get("valid_until")
            if isinstance(valid_until, datetime) and valid_until <= now:
                continue
            if best is None or ts > best["ts"]:
                best = s
        return best

    def _decisions(self, dates: list[datetime], signals: list[dict]) -> tuple[list[int], list[int]]:
        step = timedelta(milliseconds=TIMEFRAME_MS[self.timeframe])
        wall = datetime.now(timezone.utc)
        enter = [0] * len(dates)
        exit_ = [0] * len(dates)
        in_position = False
        entered_at = None
        exited_at = None
        consumed: set[tuple[datetime, str]] = set()
        for i, bar_open in enumerate(dates):
            # Decided when the candle closes (now in live trading, its close in a backtest).
            now = min(wall, bar_open + step)
            s = self._pick(signals, bar_open, now)
            if s is None:
                continue
            intent = self._intent(s)
            if (s["ts"], intent) in consumed:
                continue
            if intent == "enter":
                if in_position:
                    continue
                if exited_at is not None and (bar_open - exited_at) / step < self.cooldown_bars:
                    continue
                in_position, entered_at = True, bar_open
                consumed.add((s["ts"], intent))
                enter[i] = 1
            elif intent == "exit":
                if not in_position:
                    continue
                if entered_at is not None and (bar_open - entered_at) / step < self.min_hold_bars:
                    continue
                in_position, exited_at = False, bar_open
                consumed.add((s["ts"], intent))
                exit_[i] = 1
        return enter, exit_

    # -- Freqtrade's hooks -----------------------------------------------------------------------
    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dates = [d.to_pydatetime() for d in dataframe["date"]]
        if not dates:
            dataframe["ext_enter"] = 0
            dataframe["ext_exit"] = 0
            return dataframe
        signals = self._signals(metadata["pair"], dates[0], dates[-1])
        enter, exit_ = self._decisions(dates, signals)
        dataframe["ext_enter"] = enter
        dataframe["ext_exit"] = exit_
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[dataframe["ext_enter"] == 1, ["enter_long", "enter_tag"]] = (1, "ext_signal")
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[dataframe["ext_exit"] == 1, ["exit_long", "exit_tag"]] = (1, "ext_signal")
        return dataframe
