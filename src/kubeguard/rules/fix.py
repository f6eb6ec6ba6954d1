"""Fixes that rules declare: how safe a fix is, and the edits it makes, by JSON pointer.

A rule's fix turns one violation into edits on the decoded object (``Edit``): set a key in a
mapping (missing mappings on the way are created), append to a list (created when missing), remove
a key. The edits say nothing about text; :mod:`kubeguard.fix` applies them to the file the object
came from and keeps the author's layout. Safety follows Ruff's meaning: a *safe* fix cannot break
a working application; an *unsafe* one may, and is applied only when asked (``--unsafe-fixes``).
A fix yields no edit where it cannot know what is right (no configured default, a container that
needs the setting it would change); the finding then stays for a person to fix.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kubeguard.model.pointer import Pointer
from kubeguard.model.workload import INHERITED_FIELDS, Container, Workload

if TYPE_CHECKING:
    from kubeguard.rules.context import ScanContext
    from kubeguard.rules.rule import Violation

#: The ``.kubeguard.yaml`` section with the values unsafe fixes write (user and group ids, resource
#: defaults, image digests).
SECTION = "fix"
#: The user and group id that runAsNonRoot/runAsUser fixes set unless the config names another.
DEFAULT_ID = 10001


class FixSafety(enum.Enum):
    SAFE = "safe"
    UNSAFE = "unsafe"


class EditOp(enum.Enum):
    SET = "set"
    APPEND = "append"
    REMOVE = "remove"


@dataclass(frozen=True, slots=True)
class Edit:
    """One change to a decoded object at a JSON pointer (relative to the object)."""

    op: EditOp
    at: Pointer
    value: Any = None

    def rebased(self, base: Pointer) -> Edit:
        """The same edit on the document that holds the object at ``base`` (an item of a List)."""
        return self if not base else Edit(self.op, base.join(*self.at), self.value)

    def describe(self) -> str:
        if self.op is EditOp.REMOVE:
            return f"remove {self.at}"
        if self.op is EditOp.APPEND:
            return f"add {self.value!r} to {self.at}"
        return f"set {self.at} to {self.value!r}"

    def ident(self) -> tuple[str, str, str]:
        return (self.op.value, str(self.at), repr(self.value))


def set_value(at: Pointer, value: Any) -> Edit:
    return Edit(EditOp.SET, at, value)


def append(at: Pointer, value: Any) -> Edit:
    return Edit(EditOp.APPEND, at, value)


def remove(at: Pointer) -> Edit:
    return Edit(EditOp.REMOVE, at)


FixFn = Callable[[Any, "ScanContext", "Violation"], Iterable[Edit]]


UnsafeIfFn = Callable[[Any, "ScanContext", "Violation"], bool]


@dataclass(frozen=True, slots=True)
class Fix:
    """What a rule's fix does (``summary``, for people), how safe it is, and its edits.

    ``safety`` is the rule's declared level. ``unsafe_if`` (for a safe fix) names the cases where
    this fix could break the application after all (a container that runs as root loses the
    capabilities it relies on): there the fix of that finding is unsafe, as Ruff decides the
    applicability of each fix.
    """

    safety: FixSafety
    summary: str
    edits: FixFn
    unsafe_if: UnsafeIfFn | None = None

    def safety_of(self, view: Any, ctx: ScanContext, violation: Violation) -> FixSafety:
        if (
            self.safety is FixSafety.SAFE
            and self.unsafe_if is not None
            and self.unsafe_if(view, ctx, violation)
        ):
            return FixSafety.UNSAFE
        return self.safety


def safe(summary: str, edits: FixFn, unsafe_if: UnsafeIfFn | None = None) -> Fix:
    return Fix(FixSafety.SAFE, summary, edits, unsafe_if)


def unsafe(summary: str, edits: FixFn) -> Fix:
    return Fix(FixSafety.UNSAFE, summary, edits)


# --- helpers for fixes of pod templates ----------------------------------------------------------


def container_at(workload: Workload, at: Pointer) -> Container | None:
    """The container whose fields ``at`` points into."""
    for c in workload.containers():
        if at[: len(c.pointer)] == c.pointer:
            return c
    return None


def security_setting(
    workload: Workload, container: Container, field: str, value: Any, needs: Callable[[Container], bool]
) -> Edit:
    """Set securityContext ``field`` where an author would: on the pod when the field is inherited,
    the pod does not set it, and every container needs it (``needs``); else on ``container``."""
    if (
        field in INHERITED_FIELDS
        and workload.pod_sc.get(field) is None
        and all(needs(c) for c in workload.containers())
    ):
        return set_value(workload.sc_pointer(field), value)
    return set_value(container.sc_pointer(field), value)


def configured_id(ctx: ScanContext, key: str) -> int:
    """``fix.runAsUser``/``fix.runAsGroup`` from the config, else :data:`DEFAULT_ID`."""
    value = ctx.config.section(SECTION).get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else DEFAULT_ID


def for_container(
    make: Callable[[Workload, Container, ScanContext, Violation], Iterable[Edit]],
) -> FixFn:
    """A fix of a workload rule that edits the container a violation points into."""

    def edits(workload: Workload, ctx: ScanContext, violation: Violation) -> Iterator[Edit]:
        c = container_at(workload, violation.at)
        if c is not None:
            yield from make(workload, c, ctx, violation)

    return edits
