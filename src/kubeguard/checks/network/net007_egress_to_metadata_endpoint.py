"""NetworkPolicy allows egress to the cloud metadata endpoint.

## What it does
Flags an egress rule that allows `169.254.169.254` on port 80/TCP (where the AWS, GCP and Azure
metadata services listen): an `ipBlock` containing it without an `except` that removes it
(`0.0.0.0/0`, `169.254.0.0/16`, ...), or a rule without `to` (every destination). Ports are taken
into account: a rule allowing only 53/UDP is not flagged. Pods not isolated for egress at all are
the business of NET002/NET003.

## Why it matters
The metadata endpoint hands out the node's cloud credentials. Server-side request forgery or a
compromised pod reaching it can take over cloud resources far beyond the cluster.

## Example
```yaml
egress:
  - to:
      - ipBlock:
          cidr: 0.0.0.0/0          # flagged: 169.254.169.254 is not excepted
```

## Fix
Add `except: [169.254.169.254/32]` to broad ipBlocks (and `fd00:ec2::254/128` on IPv6), and give
egress rules explicit destinations.

## References
- https://kubernetes.io/docs/concepts/services-networking/network-policies/
- https://attack.mitre.org/techniques/T1552/005/
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from kubeguard.checks.network._common import analysis
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation, kinds

METADATA = ipaddress.ip_address("169.254.169.254")
METADATA_PORT = 80


def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    policy = analysis(ctx).policy_of(resource)
    if policy is None or not policy.valid or not policy.egress_isolation:
        return
    for rule in policy.egress:
        if rule.ports is not None and not any(
            p.matches_number(METADATA_PORT, "TCP") is True for p in rule.ports
        ):
            continue
        if rule.peers is None:
            yield Violation(
                f"egress[{rule.index}] has no 'to': it allows every destination, 169.254.169.254 included",
                at=rule.pointer,
            )
            continue
        for peer in rule.peers:
            if peer.ip_block is not None and peer.ip_block.contains(METADATA):
                yield Violation(
                    f"egress[{rule.index}] ipBlock {peer.ip_block} includes the metadata endpoint 169.254.169.254",
                    at=peer.pointer / "ipBlock",
                )


RULE = Rule(
    code="NET007",
    slug="egress-to-metadata-endpoint",
    title="NetworkPolicy allows egress to the cloud metadata endpoint",
    severity=Severity.HIGH,
    applies_to=kinds("NetworkPolicy"),
    check=check,
    remediation="Except 169.254.169.254/32 from broad ipBlocks and give egress rules explicit destinations.",
    references=("https://kubernetes.io/docs/concepts/services-networking/network-policies/",),
    compliance={"mitre-attack": ("T1552.005",)},
)
