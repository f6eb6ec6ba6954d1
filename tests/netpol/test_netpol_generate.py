"""Generated policies are valid NetworkPolicy objects, and the engine confirms they do what they claim."""

from __future__ import annotations

import ipaddress

import yaml

from kubeguard.analyzers.netpol.engine import EXTERNAL
from kubeguard.analyzers.netpol.generate import QUARANTINE_LABEL, default_deny, quarantine
from kubeguard.model.network import NetworkPolicy
from kubeguard.model.resource import Resource, SourceLocation
from tests.netpol.helpers import network, pod, policy


def _as_yaml(objs):
    return "".join("---\n" + yaml.safe_dump(o) for o in objs)


def _valid(obj):
    p = NetworkPolicy.of(Resource(obj, SourceLocation("<generated>")))
    assert p.valid, p.errors
    assert obj["apiVersion"] == "networking.k8s.io/v1" and obj["kind"] == "NetworkPolicy"
    assert obj["metadata"]["name"] and obj["metadata"]["namespace"]
    return p


CLUSTER = (
    pod("a", "shop", {"app": "a"}, "http:8080")
    + pod("b", "shop", {"app": "b"}, "5432")
    + pod("x", "other", {"app": "x"}, "80")
    + pod("coredns", "kube-system", {"k8s-app": "kube-dns"}, "dns:53/UDP,dns-tcp:53/TCP,metrics:9153")
)


def test_default_deny_policies_are_valid():
    for dns in (True, False):
        objs = default_deny("shop", dns=dns)
        assert len(objs) == (2 if dns else 1)
        for o in objs:
            _valid(o)


def test_default_deny_denies_everything_but_dns_to_kube_dns():
    net = network(CLUSTER + _as_yaml(default_deny("shop")))
    a, b, x, dns = net.endpoints
    for src, dst, port, proto in [
        (a, b, 5432, "TCP"),
        (b, a, 8080, "TCP"),
        (x, a, 8080, "TCP"),
        (a, x, 80, "TCP"),
        (a, dns, 9153, "TCP"),
        (a, dns, 80, "UDP"),
    ]:
        assert not net.reach(src, dst, port, proto).allowed, (src.name, dst.name, port)
    assert net.reach(a, dns, 53, "UDP").allowed
    assert net.reach(b, dns, 53, "TCP").allowed
    assert not net.reach(EXTERNAL, a, 8080).allowed
    assert not net.reach(a, ipaddress.ip_address("8.8.8.8"), 53, "UDP").allowed  # DNS only to kube-dns
    # other namespaces are untouched
    assert net.reach(x, dns, 9153).allowed and net.reach(dns, x, 80).allowed


def test_default_deny_without_dns_denies_dns_too():
    net = network(CLUSTER + _as_yaml(default_deny("shop", dns=False)))
    a, _, _, dns = net.endpoints
    assert not net.reach(a, dns, 53, "UDP").allowed


ALLOW_A = policy("allow-a", "shop", podSelector={"matchLabels": {"app": "a"}}, ingress=[{}], egress=[{}])


def test_quarantine_policy_is_valid_and_isolates_the_relabelled_pod():
    net = network(CLUSTER + ALLOW_A)
    a = net.find("shop", "a")[0]
    q = quarantine("shop", "a", a, net.policies)
    _valid(q.policy)
    assert q.commands == [f"kubectl -n shop label pod a {QUARANTINE_LABEL}=true app- --overwrite"]
    assert not q.warnings
    # Apply the label command to the pod (labels replaced by the quarantine label) and the policy.
    after = (
        pod("a", "shop", {QUARANTINE_LABEL: "true"}, "http:8080")
        + pod("b", "shop", {"app": "b"}, "5432")
        + pod("x", "other", {"app": "x"}, "80")
        + ALLOW_A
        + _as_yaml([q.policy])
    )
    net2 = network(after)
    qa, b, x = net2.endpoints
    for other in (b, x, EXTERNAL, ipaddress.ip_address("203.0.113.5")):
        assert not net2.reach(qa, other, 80).allowed
        assert not net2.reach(other, qa, 8080).allowed


def test_quarantine_warns_about_policies_that_still_select_the_pod_and_the_engine_agrees():
    allow_all = policy("allow-all-in", "shop", podSelector={}, ingress=[{}])
    deny_all = policy("deny-all", "shop", podSelector={}, policyTypes=["Ingress", "Egress"])
    net = network(CLUSTER + allow_all + deny_all)
    q = quarantine("shop", "a", net.find("shop", "a")[0], net.policies)
    assert len(q.warnings) == 1 and "shop/allow-all-in" in q.warnings[0]
    after = network(
        pod("a", "shop", {QUARANTINE_LABEL: "true"}, "http:8080")
        + pod("b", "shop", {"app": "b"})
        + allow_all
        + _as_yaml([q.policy])
    )
    qa, b = after.endpoints
    assert after.reach(b, qa, 8080).allowed  # exactly what the warning says
    assert not after.reach(qa, b, 8080).allowed


def test_quarantine_of_a_workload_and_without_manifests():
    net = network(
        """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app: web, tier: front}}
    spec: {containers: [{name: c, image: x}]}
"""
    )
    q = quarantine("shop", "web", net.endpoints[0], net.policies)
    assert q.commands == [
        f"kubectl -n shop label pods -l app=web,tier=front {QUARANTINE_LABEL}=true app- tier- --overwrite"
    ]
    assert "Deployment" in q.warnings[0]
    bare = quarantine("shop", "web-5d8f7-x2x9z")
    assert bare.commands == [f"kubectl -n shop label pod web-5d8f7-x2x9z {QUARANTINE_LABEL}=true --overwrite"]
    assert bare.warnings
