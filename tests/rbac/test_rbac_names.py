"""Resource and verb names resolved as kubectl does: plural, singular, short names, kinds, groups,
CRDs of the input, names the input's roles grant; unknown names are errors with a did-you-mean."""

from __future__ import annotations

import pytest

from kubeguard.analyzers.rbac.names import ApiNames, UnknownName
from kubeguard.analyzers.rbac.requests import resource_request, url_request
from kubeguard.model.rbac import parse_role
from tests.rbac.rbac_helpers import resources

CRD = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: certificates.cert-manager.io}
spec:
  group: cert-manager.io
  names: {plural: certificates, singular: certificate, kind: Certificate, shortNames: [cert, certs]}
  scope: Namespaced
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: clusterissuers.cert-manager.io}
spec:
  group: cert-manager.io
  names: {plural: clusterissuers, kind: ClusterIssuer}
  scope: Cluster
"""

NAMES = ApiNames.of_input(resources(CRD))


def req(verb: str, resource: str, names: ApiNames = NAMES, **kw: object):
    return resource_request(verb, resource, names=names, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "group", "resource"),
    [
        ("secrets", "", "secrets"),
        ("secret", "", "secrets"),  # singular
        ("Secret", "", "secrets"),  # kind, any case
        ("po", "", "pods"),
        ("deploy", "apps", "deployments"),
        ("Deployment", "apps", "deployments"),
        ("deployments.apps", "apps", "deployments"),
        ("deploy.apps", "apps", "deployments"),
        ("deployments.v1.apps", "apps", "deployments"),
        ("svc", "", "services"),
        ("sa", "", "serviceaccounts"),
        ("cm", "", "configmaps"),
        ("ns", "", "namespaces"),
        ("rs", "apps", "replicasets"),
        ("ds", "apps", "daemonsets"),
        ("sts", "apps", "statefulsets"),
        ("cj", "batch", "cronjobs"),
        ("pvc", "", "persistentvolumeclaims"),
        ("pv", "", "persistentvolumes"),
        ("netpol", "networking.k8s.io", "networkpolicies"),
        ("ing", "networking.k8s.io", "ingresses"),
        ("ep", "", "endpoints"),
        ("hpa", "autoscaling", "horizontalpodautoscalers"),
        ("pdb", "policy", "poddisruptionbudgets"),
        ("psp", "policy", "podsecuritypolicies"),
        ("csr", "certificates.k8s.io", "certificatesigningrequests"),
        ("sc", "storage.k8s.io", "storageclasses"),
        ("crd", "apiextensions.k8s.io", "customresourcedefinitions"),
        ("clusterrolebinding", "rbac.authorization.k8s.io", "clusterrolebindings"),
        ("ev", "", "events"),  # the core group wins over events.k8s.io
        ("events.events.k8s.io", "events.k8s.io", "events"),
        ("users", "", "users"),  # names only RBAC checks
        ("signers", "certificates.k8s.io", "signers"),
        ("cert", "cert-manager.io", "certificates"),  # a CRD of the input
        ("Certificate", "cert-manager.io", "certificates"),
        ("clusterissuer", "cert-manager.io", "clusterissuers"),  # singular defaults to the kind
    ],
)
def test_names_resolve_like_kubectl(text, group, resource):
    r = req("get", text)
    assert (r.api_group, r.resource) == (group, resource)


def test_subresources_keep_their_resource_resolved():
    r = req("create", "po/exec", namespace="shop")
    assert (r.resource, r.subresource, r.namespace) == ("pods", "exec", "shop")
    assert req("update", "deploy/scale").combined == "deployments/scale"


def test_scope_comes_from_the_resolved_resource():
    assert req("get", "no", namespace="x").namespace == ""  # nodes are cluster-scoped
    assert req("get", "clusterissuers", namespace="x").namespace == ""  # a cluster-scoped CRD
    assert req("get", "cert", namespace="x").namespace == "x"
    assert req("patch", "ns", name="team-a").namespace == "team-a"


@pytest.mark.parametrize(
    ("verb", "resource", "message"),
    [
        ("gett", "pods", "did you mean 'get'"),
        ("GET", "pods", "did you mean 'get'? (verbs are case-sensitive)"),
        ("get", "secert", "did you mean secrets"),
        ("get", "deploymnts", "did you mean deployments.apps"),
        ("get", "nosuchthing", "unknown resource 'nosuchthing'"),
        ("get", "deploy.batch", "API group 'batch' has no resource 'deploy'; deploy is deployments.apps"),
        ("get", "jbos.batch", "did you mean jobs.batch"),
    ],
)
def test_unknown_verbs_and_resources_are_errors(verb, resource, message):
    with pytest.raises(UnknownName) as exc:
        req(verb, resource)
    assert message in str(exc.value)


def test_core_group_given_explicitly():
    with pytest.raises(UnknownName, match="API group 'core' has no resource 'deploy'"):
        req("get", "deploy", api_group="")
    assert req("get", "po", api_group="").resource == "pods"


def test_special_verbs_are_known():
    for verb, resource in (
        ("use", "podsecuritypolicies"),
        ("bind", "clusterroles"),
        ("escalate", "roles"),
        ("impersonate", "serviceaccounts"),
        ("approve", "signers"),
        ("sign", "signers"),
        ("attest", "signers"),
        ("*", "pods"),
    ):
        assert req(verb, resource).verb == verb


def test_url_verbs():
    assert url_request("post", "/logs", NAMES).verb == "post"
    with pytest.raises(UnknownName, match="did you mean 'get'"):
        url_request("gte", "/metrics", NAMES)
    with pytest.raises(UnknownName):
        url_request("list", "/metrics", NAMES)  # not an HTTP verb of a non-resource request
    # a resource rule granting "list" does not make it a URL verb; a URL rule's verb is one
    resource_rule = parse_role(
        {
            "kind": "ClusterRole",
            "metadata": {"name": "r"},
            "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["list"]}],
        }
    )
    with pytest.raises(UnknownName):
        url_request("list", "/metrics", ApiNames.of_input([], [resource_rule]))
    url_rule = parse_role(
        {
            "kind": "ClusterRole",
            "metadata": {"name": "r"},
            "rules": [{"nonResourceURLs": ["/x"], "verbs": ["purge"]}],
        }
    )
    assert url_request("purge", "/x", ApiNames.of_input([], [url_rule])).verb == "purge"


def test_names_and_verbs_granted_by_the_input_roles_are_known():
    role = parse_role(
        {
            "kind": "ClusterRole",
            "metadata": {"name": "r"},
            "rules": [
                {"apiGroups": ["example.com"], "resources": ["widgets"], "verbs": ["frobnicate"]},
                {"apiGroups": ["a.io", "b.io"], "resources": ["things"], "verbs": ["get"]},
            ],
        }
    )
    names = ApiNames.of_input([], [role])
    r = req("frobnicate", "widgets", names)
    assert (r.api_group, r.resource) == ("example.com", "widgets")
    with pytest.raises(UnknownName, match=r"several API groups \(a.io, b.io\)"):
        req("get", "things", names)
    assert req("get", "things.b.io", names).api_group == "b.io"


def test_unknown_api_groups_are_taken_as_given():
    # aggregated APIs and CRDs that are not in the input: kubeguard cannot know their names
    r = req("get", "nodes.metrics.k8s.io")
    assert (r.api_group, r.resource) == ("metrics.k8s.io", "nodes")


def test_without_names_parsing_stays_lenient():
    r = resource_request("get", "widgets")
    assert (r.api_group, r.resource) == ("", "widgets")
    assert resource_request("gett", "secret").resource == "secrets"
