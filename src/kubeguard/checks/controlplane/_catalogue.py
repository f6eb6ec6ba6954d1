"""Building the ``CP`` rules from data: CIS ids, documentation assembled from short texts.

Many CIS recommendations differ only in a flag name and an expected value; each is still its own rule
(own code, own CIS id, own documentation), built here from a few fields. The builders take keywords
only, so a rule's row names every field it sets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from kubeguard.checks.controlplane._scopes import SCOPES
from kubeguard.model.controlplane.components import APISERVER, CONTROLLER_MANAGER, ETCD, KUBELET, SCHEDULER
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Scope, Severity, Violation

CIS = "cis-1.12"
#: CIS Kubernetes Benchmark v1.12 numbers its control plane and node recommendations like v1.8 to
#: v1.11; the v1.23 benchmark (for Kubernetes 1.23) numbered many of them differently.
CIS_OLD = "cis-1.23"

CIS_BENCHMARK = "CIS Kubernetes Benchmark v1.12"


def cis(
    current: str | Sequence[str] | None, old: str | Sequence[str] | None = None
) -> dict[str, tuple[str, ...]]:
    """``{"cis-1.12": (...), "cis-1.23": (...)}``; the older id only where it differs."""
    out: dict[str, tuple[str, ...]] = {}
    if current:
        out[CIS] = (current,) if isinstance(current, str) else tuple(current)
    if old:
        old_ids = (old,) if isinstance(old, str) else tuple(old)
        if old_ids != out.get(CIS):
            out[CIS_OLD] = old_ids
    return out


def rule_doc(
    title: str,
    what: str,
    why: str,
    example: str,
    fix: str,
    references: Sequence[str] = (),
    compliance: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """A rule's documentation with the fixed sections."""
    refs = list(references)
    for framework, ids in (compliance or {}).items():
        name = (
            CIS_BENCHMARK
            if framework == CIS
            else "CIS Kubernetes V1.23 Benchmark"
            if framework == CIS_OLD
            else framework
        )
        refs.append(f"{name}: {', '.join(ids)}")
    ref_text = "\n".join(f"- {r}" for r in refs) or "- Kubernetes documentation"
    return (
        f"{title}.\n\n## What it does\n{what.strip()}\n\n## Why it matters\n{why.strip()}\n\n"
        f"## Example\n```yaml\n{example.strip()}\n```\n\n## Fix\n{fix.strip()}\n\n## References\n{ref_text}\n"
    )


def component_rule(
    *,
    code: str,
    slug: str,
    title: str,
    severity: Severity,
    check: Callable[[Any, ScanContext], Iterable[Violation]],
    compliance: dict[str, tuple[str, ...]],
    what: str,
    why: str,
    example: str,
    fix: str,
    references: Sequence[str] = (),
    component: str,
    needs: tuple[str, ...] = (),
) -> Rule:
    """A rule over one component's flags (static pod or kubeadm ClusterConfiguration).

    Each component's module binds ``component`` once: ``_rule = partial(component_rule, component=X)``.
    """
    refs = tuple(references) or (COMPONENT_DOCS[component],)
    return Rule(
        code=code,
        slug=slug,
        title=title,
        severity=severity,
        applies_to=SCOPES[component],
        check=check,
        remediation=fix.strip().split("\n")[0],
        references=refs,
        compliance=compliance,
        needs=needs,
        doc=rule_doc(title, what, why, example, fix, refs, compliance),
    )


COMPONENT_DOCS = {
    APISERVER: "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
    CONTROLLER_MANAGER: "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/",
    SCHEDULER: "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-scheduler/",
    ETCD: "https://etcd.io/docs/latest/op-guide/configuration/",
    KUBELET: "https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/",
}


def plain_rule(
    *,
    code: str,
    slug: str,
    title: str,
    severity: Severity,
    scope: Scope,
    check: Callable[[Any, ScanContext], Iterable[Violation]],
    compliance: dict[str, tuple[str, ...]],
    what: str,
    why: str,
    example: str,
    fix: str,
    references: Sequence[str],
    needs: tuple[str, ...] = (),
) -> Rule:
    """A rule with its documentation assembled from short texts."""
    return Rule(
        code=code,
        slug=slug,
        title=title,
        severity=severity,
        applies_to=scope,
        check=check,
        remediation=fix.strip().split("\n")[0],
        references=tuple(references),
        compliance=compliance,
        needs=needs,
        doc=rule_doc(title, what, why, example, fix, references, compliance),
    )
