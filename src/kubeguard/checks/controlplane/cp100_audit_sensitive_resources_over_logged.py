"""The audit policy copies Secret, ConfigMap or TokenReview bodies into the log.

## What it does
Evaluates an audit Policy (`audit.k8s.io/v1`) as the API server does (first matching rule wins)
for every distinguishable request on `secrets`, `configmaps` (any verb, any namespace, every user
and group the policy names plus any other), `tokenreviews` and `serviceaccounts/token` (create),
and flags each rule that decides such a request at `Request` or `RequestResponse` level.

## Why it matters
At `Request` level the request body is logged (the Secret you create); at `RequestResponse` the
response too (every Secret you read, the token in a TokenReview, the token a TokenRequest returns). The audit log then holds the
cluster's credentials in clear text, readable by whoever reads the logs.

## Example
```yaml
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: RequestResponse          # flagged: decides every request, secrets included
```

## Fix
Put a rule before any broader one:
```yaml
  - level: Metadata
    resources:
      - group: ""
        resources: [secrets, configmaps, serviceaccounts/token]
      - group: authentication.k8s.io
        resources: [tokenreviews]
```

## References
- https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/
- CIS Kubernetes Benchmark v1.12: 3.2.2
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.analyzers.controlplane.audit import Policy, PolicyRule, Request, outcomes
from kubeguard.checks.controlplane._scopes import AUDIT_POLICY_SCOPE
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation

ALL_VERBS = ("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection")
#: (group, resource, subresource, verbs, namespaced)
SENSITIVE = (
    ("", "secrets", "", ALL_VERBS, True),
    ("", "configmaps", "", ALL_VERBS, True),
    ("authentication.k8s.io", "tokenreviews", "", ("create",), False),
    # TokenRequest: the response is a fresh service account token
    ("", "serviceaccounts", "token", ("create",), True),
)


def check(policy: Policy, ctx: ScanContext) -> Iterator[Violation]:
    # One violation per deciding rule, naming every sensitive resource it over-logs.
    found: dict[int, tuple[PolicyRule, list[str], Request]] = {}
    for group, resource_name, sub, verbs, namespaced in SENSITIVE:
        name = f"{resource_name}/{sub}" if sub else resource_name
        for req, rule in outcomes(policy, verbs, group, resource_name, sub, namespaced=namespaced):
            if rule is None or rule.level not in ("Request", "RequestResponse"):
                continue
            entry = found.setdefault(rule.index, (rule, [], req))
            if name not in entry[1]:
                entry[1].append(name)
    for rule, names, example in found.values():
        yield Violation(
            f"rule #{rule.index + 1} logs {', '.join(names)} at {rule.level} (for example: "
            f"{example.describe()}); their contents would be copied into the audit log",
            at=rule.at / "level",
        )


RULE = Rule(
    code="CP100",
    slug="audit-sensitive-resources-over-logged",
    title="Audit policy logs Secret, ConfigMap or TokenReview contents",
    severity=Severity.HIGH,
    applies_to=AUDIT_POLICY_SCOPE,
    check=check,
    remediation="Log secrets, configmaps and tokenreviews at Metadata, in a rule before any broader rule.",
    references=("https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/",),
    compliance={"cis-1.12": ("3.2.2",)},
)
