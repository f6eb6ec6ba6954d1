"""Container resource requests and limits: which are required (``.kubeguard.yaml``), and whether
a container ends up with each one once Kubernetes has applied its defaults.

A value counts as set when the container sets it; a missing request also counts as set when the
container sets the limit (Kubernetes copies the limit into the request); a value is also set when
the pod sets it in pod-level ``spec.resources``, or when a LimitRange of type ``Container`` in the
same namespace of the input supplies a default (``default`` and ``max`` give limits;
``defaultRequest``, ``default``, ``max`` and ``min`` give requests, as the LimitRange defaulting does).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from kubeguard.checks.workload._containers import describe, non_ephemeral
from kubeguard.model.workload import Workload
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Violation

SECTION = "resources"
KNOWN = ("requests.cpu", "requests.memory", "limits.cpu", "limits.memory", "limits.ephemeral-storage")
DEFAULT_REQUIRED = ("requests.cpu", "requests.memory", "limits.memory")
# Resources that pod-level ``spec.resources`` accepts.
_POD_LEVEL = frozenset({"cpu", "memory"})
# Which LimitRange fields fill which section, after the API server's defaulting.
_LIMIT_RANGE_SOURCES = {
    "limits": ("default", "max"),
    "requests": ("defaultRequest", "default", "max", "min"),
}


def _required(ctx: ScanContext) -> frozenset[str]:
    section = ctx.config.section(SECTION)
    if "require" not in section:
        return frozenset(DEFAULT_REQUIRED)
    value = section["require"]
    if value is None:
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"config resources.require must be a list of names from {', '.join(KNOWN)}")
    unknown = sorted(set(value) - set(KNOWN))
    if unknown:
        raise ValueError(f"config resources.require: unknown {unknown}; choose from {', '.join(KNOWN)}")
    return frozenset(value)


def required(ctx: ScanContext) -> frozenset[str]:
    """The requirements configured for this scan (``resources.require``), else the defaults."""
    return ctx.cached(_required)


def enabled_for(key: str) -> Callable[[ScanContext], bool]:
    def enabled(ctx: ScanContext) -> bool:
        try:
            return key in required(ctx)
        except ValueError:
            return True  # let the check run and report the configuration error

    return enabled


def _present(mapping: Any, section: str, name: str) -> bool:
    if not isinstance(mapping, dict):
        return False
    values = mapping.get(section)
    return isinstance(values, dict) and values.get(name) not in (None, "")


def _limit_range_defaults(ctx: ScanContext) -> dict[str | None, set[str]]:
    """namespace -> the ``section.resource`` keys a LimitRange there fills in for containers."""
    out: dict[str | None, set[str]] = defaultdict(set)
    for lr in ctx.of_kind("LimitRange"):
        spec = lr.raw.get("spec")
        items = spec.get("limits") if isinstance(spec, dict) else None
        if not isinstance(items, list):
            continue
        for item in items:
            if not isinstance(item, dict) or item.get("type") != "Container":
                continue
            for section, fields in _LIMIT_RANGE_SOURCES.items():
                for f in fields:
                    values = item.get(f)
                    if isinstance(values, dict):
                        out[lr.effective_namespace].update(f"{section}.{k}" for k in values)
    return dict(out)


def missing(workload: Workload, ctx: ScanContext, key: str) -> Iterator[Violation]:
    """One violation per regular or init container that ends up without ``key``."""
    required(ctx)  # raise a configuration error as this rule's error
    section, name = key.split(".", 1)
    defaults = ctx.cached(_limit_range_defaults).get(workload.resource.effective_namespace, set())
    if key in defaults:
        return
    pod_resources = workload.spec.get("resources")
    if name in _POD_LEVEL and (
        _present(pod_resources, section, name)
        or (section == "requests" and _present(pod_resources, "limits", name))
    ):
        return
    for c in non_ephemeral(workload):
        res = c.raw.get("resources")
        if _present(res, section, name):
            continue
        if section == "requests" and _present(res, "limits", name):
            continue  # the request defaults to the limit
        yield Violation(
            f"{describe(c)} sets no resources.{section}.{name}",
            at=c.pointer / "resources" / section / name,
        )
