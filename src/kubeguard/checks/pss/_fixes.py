"""The fixes of the Pod Security rules: each turns one offence into edits of the pod template.

Safe fixes only add a restriction that a working container does not rely on; where the API server
would reject the result (``allowPrivilegeEscalation: false`` on a privileged container) no edit is
offered. Unsafe fixes take a privilege away that the container may use.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model.workload import Container, Workload
from kubeguard.rules.context import ScanContext
from kubeguard.rules.fix import (
    Edit,
    Fix,
    FixFn,
    append,
    configured_id,
    container_at,
    for_container,
    remove,
    safe,
    security_setting,
    set_value,
    unsafe,
)
from kubeguard.rules.rule import Violation

RUNTIME_DEFAULT = {"type": "RuntimeDefault"}
_SYS_ADMIN = frozenset({"SYS_ADMIN", "CAP_SYS_ADMIN"})


def _adds(c: Container) -> list[str]:
    add = c.security_context.capabilities.get("add")
    return [str(x) for x in add] if isinstance(add, list) else []


def _no_escalation(w: Workload, c: Container, ctx: ScanContext, v: Violation) -> Iterator[Edit]:
    # The API server refuses allowPrivilegeEscalation: false beside privileged or CAP_SYS_ADMIN.
    if c.security_context.privileged is True or _SYS_ADMIN & set(_adds(c)):
        return
    yield set_value(c.sc_pointer("allowPrivilegeEscalation"), False)


NO_PRIVILEGE_ESCALATION = safe(
    "set securityContext.allowPrivilegeEscalation: false in the container (not in a privileged "
    "container or one that adds CAP_SYS_ADMIN, where the API server refuses it)",
    for_container(_no_escalation),
)


def _seccomp(w: Workload, c: Container, ctx: ScanContext, v: Violation) -> Iterator[Edit]:
    if v.at[-2:] == ("seccompProfile", "type"):
        yield set_value(v.at, "RuntimeDefault")  # a profile of another type (Unconfined): unsafe
    elif v.at == c.sc_pointer("seccompProfile"):
        yield security_setting(
            w, c, "seccompProfile", dict(RUNTIME_DEFAULT), lambda x: x.own_sc.get("seccompProfile") is None
        )


def _seccomp_edits(w: Workload, ctx: ScanContext, v: Violation) -> Iterator[Edit]:
    if v.at == w.sc_pointer("seccompProfile", "type"):
        yield set_value(v.at, "RuntimeDefault")  # the pod sets another type
    else:
        yield from for_container(_seccomp)(w, ctx, v)


def _replaces_a_profile(w: Workload, ctx: ScanContext, v: Violation) -> bool:
    return v.at[-1:] == ("type",)


SECCOMP_RUNTIME_DEFAULT = safe(
    "set securityContext.seccompProfile.type: RuntimeDefault, on the pod when no container sets a "
    "profile, else on the container (unsafe where it replaces a profile of another type, such as "
    "Unconfined: the container may use system calls the default profile blocks)",
    _seccomp_edits,
    unsafe_if=_replaces_a_profile,
)


def _may_run_as_root(c: Container) -> bool:
    sc = c.security_context
    user = sc.run_as_user
    if isinstance(user, int) and not isinstance(user, bool) and user > 0:
        return False
    return not (sc.run_as_non_root is True and user is None)


def _drop_all(w: Workload, c: Container, ctx: ScanContext, v: Violation) -> Iterator[Edit]:
    if v.at[-1:] == ("add",):
        return  # added capabilities are kept: the container asked for them
    caps = c.own_sc.get("capabilities")
    drop = caps.get("drop") if isinstance(caps, dict) else None
    if isinstance(drop, list):
        yield append(c.sc_pointer("capabilities", "drop"), "ALL")
    else:
        yield set_value(c.sc_pointer("capabilities", "drop"), ["ALL"])


def _root_container(w: Workload, ctx: ScanContext, v: Violation) -> bool:
    c = container_at(w, v.at)
    return c is not None and _may_run_as_root(c)


DROP_ALL_CAPABILITIES = safe(
    'add "ALL" to securityContext.capabilities.drop, keeping the capabilities the container adds '
    "(unsafe for a container that may run as root: it loses the default capabilities it may use)",
    for_container(_drop_all),
    unsafe_if=_root_container,
)


def _remove_field(w: Workload, ctx: ScanContext, v: Violation) -> Iterator[Edit]:
    yield remove(v.at)


REMOVE_HOST_NAMESPACES = unsafe(
    "remove hostNetwork, hostPID and hostIPC from the pod (it may need the host's namespaces)", _remove_field
)


def _not_privileged(w: Workload, ctx: ScanContext, v: Violation) -> Iterator[Edit]:
    yield set_value(v.at, False)


NOT_PRIVILEGED = unsafe(
    "set securityContext.privileged: false (a privileged container may need the host's devices)",
    _not_privileged,
)

REMOVE_HOST_PORT = unsafe(
    "remove the container port's hostPort (clients of the node's port lose it)", _remove_field
)


def _last_is(*names: str) -> FixFn:
    def edits(w: Workload, ctx: ScanContext, v: Violation) -> Iterator[Edit]:
        if v.at and v.at[-1] in names:
            yield remove(v.at)

    return edits


REMOVE_PROC_MOUNT = unsafe(
    "remove securityContext.procMount (the container then gets the default, masked /proc)",
    _last_is("procMount"),
)
REMOVE_PROBE_HOST = unsafe(
    "remove the host field of the probe or lifecycle handler (it then targets the pod's own IP)",
    _last_is("host"),
)
REMOVE_ULIMITS = unsafe(
    "remove securityContext.ulimits (the container then gets the runtime's limits)",
    _last_is("ulimits"),
)


def _unconfined(w: Workload, ctx: ScanContext, v: Violation) -> Iterator[Edit]:
    # Only a profile field; an annotation (seccomp.security.alpha.kubernetes.io/...) is not rewritten.
    if v.at[-2:] == ("seccompProfile", "type"):
        yield set_value(v.at, "RuntimeDefault")


SECCOMP_NOT_UNCONFINED = unsafe(
    "replace an Unconfined seccomp profile type by RuntimeDefault (the container may use system "
    "calls the default profile blocks)",
    _unconfined,
)


def _non_root(w: Workload, ctx: ScanContext, v: Violation) -> Iterator[Edit]:
    uid = configured_id(ctx, "runAsUser")
    pod_ptr = w.sc_pointer("runAsNonRoot")
    if v.at == pod_ptr:  # the pod sets runAsNonRoot: false
        yield set_value(pod_ptr, True)
        if w.pod_sc.get("runAsUser") in (None, 0):
            yield set_value(w.sc_pointer("runAsUser"), uid)
        return
    c = container_at(w, v.at)
    if c is None:
        return
    if c.own_sc.get("runAsNonRoot") is not None:
        edit = set_value(c.sc_pointer("runAsNonRoot"), True)
    else:
        edit = security_setting(w, c, "runAsNonRoot", True, lambda x: x.own_sc.get("runAsNonRoot") is None)
    yield edit
    at_pod = edit.at == pod_ptr
    own_user = c.own_sc.get("runAsUser")
    if own_user == 0 and not isinstance(own_user, bool):
        yield set_value(c.sc_pointer("runAsUser"), uid)
    elif own_user is None and w.pod_sc.get("runAsUser") in (None, 0):
        yield set_value(
            w.sc_pointer("runAsUser")
            if at_pod or w.pod_sc.get("runAsUser") == 0
            else c.sc_pointer("runAsUser"),
            uid,
        )


RUN_AS_NON_ROOT = unsafe(
    "set runAsNonRoot: true (on the pod when no container sets it) and a non-zero runAsUser "
    "(fix.runAsUser in .kubeguard.yaml, default 10001) where none is set (the image may need root)",
    _non_root,
)


def _non_zero_user(w: Workload, ctx: ScanContext, v: Violation) -> Iterator[Edit]:
    if v.at[-1:] == ("runAsUser",):
        yield set_value(v.at, configured_id(ctx, "runAsUser"))


NON_ZERO_USER = unsafe(
    "replace runAsUser: 0 by fix.runAsUser from .kubeguard.yaml (default 10001); the image may need root",
    _non_zero_user,
)

__all__ = [
    "DROP_ALL_CAPABILITIES",
    "NON_ZERO_USER",
    "NOT_PRIVILEGED",
    "NO_PRIVILEGE_ESCALATION",
    "REMOVE_HOST_NAMESPACES",
    "REMOVE_HOST_PORT",
    "REMOVE_PROBE_HOST",
    "REMOVE_PROC_MOUNT",
    "REMOVE_ULIMITS",
    "RUN_AS_NON_ROOT",
    "SECCOMP_NOT_UNCONFINED",
    "SECCOMP_RUNTIME_DEFAULT",
    "Fix",
]
