"""A workload's ServiceAccount, resolved across the input as Kubernetes resolves it.

The pod runs as ``spec.serviceAccountName`` (or the deprecated ``serviceAccount``), ``default``
when unset, in the pod's own namespace. Whether the API token is mounted: the pod's
``automountServiceAccountToken`` wins; else the ServiceAccount's field when that ServiceAccount is
in the input; else Kubernetes mounts it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kubeguard.model.pointer import Pointer
from kubeguard.model.resource import Resource
from kubeguard.model.workload import Workload
from kubeguard.rules.context import ScanContext


def service_account(workload: Workload, ctx: ScanContext) -> Resource | None:
    """The workload's ServiceAccount object, when it is in the input."""
    return ctx.find("ServiceAccount", workload.resource.effective_namespace, workload.service_account_name)


@dataclass(frozen=True, slots=True)
class Automount:
    """The effective token automount: ``mounted``; ``source`` is ``pod``, ``serviceaccount`` or
    ``default``; ``pointer`` the field in the workload where it is set (or should be set)."""

    mounted: bool
    source: str
    pointer: Pointer
    service_account: Resource | None


def automount(workload: Workload, ctx: ScanContext) -> Automount:
    field = workload.spec_pointer / "automountServiceAccountToken"
    pod_value: Any = workload.spec.get("automountServiceAccountToken")
    sa = service_account(workload, ctx)
    if isinstance(pod_value, bool):
        return Automount(pod_value, "pod", field, sa)
    if sa is not None:
        sa_value = sa.raw.get("automountServiceAccountToken")
        if isinstance(sa_value, bool):
            return Automount(sa_value, "serviceaccount", field, sa)
    return Automount(True, "default", field, sa)


def image_pull_secret_names(workload: Workload, ctx: ScanContext) -> tuple[list[str], list[str]]:
    """Names in the pod's ``imagePullSecrets`` and in its ServiceAccount's (when in the input)."""
    pod = _names(workload.spec.get("imagePullSecrets"))
    sa = service_account(workload, ctx)
    return pod, (_names(sa.raw.get("imagePullSecrets")) if sa is not None else [])


def _names(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [str(v["name"]) for v in value if isinstance(v, dict) and v.get("name")]
