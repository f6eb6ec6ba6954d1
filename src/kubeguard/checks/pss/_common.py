"""What every Pod Security rule shares: evaluate the control's upstream checks at the scan's level
and version, and report each offending field with the admission controller's wording."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from types import MappingProxyType

from kubeguard.analyzers.pss.checks import CheckFn, CheckResult
from kubeguard.analyzers.pss.controls import CONTROL_BY_CODE
from kubeguard.analyzers.pss.policy import checks_at, evaluate_template
from kubeguard.analyzers.pss.versions import policy_key
from kubeguard.model.resource import Resource
from kubeguard.model.workload import Workload
from kubeguard.rules.context import ScanContext
from kubeguard.rules.fix import Fix
from kubeguard.rules.rule import WORKLOADS, Rule, Severity, Violation
from kubeguard.rules.rule import CheckFn as RuleCheckFn

PSS_DOCS = "https://kubernetes.io/docs/concepts/security/pod-security-standards/"


@lru_cache(maxsize=256)
def _active(code: str, level: str, minor: int) -> tuple[CheckFn, ...]:
    wanted = CONTROL_BY_CODE[code].checks
    return tuple(fn for cid, fn in checks_at(level, minor) if cid in wanted)


def active_checks(code: str, ctx: ScanContext) -> tuple[CheckFn, ...]:
    """The check functions of control ``code`` that run at the scan's level and version."""
    return _active(code, *policy_key(ctx.options.pss))


_NO_RESULTS: Mapping[str, CheckResult] = MappingProxyType({})


def _new_store(ctx: ScanContext) -> dict[Resource, Mapping[str, CheckResult]]:
    return {}


def failed_checks(workload: Workload, ctx: ScanContext) -> Mapping[str, CheckResult]:
    """Every failed check of the workload at the scan's level and version, by upstream check id.

    The whole policy is evaluated once per workload and scan (one pod view, every check), and the
    rules of the family each read their control from it.
    """
    store = ctx.cached(_new_store)
    found = store.get(workload.resource)
    if found is None:
        level, minor = policy_key(ctx.options.pss)
        results = evaluate_template(workload, level, minor, ctx.options.k8s.minor)
        found = {r.check: r for r in results} if results else _NO_RESULTS
        store[workload.resource] = found
    return found


def _make_check(code: str) -> RuleCheckFn:
    checks = CONTROL_BY_CODE[code].checks

    def check(workload: Workload, ctx: ScanContext) -> Iterator[Violation]:
        failed = failed_checks(workload, ctx)
        if not failed:
            return
        for check_id in checks:
            result = failed.get(check_id)
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
    fix: Fix | None = None,
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
        fix=fix,
    )
