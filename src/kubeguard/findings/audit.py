"""What ``kubeguard audit`` reports: alerts (an AUD rule matched an event), per-record input errors,
and counts. Reporters render these; the receiver sends the same alerts."""

from __future__ import annotations

from dataclasses import dataclass, field

from kubeguard.model.audit import AuditEvent, RecordError
from kubeguard.rules.audit import AuditRule
from kubeguard.rules.rule import Severity


@dataclass(slots=True, eq=False)
class Alert:
    """One AUD rule matched one event (or, for a burst rule, the event that completed the burst).

    Read-only by convention: not frozen, because a frozen dataclass costs several times more to
    build and a log can raise an alert for every other event."""

    rule: AuditRule
    event: AuditEvent
    message: str

    @property
    def severity(self) -> Severity:
        return self.rule.severity


@dataclass(slots=True)
class AuditSummary:
    """Counts for one run."""

    events: int = 0
    #: Events the rules looked at (stage ``RequestReceived`` and the ``ResponseComplete`` of a request
    #: already seen at ``ResponseStarted`` are skipped).
    evaluated: int = 0
    records_with_errors: int = 0
    #: Records of other kinds met in the inputs (component logs, other services' audit logs).
    skipped: int = 0
    #: Errors beyond the first ``MAX_ERRORS`` are counted here but not kept.
    errors_dropped: int = 0
    #: Rules that ran.
    rules: int = 0
    #: Rules selected but off under the configuration (AUD005, AUD045, AUD046, AUD048, AUD049 and
    #: AUD052 until their setting is given).
    rules_off: int = 0
    by_severity: dict[str, int] = field(default_factory=dict)
    by_rule: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class AuditReport:
    """Everything ``kubeguard audit`` found in its inputs."""

    alerts: list[Alert] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)
    summary: AuditSummary = field(default_factory=AuditSummary)
    #: Inputs that could not be opened at all (named, with the reason); also in ``errors``.
    unreadable: list[RecordError] = field(default_factory=list)
