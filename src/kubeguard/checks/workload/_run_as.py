"""runAsUser / runAsGroup below a threshold, read from the effective securityContext.

Pods in their own user namespace (``spec.hostUsers: false``) are not judged from Kubernetes v1.35
(the target version, ``ScanOptions.k8s_version``): every UID and GID of the pod, root included, maps
to an unprivileged range of the node, the reason Pod Security Admission drops its runAsNonRoot and
runAsUser checks for such pods unconditionally from policy v1.35 (upstream
``pod-security-admission/policy``, KEP-127; before v1.35 only behind the alpha, default-off
``UserNamespacesPodSecurityStandards`` gate, removed by kubernetes#132157).
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.workload._containers import describe, non_ephemeral
from kubeguard.model.workload import Workload
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Violation

#: The first Kubernetes minor whose Pod Security policy exempts user-namespaced pods without a gate.
USER_NAMESPACE_EXEMPT_FROM = 35

#: IDs below this may collide with users and groups of the node (system accounts start at 0,
#: regular users at 1000); 10000 and above are conventionally reserved for containers.
MIN_ID = 10000


def in_exempt_user_namespace(workload: Workload, ctx: ScanContext) -> bool:
    """``hostUsers: false`` on a target version where Pod Security exempts such pods (v1.35+)."""
    if workload.spec.get("hostUsers") is not False:
        return False
    minor = ctx.options.k8s.minor
    return minor is None or minor >= USER_NAMESPACE_EXEMPT_FROM


def low_ids(workload: Workload, ctx: ScanContext, field: str) -> Iterator[Violation]:
    if workload.runs_on_windows:  # Windows pods use windowsOptions.runAsUserName instead
        return
    if in_exempt_user_namespace(workload, ctx):
        return
    for c in non_ephemeral(workload):
        sc = c.security_context
        value = sc.get(field)
        where = sc.source(field)
        if value is None:
            yield Violation(
                f"{describe(c)} sets no {field} (neither in its securityContext nor the pod's): "
                f"the image's {'user' if field == 'runAsUser' else 'primary group'} applies; set {field} >= {MIN_ID}",
                at=sc.pointer(field),
            )
            continue
        # A pod-level value is one field shared by every container: the container tells them apart.
        key = f"container:{c.name}" if where == "pod" else None
        if isinstance(value, bool) or not isinstance(value, int):
            yield Violation(
                f"{describe(c)} has a non-integer {field} {value!r}", at=sc.pointer(field), key=key
            )
        elif value < MIN_ID:
            level = "pod-level securityContext" if where == "pod" else "its securityContext"
            yield Violation(
                f"{describe(c)} runs with {field}={value} (from {level}), below {MIN_ID}",
                at=sc.pointer(field),
                key=key,
            )
