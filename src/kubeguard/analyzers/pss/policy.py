"""The Pod Security policy: which check revision runs at each level and version, and evaluation.

Every check has a level and a list of revisions, each effective from a minor version on. A
restricted revision may *override* baseline checks (at restricted, the overridden baseline check
does not run; the restricted one judges the same fields more strictly). Tables for every level and
minor version from v1.0 to the newest revision are built once, at import.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from kubeguard.analyzers.pss import checks as c
from kubeguard.analyzers.pss.checks import CheckFn, CheckResult
from kubeguard.analyzers.pss.pod import Pod
from kubeguard.analyzers.pss.seccomp_skew import apply_version_skew
from kubeguard.analyzers.pss.versions import (
    BASELINE,
    NEWEST_POLICY_MINOR,
    PRIVILEGED,
    RESTRICTED,
    parse_level,
    parse_version,
)
from kubeguard.model.pointer import Pointer

if TYPE_CHECKING:
    from kubeguard.model.workload import Workload


@dataclass(frozen=True, slots=True)
class Revision:
    """A check's behaviour from ``since`` (a v1 minor version) until the next revision."""

    since: int
    fn: CheckFn
    overrides: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Check:
    """One upstream check: its id, level, and revisions in increasing version order."""

    id: str
    level: str
    revisions: tuple[Revision, ...]

    def revision_at(self, minor: int) -> Revision | None:
        found = None
        for r in self.revisions:
            if r.since <= minor:
                found = r
        return found

    @property
    def changed_at(self) -> tuple[int, ...]:
        return tuple(r.since for r in self.revisions)


B, R = BASELINE, RESTRICTED

#: Every check, as registered upstream (ids are upstream's check ids).
CHECKS: tuple[Check, ...] = (
    Check("appArmorProfile", B, (Revision(0, c.app_armor_profile_v1_0),)),
    Check("capabilities_baseline", B, (Revision(0, c.capabilities_baseline_v1_0),)),
    Check("hostNamespaces", B, (Revision(0, c.host_namespaces_v1_0),)),
    Check("hostPathVolumes", B, (Revision(0, c.host_path_volumes_v1_0),)),
    Check("hostPorts", B, (Revision(0, c.host_ports_v1_0),)),
    Check("hostProbesAndHostLifecycle", B, (Revision(34, c.host_probes_and_host_lifecycle_v1_34),)),
    Check("privileged", B, (Revision(0, c.privileged_v1_0),)),
    Check("procMount", B, (Revision(0, c.proc_mount_v1_0), Revision(35, c.proc_mount_v1_35))),
    Check(
        "seLinuxOptions", B, (Revision(0, c.se_linux_options_v1_0), Revision(31, c.se_linux_options_v1_31))
    ),
    Check(
        "seccompProfile_baseline",
        B,
        (Revision(0, c.seccomp_profile_baseline_v1_0), Revision(19, c.seccomp_profile_baseline_v1_19)),
    ),
    Check(
        "sysctls",
        B,
        (
            Revision(0, c.sysctls_v1_0),
            Revision(27, c.sysctls_v1_27),
            Revision(29, c.sysctls_v1_29),
            Revision(32, c.sysctls_v1_32),
            Revision(37, c.sysctls_v1_37),
        ),
    ),
    Check("ulimits", B, (Revision(37, c.ulimits_v1_37),)),
    Check("windowsHostProcess", B, (Revision(0, c.windows_host_process_v1_0),)),
    Check(
        "allowPrivilegeEscalation",
        R,
        (Revision(8, c.allow_privilege_escalation_v1_8), Revision(25, c.allow_privilege_escalation_v1_25)),
    ),
    Check(
        "capabilities_restricted",
        R,
        (
            Revision(22, c.capabilities_restricted_v1_22, ("capabilities_baseline",)),
            Revision(25, c.capabilities_restricted_v1_25, ("capabilities_baseline",)),
        ),
    ),
    Check("procMount_restricted", R, (Revision(35, c.proc_mount_restricted_v1_35, ("procMount",)),)),
    Check("restrictedVolumes", R, (Revision(0, c.restricted_volumes_v1_0, ("hostPathVolumes",)),)),
    Check("runAsNonRoot", R, (Revision(0, c.run_as_non_root_v1_0), Revision(35, c.run_as_non_root_v1_35))),
    Check("runAsUser", R, (Revision(23, c.run_as_user_v1_23), Revision(35, c.run_as_user_v1_35))),
    Check(
        "seccompProfile_restricted",
        R,
        (
            Revision(19, c.seccomp_profile_restricted_v1_19, ("seccompProfile_baseline",)),
            Revision(25, c.seccomp_profile_restricted_v1_25, ("seccompProfile_baseline",)),
        ),
    ),
)

CHECKS_BY_ID = {ch.id: ch for ch in CHECKS}

assert max(r.since for ch in CHECKS for r in ch.revisions) == NEWEST_POLICY_MINOR


def _table(level: str, minor: int) -> tuple[tuple[str, CheckFn], ...]:
    """The checks that run at ``level`` and ``minor``: baseline ids (sorted) first, then restricted."""
    if level == PRIVILEGED:
        return ()
    active = {ch.id: (ch, rev) for ch in CHECKS if (rev := ch.revision_at(minor)) is not None}
    overridden: set[str] = set()
    if level == RESTRICTED:
        for ch, rev in active.values():
            if ch.level == RESTRICTED:
                overridden.update(rev.overrides)
    chosen = [
        (ch.id, rev.fn)
        for ch, rev in active.values()
        if (ch.level == BASELINE or level == RESTRICTED) and ch.id not in overridden
    ]
    return tuple(sorted(chosen, key=lambda t: (CHECKS_BY_ID[t[0]].level != BASELINE, t[0])))


_TABLES: dict[tuple[str, int], tuple[tuple[str, CheckFn], ...]] = {
    (level, minor): _table(level, minor)
    for level in (PRIVILEGED, BASELINE, RESTRICTED)
    for minor in range(NEWEST_POLICY_MINOR + 1)
}
_FNS: dict[tuple[str, int], dict[str, CheckFn]] = {key: dict(t) for key, t in _TABLES.items()}


def checks_at(level: str, minor: int) -> tuple[tuple[str, CheckFn], ...]:
    """The (check id, function) pairs that run at a level and an already-parsed minor version."""
    return _TABLES[(level, min(minor, NEWEST_POLICY_MINOR))]


@lru_cache(maxsize=64)
def resolve(level: str, version: str) -> dict[str, CheckFn]:
    """Check id -> function at ``level`` and ``version`` (``latest`` or ``v1.N``); raises on bad input."""
    return _FNS[(parse_level(level), parse_version(version))]


_SPEC = Pointer(("spec",))
_METADATA = Pointer(("metadata",))


def evaluate_pod(
    spec: dict[str, Any],
    meta: Mapping[str, Any],
    level: str,
    minor: int,
    spec_pointer: Pointer = _SPEC,
    meta_pointer: Pointer = _METADATA,
    k8s_minor: int | None = None,
) -> list[CheckResult]:
    """Every failed check for a pod spec and its metadata, in admission order.

    ``k8s_minor``: the target Kubernetes version (``None``: latest), for what its API server does to
    the pod before admission (seccomp annotations, see ``seccomp_skew``)."""
    return evaluate_template(Pod(spec, spec_pointer, meta, meta_pointer), level, minor, k8s_minor)


def evaluate_template(pod: Pod, level: str, minor: int, k8s_minor: int | None = None) -> list[CheckResult]:
    """Every failed check for a pod view (a workload's, shared with the other rules), in admission order."""
    table = checks_at(level, minor)
    if not table:
        return []
    pod = apply_version_skew(pod, k8s_minor)
    out = []
    for _, fn in table:
        result = fn(pod)
        if result is not None:
            out.append(result)
    return out


def evaluate(workload: Workload, level: str, version: str | int) -> list[CheckResult]:
    """Evaluate a workload's pod template at a level and version (``latest``, ``v1.N`` or a minor)."""
    minor = version if isinstance(version, int) else parse_version(version)
    return evaluate_template(workload, parse_level(level), minor)


def run_check(check_id: str, workload: Workload, level: str, version: str) -> CheckResult | None:
    """One check on one workload, if that check runs at the level and version (``None`` otherwise)."""
    fn = resolve(level, version).get(check_id)
    if fn is None:
        return None
    return fn(workload)


def iter_violations(results: list[CheckResult]) -> Iterator[tuple[str, str, str, Pointer]]:
    """(check id, reason, detail, pointer of the first offending field) for each failed check."""
    for r in results:
        yield r.check, r.reason, r.detail, r.pointer


def aggregate_message(level: str, version: str, results: list[CheckResult]) -> str:
    """The admission controller's message: ``violates PodSecurity "restricted:latest": a (b), c (d)``."""
    return f'violates PodSecurity "{level}:{version}": ' + ", ".join(r.message for r in results)
