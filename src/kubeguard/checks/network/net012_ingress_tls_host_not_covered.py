"""Ingress rule host not covered by TLS.

## What it does
For an Ingress that has `spec.tls`, flags each `spec.rules[].host` that no `spec.tls[].hosts` entry
covers. Wildcards follow Ingress semantics: `*.example.com` covers exactly one label
(`shop.example.com`), not `example.com` nor `a.b.example.com`. Rules without a host are not judged,
nor is an Ingress with a TLS entry that lists no hosts (controllers then use it as the default
certificate, whose names are not known from manifests).

## Why it matters
The controller serves hosts missing from `tls` with its default (often self-signed) certificate, or
over plain HTTP: the host the team believes is protected is not.

## Example
```yaml
spec:
  tls:
    - hosts: [shop.example.com]
      secretName: shop-tls
  rules:
    - host: api.example.com      # flagged: not in any tls.hosts
```

## Fix
Add the host (or a matching wildcard) to a `tls` entry whose certificate covers it.

## References
- https://kubernetes.io/docs/concepts/services-networking/ingress/#tls
- https://kubernetes.io/docs/concepts/services-networking/ingress/#hostname-wildcards
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.network._ingress import host_covered, ingress_spec, tls_entries
from kubeguard.model.pointer import Pointer
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation, kinds


def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    spec = ingress_spec(resource)
    if spec is None:
        return
    tls = tls_entries(spec)
    if not tls:
        return  # NET011
    tls_hosts: list[str] = []
    for entry in tls:
        hosts = entry.get("hosts")
        if not isinstance(hosts, list) or not hosts:
            return
        tls_hosts.extend(str(h) for h in hosts)
    rules = spec.get("rules")
    for i, rule in enumerate(rules if isinstance(rules, list) else ()):
        host = rule.get("host") if isinstance(rule, dict) else None
        if host and not any(host_covered(str(host), t) for t in tls_hosts):
            yield Violation(
                f"host {host!r} is not covered by spec.tls hosts ({', '.join(tls_hosts)})",
                at=Pointer(("spec", "rules", i, "host")),
            )


RULE = Rule(
    code="NET012",
    slug="ingress-tls-host-not-covered",
    title="Ingress host not covered by its TLS hosts",
    severity=Severity.MEDIUM,
    applies_to=kinds("Ingress"),
    check=check,
    remediation="List every rule host (or a matching wildcard) under spec.tls[].hosts.",
    references=("https://kubernetes.io/docs/concepts/services-networking/ingress/#tls",),
)
