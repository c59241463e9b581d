"""Progress output: a bar on a terminal, a plain line now and then without one.

Load and reparse use `Progress`; the crawl's per-site view (flows/crawlview.py) follows the
same rule: live display on a terminal, plain `<label>: ...` lines on stderr otherwise.
"""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(
        self, total: int | None, label: str, enabled: bool = True, every_seconds: float = 5.0
    ) -> None:
        self.total = total  # None: not known up front (WARC files are read as a stream)
        self.label = label
        self.done = 0
        self.enabled = enabled and total != 0
        self.tty = sys.stderr.isatty()
        self.every = every_seconds
        self._started = self._last = time.monotonic()
        self._bar = None
        if self.enabled and self.tty:
            from rich.progress import Progress as RichProgress  # rich comes with prefect

            self._bar = RichProgress(transient=True)
            self._bar.start()
            self._task = self._bar.add_task(label, total=total)

    def advance(self, n: int) -> None:
        self.done += n
        if not self.enabled:
            return
        if self._bar is not None:
            self._bar.update(self._task, advance=n)
        elif time.monotonic() - self._last >= self.every or (self.total and self.done >= self.total):
            self._last = time.monotonic()
            self._line()

    def _line(self) -> None:
        seconds = time.monotonic() - self._started
        of = f"/{self.total}" if self.total else ""
        rate = self.done / seconds if seconds > 0 else 0.0
        print(f"{self.label}: {self.done}{of} pages ({rate:.0f} pages/s)", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
        elif self.enabled and self.done and (not self.total or self.done < self.total):
            self._line()  # the final count, when the last periodic line did not show it
