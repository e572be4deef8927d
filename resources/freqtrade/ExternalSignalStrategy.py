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

A signal acted on is carried as the trade's tag (enter tag `qd:enter:<ts ms>`, exit reason
`qd:exit:<ts ms>`), so what was acted on is read back from Freqtrade's own trades.

Backtesting: entries and exits land on the candle the signal belongs to, so Freqtrade fills
them at the next candle's open, as Quantdesk's backtests do.

Live and dry-run: the last closed candle is decided again at every pass of the bot (not only
when the candle is new), so a signal written after the close (within half a bar, as the
export promises) is still traded on that candle. The position is Freqtrade's open trade for
the pair, never a memory of this strategy, and a signal already carried by one of its trades
is never traded again, across restarts too. Every signal skipped is logged once, with the
rule that skipped it.

ROI and stop-loss are left to the signals.

Configuration comes from the environment (or a .env file next to this strategy):
EXT_SIG_MONGO_URI, EXT_SIG_DB, EXT_SIG_COLLECTION, EXT_SIG_STRATEGY_ID, and the optional
rule settings above.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

from pandas import DataFrame
from pymongo import MongoClient

from freqtrade.enums import RunMode
from freqtrade.persistence import Trade
from freqtrade.strategy import IStrategy

logger = logging.getLogger(__name__)

TIMEFRAME_MS = {"1m": 60_000, "1d": 86_400_000}
NOT_CLOSED = "its bar has not closed"


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


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _bar_of(moment: datetime, step: timedelta) -> datetime:
    """The open of the candle a moment falls in."""
    step_ms = int(step.total_seconds() * 1000)
    return datetime.fromtimestamp((_ms(moment) // step_ms) * step_ms / 1000, tz=timezone.utc)


def signal_tag(intent: str, signal: dict) -> str:
    """The identity of an action on a signal, carried by the trade (enter tag or exit reason)."""
    return f"qd:{intent}:{_ms(signal['ts'])}"


class ExternalSignalStrategy(IStrategy):
    INTERFACE_VERSION = 3
    timeframe = "1d"
    can_short = False
    # Exits come from the signals: no ROI table, no strategy stop-loss.
    minimal_roi = {"0": 100.0}
    stoploss = -0.99
    use_exit_signal = True
    exit_profit_only = False
    # Live: the last closed candle is decided again at every pass, so a signal written after
    # the close is still seen on its candle.
    process_only_new_candles = False
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
        self._said: set[tuple[str, str, str]] = set()
        self._seen: set[tuple[str, int]] = set()
        self._started: set[str] = set()

    @property
    def _step(self) -> timedelta:
        return timedelta(milliseconds=TIMEFRAME_MS[self.timeframe])

    # -- reading ----------------------------------------------------------------------------
    def _collection(self):
        if self._client is None:
            self._client = MongoClient(self.mongo_uri, tz_aware=True, serverSelectionTimeoutMS=5000)
        return self._client[self.db_name][self.collection_name]

    def _signals(self, pair: str, start: datetime, end: datetime) -> list[dict]:
        window = self._step * self.tolerance_bars
        cursor = self._collection().find(
            {
                "strategy_id": self.strategy_id,
                "pair": pair,
                "timeframe": self.timeframe,
                "ts": {"$gte": start - window, "$lte": end + window},
            },
            {"_id": 1, "ts": 1, "symbol": 1, "pair": 1, "action": 1, "score": 1, "weight": 1, "valid_until": 1, "audit": 1},
        ).sort("ts", 1)
        readable = []
        for doc in cursor:
            if not isinstance(doc.get("ts"), datetime):
                continue
            why = self._breaks_contract(doc)
            if why is None:
                readable.append(doc)
            else:
                self._skipped(pair, doc, why)
        return readable

    @staticmethod
    def _breaks_contract(doc: dict) -> str | None:
        """The rules every writer is held to (mirrors core/signals/storedSignals.ts), or None."""
        symbol, pair = doc.get("symbol"), doc.get("pair")
        ticker = symbol.split(":", 1)[1] if isinstance(symbol, str) and ":" in symbol else None
        if not isinstance(pair, str) or pair.count("/") != 1 or ticker is None or pair.replace("/", "").upper() != ticker.upper():
            return "pair %s does not match symbol %s" % (pair, symbol)
        exported = (doc.get("audit") or {}).get("exported_at") if isinstance(doc.get("audit"), dict) else None
        oid = doc.get("_id")
        written = exported if isinstance(exported, datetime) else getattr(oid, "generation_time", None)
        # Our export refuses a ts after its own clock; 1 s: ObjectIds keep whole seconds.
        if isinstance(written, datetime) and doc["ts"] > written + timedelta(seconds=1):
            return "ts %s was in the future when it was written (%s)" % (doc["ts"].isoformat(), written.isoformat())
        valid_until = doc.get("valid_until")
        if isinstance(valid_until, datetime) and valid_until <= doc["ts"]:
            return "valid_until %s is not after ts" % valid_until.isoformat()
        return None

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

    def _pick(self, signals: list[dict], bar_open: datetime, now: datetime) -> tuple[dict | None, list[tuple[dict, str]]]:
        """The signal that speaks for this candle, and why each other candidate does not."""
        step = self._step
        best = None
        ignored: list[tuple[dict, str]] = []
        for s in signals:
            ts = s["ts"]
            valid_until = s.get("valid_until")
            if abs(ts - bar_open) > step * self.tolerance_bars:
                ignored.append((s, "outside the +-%d bar window" % self.tolerance_bars))
            elif ts + step > now:
                ignored.append((s, NOT_CLOSED))
            elif now - (ts + step) > step * self.max_staleness_bars:
                ignored.append((s, "stale"))
            elif isinstance(valid_until, datetime) and valid_until <= now:
                ignored.append((s, "expired (valid_until)"))
            elif best is None or ts > best["ts"]:
                best = s
        return best, ignored

    def _decisions(self, dates: list[datetime], signals: list[dict]) -> tuple[list[int], list[int], list[str | None]]:
        """Backtesting: every candle decided in turn, the position kept along the way."""
        step = self._step
        enter = [0] * len(dates)
        exit_ = [0] * len(dates)
        tags: list[str | None] = [None] * len(dates)
        in_position = False
        entered_at = None
        exited_at = None
        consumed: set[str] = set()
        for i, bar_open in enumerate(dates):
            # Decided when the candle closes.
            s, _ = self._pick(signals, bar_open, bar_open + step)
            if s is None:
                continue
            intent = self._intent(s)
            if intent is None or signal_tag(intent, s) in consumed:
                continue
            if intent == "enter":
                if in_position:
                    continue
                if exited_at is not None and (bar_open - exited_at) / step < self.cooldown_bars:
                    continue
                in_position, entered_at = True, bar_open
                enter[i] = 1
            else:
                if not in_position:
                    continue
                if entered_at is not None and (bar_open - entered_at) / step < self.min_hold_bars:
                    continue
                in_position, exited_at = False, bar_open
                exit_[i] = 1
            consumed.add(signal_tag(intent, s))
            tags[i] = signal_tag(intent, s)
        return enter, exit_, tags

    def _skipped(self, pair: str, s: dict, why: str) -> None:
        """Said once per signal and rule: the bot decides every few seconds."""
        key = (pair, str(_ms(s["ts"])), why)
        if key in self._said:
            return
        if len(self._said) > 10_000:
            self._said.clear()
        self._said.add(key)
        logger.info(
            "ExternalSignalStrategy: %s %s signal of %s skipped: %s",
            pair,
            self.timeframe,
            s["ts"].astimezone(timezone.utc).isoformat(),
            why,
        )

    def _live_decision(self, pair: str, bar_open: datetime) -> tuple[str, str] | None:
        """Live and dry-run: the last closed candle, the position and what was acted on taken from Freqtrade's trades."""
        step = self._step
        now = datetime.now(timezone.utc)
        trades = Trade.get_trades_proxy(pair=pair)
        consumed = {t.enter_tag for t in trades} | {t.exit_reason for t in trades if not t.is_open}
        # A few bars before the window too: a signal that shows up only after its window has
        # passed (written too late) is said, once; at the first pass everything older counts as seen.
        window_start = bar_open - step * self.tolerance_bars
        lookback = step * (self.tolerance_bars + int(self.max_staleness_bars) + 2)
        first_pass = pair not in self._started
        self._started.add(pair)
        candidates = []
        for other in self._signals(pair, bar_open - lookback, bar_open):
            seen = (pair, _ms(other["ts"]))
            if other["ts"] >= window_start:
                candidates.append(other)
            elif not first_pass and seen not in self._seen:
                intent = self._intent(other)
                if intent is None or signal_tag(intent, other) not in consumed:
                    self._skipped(pair, other, "written too late: its +-%d bar window had passed" % self.tolerance_bars)
            self._seen.add(seen)
        if len(self._seen) > 50_000:  # only the last few bars matter
            oldest = _ms(bar_open - 2 * lookback)
            self._seen = {k for k in self._seen if k[1] >= oldest}
        s, ignored = self._pick(candidates, bar_open, now)
        for other, why in ignored:
            intent = self._intent(other)
            # a signal whose bar is still forming is not skipped: it is decided once its bar closes
            if why != NOT_CLOSED and (intent is None or signal_tag(intent, other) not in consumed):
                self._skipped(pair, other, why)
        if s is None:
            return None
        intent = self._intent(s)
        if intent is None:
            self._skipped(pair, s, "score/weight between the exit and entry levels")
            return None
        tag = signal_tag(intent, s)
        if tag in consumed:
            return None
        open_trade = next((t for t in trades if t.is_open), None)
        if intent == "enter":
            if open_trade is not None:
                self._skipped(pair, s, "already in a position")
                return None
            closed = [t for t in trades if not t.is_open and t.close_date is not None]
            if closed:
                last_exit = _bar_of(max(t.close_date for t in closed).replace(tzinfo=timezone.utc), step) - step
                if (bar_open - last_exit) / step < self.cooldown_bars:
                    self._skipped(pair, s, "cooldown after the last exit")
                    return None
        else:
            if open_trade is None:
                self._skipped(pair, s, "not in a position")
                return None
            entered = _bar_of(open_trade.open_date.replace(tzinfo=timezone.utc), step) - step
            if (bar_open - entered) / step < self.min_hold_bars:
                return None  # said again once the minimum hold is reached
        return intent, tag

    # -- Freqtrade's hooks -----------------------------------------------------------------------
    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dates = [d.to_pydatetime() for d in dataframe["date"]]
        dataframe["ext_enter"] = 0
        dataframe["ext_exit"] = 0
        dataframe["ext_tag"] = None
        if not dates:
            return dataframe
        pair = metadata["pair"]
        if self.dp is not None and self.dp.runmode in (RunMode.LIVE, RunMode.DRY_RUN):
            decision = self._live_decision(pair, dates[-1])
            if decision is not None:
                intent, tag = decision
                last = dataframe.index[-1]
                dataframe.loc[last, "ext_enter" if intent == "enter" else "ext_exit"] = 1
                dataframe.loc[last, "ext_tag"] = tag
            return dataframe
        enter, exit_, tags = self._decisions(dates, self._signals(pair, dates[0], dates[-1]))
        dataframe["ext_enter"] = enter
        dataframe["ext_exit"] = exit_
        dataframe["ext_tag"] = tags
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        rows = dataframe["ext_enter"] == 1
        dataframe.loc[rows, "enter_long"] = 1
        dataframe.loc[rows, "enter_tag"] = dataframe.loc[rows, "ext_tag"]
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        rows = dataframe["ext_exit"] == 1
        dataframe.loc[rows, "exit_long"] = 1
        dataframe.loc[rows, "exit_tag"] = dataframe.loc[rows, "ext_tag"]
        return dataframe
