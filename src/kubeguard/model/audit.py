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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

_T = TypeVar("_T")

#: Stages of the audit log (``audit.k8s.io/v1`` Stage).
REQUEST_RECEIVED = "RequestReceived"
RESPONSE_STARTED = "ResponseStarted"
RESPONSE_COMPLETE = "ResponseComplete"
PANIC = "Panic"

_EMPTY: Mapping[str, Any] = {}


@dataclass(slots=True)
class UserInfo:
    """``authentication.k8s.io/v1`` UserInfo: who made (or is impersonated in) the request.

    Read-only by convention (not frozen: a frozen dataclass costs several times more to build, and
    one is built for most events)."""

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


class AuditEvent:
    """One audit event. Built by :func:`event_from_dict`; rules must treat it as read-only.

    What the engine reads for every event (verb, stage, auditID, the object reference, the response
    code, the username) is taken from the decoded record at once; the rest (the user's groups,
    addresses, bodies, annotations, times) is read from it when a rule first asks, so an event no rule
    looks at closely costs little.
    Every field of the wrong type reads as absent (``""``, ``()``, ``None``).
    """

    __slots__ = (
        "_annotations",
        "_d",
        "_derived",
        "_epoch",
        "_ips",
        "_user",
        "anonymous",
        "api_group",
        "audit_id",
        "code",
        "failed",
        "impersonated",
        "name",
        "namespace",
        "origin",
        "resource",
        "stage",
        "subresource",
        "username",
        "verb",
    )

    def __init__(self, data: dict[str, Any], origin: str = "") -> None:
        self._d = data
        #: Where the event was read: ``file:line`` (or ``file:line#n`` for the n-th event of a list).
        self.origin = origin
        self._user: UserInfo | None = None
        self._annotations: Mapping[str, str] | None = None
        self._epoch: float | None = None
        self._ips: tuple[str, ...] | None = None
        self._derived: dict[str, Any] | None = None
        v = data.get("verb")
        self.verb: str = v if type(v) is str else ""
        v = data.get("stage")
        self.stage: str = v if type(v) is str else ""
        v = data.get("auditID")
        self.audit_id: str = v if type(v) is str else ""
        ref = data.get("objectRef")
        if type(ref) is dict:
            v = ref.get("resource")
            self.resource: str = v if type(v) is str else ""
            v = ref.get("subresource")
            self.subresource: str = v if type(v) is str else ""
            v = ref.get("namespace")
            self.namespace: str = v if type(v) is str else ""
            v = ref.get("name")
            self.name: str = v if type(v) is str else ""
            v = ref.get("apiGroup")
            self.api_group: str = v if type(v) is str else ""
        else:
            self.resource = self.subresource = self.namespace = self.name = self.api_group = ""
        #: ``responseStatus.code``; None when the event carries none.
        self.code: int | None = None
        #: The API server answered with an error (400 or more): the request did not happen.
        self.failed = False
        status = data.get("responseStatus")
        if type(status) is dict:
            v = status.get("code")
            if type(v) is int:
                self.code = v
                self.failed = v >= 400
        #: ``user.username`` (``""`` when missing): what the engine's per-user dispatch reads.
        self.username = ""
        #: An anonymous request: user ``system:anonymous`` or in group ``system:unauthenticated``.
        self.anonymous = False
        user = data.get("user")
        if type(user) is dict:
            v = user.get("username")
            if type(v) is str:
                self.username = v
                self.anonymous = v == "system:anonymous"
            if not self.anonymous:
                v = user.get("groups")
                self.anonymous = type(v) is list and "system:unauthenticated" in v
        #: The request was made as another identity (``impersonatedUser`` is set).
        self.impersonated = type(data.get("impersonatedUser")) is dict

    def derived(self, key: str, compute: Callable[[AuditEvent], _T]) -> _T:
        """``compute(self)``, computed once per event: for what several rules read from one event
        (the command of an exec request), so they share the work. ``key`` names ``compute``."""
        found = self._derived
        if found is None:
            found = self._derived = {}
        elif key in found:
            return found[key]  # type: ignore[no-any-return]
        value = found[key] = compute(self)
        return value

    def _text(self, key: str) -> str:
        v = self._d.get(key)
        return v if type(v) is str else ""

    @property
    def user(self) -> UserInfo:
        found = self._user
        if found is None:
            found = self._user = _user(self._d.get("user"))
        return found

    @property
    def impersonated_user(self) -> UserInfo | None:
        data = self._d.get("impersonatedUser")
        return _user(data) if isinstance(data, dict) else None

    @property
    def source_ips(self) -> tuple[str, ...]:
        found = self._ips
        if found is None:
            ips = self._d.get("sourceIPs")
            found = self._ips = tuple(i for i in ips if isinstance(i, str)) if isinstance(ips, list) else ()
        return found

    @property
    def client_ip(self) -> str:
        """The first of ``sourceIPs``, the client as far as the API server knows (``""`` if none)."""
        ips = self._d.get("sourceIPs")
        if type(ips) is list and ips and type(ips[0]) is str:
            return ips[0]
        found = self.source_ips
        return found[0] if found else ""

    @property
    def user_agent(self) -> str:
        return self._text("userAgent")

    @property
    def request_uri(self) -> str:
        return self._text("requestURI")

    @property
    def level(self) -> str:
        return self._text("level")

    @property
    def api_version(self) -> str:
        ref = self._d.get("objectRef")
        v = ref.get("apiVersion") if isinstance(ref, dict) else None
        return v if isinstance(v, str) else ""

    @property
    def reason(self) -> str:
        """``responseStatus.reason`` (else the first 200 characters of its ``message``)."""
        status = self._d.get("responseStatus")
        if not isinstance(status, dict):
            return ""
        return _str(status.get("reason")) or _str(status.get("message"))[:200]

    @property
    def request_object(self) -> Any:
        return self._d.get("requestObject")

    @property
    def response_object(self) -> Any:
        return self._d.get("responseObject")

    @property
    def annotations(self) -> Mapping[str, str]:
        found = self._annotations
        if found is None:
            raw = self._d.get("annotations")
            found = self._annotations = (
                {k: v for k, v in raw.items() if isinstance(v, str)} if isinstance(raw, dict) else _EMPTY
            )
        return found

    @property
    def time(self) -> str:
        """``stageTimestamp`` (else ``requestReceivedTimestamp``, else v1beta1 ``timestamp``), as written."""
        return (
            self._text("stageTimestamp") or self._text("requestReceivedTimestamp") or self._text("timestamp")
        )

    @property
    def request_received(self) -> str:
        return self._text("requestReceivedTimestamp")

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

    def __repr__(self) -> str:
        return f"AuditEvent({self.audit_id!r}, {self.verb} {self.target}, {self.origin!r})"


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
    if type(data) is not dict:
        raise NotAnEvent("not a JSON object")
    kind = data.get("kind")
    if kind is not None and kind != "Event":
        raise NotAnEvent("its kind is not an audit Event")
    if type(data.get("verb")) is not str or ("auditID" not in data and "requestURI" not in data):
        raise NotAnEvent("no verb, auditID or requestURI: not an audit Event")
    return AuditEvent(data, origin)
