"""Progress output: a bar on a terminal, a plain line now and then without one."""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, total: int, label: str, enabled: bool = True, every_seconds: float = 5.0) -> None:
        self.total = total
        self.label = label
        self.done = 0
        self.enabled = enabled and total > 0
        self.tty = sys.stderr.isatty()
        self.every = every_seconds
        self._last = time.monotonic()
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
        elif time.monotonic() - self._last >= self.every or self.done >= self.total:
            self._last = time.monotonic()
            print(f"{self.label}: {self.done}/{self.total} pages", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
