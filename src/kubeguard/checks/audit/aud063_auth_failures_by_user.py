"""Many refused requests by one user.

## What it does
Alerts when 10 requests by the same user (`(unauthenticated)` when the credential was rejected and the event names no user) are refused as unauthenticated (401) or forbidden (403)
within 10 minutes, counted in a sliding window of the events' own time; one alert per burst of 10.
Users in `audit.authFailureAllowedUsers` are not counted. The window keeps at most 10,000
users, with the times of their last 10 refusals each. AUD062 counts the same failures per client address.

## Why it matters
A credential that suddenly fails a lot is being used by someone who does not know what it may
do: a stolen token probing, or a person trying things. One user spread over many addresses (a
botnet, rotating proxies) is only seen per user.

## Example
Ten events like this one within 10 minutes:
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "list",
 "user": {"username": "system:serviceaccount:shop:web"}, "sourceIPs": ["10.0.3.17"],
 "requestURI": "/api/v1/namespaces/kube-system/secrets",
 "objectRef": {"resource": "secrets", "namespace": "kube-system", "apiVersion": "v1"},
 "responseStatus": {"code": 403, "reason": "Forbidden"}}
```

## Fix
Find the client behind the user: a misconfigured workload (fix its role), a person without the
right access, or an attacker (block the address, revoke the credential). Add expected noisy users
to `audit.authFailureAllowedUsers`.

## References
- https://kubernetes.io/docs/reference/access-authn-authz/authorization/
- MITRE ATT&CK T1110 Brute Force, T1069 Permission Groups Discovery
"""

from __future__ import annotations

from kubeguard.checks.audit._auth_failures import auth_failures_rule

RULE = auth_failures_rule(
    code="AUD063",
    slug="auth-failures-by-user",
    title="Many refused requests by one user",
    key=lambda e: e.user.username or "(unauthenticated)",
    key_name="user",
    aliases=(),
)
