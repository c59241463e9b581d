"""Structured logs: one line per page outcome (DEBUG), one per run (INFO), key=value or JSON.

The `regionews` logger is plain stdlib logging, so Prefect can forward it to its API
(PREFECT_LOGGING_EXTRA_LOGGERS=regionews, set by the CLI) and any log shipper can read it.
Per-page lines cost nothing unless DEBUG is on: the fields are built only then.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from parsers.records import Failure, PageResult

log = logging.getLogger("regionews")


def _value(v: object) -> str:
    text = str(v)
    if text == "" or any(c in text for c in ' ="'):
        return json.dumps(text, ensure_ascii=False)
    return text


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "fields", {})
        ts = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        head = f"ts={ts} level={record.levelname.lower()} event={record.getMessage()}"
        return " ".join([head, *(f"{k}={_value(v)}" for k, v in fields.items())])


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        ts = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        out = {"ts": ts, "level": record.levelname.lower(), "event": record.getMessage()}
        out.update(getattr(record, "fields", {}))
        return json.dumps(out, ensure_ascii=False, default=str)


def setup(level: str | None = None, fmt: str | None = None) -> None:
    """Send `regionews` logs to stderr (REGIONEWS_LOG_LEVEL, REGIONEWS_LOG_FORMAT=kv|json)."""
    level = (level or os.environ.get("REGIONEWS_LOG_LEVEL") or "WARNING").upper()
    fmt = (fmt or os.environ.get("REGIONEWS_LOG_FORMAT") or "kv").lower()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else KeyValueFormatter())
    handler.set_name("regionews-stderr")
    log.handlers = [h for h in log.handlers if h.get_name() != "regionews-stderr"]
    log.addHandler(handler)
    log.setLevel(level)


def page_outcomes(run: str, results: Sequence[PageResult], failures: Sequence[Failure] = ()) -> None:
    """One DEBUG line per page: url, outcome, parser and the failure reason if any."""
    if not log.isEnabledFor(logging.DEBUG):
        return
    for r in results:
        fields = {"run": run, "url": r.page.url, "outcome": r.outcome, "parser": r.parser}
        if r.failure is not None:
            fields["reason"] = r.failure.reason
        log.debug("page", extra={"fields": fields})
    for f in failures:
        fields = {"run": run, "url": f.url, "outcome": "failed", "stage": f.stage, "reason": f.reason}
        log.debug("page", extra={"fields": fields})


def run_done(kind: str, run: str, status: str, seconds: float, counts: dict) -> None:
    """One INFO line per run with its counts (nested dicts such as reasons go in as JSON)."""
    fields: dict[str, object] = {"kind": kind, "run": run, "status": status, "seconds": round(seconds, 2)}
    for k, v in counts.items():
        fields[k] = json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v
    log.info("run", extra={"fields": fields})


def run_name(kind: str) -> str:
    """A Prefect flow run name that says what and when: crawl-tianshui-20261124T0430Z, load-…"""
    from prefect.runtime import flow_run

    params = flow_run.parameters or {}
    what = params.get("sites") or params.get("site") or None
    if isinstance(what, list):
        what = "+".join(what)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%MZ")
    return f"{kind}-{what}-{stamp}" if what else f"{kind}-{stamp}"
