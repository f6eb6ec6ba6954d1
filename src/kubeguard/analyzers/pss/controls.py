"""The kubeguard rule code of every Pod Security control, and the upstream checks behind it.

One control may be judged by different upstream checks depending on level and version (the
``/proc`` mount type is ``procMount`` at baseline and ``procMount_restricted`` at restricted from
v1.35); only one of them runs at a time, because the restricted one overrides the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kubeguard.analyzers.pss.policy import CHECKS_BY_ID


@dataclass(frozen=True, slots=True)
class Control:
    code: str
    name: str
    level: str
    checks: tuple[str, ...]


CONTROLS: tuple[Control, ...] = (
    Control("PSS001", "Host namespaces", "baseline", ("hostNamespaces",)),
    Control("PSS002", "Privileged containers", "baseline", ("privileged",)),
    Control("PSS003", "Capabilities (baseline)", "baseline", ("capabilities_baseline",)),
    Control("PSS004", "HostPath volumes", "baseline", ("hostPathVolumes",)),
    Control("PSS005", "Host ports", "baseline", ("hostPorts",)),
    Control("PSS006", "AppArmor", "baseline", ("appArmorProfile",)),
    Control("PSS007", "SELinux", "baseline", ("seLinuxOptions",)),
    Control("PSS008", "/proc mount type", "baseline", ("procMount", "procMount_restricted")),
    Control("PSS009", "Seccomp (baseline)", "baseline", ("seccompProfile_baseline",)),
    Control("PSS010", "Sysctls", "baseline", ("sysctls",)),
    Control("PSS011", "HostProcess", "baseline", ("windowsHostProcess",)),
    Control("PSS012", "Host probes and lifecycle hooks", "baseline", ("hostProbesAndHostLifecycle",)),
    Control("PSS013", "Volume types", "restricted", ("restrictedVolumes",)),
    Control("PSS014", "Privilege escalation", "restricted", ("allowPrivilegeEscalation",)),
    Control("PSS015", "Running as non-root", "restricted", ("runAsNonRoot",)),
    Control("PSS016", "Running as non-root user", "restricted", ("runAsUser",)),
    Control("PSS017", "Seccomp (restricted)", "restricted", ("seccompProfile_restricted",)),
    Control("PSS018", "Capabilities (restricted)", "restricted", ("capabilities_restricted",)),
    Control("PSS020", "Container ulimits", "baseline", ("ulimits",)),
)

CONTROL_BY_CHECK = {check: control for control in CONTROLS for check in control.checks}
CONTROL_BY_CODE = {control.code: control for control in CONTROLS}

assert set(CONTROL_BY_CHECK) == set(CHECKS_BY_ID), "every upstream check belongs to one control"


@lru_cache(maxsize=256)
def changed_at(code: str) -> tuple[int, ...]:
    """The minor versions at which the control's behaviour changes (its checks' revisions)."""
    control = CONTROL_BY_CODE[code]
    return tuple(sorted({r.since for c in control.checks for r in CHECKS_BY_ID[c].revisions}))
