"""Structured logs: one line per page outcome (DEBUG), one per run (INFO), key=value or JSON.

The `regionews` logger is plain stdlib logging, so Prefect can forward it to its API
(PREFECT_LOGGING_EXTRA_LOGGERS=regionews, set by the CLI) and any log shipper can read it.
Per-page lines cost nothing unless DEBUG is on: the fields are built only then.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from warehouse.settings import Settings

if TYPE_CHECKING:
    from parsers.records import Failure, PageResult

log = logging.getLogger("regionews")
# INFO by default so a served flow run (a process the CLI did not set up) still sends its run
# line to the Prefect API; DEBUG (per-page lines) only when asked for.
if log.level == logging.NOTSET:
    log.setLevel(Settings.from_env().log_level or "INFO")


def _value(v: object) -> str:
    if isinstance(v, dict | list | tuple):
        text = json.dumps(v, ensure_ascii=False, separators=(",", ":"), default=str)
    else:
        text = str(v)
    if text == "" or any(c in text for c in ' ="'):
        return json.dumps(text, ensure_ascii=False)
    return text


class _Fields:
    """The fields as `k=v ...`, rendered only if a handler formats the message (Prefect's API one)."""

    __slots__ = ("fields",)

    def __init__(self, fields: dict[str, object]) -> None:
        self.fields = fields

    def __str__(self) -> str:
        return " ".join(f"{k}={_value(v)}" for k, v in self.fields.items())


def _emit(level: int, event: str, fields: dict[str, object]) -> None:
    log.log(level, "%s %s", event, _Fields(fields), extra={"event": event, "fields": fields})


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        ts = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        return f"ts={ts} level={record.levelname.lower()} event={record.getMessage()}"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        ts = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        event = getattr(record, "event", None) or record.getMessage()
        out = {"ts": ts, "level": record.levelname.lower(), "event": event}
        out.update(getattr(record, "fields", {}))
        return json.dumps(out, ensure_ascii=False, default=str)


def setup(level: str | None = None, fmt: str | None = None) -> None:
    """Send `regionews` logs at `level` and above to stderr (REGIONEWS_LOG_LEVEL, default WARNING;
    REGIONEWS_LOG_FORMAT=kv|json). The logger itself stays at INFO or lower for Prefect's API."""
    settings = Settings.from_env()
    level = (level or settings.log_level or "WARNING").upper()
    fmt = (fmt or settings.log_format).lower()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else KeyValueFormatter())
    handler.set_name("regionews-stderr")
    handler.setLevel(level)
    log.handlers = [h for h in log.handlers if h.get_name() != "regionews-stderr"]
    log.addHandler(handler)
    log.setLevel(min(logging.getLevelName(level), logging.INFO))
    log.propagate = False  # Prefect's root console handler would print every line a second time


def page_outcomes(run: str, results: Sequence[PageResult], failures: Sequence[Failure] = ()) -> None:
    """One DEBUG line per page: url, outcome, parser and the failure reason if any."""
    if not log.isEnabledFor(logging.DEBUG):
        return
    for r in results:
        fields = {"run": run, "url": r.page.url, "outcome": r.outcome, "parser": r.parser}
        if r.failure is not None:
            fields["reason"] = r.failure.reason
        _emit(logging.DEBUG, "page", fields)
    for f in failures:
        fields = {"run": run, "url": f.url, "outcome": "failed", "stage": f.stage, "reason": f.reason}
        _emit(logging.DEBUG, "page", fields)


def run_done(kind: str, run: str, status: str, seconds: float, counts: dict) -> None:
    """One INFO line per run with its counts (nested dicts such as reasons go in as JSON)."""
    fields: dict[str, object] = {"kind": kind, "run": run, "status": status, "seconds": round(seconds, 2)}
    fields.update({k: v for k, v in counts.items() if k not in fields})  # ours win: rounded seconds
    _emit(logging.INFO, "run", fields)


def run_name(kind: str) -> str:
    """A Prefect flow run name that says what and when: crawl-tianshui-20261124T0430Z, load-…"""
    # lazy: Prefect takes seconds to import; only runs through it need it
    from prefect.runtime import flow_run

    params = flow_run.parameters or {}
    what = params.get("sites") or params.get("site") or None
    if isinstance(what, list):
        what = "+".join(what)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%MZ")
    return f"{kind}-{what}-{stamp}" if what else f"{kind}-{stamp}"
