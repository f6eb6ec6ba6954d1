"""Kubernetes audit events, normalized: one typed, read-only view of an ``audit.k8s.io`` Event.

Every input format (the API server's log and webhook backends, EKS, GKE and AKS exports) is turned
into :class:`AuditEvent` by ``kubeguard.loading.audit``; AUD rules read only this view. The view keeps
what rules read (who, what, from where, with what outcome) as typed fields, and the request and
response objects as decoded JSON (only present when the audit policy logged them at ``Request`` or
``RequestResponse`` level). The types are ``msgspec`` structs, so a JSON line is decoded straight
into them, its types checked in C in the same pass.

``audit.k8s.io/v1`` and ``v1beta1`` share these fields; ``v1beta1`` also carried ``timestamp``, used
when the stage timestamps are missing.

Outcome: ``code`` is ``responseStatus.code``. A request answered with 400 or more did not do what it
asked for (:attr:`AuditEvent.failed`): a denied exec is an attempt, never an exec. An event without
a code (``RequestReceived``, or an export that drops it on success) counts as succeeded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import msgspec

_T = TypeVar("_T")

#: Stages of the audit log (``audit.k8s.io/v1`` Stage).
REQUEST_RECEIVED = "RequestReceived"
RESPONSE_STARTED = "ResponseStarted"
RESPONSE_COMPLETE = "ResponseComplete"
PANIC = "Panic"


class UserInfo(msgspec.Struct, frozen=True, gc=False):
    """``authentication.k8s.io/v1`` UserInfo: who made (or is impersonated in) the request."""

    username: str = ""
    groups: tuple[str, ...] = ()
    uid: str = ""
    extra: dict[str, Any] = {}

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


class ObjectRef(msgspec.Struct, frozen=True, gc=False, rename="camel"):
    """``objectRef``: the object a request is about (empty for non-resource requests)."""

    resource: str = ""
    subresource: str = ""
    namespace: str = ""
    name: str = ""
    api_group: str = ""
    api_version: str = ""


class ResponseStatus(msgspec.Struct, frozen=True, gc=False):
    """``responseStatus``: the answer's code (None when not logged), reason and message."""

    code: int | None = None
    reason: str = ""
    message: str = ""


_NO_REF = ObjectRef()
_NO_STATUS = ResponseStatus()


class AuditEvent(msgspec.Struct, gc=False, rename="camel"):
    """One audit event. Decoded by ``kubeguard.loading.audit`` (JSON straight into this type) or
    built by :func:`event_from_dict`; rules must treat it as read-only.

    The fields are the Event's, typed: decoding checks every type in one pass in C, and a record with
    a field of the wrong type is read again by :func:`event_from_dict`, where such a field reads as
    absent (``""``, ``()``, ``None``), so a hostile record cannot make a rule raise. Fields the
    rules do not read are not kept.

    ``origin`` (where the event was read) and the per-event cache are set after decoding, never
    from the record.
    """

    kind: str = "Event"
    verb: str = ""
    stage: str = ""
    audit_id: str = msgspec.field(default="", name="auditID")
    request_uri: str = msgspec.field(default="", name="requestURI")
    level: str = ""
    user: UserInfo = ANONYMOUS_NONE
    impersonated_user: UserInfo | None = None
    source_ips: tuple[str, ...] = msgspec.field(default=(), name="sourceIPs")
    user_agent: str = ""
    object_ref: ObjectRef = _NO_REF
    response_status: ResponseStatus = _NO_STATUS
    request_object: Any = None
    response_object: Any = None
    request_received: str = msgspec.field(default="", name="requestReceivedTimestamp")
    stage_timestamp: str = ""
    #: ``audit.k8s.io/v1beta1`` only.
    timestamp: str = ""
    annotations: dict[str, str] = {}
    #: Where the event was read: ``file:line`` (or ``file:line#n`` for the n-th event of a list).
    #: Set by the reader after decoding (a record's own ``origin`` key is overwritten).
    origin: str = ""
    #: Values several rules compute from one event (see :meth:`derived`); reset after decoding.
    cache: dict[str, Any] | None = None

    # --- what the engine reads for every event --------------------------------------------------

    @property
    def resource(self) -> str:
        return self.object_ref.resource

    @property
    def subresource(self) -> str:
        return self.object_ref.subresource

    @property
    def namespace(self) -> str:
        return self.object_ref.namespace

    @property
    def name(self) -> str:
        return self.object_ref.name

    @property
    def api_group(self) -> str:
        return self.object_ref.api_group

    @property
    def api_version(self) -> str:
        return self.object_ref.api_version

    @property
    def code(self) -> int | None:
        """``responseStatus.code``; None when the event carries none."""
        return self.response_status.code

    @property
    def failed(self) -> bool:
        """The API server answered with an error (400 or more): the request did not happen."""
        code = self.response_status.code
        return code is not None and code >= 400

    @property
    def username(self) -> str:
        return self.user.username

    @property
    def anonymous(self) -> bool:
        """An anonymous request: user ``system:anonymous`` or in group ``system:unauthenticated``."""
        return self.user.is_anonymous

    @property
    def impersonated(self) -> bool:
        """The request was made as another identity (``impersonatedUser`` is set)."""
        return self.impersonated_user is not None

    def dispatch_key(self) -> tuple[str, str, str, str, bool, bool, bool]:
        """What the engine dispatches on, read in one call: verb, API group, resource, subresource,
        failed, anonymous, impersonated."""
        # failed, anonymous and impersonated written out rather than called: this runs for every
        # event (4% fewer instructions per event); a test keeps the two definitions in agreement
        ref = self.object_ref
        code = self.response_status.code
        user = self.user
        return (
            self.verb,
            ref.api_group,
            ref.resource,
            ref.subresource,
            code is not None and code >= 400,
            user.username == "system:anonymous" or "system:unauthenticated" in user.groups,
            self.impersonated_user is not None,
        )

    # --- the rest -------------------------------------------------------------------------------

    def derived(self, key: str, compute: Callable[[AuditEvent], _T]) -> _T:
        """``compute(self)``, computed once per event: for what several rules read from one event
        (the command of an exec request), so they share the work. ``key`` names ``compute``."""
        found = self.cache
        if found is None:
            found = self.cache = {}
        elif key in found:
            return found[key]  # type: ignore[no-any-return]
        value = found[key] = compute(self)
        return value

    @property
    def client_ip(self) -> str:
        """The first of ``sourceIPs``, the client as far as the API server knows (``""`` if none)."""
        ips = self.source_ips
        return ips[0] if ips else ""

    @property
    def reason(self) -> str:
        """``responseStatus.reason`` (else the first 200 characters of its ``message``)."""
        status = self.response_status
        return status.reason or status.message[:200]

    @property
    def time(self) -> str:
        """``stageTimestamp`` (else ``requestReceivedTimestamp``, else v1beta1 ``timestamp``), as written."""
        return self.stage_timestamp or self.request_received or self.timestamp

    @property
    def decision(self) -> str:
        """``authorization.k8s.io/decision``: ``allow``, ``forbid``, or ``""`` when not recorded."""
        return self.annotations.get("authorization.k8s.io/decision", "")

    @property
    def epoch(self) -> float:
        """The event time as seconds since the epoch (0.0 when the time is missing or unreadable)."""
        return self.derived("epoch", _epoch)

    @property
    def target(self) -> str:
        """``resource[/subresource] namespace/name`` for messages."""
        ref = self.object_ref
        what = ref.resource + (f"/{ref.subresource}" if ref.subresource else "")
        where = f"{ref.namespace}/{ref.name}" if ref.namespace else ref.name
        return f"{what} {where}".strip() if what else self.request_uri

    def __repr__(self) -> str:
        return f"AuditEvent({self.audit_id!r}, {self.verb} {self.target}, {self.origin!r})"


def _epoch(event: AuditEvent) -> float:
    return parse_time(event.time)


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
    try:
        event = msgspec.convert(data, AuditEvent)
    except msgspec.ValidationError:
        event = msgspec.convert(_well_typed(data), AuditEvent)
    return ready(event, origin)


def ready(event: AuditEvent, origin: str) -> AuditEvent:
    """A decoded event made ready for the rules: its origin set, and what only kubeguard may set
    (``origin``, ``cache``) cleared of anything the record itself carried under those names."""
    event.origin = origin
    event.cache = None
    return event


_TEXT_FIELDS = (
    "kind",
    "verb",
    "stage",
    "auditID",
    "requestURI",
    "level",
    "userAgent",
    "requestReceivedTimestamp",
    "stageTimestamp",
    "timestamp",
)
_REF_FIELDS = ("resource", "subresource", "namespace", "name", "apiGroup", "apiVersion")


def _well_typed(data: dict[str, Any]) -> dict[str, Any]:
    """The fields of a decoded Event that have the right type (the others are left out, so they
    read as absent): the slow path, for a record the typed decoding refused."""
    out: dict[str, Any] = {k: v for k in _TEXT_FIELDS if type(v := data.get(k)) is str}
    for key in ("user", "impersonatedUser"):
        user = data.get(key)
        if type(user) is dict:
            out[key] = _well_typed_user(user)
    ips = data.get("sourceIPs")
    if type(ips) is list:
        out["sourceIPs"] = [i for i in ips if type(i) is str]
    ref = data.get("objectRef")
    if type(ref) is dict:
        out["objectRef"] = {k: v for k in _REF_FIELDS if type(v := ref.get(k)) is str}
    status = data.get("responseStatus")
    if type(status) is dict:
        clean: dict[str, Any] = {k: v for k in ("reason", "message") if type(v := status.get(k)) is str}
        if type(status.get("code")) is int:
            clean["code"] = status["code"]
        out["responseStatus"] = clean
    for key in ("requestObject", "responseObject"):
        if key in data:
            out[key] = data[key]
    annotations = data.get("annotations")
    if type(annotations) is dict:
        out["annotations"] = {k: v for k, v in annotations.items() if type(v) is str}
    return out


def _well_typed_user(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {k: v for k in ("username", "uid") if type(v := data.get(k)) is str}
    groups = data.get("groups")
    if type(groups) is list:
        out["groups"] = [g for g in groups if type(g) is str]
    extra = data.get("extra")
    if type(extra) is dict:
        out["extra"] = extra
    return out
