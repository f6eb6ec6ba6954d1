"""Check template over one kubelet setting's effective value (flag over file over default), as
:func:`~kubeguard.analyzers.controlplane.kubelet.kubelet_view` works it out."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from kubeguard.analyzers.controlplane.kubelet import Setting, kubelet_view
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Violation


def setting_check(
    setting: Setting, problem: Callable[[Any], str | None]
) -> Callable[[Resource, ScanContext], Iterator[Violation]]:
    """A check: the setting's effective value must not have ``problem`` (a reason, or ``None``).
    A value that cannot be read as the setting's type is reported as such."""

    def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
        view = kubelet_view(resource, ctx)
        if view is None:
            return
        value = view.get(setting)
        if value is None:
            return
        if not value.valid:
            yield Violation(f"{value.describe()}: not a valid {setting.kind}", at=value.at)
            return
        reason = problem(value.value)
        if reason:
            yield Violation(f"{value.describe()}: {reason}", at=value.at)

    return check
