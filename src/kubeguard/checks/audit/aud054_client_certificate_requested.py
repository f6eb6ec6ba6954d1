"""Client certificate requested.

## What it does
Alerts when a CertificateSigningRequest for a client certificate is created (and accepted): its
`spec.signerName` is `kubernetes.io/kube-apiserver-client` or `kubernetes.io/kube-apiserver-client-kubelet`,
or its `spec.usages` include `client auth`. Nodes and other cluster components (users named
`system:...` other than service accounts, which is how kubelets bootstrap and renew) and users in
`audit.csrRequesters` (default: AKS's `kubelet-nodepool-bootstrap`) are not alerted on. The
message names the requested identity (the CSR's `groups` as the requester asked) when logged.

## Why it matters
A client certificate, once approved and signed, is a credential the API server accepts until it
expires, and Kubernetes cannot revoke it: creating one for oneself (or for `system:masters`) is a
persistence technique that survives the deletion of every token and binding.

## Example
```json
{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete", "verb": "create",
 "user": {"username": "system:serviceaccount:shop:web"},
 "objectRef": {"resource": "certificatesigningrequests", "name": "me",
               "apiGroup": "certificates.k8s.io", "apiVersion": "v1"},
 "responseStatus": {"code": 201},
 "requestObject": {"kind": "CertificateSigningRequest", "spec": {
   "signerName": "kubernetes.io/kube-apiserver-client", "usages": ["client auth"]}}}
```

## Fix
Deny and delete the request unless expected (`kubectl certificate deny`); if it was approved, the
certificate stays valid until it expires: remove every binding of the identity it names.

## References
- https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/
- MITRE ATT&CK T1098 Account Manipulation, T1078 Valid Accounts
"""

from __future__ import annotations

from kubeguard.checks.audit._events import who
from kubeguard.checks.audit._names import target_name
from kubeguard.model.audit import AuditEvent
from kubeguard.rules.audit import AuditContext, AuditRule, on
from kubeguard.rules.rule import Severity

REQUESTERS = "csrRequesters"
DEFAULT_REQUESTERS = ("kubelet-nodepool-bootstrap",)
_CLIENT_SIGNERS = ("kubernetes.io/kube-apiserver-client", "kubernetes.io/kube-apiserver-client-kubelet")


def check(event: AuditEvent, ctx: AuditContext) -> str | None:
    user = event.user.username
    if user.startswith("system:") and not user.startswith("system:serviceaccount:"):
        return None
    if user in ctx.allow_list(REQUESTERS, DEFAULT_REQUESTERS):
        return None
    obj = event.request_object
    spec = obj.get("spec") if isinstance(obj, dict) else None
    if not isinstance(spec, dict):
        return None
    signer = spec.get("signerName")
    usages = spec.get("usages")
    if signer not in _CLIENT_SIGNERS and not (isinstance(usages, list) and "client auth" in usages):
        return None
    groups = spec.get("groups")
    asked = f" (groups {', '.join(str(g) for g in groups)})" if isinstance(groups, list) and groups else ""
    return (
        f"{who(event)} requested client certificate {target_name(event) or '?'} from signer {signer}{asked}"
    )


RULE = AuditRule(
    code="AUD054",
    slug="client-certificate-requested",
    title="Client certificate requested",
    severity=Severity.MEDIUM,
    on=on(verbs="create", resources="certificatesigningrequests", api_groups="certificates.k8s.io"),
    check=check,
    remediation="Deny and delete the request unless expected; remove bindings of an approved certificate's identity.",
    references=("https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/",),
    compliance={"mitre-attack": ("T1098", "T1078")},
    aliases=("panther:Kubernetes.ClientCertificate.Created",),
)
