"""Detection from the spool: frames read in order, AUD rules run, alerts handed to sinks, offset kept.

The offset is recorded after a frame's alerts were handed to the sinks, so a crash repeats at most
the alerts of the frames after the last recorded offset (at least once, never lost). Burst windows
live in memory and start empty after a restart.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from kubeguard.engine.audit import AuditEngine
from kubeguard.findings.audit import Alert
from kubeguard.loading.audit import decode_record
from kubeguard.model.audit import AuditEvent, RecordError
from kubeguard.receiver.spool import Position, Spool
from kubeguard.rules.audit import AuditContext, AuditRule

log = logging.getLogger("kubeguard.receiver")

Sink = Callable[[Alert], None]


class Detector:
    """The consumer thread of one spool."""

    def __init__(
        self, spool: Spool, rules: Sequence[AuditRule], ctx: AuditContext, sinks: Sequence[Sink]
    ) -> None:
        self.spool = spool
        self.engine = AuditEngine(rules, ctx)
        self.sinks = tuple(sinks)
        self.events = 0
        self.alerts = 0
        self.record_errors = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="kubeguard-audit-detector", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = None) -> None:
        """Read what is already on disk, then stop."""
        self._stop.set()
        self.spool.wake()
        if self._thread is not None:
            self._thread.join(timeout)

    def run(self) -> None:
        position = self.spool.committed
        while True:
            position = self.step(position)
            if self._stop.is_set() and not self.spool.durable > position:
                return
            self.spool.wait(position, 0.5)

    def step(self, position: Position) -> Position:
        """Process every durable frame after ``position``; the position everything durable was
        read up to. That is the end of what was durable when the pass began, even where no frame
        ends there (a brand-new spool's empty first segment, damaged frames skipped), so the
        next wait sleeps instead of waking at once for bytes already read."""
        end = self.spool.durable
        for after, payload in self.spool.read(position):
            self._process(payload, f"spool {after.segment}:{after.offset}")
            position = after
            self.spool.commit(position)
        return max(position, end)

    def _process(self, payload: bytes, origin: str) -> None:
        for item in decode_record(payload, origin):
            if isinstance(item, AuditEvent):
                self.events += 1
                for alert in self.engine.feed(item):
                    self.alerts += 1
                    for sink in self.sinks:
                        sink(alert)
            elif isinstance(item, RecordError):
                self.record_errors += 1
                log.warning("%s", item)
