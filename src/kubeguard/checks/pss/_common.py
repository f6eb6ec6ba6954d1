"""What every Pod Security rule shares: evaluate the control's upstream checks at the scan's level
and version, and report each offending field with the admission controller's wording."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache

from kubeguard.analyzers.pss.checks import CheckFn
from kubeguard.analyzers.pss.controls import CONTROL_BY_CODE, effective
from kubeguard.analyzers.pss.pod import Pod
from kubeguard.analyzers.pss.policy import checks_at
from kubeguard.model.workload import Workload
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import WORKLOADS, Rule, Severity, Violation
from kubeguard.rules.rule import CheckFn as RuleCheckFn

PSS_DOCS = "https://kubernetes.io/docs/concepts/security/pod-security-standards/"


@lru_cache(maxsize=256)
def _active(code: str, level: str, version: str) -> tuple[CheckFn, ...]:
    wanted = CONTROL_BY_CODE[code].checks
    lv, minor = effective(level, version)
    return tuple(fn for cid, fn in checks_at(lv, minor) if cid in wanted)


def active_checks(code: str, ctx: ScanContext) -> tuple[CheckFn, ...]:
    """The check functions of control ``code`` that run at the scan's level and version."""
    return _active(code, ctx.options.pss_level, ctx.options.pss_version)


def _make_check(code: str) -> RuleCheckFn:
    def check(workload: Workload, ctx: ScanContext) -> Iterator[Violation]:
        fns = _active(code, ctx.options.pss_level, ctx.options.pss_version)
        if not fns:
            return
        pod = Pod(workload.spec, workload.meta, workload.spec_pointer, workload.meta_pointer)
        for fn in fns:
            result = fn(pod)
            if result is not None:
                for offence in result.offences:
                    yield Violation(offence.message, at=offence.pointer)

    return check


def _make_enabled(code: str) -> Callable[[ScanContext], bool]:
    def enabled(ctx: ScanContext) -> bool:
        return bool(active_checks(code, ctx))

    return enabled


def pss_rule(
    code: str,
    slug: str,
    title: str,
    severity: Severity,
    remediation: str,
    cis: tuple[str, ...] = (),
) -> Rule:
    """A rule for one Pod Security control; NOT_APPLICABLE where the control does not run."""
    compliance = {"cis-1.12": cis} if cis else {}
    return Rule(
        code=code,
        slug=slug,
        title=title,
        severity=severity,
        applies_to=WORKLOADS,
        check=_make_check(code),
        remediation=remediation,
        references=(PSS_DOCS, "https://kubernetes.io/docs/concepts/security/pod-security-admission/"),
        compliance=compliance,
        enabled=_make_enabled(code),
    )
