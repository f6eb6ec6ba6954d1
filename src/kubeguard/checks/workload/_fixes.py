"""The fixes of the workload rules: each turns one violation into edits of the pod template.

Unsafe ones take values from the ``fix`` section of ``.kubeguard.yaml`` (user and group ids,
resource defaults); where no value is configured, no edit is offered.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubeguard.analyzers.rbac.graph import rbac_graph
from kubeguard.analyzers.workload.service_accounts import automount
from kubeguard.checks.workload._projected_tokens import max_expiration
from kubeguard.model.rbac import AUTHENTICATED, UNAUTHENTICATED, Identity
from kubeguard.model.workload import Container, Workload
from kubeguard.rules.context import ScanContext
from kubeguard.rules.fix import (
    SECTION,
    Edit,
    Fix,
    configured_id,
    container_at,
    for_container,
    safe,
    security_setting,
    set_value,
    unsafe,
)
from kubeguard.rules.rule import Violation

# Every identity is in these groups: what they grant, a pod has without any token.
_EVERYONE = frozenset({AUTHENTICATED, UNAUTHENTICATED})


def _read_only_root(w: Workload, c: Container, ctx: ScanContext, v: Violation) -> Iterator[Edit]:
    yield set_value(c.sc_pointer("readOnlyRootFilesystem"), True)


READ_ONLY_ROOT = unsafe(
    "set securityContext.readOnlyRootFilesystem: true in the container (it may write to its filesystem)",
    for_container(_read_only_root),
)


def _id_fix(field: str) -> Fix:
    def edits(w: Workload, ctx: ScanContext, v: Violation) -> Iterator[Edit]:
        value = configured_id(ctx, field)
        if v.at == w.sc_pointer(field):  # a low pod-level value, inherited by the container
            yield set_value(v.at, value)
            return
        c = container_at(w, v.at)
        if c is None:
            return
        if c.security_context.get(field) is None:
            yield security_setting(w, c, field, value, lambda x: x.security_context.get(field) is None)
        else:
            yield set_value(v.at, value)  # where the low value is written: the pod or the container

    return unsafe(
        f"set {field} to fix.{field} from .kubeguard.yaml (default 10001), on the pod when no container "
        "sets one (the image's files may belong to another id)",
        edits,
    )


LOW_RUN_AS_USER = _id_fix("runAsUser")
LOW_RUN_AS_GROUP = _id_fix("runAsGroup")


def resource_default(ctx: ScanContext, section: str, name: str) -> Any:
    resources = ctx.config.section(SECTION).get("resources")
    values = resources.get(section) if isinstance(resources, dict) else None
    value = values.get(name) if isinstance(values, dict) else None
    return value if isinstance(value, str | int) and not isinstance(value, bool) and value != "" else None


def _resource(w: Workload, ctx: ScanContext, v: Violation) -> Iterator[Edit]:
    if len(v.at) >= 3 and v.at[-3] == "resources":
        section, name = str(v.at[-2]), str(v.at[-1])
        value = resource_default(ctx, section, name)
        if value is not None:
            yield set_value(v.at, value)


RESOURCE_DEFAULT = unsafe(
    "set the missing request or limit to the value in fix.resources of .kubeguard.yaml (only when "
    "configured: a limit too low kills the container)",
    _resource,
)


def _service_account_has_permissions(w: Workload, ctx: ScanContext) -> bool:
    namespace = w.resource.effective_namespace or "default"
    identity = Identity.service_account(namespace, w.service_account_name)
    graph = ctx.cached(rbac_graph)
    for binding, subject in graph.bindings_for(identity):
        if binding.resource is None or (subject.kind == "Group" and subject.name in _EVERYONE):
            continue  # Kubernetes' default bindings, and what everyone has: every pod has it anyway
        role = graph.role_of(binding)
        if role is None or graph.rules_of(role):
            return True  # a role not in the input may grant anything
    return False


def _no_automount(w: Workload, ctx: ScanContext, v: Violation) -> Iterator[Edit]:
    if _service_account_has_permissions(w, ctx):
        return  # the application may call the API with its token
    yield set_value(automount(w, ctx).pointer, False)


def _pod_asked_for_token(w: Workload, ctx: ScanContext, v: Violation) -> bool:
    return automount(w, ctx).source == "pod"


NO_TOKEN_AUTOMOUNT = safe(
    "set automountServiceAccountToken: false in the pod spec when no binding in the input grants its "
    "ServiceAccount a permission beyond Kubernetes' defaults for every account (unsafe where the pod "
    "itself asks for the token)",
    _no_automount,
    unsafe_if=_pod_asked_for_token,
)


def _shorter_expiry(w: Workload, ctx: ScanContext, v: Violation) -> Iterator[Edit]:
    yield set_value(v.at, max_expiration(ctx))


SHORTER_TOKEN_EXPIRY = unsafe(
    "lower expirationSeconds to the configured maximum (an application that reads the token only once "
    "stops authenticating when it expires)",
    _shorter_expiry,
)
