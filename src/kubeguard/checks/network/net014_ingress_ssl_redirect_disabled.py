"""Ingress SSL redirect disabled.

## What it does
Flags an Ingress whose annotations switch the HTTP-to-HTTPS redirect off:
`nginx.ingress.kubernetes.io/ssl-redirect: "false"` (ingress-nginx, which otherwise redirects when
TLS is set), `ingress.kubernetes.io/ssl-redirect: "false"` (older and compatible controllers),
`haproxy.org/ssl-redirect: "false"`, `haproxy.ingress.kubernetes.io/ssl-redirect: "false"` and
`route.openshift.io/termination-insecure-policy: Allow`. Controllers whose default is no redirect
are not guessed at.

## Why it matters
With the redirect off, clients that type the plain `http://` address keep talking in clear text;
cookies without `Secure` and credentials leak.

## Example
```yaml
metadata:
  annotations:
    nginx.ingress.kubernetes.io/ssl-redirect: "false"    # flagged
```

## Fix
Remove the annotation (or set it to `"true"`); serve HTTP only to redirect.

## References
- https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#server-side-https-enforcement-through-redirect
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.checks.network._fixes import REMOVE_SSL_REDIRECT_OPT_OUT
from kubeguard.checks.network._ingress import ingress_spec
from kubeguard.model.pointer import Pointer
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation, kinds

#: annotation -> values (lower-case) that turn the redirect off.
DISABLING = {
    "nginx.ingress.kubernetes.io/ssl-redirect": ("false",),
    "ingress.kubernetes.io/ssl-redirect": ("false",),
    "haproxy.org/ssl-redirect": ("false",),
    "haproxy.ingress.kubernetes.io/ssl-redirect": ("false",),
    "route.openshift.io/termination-insecure-policy": ("allow",),
}


def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    if ingress_spec(resource) is None:
        return
    for key, value in resource.annotations.items():
        values = DISABLING.get(str(key), ())
        if str(value).strip().lower() in values:
            yield Violation(
                f"annotation {key}: {value!r} disables the redirect from HTTP to HTTPS",
                at=Pointer(("metadata", "annotations", str(key))),
            )


RULE = Rule(
    code="NET014",
    slug="ingress-ssl-redirect-disabled",
    title="Ingress disables the HTTPS redirect",
    severity=Severity.LOW,
    applies_to=kinds("Ingress"),
    check=check,
    remediation='Remove the annotation that disables the SSL redirect (or set it to "true").',
    references=(
        "https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#server-side-https-enforcement-through-redirect",
    ),
    fix=REMOVE_SSL_REDIRECT_OPT_OUT,
)
