"""Wildcards in roles.

## What it does
Flags every `*` in the `verbs`, `resources` or `apiGroups` of a Role or ClusterRole rule, at the
exact list entry. The message names the role, the rule and the bindings (with their subjects) that
grant it. Kubernetes' own default roles are not flagged.

## Why it matters
A wildcard grants everything that exists now and everything added later: new resources, custom
resources and subresources (`*` matches `pods/exec` too). `verbs: ["*"]` includes `escalate`,
`bind` and `impersonate`.

## Example
```yaml
kind: ClusterRole
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["get", "list"]
```

## Fix
List the API groups, resources and verbs the role needs.

## References
- https://kubernetes.io/docs/concepts/security/rbac-good-practices/#minimize-wildcard-use
- CIS Kubernetes Benchmark 5.1.3
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.analyzers.rbac.graph import is_bootstrap_object, rbac_graph
from kubeguard.checks.rbac._common import ROLES
from kubeguard.model.pointer import Pointer
from kubeguard.model.rbac import ALL
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation

FIELDS = (("verbs", "verbs"), ("resources", "resources"), ("apiGroups", "API groups"))


def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    if is_bootstrap_object(resource):
        return
    rules = resource.raw.get("rules")
    if not isinstance(rules, list):
        return
    graph = ctx.cached(rbac_graph)
    kind, name = resource.kind, resource.name
    key = (kind, None if kind == "ClusterRole" else resource.effective_namespace, name)
    role = graph.roles.get(key)
    bound = ""
    if role is not None and role.resource is resource:
        bindings = graph.bindings_of_role(role)
        shown = [f"{b} ({', '.join(str(s) for s, _ in b.subjects) or 'no subjects'})" for b in bindings[:3]]
        more = f" and {len(bindings) - 3} more" if len(bindings) > 3 else ""
        bound = f"; bound by {'; '.join(shown)}{more}" if bindings else "; not bound by any binding"
    label = f"{kind} {resource.effective_namespace}/{name}" if kind == "Role" else f"{kind} {name}"
    for i, rule in enumerate(rules):
        if not isinstance(rule, dict):
            continue
        for field, words in FIELDS:
            values = rule.get(field)
            if isinstance(values, list) and ALL in values:
                j = values.index(ALL)
                yield Violation(
                    f"{label} rule {i} grants wildcard {words} ('*'){bound}",
                    at=Pointer(("rules", i, field, j)),
                )


RULE = Rule(
    code="RBAC001",
    slug="wildcard-permissions",
    title="Role uses wildcard verbs, resources or API groups",
    severity=Severity.MEDIUM,
    needs=("roles and their bindings (the RBAC graph)",),
    applies_to=ROLES,
    check=check,
    remediation="Replace '*' with the exact verbs, resources and API groups the role needs.",
    references=("https://kubernetes.io/docs/concepts/security/rbac-good-practices/#minimize-wildcard-use",),
    compliance={"cis-1.12": ("5.1.3",)},
)
