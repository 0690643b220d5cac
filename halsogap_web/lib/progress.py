"""A progress bar for long command-line work (imports, demo loading)."""

from __future__ import annotations

import sys
import time


class TerminalProgress:
    """Callable(done, total) that redraws one line at most every 0.2 seconds."""

    def __init__(self, label: str, *, stream=None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.last = 0.0
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.2 and done < total:
            return
        self.last = now
        share = done / total if total else 1.0
        filled = int(30 * share)
        self.stream.write(
            f"\r{self.label}: [{'#' * filled}{'.' * (30 - filled)}] {share:4.0%} "
            f"({done:,} av {total:,} rader)".replace(",", " ")
        )
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
