"""Running AUD rules over a stream of audit events, with bounded state.

Dispatch: rules are indexed by what an event asks for (verb, API group, resource, subresource,
failed or not, anonymous or not, impersonating or not, and which user-gated rules admit its
username); the first event of each shape computes the rules that can match it, later events of
that shape reuse the answer, so a rule's ``check`` runs only for events its :class:`Dispatch` admits.

Stages: one request is logged at several stages. ``RequestReceived`` has no outcome yet and is
skipped. A long-running request (exec, attach, port-forward, watch) is logged at ``ResponseStarted``
when the session opens and at ``ResponseComplete`` when it ends, possibly hours later: it is judged
at ``ResponseStarted`` (so an exec alerts while it runs) and its ``ResponseComplete`` (same
``auditID``) is skipped. Every other request is judged at ``ResponseComplete`` (or ``Panic``).
Events without a stage (some cloud exports) are judged as they come.

Memory: the table of event shapes is capped (``MAX_SHAPES``; beyond it shapes are matched without
caching), the ``auditID``\\s awaiting their ``ResponseComplete`` are capped (``MAX_OPEN``, oldest
forgotten first), and each burst rule keeps at most ``Burst.max_keys`` keys of at most
``Burst.threshold`` times each.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Sequence

from kubeguard.findings.audit import Alert, AuditReport
from kubeguard.model.audit import (
    PANIC,
    REQUEST_RECEIVED,
    RESPONSE_COMPLETE,
    RESPONSE_STARTED,
    AuditEvent,
    RecordError,
    Skipped,
)
from kubeguard.rules.audit import AuditContext, AuditRule, Burst

MAX_SHAPES = 4096
MAX_OPEN = 100_000
#: Usernames whose user-gated rules are remembered; beyond it users are judged without caching.
MAX_USERS = 65_536
#: Record errors kept in a report; more are counted only.
MAX_ERRORS = 1000

_Shape = tuple[str, str, str, str, bool, bool, bool]
_NO_ALERTS: tuple[Alert, ...] = ()
_NONE: frozenset[str] = frozenset()


class BurstWindow:
    """Sliding windows of one burst rule: per key, the times of its recent matching events."""

    __slots__ = ("_burst", "_keys")

    def __init__(self, burst: Burst) -> None:
        self._burst = burst
        self._keys: OrderedDict[str, deque[float]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._keys)

    def observe(self, event: AuditEvent) -> str | None:
        """Record one matching event; the burst message when it completes a burst, else None."""
        burst = self._burst
        key = burst.key(event)
        times = self._keys.get(key)
        if times is None:
            times = self._keys[key] = deque()
            if len(self._keys) > burst.max_keys:
                self._keys.popitem(last=False)
        else:
            self._keys.move_to_end(key)
        now = event.epoch
        cutoff = now - burst.window
        while times and times[0] <= cutoff:
            times.popleft()
        times.append(now)
        if len(times) < burst.threshold:
            return None
        count = len(times)
        times.clear()
        return burst.message.format(count=count, window=f"{burst.window:g}", key=key)


class AuditEngine:
    """Feeds events to the rules; keeps the bounded state stateful rules and stages need."""

    def __init__(self, rules: Sequence[AuditRule], ctx: AuditContext | None = None) -> None:
        self.ctx = ctx or AuditContext()
        #: The rules that run: those selected, less those their configuration turns off.
        self.rules = tuple(r for r in rules if r.enabled is None or r.enabled(self.ctx))
        #: Selected rules left out because the configuration turns them off.
        self.off = tuple(r for r in rules if r not in self.rules)
        self._gated = tuple(r for r in self.rules if r.users is not None)
        #: per admitted set of user-gated rules: event shape -> the rules it reaches
        self._shapes: dict[frozenset[str], dict[_Shape, tuple[AuditRule, ...]]] = {}
        self._shape_count = 0
        self._users: dict[str, frozenset[str]] = {}
        self._admitted: dict[frozenset[str], frozenset[str]] = {}
        self._open: OrderedDict[str, None] = OrderedDict()
        self._windows = {r.code: BurstWindow(r.burst) for r in self.rules if r.burst is not None}
        #: Rule failures (a bug, or an event shape a rule did not expect), as (rule code, event origin, error type).
        self.failures: list[tuple[str, str, str]] = []
        self.failure_count = 0
        self.evaluated = 0

    def _judged(self, event: AuditEvent) -> bool:
        """Whether this stage of the request is the one judged (see the module docstring)."""
        stage = event.stage
        if stage == RESPONSE_COMPLETE:
            if self._open and event.audit_id in self._open:
                del self._open[event.audit_id]
                return False
            return True
        if stage == REQUEST_RECEIVED:
            return False
        if stage == RESPONSE_STARTED:
            if event.audit_id:
                self._open[event.audit_id] = None
                if len(self._open) > MAX_OPEN:
                    self._open.popitem(last=False)
            return True
        if stage == PANIC and event.audit_id in self._open:
            del self._open[event.audit_id]
            return False
        return True

    def _admit(self, username: str) -> frozenset[str]:
        """The codes of the user-gated rules that admit this username (cached, bounded)."""
        found = self._users.get(username)
        if found is None:
            codes = frozenset(
                r.code for r in self._gated if r.users is not None and r.users(username, self.ctx)
            )
            # one object per distinct answer, so the shape tables stay few
            found = self._admitted.setdefault(codes, codes)
            if len(self._users) < MAX_USERS:
                self._users[username] = found
        return found

    def rules_for(self, event: AuditEvent) -> tuple[AuditRule, ...]:
        """The rules whose dispatch admits this event (and whose user test admits its user)."""
        admitted = _NONE
        if self._gated:
            known = self._users.get(event.user.username)
            admitted = self._admit(event.user.username) if known is None else known
        request = event.dispatch_key()
        table = self._shapes.get(admitted)
        if table is None:
            table = self._shapes[admitted] = {}
        found = table.get(request)
        if found is None:
            found = tuple(
                r for r in self.rules if r.on.matches(*request) and (r.users is None or r.code in admitted)
            )
            if self._shape_count < MAX_SHAPES:
                self._shape_count += 1
                table[request] = found
        return found

    def feed(self, event: AuditEvent) -> Sequence[Alert]:
        """The alerts one event raises (usually none: then an empty tuple)."""
        stage = event.stage
        if stage == RESPONSE_COMPLETE and not self._open:  # the common case, decided at once
            pass
        elif not self._judged(event):
            return _NO_ALERTS
        self.evaluated += 1
        rules = self.rules_for(event)
        if not rules:
            return _NO_ALERTS
        alerts: list[Alert] = []
        ctx = self.ctx
        for rule in rules:
            try:
                message = rule.check(event, ctx)
                if message is None:
                    continue
                if rule.burst is not None:
                    message = self._windows[rule.code].observe(event)
                    if message is None:
                        continue
            except Exception as exc:  # a rule bug must not stop the stream; it is reported
                self.failure_count += 1
                if len(self.failures) < MAX_ERRORS:
                    self.failures.append((rule.code, event.origin, type(exc).__name__))
                continue
            alerts.append(Alert(rule, event, message))
        return alerts


def run_audit(
    items: Iterable[AuditEvent | RecordError | Skipped],
    rules: Sequence[AuditRule],
    ctx: AuditContext | None = None,
    on_alert: Callable[[Alert], None] | None = None,
    keep_alerts: bool = True,
) -> AuditReport:
    """Evaluate a stream of events (and record errors met while reading it) into a report.

    ``on_alert`` sees each alert as it is raised (streaming output); ``keep_alerts=False`` keeps only
    the counts, so memory does not grow with the number of alerts.
    """
    engine = AuditEngine(rules, ctx)
    report = AuditReport()
    summary = report.summary
    summary.rules = len(engine.rules)
    summary.rules_off = len(engine.off)
    by_rule = summary.by_rule
    feed = engine.feed
    events = 0
    for item in items:
        if type(item) is not AuditEvent:
            if isinstance(item, Skipped):
                summary.skipped += 1
                continue
            if isinstance(item, RecordError):
                if item.whole_input:
                    report.unreadable.append(item)
                summary.records_with_errors += 1
                if len(report.errors) < MAX_ERRORS:
                    report.errors.append(item)
                else:
                    summary.errors_dropped += 1
                continue
        events += 1
        alerts = feed(item)
        if alerts:
            for alert in alerts:
                code = alert.rule.code
                by_rule[code] = by_rule.get(code, 0) + 1
                if on_alert is not None:
                    on_alert(alert)
                if keep_alerts:
                    report.alerts.append(alert)
    summary.events = events
    summary.evaluated = engine.evaluated
    severity = {r.code: r.severity for r in engine.rules}
    for sev in sorted({severity[code] for code in by_rule}, reverse=True):
        summary.by_severity[sev.label] = sum(n for code, n in by_rule.items() if severity[code] is sev)
    for code, origin, error in engine.failures[:MAX_ERRORS]:
        report.errors.append(RecordError(origin, f"rule {code} failed on this event ({error})"))
    return report
