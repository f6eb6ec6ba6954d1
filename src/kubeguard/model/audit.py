"""Kubernetes audit events, normalized: one typed, read-only view of an ``audit.k8s.io`` Event.

Every input format (the API server's log and webhook backends, EKS, GKE and AKS exports) is turned
into :class:`AuditEvent` by ``kubeguard.loading.audit``; AUD rules read only this view. The view keeps
what rules read (who, what, from where, with what outcome) as plain attributes, and the request and
response objects as decoded JSON (only present when the audit policy logged them at ``Request`` or
``RequestResponse`` level).

``audit.k8s.io/v1`` and ``v1beta1`` share these fields; ``v1beta1`` also carried ``timestamp``, used
when the stage timestamps are missing.

Outcome: ``code`` is ``responseStatus.code``. A request answered with 400 or more did not do what it
asked for (:attr:`AuditEvent.failed`): a denied exec is an attempt, never an exec. An event without
a code (``RequestReceived``, or an export that drops it on success) counts as succeeded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: Stages of the audit log (``audit.k8s.io/v1`` Stage).
REQUEST_RECEIVED = "RequestReceived"
RESPONSE_STARTED = "ResponseStarted"
RESPONSE_COMPLETE = "ResponseComplete"
PANIC = "Panic"

_EMPTY: Mapping[str, Any] = {}


@dataclass(frozen=True, slots=True)
class UserInfo:
    """``authentication.k8s.io/v1`` UserInfo: who made (or is impersonated in) the request."""

    username: str = ""
    groups: tuple[str, ...] = ()
    uid: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_anonymous(self) -> bool:
        return self.username == "system:anonymous" or "system:unauthenticated" in self.groups

    @property
    def service_account(self) -> tuple[str, str] | None:
        """``(namespace, name)`` when the user is a service account (``system:serviceaccount:ns:name``)."""
        if not self.username.startswith("system:serviceaccount:"):
            return None
        parts = self.username.split(":", 3)
        return (parts[2], parts[3]) if len(parts) == 4 else None


ANONYMOUS_NONE = UserInfo()


@dataclass(slots=True)
class AuditEvent:
    """One audit event. Built by :func:`event_from_dict`; rules must treat it as read-only."""

    audit_id: str
    stage: str
    verb: str
    request_uri: str
    user: UserInfo
    impersonated_user: UserInfo | None
    source_ips: tuple[str, ...]
    user_agent: str
    resource: str
    subresource: str
    namespace: str
    name: str
    api_group: str
    api_version: str
    #: ``responseStatus.code``; None when the event carries none.
    code: int | None
    #: ``responseStatus.reason`` / ``message`` (short; never secret values).
    reason: str
    request_object: Any
    response_object: Any
    annotations: Mapping[str, str]
    level: str
    #: ``stageTimestamp`` (else ``requestReceivedTimestamp``, else v1beta1 ``timestamp``), as written.
    time: str
    request_received: str
    #: Where the event was read: ``file:line`` (or ``file:line#n`` for the n-th event of a list).
    origin: str = ""
    _epoch: float | None = field(default=None, repr=False, compare=False)

    @property
    def failed(self) -> bool:
        """The API server answered with an error (400 or more): the request did not happen."""
        return self.code is not None and self.code >= 400

    @property
    def decision(self) -> str:
        """``authorization.k8s.io/decision``: ``allow``, ``forbid``, or ``""`` when not recorded."""
        return self.annotations.get("authorization.k8s.io/decision", "")

    @property
    def epoch(self) -> float:
        """The event time as seconds since the epoch (0.0 when the time is missing or unreadable)."""
        if self._epoch is None:
            self._epoch = parse_time(self.time)
        return self._epoch

    @property
    def target(self) -> str:
        """``resource[/subresource] namespace/name`` for messages."""
        what = self.resource + (f"/{self.subresource}" if self.subresource else "")
        where = f"{self.namespace}/{self.name}" if self.namespace else self.name
        return f"{what} {where}".strip() if what else self.request_uri


def parse_time(text: str) -> float:
    """RFC 3339 (``2024-05-01T12:00:00.123456Z``) to epoch seconds; 0.0 when unreadable."""
    if not text:
        return 0.0
    try:
        stamp = dt.datetime.fromisoformat(text)
    except ValueError:
        return 0.0
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    return stamp.timestamp()


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _user(data: Any) -> UserInfo:
    if not isinstance(data, dict):
        return ANONYMOUS_NONE
    groups = data.get("groups")
    extra = data.get("extra")
    return UserInfo(
        username=_str(data.get("username")),
        groups=tuple(g for g in groups if isinstance(g, str)) if isinstance(groups, list) else (),
        uid=_str(data.get("uid")),
        extra=extra if isinstance(extra, dict) else _EMPTY,
    )


@dataclass(frozen=True, slots=True)
class RecordError:
    """A record (or a whole input) that could not be read as audit events: where (``file:line``,
    ``file:line#n`` for the n-th event of a record) and why, never its text."""

    origin: str
    message: str
    #: The whole input could not be read (missing file, permission denied), not one record.
    whole_input: bool = False

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}" if self.origin else self.message


@dataclass(frozen=True, slots=True)
class Skipped:
    """A well-formed record that is no Kubernetes audit event (another AKS log category, another
    Google Cloud service): counted, not an error."""

    origin: str
    reason: str


class NotAnEvent(ValueError):
    """The record is JSON but not an audit Event (wrong kind or shape); the message says why."""


def event_from_dict(data: Any, origin: str = "") -> AuditEvent:
    """Normalize one decoded ``audit.k8s.io`` Event (v1 or v1beta1). Fields of the wrong type read as
    absent, so a hostile record cannot make a rule raise; a record that is no Event at all raises
    :class:`NotAnEvent`."""
    if not isinstance(data, dict):
        raise NotAnEvent("not a JSON object")
    kind = data.get("kind")
    if kind is not None and kind != "Event":
        raise NotAnEvent("its kind is not an audit Event")
    verb = data.get("verb")
    if not isinstance(verb, str) or ("auditID" not in data and "requestURI" not in data):
        raise NotAnEvent("no verb, auditID or requestURI: not an audit Event")
    ref = data.get("objectRef")
    if not isinstance(ref, dict):
        ref = _EMPTY
    status = data.get("responseStatus")
    code: int | None = None
    reason = ""
    if isinstance(status, dict):
        raw_code = status.get("code")
        if isinstance(raw_code, int) and not isinstance(raw_code, bool):
            code = raw_code
        reason = _str(status.get("reason")) or _str(status.get("message"))[:200]
    ips = data.get("sourceIPs")
    annotations = data.get("annotations")
    impersonated = data.get("impersonatedUser")
    received = _str(data.get("requestReceivedTimestamp"))
    return AuditEvent(
        audit_id=_str(data.get("auditID")),
        stage=_str(data.get("stage")),
        verb=verb,
        request_uri=_str(data.get("requestURI")),
        user=_user(data.get("user")),
        impersonated_user=_user(impersonated) if isinstance(impersonated, dict) else None,
        source_ips=tuple(i for i in ips if isinstance(i, str)) if isinstance(ips, list) else (),
        user_agent=_str(data.get("userAgent")),
        resource=_str(ref.get("resource")),
        subresource=_str(ref.get("subresource")),
        namespace=_str(ref.get("namespace")),
        name=_str(ref.get("name")),
        api_group=_str(ref.get("apiGroup")),
        api_version=_str(ref.get("apiVersion")),
        code=code,
        reason=reason,
        request_object=data.get("requestObject"),
        response_object=data.get("responseObject"),
        annotations=(
            {k: v for k, v in annotations.items() if isinstance(v, str)}
            if isinstance(annotations, dict)
            else _EMPTY
        ),
        level=_str(data.get("level")),
        time=_str(data.get("stageTimestamp")) or received or _str(data.get("timestamp")),
        request_received=received,
        origin=origin,
    )
