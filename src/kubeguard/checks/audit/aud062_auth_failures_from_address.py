"""Many refused requests from one address.

## What it does
Alerts when 10 requests by the same client address (the first of `sourceIPs`) are refused as unauthenticated (401) or forbidden (403)
within 10 minutes, counted in a sliding window of the events' own time; one alert per burst of 10.
Users in `audit.authFailureAllowedUsers` are not counted. The window keeps at most 10,000
addresses, with the times of their last 10 refusals each. AUD063 counts the same failures per user.

## Why it matters
A scanner or an attacker trying credentials and permissions from one machine fails a lot: many
401s are credential guessing, many 403s are a stolen token probing what it may do. Panther counts
403s from public addresses; kubeguard counts both codes from any address, since an attacker inside
the cluster (a compromised pod) probes from a private one.

## Example
Ten events like this one within 10 minutes:
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "list",
 "user": {"username": "system:anonymous"}, "sourceIPs": ["203.0.113.50"],
 "requestURI": "/api/v1/namespaces/kube-system/secrets",
 "objectRef": {"resource": "secrets", "namespace": "kube-system", "apiVersion": "v1"},
 "responseStatus": {"code": 403, "reason": "Forbidden"}}
```

## Fix
Find the client behind the address: a misconfigured workload (fix its role), a person without the
right access, or an attacker (block the address, revoke the credential). Add expected noisy users
to `audit.authFailureAllowedUsers`.

## References
- https://kubernetes.io/docs/reference/access-authn-authz/authorization/
- MITRE ATT&CK T1110 Brute Force, T1069 Permission Groups Discovery
"""

from __future__ import annotations

from kubeguard.checks.audit._auth_failures import auth_failures_rule

RULE = auth_failures_rule(
    code="AUD062",
    slug="auth-failures-from-address",
    title="Many refused requests from one address",
    key=lambda e: e.client_ip or "(no address)",
    key_name="address",
    aliases=(
        "panther:Kubernetes.API.Multiple403.PublicIP",
        "panther:Amazon.EKS.Audit.Multiple403",
    ),
)
