"""The Pod Security checks, one function per check revision, worded as the admission controller words them.

Each function takes a :class:`~kubeguard.analyzers.pss.pod.Pod` and returns ``None`` when the pod
is allowed, else a :class:`CheckResult`: the forbidden reason, the detail for the whole pod (the text
``kubectl`` prints after ``violates PodSecurity``), and one :class:`Offence` per offending field with
the reason and detail as they would read if that field were the only problem.

Lists in details follow admission: container names in visiting order (init, regular, ephemeral),
value sets sorted and de-duplicated, names quoted. Facts (allowed values and the versions at which
they change) are from the upstream pod-security-admission policy package.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from kubeguard.analyzers.pss.pod import Pod, PodContainer, as_dict, as_list, text
from kubeguard.model.pointer import Pointer


@dataclass(frozen=True, slots=True)
class Offence:
    """One offending field and the message about it alone."""

    pointer: Pointer
    message: str


class CheckResult:
    """A failed check: ``reason (detail)`` is the admission wording; ``offences`` locate each field.

    The offences (one pointer and message per offending field) are built on first use: deciding
    admission and wording the admission message do not need them.
    """

    __slots__ = ("_make", "_offences", "check", "detail", "reason")

    def __init__(
        self,
        check: str,
        reason: str,
        detail: str,
        offences: tuple[Offence, ...] | Callable[[], tuple[Offence, ...]],
    ) -> None:
        self.check = check
        self.reason = reason
        self.detail = detail
        if isinstance(offences, tuple):
            self._offences: tuple[Offence, ...] | None = offences
            self._make: Callable[[], tuple[Offence, ...]] | None = None
        else:
            self._offences = None
            self._make = offences

    @property
    def offences(self) -> tuple[Offence, ...]:
        if self._offences is None:
            assert self._make is not None
            self._offences = self._make()
            self._make = None
        return self._offences

    @property
    def message(self) -> str:
        return f"{self.reason} ({self.detail})"

    @property
    def pointer(self) -> Pointer:
        return self.offences[0].pointer

    def __repr__(self) -> str:
        return f"CheckResult({self.check!r}, {self.message!r})"


CheckFn = Callable[[Pod], CheckResult | None]


def quote(items: Iterable[str]) -> str:
    items = list(items)
    return '"' + '", "'.join(items) + '"' if items else ""


def plural(singular: str, plural_: str, count: int) -> str:
    return singular if count == 1 else plural_


def go_quote(value: str) -> str:
    """A string quoted as Go's ``%q`` prints it (close enough for printable text)."""
    return json.dumps(value, ensure_ascii=False)


def _containers(names: list[str]) -> str:
    return f"{plural('container', 'containers', len(names))} {quote(names)}"


def _one(name: str) -> str:
    return f'container "{name}"'


# --- host namespaces ---------------------------------------------------------------------------

_HOST_NS = ("hostNetwork", "hostPID", "hostIPC")


def host_namespaces_v1_0(pod: Pod) -> CheckResult | None:
    spec = pod.spec
    bad = [f for f in _HOST_NS if spec.get(f) is True]
    if not bad:
        return None
    return CheckResult(
        "hostNamespaces",
        "host namespaces",
        ", ".join(f"{f}=true" for f in bad),
        lambda: tuple(Offence(pod.spec_pointer / f, f"host namespaces ({f}=true)") for f in bad),
    )


# --- privileged --------------------------------------------------------------------------------


def privileged_v1_0(pod: Pod) -> CheckResult | None:
    bad = [c for c in pod.containers() if c.own_sc.get("privileged") is True]
    if not bad:
        return None
    tail = "must not set securityContext.privileged=true"
    return CheckResult(
        "privileged",
        "privileged",
        f"{_containers([c.declared_name for c in bad])} {tail}",
        lambda: tuple(
            Offence(c.sc_pointer("privileged"), f"privileged ({_one(c.declared_name)} {tail})") for c in bad
        ),
    )


# --- capabilities ------------------------------------------------------------------------------

BASELINE_CAPABILITIES = frozenset(
    {
        "AUDIT_WRITE",
        "CHOWN",
        "DAC_OVERRIDE",
        "FOWNER",
        "FSETID",
        "KILL",
        "MKNOD",
        "NET_BIND_SERVICE",
        "SETFCAP",
        "SETGID",
        "SETPCAP",
        "SETUID",
        "SYS_CHROOT",
    }
)


def _caps(c: PodContainer, field: str) -> list[str]:
    return [text(x) for x in as_list(as_dict(c.own_sc.get("capabilities")).get(field))]


def capabilities_baseline_v1_0(pod: Pod) -> CheckResult | None:
    bad: list[tuple[PodContainer, list[str]]] = []
    for c in pod.containers():
        if c.own_sc.get("capabilities") is None:
            continue
        extra = [cap for cap in _caps(c, "add") if cap not in BASELINE_CAPABILITIES]
        if extra:
            bad.append((c, extra))
    if not bad:
        return None
    every = sorted({cap for _, caps in bad for cap in caps})

    def detail(names: list[str], caps: list[str]) -> str:
        return f"{_containers(names)} must not include {quote(caps)} in securityContext.capabilities.add"

    reason = "non-default capabilities"
    return CheckResult(
        "capabilities_baseline",
        reason,
        detail([c.declared_name for c, _ in bad], every),
        lambda: tuple(
            Offence(
                c.sc_pointer("capabilities", "add"),
                f"{reason} ({detail([c.declared_name], sorted(set(caps)))})",
            )
            for c, caps in bad
        ),
    )


def capabilities_restricted_v1_22(pod: Pod) -> CheckResult | None:
    missing_drop: list[PodContainer] = []
    adding: list[tuple[PodContainer, list[str]]] = []
    for c in pod.containers():
        caps = c.own_sc.get("capabilities")
        if caps.__class__ is not dict:
            missing_drop.append(c)
            continue
        if "ALL" not in _caps(c, "drop"):
            missing_drop.append(c)
        extra = [cap for cap in _caps(c, "add") if cap != "NET_BIND_SERVICE"]
        if extra:
            adding.append((c, extra))
    if not missing_drop and not adding:
        return None
    reason = "unrestricted capabilities"
    drop_tail = 'must set securityContext.capabilities.drop=["ALL"]'

    def add_detail(names: list[str], caps: Iterable[str]) -> str:
        return f"{_containers(names)} must not include {quote(sorted(set(caps)))} in securityContext.capabilities.add"

    parts = []
    if missing_drop:
        parts.append(f"{_containers([c.declared_name for c in missing_drop])} {drop_tail}")
    if adding:
        parts.append(
            add_detail([c.declared_name for c, _ in adding], (cap for _, caps in adding for cap in caps))
        )

    def _offences() -> tuple[Offence, ...]:
        offences = [
            Offence(
                c.sc_pointer("capabilities", "drop")
                if c.own_sc.get("capabilities").__class__ is dict
                else c.sc_pointer("capabilities"),
                f"{reason} ({_one(c.declared_name)} {drop_tail})",
            )
            for c in missing_drop
        ]
        offences.extend(
            Offence(c.sc_pointer("capabilities", "add"), f"{reason} ({add_detail([c.declared_name], caps)})")
            for c, caps in adding
        )
        return tuple(offences)

    return CheckResult("capabilities_restricted", reason, "; ".join(parts), _offences)


def capabilities_restricted_v1_25(pod: Pod) -> CheckResult | None:
    return None if pod.declares_windows else capabilities_restricted_v1_22(pod)


# --- volumes -----------------------------------------------------------------------------------


def host_path_volumes_v1_0(pod: Pod) -> CheckResult | None:
    bad = [
        (i, text(v.get("name")))
        for i, v in enumerate(as_list(pod.spec.get("volumes")))
        if v.__class__ is dict and v.get("hostPath") is not None
    ]
    if not bad:
        return None
    names = [n for _, n in bad]
    return CheckResult(
        "hostPathVolumes",
        "hostPath volumes",
        f"{plural('volume', 'volumes', len(names))} {quote(names)}",
        lambda: tuple(
            Offence(pod.spec_pointer.join("volumes", i, "hostPath"), f'hostPath volumes (volume "{n}")')
            for i, n in bad
        ),
    )


#: Volume sources the restricted level allows (``image`` joined the list upstream without a new
#: policy version, so it is allowed at every version).
ALLOWED_VOLUME_SOURCES = frozenset(
    {
        "configMap",
        "csi",
        "downwardAPI",
        "emptyDir",
        "ephemeral",
        "image",
        "persistentVolumeClaim",
        "projected",
        "secret",
    }
)

#: Restricted volume sources in the order admission tests them; the name reported for each.
RESTRICTED_VOLUME_SOURCES = (
    ("hostPath", "hostPath"),
    ("gcePersistentDisk", "gcePersistentDisk"),
    ("awsElasticBlockStore", "awsElasticBlockStore"),
    ("gitRepo", "gitRepo"),
    ("nfs", "nfs"),
    ("iscsi", "iscsi"),
    ("glusterfs", "glusterfs"),
    ("rbd", "rbd"),
    ("flexVolume", "flexVolume"),
    ("cinder", "cinder"),
    ("cephfs", "cephfs"),
    ("flocker", "flocker"),
    ("fc", "fc"),
    ("azureFile", "azureFile"),
    ("vsphereVolume", "vsphereVolume"),
    ("quobyte", "quobyte"),
    ("azureDisk", "azureDisk"),
    ("photonPersistentDisk", "photonPersistentDisk"),
    ("portworxVolume", "portworxVolume"),
    ("scaleIO", "scaleIO"),
    ("storageos", "storageos"),
)


def restricted_volumes_v1_0(pod: Pod) -> CheckResult | None:
    """A volume that sets no source at all is allowed: the API server defaults it to ``emptyDir``
    before admission sees it (upstream's own pass fixture has such an "implicit empty dir")."""
    bad: list[tuple[int, str, str, str]] = []  # index, name, type, field
    for i, v in enumerate(as_list(pod.spec.get("volumes"))):
        if v.__class__ is not dict:
            continue
        if any(v.get(src) is not None for src in ALLOWED_VOLUME_SOURCES):
            continue
        for src, label in RESTRICTED_VOLUME_SOURCES:
            if v.get(src) is not None:
                bad.append((i, text(v.get("name")), label, src))
                break
    if not bad:
        return None
    reason = "restricted volume types"

    def detail(names: list[str], kinds: Iterable[str]) -> str:
        k = sorted(set(kinds))
        return (
            f"{plural('volume', 'volumes', len(names))} {quote(names)} {plural('uses', 'use', len(names))} "
            f"{plural('restricted volume type', 'restricted volume types', len(k))} {quote(k)}"
        )

    return CheckResult(
        "restrictedVolumes",
        reason,
        detail([n for _, n, _, _ in bad], (k for _, _, k, _ in bad)),
        lambda: tuple(
            Offence(
                pod.spec_pointer.join("volumes", i, field),
                f"{reason} ({detail([n], [k])})",
            )
            for i, n, k, field in bad
        ),
    )


# --- host ports --------------------------------------------------------------------------------


def host_ports_v1_0(pod: Pod) -> CheckResult | None:
    bad: list[tuple[PodContainer, list[tuple[int, str]]]] = []
    for c in pod.containers():
        ports = c.raw.get("ports")
        if ports.__class__ is not list:
            continue
        used = [
            (j, text(p.get("hostPort")))
            for j, p in enumerate(ports)
            if p.__class__ is dict and p.get("hostPort") not in (None, 0)
        ]
        if used:
            bad.append((c, used))
    if not bad:
        return None

    def detail(names: list[str], ports: Iterable[str]) -> str:
        ps = sorted(set(ports))
        return (
            f"{_containers(names)} {plural('uses', 'use', len(names))} "
            f"{plural('hostPort', 'hostPorts', len(ps))} {', '.join(ps)}"
        )

    return CheckResult(
        "hostPorts",
        "hostPort",
        detail([c.declared_name for c, _ in bad], (p for _, used in bad for _, p in used)),
        lambda: tuple(
            Offence(c.pointer.join("ports", j, "hostPort"), f"hostPort ({detail([c.declared_name], [p])})")
            for c, used in bad
            for j, p in used
        ),
    )


# --- AppArmor ----------------------------------------------------------------------------------

APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/"
_APPARMOR_TYPES = frozenset({"RuntimeDefault", "Localhost"})


def _apparmor_annotation_ok(value: str) -> bool:
    return value in ("", "runtime/default") or value.startswith("localhost/")


def app_armor_profile_v1_0(pod: Pod) -> CheckResult | None:
    """Fields (pod and containers) and the deprecated per-container annotations, at every version."""
    # (setter label, pointer, bad value)
    found: list[tuple[str, Pointer, str]] = []
    profile = pod.pod_sc.get("appArmorProfile")
    if profile is not None:
        t = text(as_dict(profile).get("type"))
        if t not in _APPARMOR_TYPES:
            found.append(("pod", pod.sc_pointer("appArmorProfile", "type"), t))
    containers: list[tuple[PodContainer, str]] = []
    for c in pod.containers():
        profile = c.own_sc.get("appArmorProfile")
        if profile is not None:
            t = text(as_dict(profile).get("type"))
            if t not in _APPARMOR_TYPES:
                containers.append((c, t))
    annotations: list[tuple[str, str]] = []
    ann = pod.annotations
    if ann:
        for k, v in ann.items():
            if k.startswith(APPARMOR_ANNOTATION_PREFIX):
                value = text(v)
                if not _apparmor_annotation_ok(value):
                    annotations.append((k, f"{k}={go_quote(value)}"))
    if not found and not containers and not annotations:
        return None

    def message(setters: list[str], values: list[str]) -> tuple[str, str]:
        reason = plural("forbidden AppArmor profile", "forbidden AppArmor profiles", len(values))
        return reason, f"{' and '.join(setters)} must not set AppArmor profile type to {quote(values)}"

    setters = [s for s, _, _ in found]
    types = {v for _, _, v in found} | {t for _, t in containers}
    if containers:
        setters.append(_containers([c.declared_name for c, _ in containers]))
    values = sorted(types)
    if annotations:
        setters.append(plural("annotation", "annotations", len(annotations)))
        values.extend(sorted(a for _, a in annotations))
    reason, detail = message(setters, values)

    def _offences() -> tuple[Offence, ...]:
        offences = [Offence(p, "{} ({})".format(*message([s], [v]))) for s, p, v in found]
        offences.extend(
            Offence(
                c.sc_pointer("appArmorProfile", "type"),
                "{} ({})".format(*message([_one(c.declared_name)], [t])),
            )
            for c, t in containers
        )
        offences.extend(
            Offence(pod.annotation_pointer(k), "{} ({})".format(*message(["annotation"], [a])))
            for k, a in annotations
        )
        return tuple(offences)

    return CheckResult("appArmorProfile", reason, detail, _offences)


# --- SELinux -----------------------------------------------------------------------------------

SELINUX_TYPES_V1_0 = frozenset({"", "container_t", "container_init_t", "container_kvm_t"})
SELINUX_TYPES_V1_31 = SELINUX_TYPES_V1_0 | {"container_engine_t"}


def _selinux(allowed: frozenset[str]) -> CheckFn:
    def check(pod: Pod) -> CheckResult | None:
        # setter label, pointer to seLinuxOptions, bad type or None, user set, role set
        found: list[tuple[str, Pointer, str | None, bool, bool]] = []

        def inspect(opts: Any, label: str, ptr: Callable[[], Pointer]) -> None:
            if opts is None:
                return
            o = as_dict(opts)
            t = text(o.get("type"))
            bad_type = None if t in allowed else t
            user = bool(text(o.get("user")))
            role = bool(text(o.get("role")))
            if bad_type is not None or user or role:
                found.append((label, ptr(), bad_type, user, role))

        inspect(pod.pod_sc.get("seLinuxOptions"), "pod", lambda: pod.sc_pointer("seLinuxOptions"))
        pod_found = len(found)
        for c in pod.containers():
            inspect(c.own_sc.get("seLinuxOptions"), c.declared_name, partial(c.sc_pointer, "seLinuxOptions"))
        if not found:
            return None

        def detail(items: list[tuple[str, Pointer, str | None, bool, bool]], pod_items: int) -> str:
            setters = [label for label, *_ in items[:pod_items]]
            names = [label for label, *_ in items[pod_items:]]
            if names:
                setters.append(_containers(names))
            data = []
            types = sorted({t for _, _, t, _, _ in items if t is not None})
            if types:
                data.append(f"{plural('type', 'types', len(types))} {quote(types)}")
            if any(u for *_, u, _ in items):
                data.append("user may not be set")
            if any(r for *_, r in items):
                data.append("role may not be set")
            return f"{' and '.join(setters)} set forbidden securityContext.seLinuxOptions: {'; '.join(data)}"

        def _offences() -> tuple[Offence, ...]:
            offences = []
            for n, item in enumerate(found):
                _, ptr, t, user, _role = item
                field = "type" if t is not None else "user" if user else "role"
                offences.append(
                    Offence(ptr / field, f"seLinuxOptions ({detail([item], 1 if n < pod_found else 0)})")
                )
            return tuple(offences)

        return CheckResult("seLinuxOptions", "seLinuxOptions", detail(found, pod_found), _offences)

    return check


se_linux_options_v1_0 = _selinux(SELINUX_TYPES_V1_0)
se_linux_options_v1_31 = _selinux(SELINUX_TYPES_V1_31)


# --- /proc mount -------------------------------------------------------------------------------


def _proc_mount(pod: Pod, check_id: str) -> CheckResult | None:
    bad = [
        c
        for c in pod.containers()
        if c.own_sc.get("procMount") is not None and c.own_sc.get("procMount") != "Default"
    ]
    if not bad:
        return None

    def detail(names: list[str], values: Iterable[str]) -> str:
        return f"{_containers(names)} must not set securityContext.procMount to {quote(sorted(set(values)))}"

    return CheckResult(
        check_id,
        "procMount",
        detail([c.declared_name for c in bad], (text(c.own_sc.get("procMount")) for c in bad)),
        lambda: tuple(
            Offence(
                c.sc_pointer("procMount"),
                f"procMount ({detail([c.declared_name], [text(c.own_sc.get('procMount'))])})",
            )
            for c in bad
        ),
    )


def proc_mount_v1_0(pod: Pod) -> CheckResult | None:
    return _proc_mount(pod, "procMount")


def proc_mount_v1_35(pod: Pod) -> CheckResult | None:
    """From v1.35 the baseline level allows any /proc mount type in a user-namespaced pod."""
    return None if pod.in_user_namespace else _proc_mount(pod, "procMount")


def proc_mount_restricted_v1_35(pod: Pod) -> CheckResult | None:
    return _proc_mount(pod, "procMount_restricted")


# --- seccomp -----------------------------------------------------------------------------------

SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod"
SECCOMP_CONTAINER_ANNOTATION_PREFIX = "container.seccomp.security.alpha.kubernetes.io/"
_SECCOMP_TYPES = frozenset({"RuntimeDefault", "Localhost"})


def _seccomp_annotation_ok(value: str) -> bool:
    return value in ("runtime/default", "docker/default") or value.startswith("localhost/")


def seccomp_profile_baseline_v1_0(pod: Pod) -> CheckResult | None:
    """Before v1.19 seccomp was set by annotations only."""
    ann = pod.annotations
    if not ann:
        return None
    bad: dict[str, str] = {}
    keys = [SECCOMP_POD_ANNOTATION]
    keys.extend(SECCOMP_CONTAINER_ANNOTATION_PREFIX + c.declared_name for c in pod.containers())
    for key in keys:
        if key in ann:
            value = text(ann[key])
            if not _seccomp_annotation_ok(value):
                bad[key] = f"{key}={go_quote(value)}"
    if not bad:
        return None

    def detail(items: Iterable[str]) -> str:
        s = sorted(set(items))
        return f"forbidden {plural('annotation', 'annotations', len(s))} {', '.join(s)}"

    return CheckResult(
        "seccompProfile_baseline",
        "seccompProfile",
        detail(bad.values()),
        lambda: tuple(
            Offence(pod.annotation_pointer(k), f"seccompProfile ({detail([v])})") for k, v in bad.items()
        ),
    )


def _seccomp_setters(pod: Pod) -> tuple[bool, list[tuple[str, Pointer, str]], list[tuple[PodContainer, str]]]:
    """(pod sets a valid profile, pod-level bad setter, containers that set a bad type)."""
    pod_ok = False
    pod_bad: list[tuple[str, Pointer, str]] = []
    profile = pod.pod_sc.get("seccompProfile")
    if profile is not None:
        t = text(as_dict(profile).get("type"))
        if t in _SECCOMP_TYPES:
            pod_ok = True
        else:
            pod_bad.append(("pod", pod.sc_pointer("seccompProfile", "type"), t))
    containers = []
    for c in pod.containers():
        profile = c.own_sc.get("seccompProfile")
        if profile is not None:
            t = text(as_dict(profile).get("type"))
            if t not in _SECCOMP_TYPES:
                containers.append((c, t))
    return pod_ok, pod_bad, containers


def _seccomp_bad_setters(
    pod_bad: list[tuple[str, Pointer, str]], containers: list[tuple[PodContainer, str]], check_id: str
) -> CheckResult:
    def detail(setters: list[str], values: Iterable[str]) -> str:
        return f"{' and '.join(setters)} must not set securityContext.seccompProfile.type to {quote(sorted(set(values)))}"

    setters = [s for s, _, _ in pod_bad]
    if containers:
        setters.append(_containers([c.declared_name for c, _ in containers]))
    values = [v for _, _, v in pod_bad] + [t for _, t in containers]

    def _offences() -> tuple[Offence, ...]:
        offences = [Offence(p, f"seccompProfile ({detail([s], [v])})") for s, p, v in pod_bad]
        offences.extend(
            Offence(
                c.sc_pointer("seccompProfile", "type"),
                f"seccompProfile ({detail([_one(c.declared_name)], [t])})",
            )
            for c, t in containers
        )
        return tuple(offences)

    return CheckResult(check_id, "seccompProfile", detail(setters, values), _offences)


def seccomp_profile_baseline_v1_19(pod: Pod) -> CheckResult | None:
    _, pod_bad, containers = _seccomp_setters(pod)
    if not pod_bad and not containers:
        return None
    return _seccomp_bad_setters(pod_bad, containers, "seccompProfile_baseline")


def seccomp_profile_restricted_v1_19(pod: Pod) -> CheckResult | None:
    pod_ok, pod_bad, containers = _seccomp_setters(pod)
    if pod_bad or containers:
        return _seccomp_bad_setters(pod_bad, containers, "seccompProfile_restricted")
    if pod_ok:
        return None
    unset = [c for c in pod.containers() if c.own_sc.get("seccompProfile") is None]
    if not unset:
        return None
    tail = 'must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"'
    return CheckResult(
        "seccompProfile_restricted",
        "seccompProfile",
        f"pod or {_containers([c.declared_name for c in unset])} {tail}",
        lambda: tuple(
            Offence(c.sc_pointer("seccompProfile"), f"seccompProfile (pod or {_one(c.declared_name)} {tail})")
            for c in unset
        ),
    )


def seccomp_profile_restricted_v1_25(pod: Pod) -> CheckResult | None:
    return None if pod.declares_windows else seccomp_profile_restricted_v1_19(pod)


# --- sysctls -----------------------------------------------------------------------------------

SYSCTLS_V1_0 = frozenset(
    {
        "kernel.shm_rmid_forced",
        "net.ipv4.ip_local_port_range",
        "net.ipv4.tcp_syncookies",
        "net.ipv4.ping_group_range",
        "net.ipv4.ip_unprivileged_port_start",
    }
)
SYSCTLS_V1_27 = SYSCTLS_V1_0 | {"net.ipv4.ip_local_reserved_ports"}
SYSCTLS_V1_29 = SYSCTLS_V1_27 | {
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
}
SYSCTLS_V1_32 = SYSCTLS_V1_29 | {"net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"}
SYSCTLS_V1_37 = SYSCTLS_V1_32 | {"net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"}


def _sysctls(allowed: frozenset[str]) -> CheckFn:
    def check(pod: Pod) -> CheckResult | None:
        items = pod.pod_sc.get("sysctls")
        if items.__class__ is not list or not items:
            return None
        bad = [(i, text(as_dict(s).get("name"))) for i, s in enumerate(items)]
        bad = [(i, n) for i, n in bad if n not in allowed]
        if not bad:
            return None
        return CheckResult(
            "sysctls",
            "forbidden sysctls",
            ", ".join(n for _, n in bad),
            lambda: tuple(
                Offence(pod.sc_pointer("sysctls", i, "name"), f"forbidden sysctls ({n})") for i, n in bad
            ),
        )

    return check


sysctls_v1_0 = _sysctls(SYSCTLS_V1_0)
sysctls_v1_27 = _sysctls(SYSCTLS_V1_27)
sysctls_v1_29 = _sysctls(SYSCTLS_V1_29)
sysctls_v1_32 = _sysctls(SYSCTLS_V1_32)
sysctls_v1_37 = _sysctls(SYSCTLS_V1_37)


# --- container ulimits ------------------------------------------------------------------------


def ulimits_v1_37(pod: Pod) -> CheckResult | None:
    """From v1.37 no container may set ``securityContext.ulimits`` below the privileged level."""
    bad = [c for c in pod.containers() if c.own_sc.get("ulimits") is not None]
    if not bad:
        return None
    tail = "must not set securityContext.ulimits"
    return CheckResult(
        "ulimits",
        "ulimits",
        f"{_containers([c.declared_name for c in bad])} {tail}",
        lambda: tuple(
            Offence(c.sc_pointer("ulimits"), f"ulimits ({_one(c.declared_name)} {tail})") for c in bad
        ),
    )


# --- Windows HostProcess -----------------------------------------------------------------------


def windows_host_process_v1_0(pod: Pod) -> CheckResult | None:
    pod_bad = as_dict(pod.pod_sc.get("windowsOptions")).get("hostProcess") is True
    bad = [c for c in pod.containers() if as_dict(c.own_sc.get("windowsOptions")).get("hostProcess") is True]
    if not pod_bad and not bad:
        return None
    tail = "must not set securityContext.windowsOptions.hostProcess=true"
    setters = ["pod"] if pod_bad else []
    if bad:
        setters.append(_containers([c.declared_name for c in bad]))

    def _offences() -> tuple[Offence, ...]:
        offences = (
            [Offence(pod.sc_pointer("windowsOptions", "hostProcess"), f"hostProcess (pod {tail})")]
            if pod_bad
            else []
        )
        offences.extend(
            Offence(
                c.sc_pointer("windowsOptions", "hostProcess"), f"hostProcess ({_one(c.declared_name)} {tail})"
            )
            for c in bad
        )
        return tuple(offences)

    return CheckResult("windowsHostProcess", "hostProcess", f"{' and '.join(setters)} {tail}", _offences)


# --- probe and lifecycle hosts -----------------------------------------------------------------

_PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
_HOOKS = ("postStart", "preStop")
_HANDLERS = ("httpGet", "tcpSocket")


def host_probes_and_host_lifecycle_v1_34(pod: Pod) -> CheckResult | None:
    bad: list[tuple[PodContainer, Pointer, str]] = []
    for c in pod.containers():
        raw = c.raw
        for probe in _PROBES:
            p = raw.get(probe)
            if p.__class__ is dict:
                for h in _HANDLERS:
                    host = text(as_dict(p.get(h)).get("host"))
                    if host:
                        bad.append((c, c.pointer.join(probe, h, "host"), host))
        lifecycle = raw.get("lifecycle")
        if lifecycle.__class__ is dict:
            for hook in _HOOKS:
                p = lifecycle.get(hook)
                if p.__class__ is dict:
                    for h in _HANDLERS:
                        host = text(as_dict(p.get(h)).get("host"))
                        if host:
                            bad.append((c, c.pointer.join("lifecycle", hook, h, "host"), host))
    if not bad:
        return None
    reason = "probe or lifecycle host"

    def detail(names: Iterable[str], hosts: Iterable[str]) -> str:
        n = sorted(set(names))
        h = sorted(set(hosts))
        return (
            f"{_containers(n)} {plural('uses', 'use', len(n))} "
            f"{plural('probe or lifecycle host', 'probe or lifecycle hosts', len(h))} {quote(h)}"
        )

    return CheckResult(
        "hostProbesAndHostLifecycle",
        reason,
        detail((c.declared_name for c, _, _ in bad), (h for _, _, h in bad)),
        lambda: tuple(Offence(p, f"{reason} ({detail([c.declared_name], [h])})") for c, p, h in bad),
    )


# --- restricted: privilege escalation, non-root ------------------------------------------------


def allow_privilege_escalation_v1_8(pod: Pod) -> CheckResult | None:
    bad = [c for c in pod.containers() if c.own_sc.get("allowPrivilegeEscalation") is not False]
    if not bad:
        return None
    reason = "allowPrivilegeEscalation != false"
    tail = "must set securityContext.allowPrivilegeEscalation=false"
    return CheckResult(
        "allowPrivilegeEscalation",
        reason,
        f"{_containers([c.declared_name for c in bad])} {tail}",
        lambda: tuple(
            Offence(c.sc_pointer("allowPrivilegeEscalation"), f"{reason} ({_one(c.declared_name)} {tail})")
            for c in bad
        ),
    )


def allow_privilege_escalation_v1_25(pod: Pod) -> CheckResult | None:
    return None if pod.declares_windows else allow_privilege_escalation_v1_8(pod)


def run_as_non_root_v1_0(pod: Pod) -> CheckResult | None:
    reason = "runAsNonRoot != true"
    pod_value = pod.pod_sc.get("runAsNonRoot")
    pod_bad = pod_value is not None and pod_value is not True
    pod_ok = pod_value is True
    explicit: list[PodContainer] = []
    implicit: list[PodContainer] = []
    for c in pod.containers():
        value = c.own_sc.get("runAsNonRoot")
        if value is not None:
            if value is not True:
                explicit.append(c)
        elif not pod_ok:
            implicit.append(c)
    if pod_bad or explicit:
        tail = "must not set securityContext.runAsNonRoot=false"
        setters = ["pod"] if pod_bad else []
        if explicit:
            setters.append(_containers([c.declared_name for c in explicit]))

        def _offences() -> tuple[Offence, ...]:
            offences = [Offence(pod.sc_pointer("runAsNonRoot"), f"{reason} (pod {tail})")] if pod_bad else []
            offences.extend(
                Offence(c.sc_pointer("runAsNonRoot"), f"{reason} ({_one(c.declared_name)} {tail})")
                for c in explicit
            )
            return tuple(offences)

        return CheckResult("runAsNonRoot", reason, f"{' and '.join(setters)} {tail}", _offences)
    if not implicit:
        return None
    tail = "must set securityContext.runAsNonRoot=true"
    return CheckResult(
        "runAsNonRoot",
        reason,
        f"pod or {_containers([c.declared_name for c in implicit])} {tail}",
        lambda: tuple(
            Offence(c.sc_pointer("runAsNonRoot"), f"{reason} (pod or {_one(c.declared_name)} {tail})")
            for c in implicit
        ),
    )


def run_as_non_root_v1_35(pod: Pod) -> CheckResult | None:
    """From v1.35 a pod in its own user namespace (``hostUsers: false``) may run as root inside it."""
    return None if pod.in_user_namespace else run_as_non_root_v1_0(pod)


def _is_zero(value: Any) -> bool:
    return value == 0 and value.__class__ is not bool


def run_as_user_v1_23(pod: Pod) -> CheckResult | None:
    pod_bad = _is_zero(pod.pod_sc.get("runAsUser"))
    bad = [c for c in pod.containers() if _is_zero(c.own_sc.get("runAsUser"))]
    if not pod_bad and not bad:
        return None
    reason = "runAsUser=0"
    tail = "must not set runAsUser=0"
    setters = ["pod"] if pod_bad else []
    if bad:
        setters.append(_containers([c.declared_name for c in bad]))

    def _offences() -> tuple[Offence, ...]:
        offences = [Offence(pod.sc_pointer("runAsUser"), f"{reason} (pod {tail})")] if pod_bad else []
        offences.extend(
            Offence(c.sc_pointer("runAsUser"), f"{reason} ({_one(c.declared_name)} {tail})") for c in bad
        )
        return tuple(offences)

    return CheckResult("runAsUser", reason, f"{' and '.join(setters)} {tail}", _offences)


def run_as_user_v1_35(pod: Pod) -> CheckResult | None:
    return None if pod.in_user_namespace else run_as_user_v1_23(pod)
