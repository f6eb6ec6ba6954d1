"""What an AUD rule is: metadata beside a pure match function over one audit event.

An AUD rule has the same metadata as a manifest rule (code, slug, title, severity, remediation,
references, compliance, aliases, docstring = documentation) but runs over a stream of
:class:`~kubeguard.model.audit.AuditEvent` instead of a set of resources:

- ``on``: a :class:`Dispatch` saying which requests the rule can match (verbs, resources,
  subresources, API groups, outcome). The engine indexes rules by it, so a rule's ``check`` is only
  called for events it could match; a rule never tests the verb or resource again.
- ``check(event, ctx) -> str | None``: the alert message, or None. Pure: no I/O, no state.
- ``burst``: optional :class:`Burst`, for rules that alert on many matching events in a window
  (the engine keeps the sliding windows, bounded in memory).
- ``level``: ``"Request"`` when ``check`` reads the request body (``event.request_object``); the
  audit policy ``kubeguard audit config`` prints logs those requests at that level.
- ``users``: optional test on the username alone. The engine asks it once per username in a run
  and calls ``check`` only for the users it admits, so a rule about who made a request (a user
  outside an allow-list, a system identity) costs one dictionary look-up on the other events.
- ``enabled``: optional test on the configuration, for rules that are off until configured (an
  empty list of administrators, ``allEvents`` not set); the engine leaves out a rule that says no.

The outcome is part of the dispatch because a failed request (response code 400 or more) is not the
action it asked for: a denied exec is no exec. Rules about attempts dispatch on
``Outcome.FAILED``; all others see only requests that succeeded.

Settings (allow-lists) live in the ``audit`` section of ``.kubeguard.yaml``; a rule reads them with
``ctx.allow_list(key, default)``. A configured list replaces the rule's default list.
"""

from __future__ import annotations

import enum
import fnmatch
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kubeguard.model.config import EMPTY_CONFIG, Config
from kubeguard.rules.rule import _CODE_RE, _SLUG_RE, Scope, Severity

if TYPE_CHECKING:
    from kubeguard.model.audit import AuditEvent

#: The ``.kubeguard.yaml`` section holding AUD rule settings.
SECTION = "audit"


class Outcome(enum.Enum):
    """Which responses a rule sees: SUCCEEDED (no code, or below 400), FAILED (400 or more), ANY."""

    SUCCEEDED = "succeeded"
    FAILED = "failed"
    ANY = "any"


def _set(values: str | Iterable[str] | None) -> frozenset[str] | None:
    if values is None:
        return None
    return frozenset((values,) if isinstance(values, str) else values)


@dataclass(frozen=True, slots=True)
class Dispatch:
    """The requests a rule can match. ``None`` means any value.

    ``subresources`` defaults to ``{""}``: the resource itself, not its subresources (a rule on
    ``create pods`` must not see ``create pods/exec``). ``api_groups`` uses ``""`` for the core group;
    name it for built-in resources so that a custom resource of the same plural does not match.
    Non-resource requests (``/healthz``) have resource ``""``. ``anonymous`` and ``impersonated``
    select requests by who made them (an anonymous request; one made as another identity); ``None``
    means either.
    """

    verbs: frozenset[str] | None = None
    resources: frozenset[str] | None = None
    subresources: frozenset[str] | None = frozenset({""})
    api_groups: frozenset[str] | None = None
    outcome: Outcome = Outcome.SUCCEEDED
    anonymous: bool | None = None
    impersonated: bool | None = None

    def matches(
        self,
        verb: str,
        group: str,
        resource: str,
        subresource: str,
        failed: bool,
        anonymous: bool = False,
        impersonated: bool = False,
    ) -> bool:
        if self.outcome is not Outcome.ANY and failed != (self.outcome is Outcome.FAILED):
            return False
        if self.anonymous is not None and anonymous != self.anonymous:
            return False
        if self.impersonated is not None and impersonated != self.impersonated:
            return False
        return (
            (self.verbs is None or verb in self.verbs)
            and (self.resources is None or resource in self.resources)
            and (self.subresources is None or subresource in self.subresources)
            and (self.api_groups is None or group in self.api_groups)
        )

    def describe(self) -> str:
        verbs = ", ".join(sorted(self.verbs)) if self.verbs is not None else "any verb"
        if self.resources is None:
            what = "any resource"
        else:
            subs = sorted(self.subresources) if self.subresources is not None else ["*"]
            what = ", ".join(f"{r}/{s}" if s else r for r in sorted(self.resources) for s in subs)
        outcome = {Outcome.SUCCEEDED: "", Outcome.FAILED: " (failed requests)", Outcome.ANY: " (any outcome)"}
        who = {None: "", True: " by anonymous users", False: " by authenticated users"}[self.anonymous]
        as_whom = {None: "", True: " made as another identity", False: " made as oneself"}[self.impersonated]
        return f"audit events: {verbs} {what}{outcome[self.outcome]}{who}{as_whom}"


def on(
    verbs: str | Iterable[str] | None = None,
    resources: str | Iterable[str] | None = None,
    subresources: str | Iterable[str] | None = "",
    api_groups: str | Iterable[str] | None = None,
    outcome: Outcome = Outcome.SUCCEEDED,
    anonymous: bool | None = None,
    impersonated: bool | None = None,
) -> Dispatch:
    """A :class:`Dispatch` from strings or iterables: ``on("create", "pods", api_groups="")``."""
    return Dispatch(
        _set(verbs), _set(resources), _set(subresources), _set(api_groups), outcome, anonymous, impersonated
    )


@dataclass(frozen=True, slots=True)
class Burst:
    """Alert when ``threshold`` matching events with the same key arrive within ``window`` seconds.

    Event time (not the clock) drives the window. The engine keeps one deque of times per key, keeps
    at most ``max_keys`` keys (the least recently seen are dropped) and clears a key's deque when it
    alerts, so one burst gives one alert. ``message`` may use ``{count}``, ``{window}`` and ``{key}``.
    """

    key: Callable[[AuditEvent], str]
    threshold: int
    window: float
    message: str
    max_keys: int = 10_000


class AllowList:
    """Names (users, images, namespaces ...) matched exactly or by glob (``system:serviceaccount:ci:*``)."""

    __slots__ = ("_exact", "_globs")

    def __init__(self, items: Iterable[str]) -> None:
        items = tuple(items)
        self._globs = tuple(i for i in items if any(c in i for c in "*?["))
        self._exact = frozenset(i for i in items if i not in self._globs)

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, str):
            return False
        return value in self._exact or any(fnmatch.fnmatchcase(value, g) for g in self._globs)

    def __bool__(self) -> bool:
        return bool(self._exact or self._globs)


class AuditContext:
    """What an AUD rule sees besides the event: the configuration, read once per run."""

    def __init__(self, config: Config = EMPTY_CONFIG) -> None:
        self.config = config
        self._lists: dict[str, AllowList] = {}
        self._memos: dict[str, dict[Any, Any]] = {}

    def setting(self, key: str) -> Any:
        """``audit.<key>`` of ``.kubeguard.yaml`` as written (None when not set)."""
        return self.config.section(SECTION).get(key)

    def memo(self, name: str) -> dict[Any, Any]:
        """A dictionary that lives as long as the run, for answers derived from the configuration
        (parsed address ranges, an address judged against them). Whoever fills it bounds it."""
        found = self._memos.get(name)
        if found is None:
            found = self._memos[name] = {}
        return found

    def allow_list(self, key: str, default: Iterable[str] = ()) -> AllowList:
        """``audit.<key>`` of ``.kubeguard.yaml`` (replacing ``default``), cached for the run."""
        found = self._lists.get(key)
        if found is None:
            value = self.setting(key)
            items = value if isinstance(value, list) else default
            found = self._lists[key] = AllowList(str(i) for i in items)
        return found


AuditCheck = Callable[["AuditEvent", AuditContext], "str | None"]
UserTest = Callable[[str, AuditContext], bool]
Enabled = Callable[[AuditContext], bool]


@dataclass(frozen=True, slots=True)
class AuditRule:
    """An AUD rule's metadata and its match function (see the module docstring).

    ``aliases`` names the same detection in other tools as ``tool:Name``, the name exactly as the tool
    writes it (``falco:Attach/Exec Pod``, ``panther:Kubernetes.Pod.Exec``); :meth:`aliases_by_tool`
    groups them for output.
    """

    code: str
    slug: str
    title: str
    severity: Severity
    on: Dispatch
    check: AuditCheck
    remediation: str
    references: tuple[str, ...] = ()
    compliance: dict[str, tuple[str, ...]] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    burst: Burst | None = None
    #: The audit level the rule needs for the requests it dispatches on: ``Metadata`` (who, what,
    #: outcome) or ``Request`` (its ``check`` reads ``request_object``). ``kubeguard audit config``
    #: prints a policy that logs each rule's requests at this level (sensitive resources excepted).
    level: str = "Metadata"
    #: See the module docstring: a per-username pre-test, asked once per username and run.
    users: UserTest | None = None
    #: See the module docstring: False leaves the rule out of a run under that configuration.
    enabled: Enabled | None = None
    doc: str = ""
    module: str = ""

    def __post_init__(self) -> None:
        if not _CODE_RE.match(self.code) or not self.code.startswith("AUD"):
            raise ValueError(f"audit rule code {self.code!r} must be AUD and 3-4 digits")
        if not _SLUG_RE.match(self.slug):
            raise ValueError(f"rule slug {self.slug!r} must be lower-case words joined by '-'")
        if self.level not in ("Metadata", "Request", "RequestResponse"):
            raise ValueError(
                f"{self.code}: level {self.level!r} must be Metadata, Request or RequestResponse"
            )
        if self.level != "Metadata" and (self.on.api_groups is None or self.on.resources is None):
            raise ValueError(
                f"{self.code}: a rule that needs level {self.level} must name api_groups and resources"
            )
        for alias in self.aliases:
            tool, sep, name = alias.partition(":")
            if not sep or not tool or not name or tool != tool.lower():
                raise ValueError(f"{self.code}: alias {alias!r} must be 'tool:Name'")

    @property
    def family(self) -> str:
        return "AUD"

    @property
    def fix(self) -> None:
        """Audit events are not fixed (``kubeguard fix`` edits manifests)."""
        return None

    @property
    def fix_label(self) -> None:
        return None

    @property
    def applies_to(self) -> Scope:
        """The dispatch, described like a manifest rule's scope (it matches no resource)."""
        return Scope(self.on.describe(), lambda r: False, kinds=frozenset())

    def aliases_by_tool(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for alias in self.aliases:
            tool, _, name = alias.partition(":")
            out.setdefault(tool, []).append(name)
        return out
