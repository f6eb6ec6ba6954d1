"""What a rule is: metadata beside a pure check function over the model."""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kubeguard.model.pointer import ROOT, Pointer
from kubeguard.rules.fix import Fix

if TYPE_CHECKING:
    from kubeguard.model.resource import Resource
    from kubeguard.rules.context import ScanContext


class Severity(enum.IntEnum):
    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown severity {text!r} (choose from {', '.join(s.label for s in cls)})"
            ) from None


@dataclass(frozen=True, slots=True)
class Violation:
    """One problem found by a rule: a message and the exact field it concerns.

    ``key`` tells apart distinct problems that a rule reports at the same field of one object: the
    container that inherits a pod-level value, the flag that is missing, the request that is not
    logged, the credential found inside one value. It is part of the finding's fingerprint, so
    code-scanning dashboards keep such findings apart. Never a secret value.
    """

    message: str
    at: Pointer = ROOT
    key: str | None = None


class Scope:
    """What a rule applies to, and the view of a resource its check receives.

    A resource outside the scope records NOT_APPLICABLE for the rule, never a silent pass.
    """

    def __init__(
        self,
        description: str,
        matches: Callable[[Resource], bool],
        view: Callable[[Resource], Any] | None = None,
        kinds: frozenset[str] | None = None,
        candidate_kinds: frozenset[str] | None = None,
    ) -> None:
        self.description = description
        self._matches = matches
        self._view = view
        # When the scope is a fixed set of kinds the engine can dispatch by kind without calling matches().
        self.kinds = kinds
        # When set, matches() can only be true for these kinds: the engine asks only about them
        # (resources of other kinds record NOT_APPLICABLE without a call).
        self.candidate_kinds = candidate_kinds

    def matches(self, resource: Resource) -> bool:
        return self._matches(resource)

    def view(self, resource: Resource) -> Any:
        return resource if self._view is None else self._view(resource)

    def __repr__(self) -> str:
        return f"Scope({self.description})"


def _workload_view(resource: Resource) -> Any:
    return resource.workload


#: Every resource that runs pods: Pods, controllers with a pod template, custom resources by shape.
#: The check receives a :class:`~kubeguard.model.workload.Workload`.
WORKLOADS = Scope("workloads (pods and pod templates)", lambda r: r.workload is not None, _workload_view)

#: Every resource; the check receives the :class:`~kubeguard.model.resource.Resource`.
ALL_RESOURCES = Scope("all resources", lambda r: True)


def kinds(*names: str) -> Scope:
    """Resources of the given kinds; the check receives the Resource."""
    wanted = frozenset(names)
    return Scope(", ".join(sorted(wanted)), lambda r: r.kind in wanted, kinds=wanted)


CheckFn = Callable[[Any, "ScanContext"], Iterable[Violation]]

_CODE_RE = re.compile(r"^(?P<family>[A-Z]+)(?P<number>\d{3,4})$")
_SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule's metadata and its check.

    ``check(view, ctx)`` is a pure function: it reads the view the scope gives it (a Workload or a
    Resource) and the scan context, and yields :class:`Violation` objects. ``enabled(ctx)`` lets a
    rule switch itself off for a scan (for example restricted-only controls at the baseline level,
    or an allow-list rule with no list configured); a switched-off rule records NOT_APPLICABLE.
    ``compliance`` maps framework ids to the controls this rule implements, e.g.
    ``{"cis-1.12": ("1.2.2",)}``; specs under ``kubeguard/compliance/specs`` add more.
    ``aliases`` names the same check in other tools, as ``tool:ID`` (``kubescape:C-0059``).
    ``fix`` declares the rule's fix (:mod:`kubeguard.rules.fix`): safe or unsafe, and the edits it
    makes for a violation; ``None`` when the rule has no automatic fix.
    ``needs`` says what else the check reads besides the object it judges, in a few words each
    (``"the namespace's NetworkPolicies"``); empty means it judges each object on its own, so it can
    also run where only that object is known (the admission webhook). A meta-test holds every rule
    without ``needs`` to judging each fixture object alone exactly as within its file.
    """

    code: str
    slug: str
    title: str
    severity: Severity
    applies_to: Scope
    check: CheckFn
    remediation: str
    references: tuple[str, ...] = ()
    compliance: dict[str, tuple[str, ...]] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    enabled: Callable[[ScanContext], bool] | None = None
    fix: Fix | None = None
    needs: tuple[str, ...] = ()
    doc: str = ""
    module: str = ""

    def __post_init__(self) -> None:
        if not _CODE_RE.match(self.code):
            raise ValueError(f"rule code {self.code!r} must be an upper-case family prefix and 3-4 digits")
        if not _SLUG_RE.match(self.slug):
            raise ValueError(f"rule slug {self.slug!r} must be lower-case words joined by '-'")

    @property
    def family(self) -> str:
        m = _CODE_RE.match(self.code)
        assert m is not None
        return m.group("family")

    @property
    def fix_label(self) -> str | None:
        """``safe``, ``unsafe`` or ``None``: how safe the rule's fix is, if it has one."""
        return None if self.fix is None else self.fix.safety.value

    def is_enabled(self, ctx: ScanContext) -> bool:
        return self.enabled is None or bool(self.enabled(ctx))
