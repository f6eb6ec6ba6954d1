"""The NetworkPolicy engine, point by point on networking.k8s.io/v1 semantics, with hand-checked matrices."""

from __future__ import annotations

import ipaddress
import random

import pytest

from kubeguard.analyzers.netpol.engine import EXTERNAL, Network
from kubeguard.model.network import ALL_ADDRESSES
from tests.netpol.helpers import all_pairs, allowed_pairs, namespace, network, pod, policy, resources

APP = {"app": "a"}


def three_pods(ns: str = "default") -> str:
    return (
        pod("a", ns, {"app": "a"}, "http:80")
        + pod("b", ns, {"app": "b"}, "http:80")
        + pod("c", ns, {"app": "c"}, "http:80")
    )


def sel(**labels: str) -> dict[str, object]:
    return {"matchLabels": labels}


# -- isolation -------------------------------------------------------------------------------------


def test_no_policy_allows_everything():
    net = network(three_pods())
    assert allowed_pairs(net, 80) == all_pairs(net)
    assert allowed_pairs(net, 12345, "UDP") == all_pairs(net)


def test_ingress_deny_all_isolates_only_the_selected_pods_and_only_ingress():
    net = network(three_pods() + policy("deny-a", podSelector=sel(app="a"), policyTypes=["Ingress"]))
    # a accepts nothing, but a may still send to anyone (egress not isolated).
    assert allowed_pairs(net, 80) == all_pairs(net) - {("b", "a"), ("c", "a")}


def test_egress_deny_all_isolates_only_egress():
    net = network(three_pods() + policy("deny-a", podSelector=sel(app="a"), policyTypes=["Egress"]))
    assert allowed_pairs(net, 80) == all_pairs(net) - {("a", "b"), ("a", "c")}


def test_policy_types_default_to_ingress_only_without_egress_rules():
    # No policyTypes, no rules at all: Ingress isolation (deny all ingress), egress untouched.
    net = network(three_pods() + policy("p", podSelector=sel(app="a")))
    assert allowed_pairs(net, 80) == all_pairs(net) - {("b", "a"), ("c", "a")}
    pol = net.policies[0]
    assert (pol.ingress_isolation, pol.egress_isolation) == (True, False)


def test_policy_types_default_adds_egress_when_egress_rules_exist():
    net = network(
        three_pods() + policy("p", podSelector=sel(app="a"), egress=[{"to": [{"podSelector": sel(app="b")}]}])
    )
    pol = net.policies[0]
    assert (pol.ingress_isolation, pol.egress_isolation) == (True, True)
    # a: ingress deny all (Ingress implied, no ingress rules), egress only to b.
    assert allowed_pairs(net, 80) == {("a", "b"), ("b", "c"), ("c", "b")}


def test_empty_egress_list_does_not_imply_egress_type():
    net = network(three_pods() + policy("p", podSelector=sel(app="a"), egress=[]))
    assert (net.policies[0].ingress_isolation, net.policies[0].egress_isolation) == (True, False)


def test_rules_of_a_type_not_listed_are_ignored():
    # policyTypes [Egress]: the ingress section is ignored, so a is not isolated for ingress.
    net = network(
        three_pods() + policy("p", podSelector=sel(app="a"), policyTypes=["Egress"], ingress=[{}], egress=[])
    )
    assert allowed_pairs(net, 80) == all_pairs(net) - {("a", "b"), ("a", "c")}


def test_union_of_allows_across_policies():
    net = network(
        three_pods()
        + policy("from-b", podSelector=sel(app="a"), ingress=[{"from": [{"podSelector": sel(app="b")}]}])
        + policy("from-c", podSelector=sel(app="a"), ingress=[{"from": [{"podSelector": sel(app="c")}]}])
        + policy("deny-all", podSelector={})
    )
    # deny-all isolates everyone for ingress; a is allowed from b (one policy) and c (another).
    assert allowed_pairs(net, 80) == {("b", "a"), ("c", "a")}


def test_both_egress_of_source_and_ingress_of_destination_are_needed():
    allow_b_from_a = policy(
        "b-in", podSelector=sel(app="b"), ingress=[{"from": [{"podSelector": sel(app="a")}]}]
    )
    a_egress_to_c = policy(
        "a-out",
        podSelector=sel(app="a"),
        policyTypes=["Egress"],
        egress=[{"to": [{"podSelector": sel(app="c")}]}],
    )
    net = network(three_pods() + allow_b_from_a + a_egress_to_c)
    pairs = allowed_pairs(net, 80)
    assert ("a", "b") not in pairs  # b accepts a, but a may not send to b
    assert ("a", "c") in pairs  # a may send to c, c not isolated
    assert ("c", "b") not in pairs  # b only accepts a
    v = net.reach(net.find("default", "a")[0], net.find("default", "b")[0], 80)
    assert not v.allowed and v.ingress.allowed and not v.egress.allowed
    assert [r.policy for r in v.deciding()] == ["default/a-out"]


# -- peers -----------------------------------------------------------------------------------------


def two_namespaces() -> str:
    return (
        namespace("prod", {"env": "prod"})
        + namespace("dev", {"env": "dev"})
        + pod("web", "prod", {"app": "web"}, "80")
        + pod("db", "prod", {"app": "db"}, "80")
        + pod("web-dev", "dev", {"app": "web"}, "80")
        + pod("tool", "dev", {"app": "tool"}, "80")
    )


def ingress_to_db(*peers: dict[str, object]) -> str:
    return policy("db", "prod", podSelector=sel(app="db"), ingress=[{"from": list(peers)}])


def sources_of_db(text: str) -> set[str]:
    net = network(text)
    return {s for s, d in allowed_pairs(net, 80) if d == "db"}


def test_pod_selector_peer_matches_only_the_policy_namespace():
    assert sources_of_db(two_namespaces() + ingress_to_db({"podSelector": sel(app="web")})) == {"web"}


def test_namespace_selector_peer_matches_every_pod_of_those_namespaces():
    assert sources_of_db(two_namespaces() + ingress_to_db({"namespaceSelector": sel(env="dev")})) == {
        "web-dev",
        "tool",
    }


def test_namespace_and_pod_selector_in_one_peer_are_anded():
    peer = {"namespaceSelector": sel(env="dev"), "podSelector": sel(app="web")}
    assert sources_of_db(two_namespaces() + ingress_to_db(peer)) == {"web-dev"}


def test_separate_peers_are_ored():
    text = two_namespaces() + ingress_to_db(
        {"namespaceSelector": sel(env="dev")}, {"podSelector": sel(app="web")}
    )
    assert sources_of_db(text) == {"web-dev", "tool", "web"}


def test_empty_pod_selector_peer_is_every_pod_of_the_policy_namespace():
    assert sources_of_db(two_namespaces() + ingress_to_db({"podSelector": {}})) == {"web", "db"} - {"db"}


def test_empty_namespace_selector_peer_is_every_pod_of_every_namespace():
    assert sources_of_db(two_namespaces() + ingress_to_db({"namespaceSelector": {}})) == {
        "web",
        "web-dev",
        "tool",
    }


def test_namespace_name_label_is_always_present():
    peer = {"namespaceSelector": sel(**{"kubernetes.io/metadata.name": "dev"})}
    assert sources_of_db(two_namespaces() + ingress_to_db(peer)) == {"web-dev", "tool"}


def test_undeclared_namespace_has_only_its_name_label():
    text = (
        pod("db", "prod", {"app": "db"}, "80")
        + pod("x", "other", {"app": "x"}, "80")
        + ingress_to_db(
            {"namespaceSelector": {"matchExpressions": [{"key": "env", "operator": "DoesNotExist"}]}}
        )
    )
    net = network(text)
    assert net.namespace_labels["other"] == {"kubernetes.io/metadata.name": "other"}
    assert {s for s, d in allowed_pairs(net, 80) if d == "db"} == {"x"}


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ({"key": "tier", "operator": "In", "values": ["front", "back"]}, {"p-front", "p-back"}),
        ({"key": "tier", "operator": "NotIn", "values": ["front"]}, {"p-back", "p-none"}),
        ({"key": "tier", "operator": "Exists"}, {"p-front", "p-back"}),
        ({"key": "tier", "operator": "DoesNotExist"}, {"p-none"}),
    ],
)
def test_match_expressions(expression, expected):
    text = (
        pod("target", labels={"app": "t"}, ports="80")
        + pod("p-front", labels={"tier": "front"}, ports="80")
        + pod("p-back", labels={"tier": "back"}, ports="80")
        + pod("p-none", labels={}, ports="80")
        + policy(
            "t",
            podSelector=sel(app="t"),
            ingress=[{"from": [{"podSelector": {"matchExpressions": [expression]}}]}],
        )
    )
    net = network(text)
    assert {s for s, d in allowed_pairs(net, 80) if d == "target"} == expected


def test_match_labels_and_expressions_are_anded():
    text = (
        pod("target", labels={"app": "t"}, ports="80")
        + pod("both", labels={"app": "x", "tier": "front"}, ports="80")
        + pod("label-only", labels={"app": "x"}, ports="80")
        + policy(
            "t",
            podSelector=sel(app="t"),
            ingress=[
                {
                    "from": [
                        {
                            "podSelector": {
                                "matchLabels": {"app": "x"},
                                "matchExpressions": [{"key": "tier", "operator": "Exists"}],
                            }
                        }
                    ]
                }
            ],
        )
    )
    net = network(text)
    assert {s for s, d in allowed_pairs(net, 80) if d == "target"} == {"both"}


# -- empty versus missing --------------------------------------------------------------------------


@pytest.mark.parametrize("rule", [{}, {"from": []}, {"ports": []}, {"from": [], "ports": []}])
def test_missing_or_empty_from_and_ports_allow_everything(rule):
    net = network(three_pods() + policy("p", podSelector=sel(app="a"), ingress=[rule]))
    assert allowed_pairs(net, 80) == all_pairs(net)
    assert net.reach(ipaddress.ip_address("203.0.113.9"), net.find("default", "a")[0], 9999, "UDP").allowed


def test_empty_ingress_list_allows_nothing():
    net = network(three_pods() + policy("p", podSelector=sel(app="a"), ingress=[]))
    assert allowed_pairs(net, 80) == all_pairs(net) - {("b", "a"), ("c", "a")}


@pytest.mark.parametrize("peer", [{}, {"podSelector": None}, {"namespaceSelector": None, "ipBlock": None}])
def test_empty_peer_makes_the_policy_invalid_and_ignored(peer):
    net = network(three_pods() + policy("p", podSelector=sel(app="a"), ingress=[{"from": [peer]}]))
    assert not net.policies and len(net.invalid) == 1
    assert "must specify a peer" in net.invalid[0].errors[0]
    assert allowed_pairs(net, 80) == all_pairs(net)


@pytest.mark.parametrize(
    "port",
    [
        {"port": "http", "endPort": 90},
        {"port": 80, "endPort": 70},
        {"port": 80, "protocol": "ICMP"},
        {"port": "80"},  # a string is a port name, and names need a letter
        {"port": "HTTP"},
        {"port": 0},
        {"port": 70000},
    ],
)
def test_invalid_ports_make_the_policy_invalid(port):
    net = network(three_pods() + policy("p", ingress=[{"ports": [port]}]))
    assert not net.policies and net.invalid


@pytest.mark.parametrize(
    "block",
    [
        {"cidr": "10.0.0.0/8", "except": ["10.0.0.0/8"]},  # not a strict subset
        {"cidr": "10.0.0.0/8", "except": ["11.0.0.0/16"]},
        {"cidr": "10.0.0.0/8", "except": ["fd00::/64"]},
        {"cidr": "not-an-address"},
    ],
)
def test_invalid_ipblocks(block):
    net = network(three_pods() + policy("p", ingress=[{"from": [{"ipBlock": block}]}]))
    assert net.invalid and not net.policies


def test_ipblock_with_selector_is_invalid():
    net = network(
        three_pods()
        + policy("p", ingress=[{"from": [{"ipBlock": {"cidr": "10.0.0.0/8"}, "podSelector": {}}]}])
    )
    assert net.invalid and not net.policies


# -- ports -----------------------------------------------------------------------------------------


def test_port_number_protocol_default_tcp_and_udp_sctp():
    net = network(
        pod("src", labels={"app": "s"})
        + pod("dst", labels={"app": "d"}, ports="80,53/UDP,9000/SCTP")
        + policy(
            "d",
            podSelector=sel(app="d"),
            ingress=[
                {"ports": [{"port": 80}, {"port": 53, "protocol": "UDP"}, {"port": 9000, "protocol": "SCTP"}]}
            ],
        )
    )
    s, d = 0, 1
    assert net.allowed(s, d, 80, "TCP")
    assert not net.allowed(s, d, 80, "UDP")
    assert net.allowed(s, d, 53, "UDP")
    assert not net.allowed(s, d, 53, "TCP")
    assert net.allowed(s, d, 9000, "SCTP")
    assert not net.allowed(s, d, 9000, "TCP")
    assert not net.allowed(s, d, 81, "TCP")


def test_protocol_without_port_matches_every_port_of_that_protocol():
    net = network(
        pod("src")
        + pod("dst", labels={"app": "d"})
        + policy("d", podSelector=sel(app="d"), ingress=[{"ports": [{"protocol": "UDP"}]}])
    )
    assert net.allowed(0, 1, 1, "UDP") and net.allowed(0, 1, 65535, "UDP")
    assert not net.allowed(0, 1, 80, "TCP")


def test_end_port_range_is_inclusive():
    net = network(
        pod("src")
        + pod("dst", labels={"app": "d"})
        + policy("d", podSelector=sel(app="d"), ingress=[{"ports": [{"port": 8000, "endPort": 8010}]}])
    )
    assert [p for p in (7999, 8000, 8005, 8010, 8011) if net.allowed(0, 1, p)] == [8000, 8005, 8010]


def test_named_port_resolves_on_the_destination_pod_for_ingress():
    net = network(
        pod("src")
        + pod("d1", labels={"app": "d"}, ports="http:8080")
        + pod("d2", labels={"app": "d"}, ports="http:9090")
        + pod("d3", labels={"app": "d"}, ports="http:8080/UDP")
        + policy("d", podSelector=sel(app="d"), ingress=[{"ports": [{"port": "http"}]}])
    )
    assert net.allowed(0, 1, 8080) and not net.allowed(0, 1, 9090)
    assert net.allowed(0, 2, 9090) and not net.allowed(0, 2, 8080)
    # protocol is part of the match: d3's http port is UDP, the policy port defaults to TCP
    assert not net.allowed(0, 3, 8080, "TCP") and not net.allowed(0, 3, 8080, "UDP")


def test_named_port_in_egress_resolves_on_the_destination_pod():
    net = network(
        pod("src", labels={"app": "s"}, ports="http:7000")
        + pod("d1", labels={"app": "d"}, ports="http:8080")
        + pod("d2", labels={"app": "d"}, ports="metrics:8080")
        + policy(
            "s", podSelector=sel(app="s"), policyTypes=["Egress"], egress=[{"ports": [{"port": "http"}]}]
        )
    )
    assert net.allowed(0, 1, 8080)  # d1 names 8080 "http"
    assert not net.allowed(0, 2, 8080)  # d2 names 8080 "metrics"
    assert not net.allowed(0, 1, 7000)  # the source's own "http" port does not matter
    src = net.endpoints[0]
    assert not net.reach(src, ipaddress.ip_address("203.0.113.1"), 8080).allowed  # never matches an address


# -- ipBlock ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("10.1.2.3", True),
        ("10.9.0.1", False),  # in except
        ("11.0.0.1", False),
        ("2001:db8::1", True),
        ("2001:db8:0:ff::1", False),  # in IPv6 except
        ("::ffff:10.1.2.3", False),  # an IPv6 address is not in an IPv4 block
    ],
)
def test_ipblock_with_except_ipv4_and_ipv6(address, allowed):
    net = network(
        pod("dst", labels={"app": "d"}, ports="80")
        + policy(
            "d",
            podSelector=sel(app="d"),
            ingress=[
                {
                    "from": [
                        {"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.9.0.0/16"]}},
                        {"ipBlock": {"cidr": "2001:db8::/32", "except": ["2001:db8:0:ff::/64"]}},
                    ]
                }
            ],
        )
    )
    v = net.reach(ipaddress.ip_address(address), net.endpoints[0], 80)
    assert v.allowed is allowed


def test_ipblock_covering_every_address_matches_pods_by_default():
    # issue: an allow-all-by-CIDR policy read as deny between pods; the upstream e2e tests expect
    # pod IPs to match ipBlocks
    text = three_pods() + policy(
        "a", podSelector=sel(app="a"), ingress=[{"from": [{"ipBlock": {"cidr": "0.0.0.0/0"}}]}]
    )
    net = network(text)
    assert {s for s, d in allowed_pairs(net, 80) if d == "a"} == {"b", "c"}
    assert net.external_ingress(net.class_of[0], 80, "TCP")
    a, b = net.endpoints[0], net.endpoints[1]
    assert "ipBlock covering the pod CIDR" in net.reach(b, a, 80).note
    # Cilium's reading: CIDR rules do not apply between pods
    ignoring = Network.from_resources(resources(text), ipblock_pods="ignore")
    assert {s for s, d in allowed_pairs(ignoring, 80) if d == "a"} == set()
    assert ignoring.external_ingress(ignoring.class_of[0], 80, "TCP")


@pytest.mark.parametrize(
    ("block", "pod_cidrs", "matches"),
    [
        ({"cidr": "0.0.0.0/0"}, None, True),
        ({"cidr": "::/0"}, None, True),
        ({"cidr": "10.0.0.0/8"}, None, False),  # pod IPs unknown: it may or may not hold them
        ({"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8"]}, None, False),  # "internet only"
        ({"cidr": "10.0.0.0/8"}, ["10.244.0.0/16"], True),
        ({"cidr": "10.244.0.0/16"}, ["10.244.0.0/16"], True),
        ({"cidr": "10.244.0.0/17"}, ["10.244.0.0/16"], False),  # half of the pod CIDR
        ({"cidr": "10.0.0.0/8", "except": ["10.244.1.0/24"]}, ["10.244.0.0/16"], False),
        ({"cidr": "10.0.0.0/8", "except": ["10.96.0.0/12"]}, ["10.244.0.0/16"], True),
        ({"cidr": "fd00::/8"}, ["10.244.0.0/16", "fd00:10:244::/56"], True),  # dual stack
    ],
)
def test_ipblock_matches_pods_when_it_covers_a_pod_cidr(block, pod_cidrs, matches):
    text = three_pods() + policy("a", podSelector=sel(app="a"), ingress=[{"from": [{"ipBlock": block}]}])
    cidrs = [ipaddress.ip_network(c) for c in pod_cidrs] if pod_cidrs else ALL_ADDRESSES
    net = Network.from_resources(resources(text), pod_cidrs=cidrs)
    assert ({s for s, d in allowed_pairs(net, 80) if d == "a"} == {"b", "c"}) is matches


def test_ipblock_mode_is_checked():
    with pytest.raises(ValueError, match="ipblock_pods"):
        Network.from_resources([], ipblock_pods="maybe")


def test_egress_to_address_checks_ipblock_and_ports():
    net = network(
        pod("src", labels={"app": "s"})
        + policy(
            "s",
            podSelector=sel(app="s"),
            policyTypes=["Egress"],
            egress=[
                {
                    "to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["169.254.169.254/32"]}}],
                    "ports": [{"port": 443}],
                }
            ],
        )
    )
    src = net.endpoints[0]
    assert net.reach(src, ipaddress.ip_address("93.184.216.34"), 443).allowed
    assert not net.reach(src, ipaddress.ip_address("93.184.216.34"), 80).allowed
    assert not net.reach(src, ipaddress.ip_address("169.254.169.254"), 443).allowed
    assert net.external_egress(net.class_of[0], 443, "TCP")
    assert not net.external_egress(net.class_of[0], 80, "TCP")


# -- pods from workloads ---------------------------------------------------------------------------


def test_workload_templates_are_endpoints_with_template_labels_and_workload_namespace():
    text = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop, labels: {app: wrong}}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: c, image: x, ports: [{containerPort: 8080, name: http}]}]
      initContainers: [{name: i, image: x, ports: [{containerPort: 9999, name: init}]}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: job, namespace: shop}
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app: job}}
        spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: host, namespace: shop}
spec:
  hostNetwork: true
  containers: [{name: c, image: x}]
"""
    text += policy(
        "api",
        "shop",
        podSelector=sel(app="api"),
        ingress=[{"from": [{"podSelector": sel(app="job")}], "ports": [{"port": "http"}]}],
    )
    net = network(text)
    assert [e.key for e in net.endpoints] == ["shop/api", "shop/job"]  # hostNetwork pods are not governed
    api = net.find("shop", "api")[0]
    assert api.labels == {"app": "api"} and api.kind == "Deployment"
    assert {(p.name, p.number) for p in api.ports} == {("http", 8080), ("init", 9999)}
    job = net.find("shop", "job")[0]
    assert net.reach(job, api, 8080).allowed
    assert not net.reach(job, api, 9999).allowed


def test_a_pod_reaching_itself_is_governed_by_policies():
    # issue: traffic to its own IP was always allowed; the API has no such exception, and the
    # upstream truth tables (cyclonus, the e2e reachability matrix) deny it under default deny
    text = pod("solo", labels={"app": "x"}, ports="80") + policy(
        "deny", podSelector={}, policyTypes=["Ingress", "Egress"]
    )
    text += """
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: rep}
spec:
  template:
    metadata: {labels: {app: rep}}
    spec: {containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}
"""
    net = network(text)
    solo, rep = net.endpoints
    v = net.reach(solo, solo, 80)
    assert not v.allowed and not net.allowed(0, 0, 80)
    assert "same pod" in v.note and "hairpin" in v.note
    assert not net.pod_matrix(80)[0][0]
    w = net.reach(rep, rep, 80)
    assert not w.allowed and not net.allowed(1, 1, 80) and "same workload" in w.note
    # allowed when the policies allow it
    opened = network(text + policy("self", podSelector=sel(app="x"), ingress=[{}], egress=[{}]))
    assert opened.reach(opened.endpoints[0], opened.endpoints[0], 80).allowed
    assert opened.allowed(0, 0, 80)


# -- equivalence classes ---------------------------------------------------------------------------


def test_identical_pods_share_one_class():
    text = "".join(pod(f"w{i}", labels={"app": "w"}, ports="80") for i in range(5)) + pod(
        "x", labels={"app": "x"}, ports="80"
    )
    net = network(text)
    assert len(net.classes) == 2
    assert len({net.class_of[i] for i in range(5)}) == 1


def _random_input(seed: int) -> str:
    rng = random.Random(seed)
    apps, tiers, nss = ["a", "b", "c"], ["front", "back"], ["n1", "n2", "n3"]
    text = namespace("n1", {"env": "prod"}) + namespace("n2", {"env": "dev"})
    for i in range(14):
        labels = {"app": rng.choice(apps)}
        if rng.random() < 0.6:
            labels["tier"] = rng.choice(tiers)
        ports = rng.choice(["http:80", "http:8080", "80,53/UDP", "metrics:9090", ""])
        text += pod(f"p{i}", rng.choice(nss), labels, ports)

    def selector() -> dict[str, object]:
        r = rng.random()
        if r < 0.2:
            return {}
        if r < 0.6:
            return sel(app=rng.choice(apps))
        op = rng.choice(["In", "NotIn", "Exists", "DoesNotExist"])
        expr: dict[str, object] = {"key": "tier", "operator": op}
        if op in ("In", "NotIn"):
            expr["values"] = [rng.choice(tiers)]
        return {"matchExpressions": [expr]}

    def peer() -> dict[str, object]:
        r = rng.random()
        if r < 0.35:
            return {"podSelector": selector()}
        if r < 0.6:
            return {
                "namespaceSelector": rng.choice(
                    [{}, sel(env="prod"), sel(**{"kubernetes.io/metadata.name": "n3"})]
                )
            }
        if r < 0.85:
            return {"namespaceSelector": sel(env=rng.choice(["prod", "dev"])), "podSelector": selector()}
        return {"ipBlock": {"cidr": rng.choice(["10.0.0.0/8", "0.0.0.0/0"])}}

    def rule(direction: str) -> dict[str, object]:
        out: dict[str, object] = {}
        if rng.random() < 0.8:
            out["from" if direction == "ingress" else "to"] = [peer() for _ in range(rng.randint(1, 2))]
        if rng.random() < 0.7:
            out["ports"] = [
                rng.choice(
                    [
                        {"port": 80},
                        {"port": "http"},
                        {"port": 53, "protocol": "UDP"},
                        {"port": 8000, "endPort": 9000},
                    ]
                )
            ]
        return out

    for j in range(8):
        spec: dict[str, object] = {"podSelector": selector()}
        kind = rng.choice(["in", "eg", "both", "default"])
        if kind != "default":
            spec["policyTypes"] = {"in": ["Ingress"], "eg": ["Egress"], "both": ["Ingress", "Egress"]}[kind]
        if rng.random() < 0.8:
            spec["ingress"] = [rule("ingress") for _ in range(rng.randint(0, 2))]
        if rng.random() < 0.6:
            spec["egress"] = [rule("egress") for _ in range(rng.randint(0, 2))]
        text += policy(f"pol{j}", rng.choice(nss), **spec)
    return text


@pytest.mark.parametrize("seed", range(25))
def test_class_matrix_agrees_with_pair_by_pair_evaluation(seed):
    net = network(_random_input(seed))
    for number, proto in ((80, "TCP"), (8080, "TCP"), (53, "UDP"), (9090, "TCP")):
        rows = net.pod_matrix(number, proto)
        for i, src in enumerate(net.endpoints):
            for j, dst in enumerate(net.endpoints):
                slow = net.reach(src, dst, number, proto).allowed
                assert net.allowed(i, j, number, proto) == slow, (seed, src.key, dst.key, number)
                assert bool(rows[i][j]) == slow  # the diagonal too: a pod reaching itself


def test_external_pseudo_endpoint_in_reach():
    net = network(
        pod("a", labels={"app": "a"}, ports="80")
        + pod("b", labels={"app": "b"}, ports="80")
        + policy("a", podSelector=sel(app="a"), ingress=[{"from": [{"podSelector": {}}]}])
        + policy("b", podSelector=sel(app="b"), ingress=[{"from": [{"ipBlock": {"cidr": "0.0.0.0/0"}}]}])
    )
    a, b = net.endpoints
    assert not net.reach(EXTERNAL, a, 80).allowed
    assert net.reach(EXTERNAL, b, 80).allowed


# -- an independent reference evaluator, straight from the API reference, on raw objects -----------


def _ref_selector(selector, labels):
    for k, v in (selector.get("matchLabels") or {}).items():
        if labels.get(k) != v:
            return False
    for e in selector.get("matchExpressions") or []:
        key, op, values = e["key"], e["operator"], e.get("values") or []
        if op == "In" and not (key in labels and labels[key] in values):
            return False
        if op == "NotIn" and key in labels and labels[key] in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


def _ref_types(spec):
    if spec.get("policyTypes"):
        return set(spec["policyTypes"])
    return {"Ingress"} | ({"Egress"} if spec.get("egress") else set())


def _ref_reach(objs, src, dst, number, proto):
    """src/dst: raw Pod dicts. Only Pods, Namespaces and NetworkPolicies. A pod reaching itself is
    no exception; an ipBlock matches a pod only when it is 0.0.0.0/0 or ::/0 without except (the
    default pod CIDRs are the whole address space)."""
    ns_labels = {}
    for o in objs:
        if o["kind"] == "Namespace":
            ns_labels[o["metadata"]["name"]] = dict(o["metadata"].get("labels") or {})
    policies = [o for o in objs if o["kind"] == "NetworkPolicy"]

    def ns_of(o):
        return o["metadata"].get("namespace", "default")

    def labels_of_ns(name):
        return {**ns_labels.get(name, {}), "kubernetes.io/metadata.name": name}

    def peer_matches(pol, peer, other):
        if other is None:
            return False
        if "ipBlock" in peer:
            return peer["ipBlock"]["cidr"] in ("0.0.0.0/0", "::/0") and not peer["ipBlock"].get("except")
        if "namespaceSelector" in peer:
            if not _ref_selector(peer["namespaceSelector"], labels_of_ns(ns_of(other))):
                return False
        elif ns_of(other) != ns_of(pol):
            return False
        if "podSelector" in peer:
            return _ref_selector(peer["podSelector"], other["metadata"].get("labels") or {})
        return True

    def port_matches(p, dstpod):
        if p.get("protocol", "TCP") != proto:
            return False
        if "port" not in p:
            return True
        if isinstance(p["port"], str):
            for c in dstpod["spec"]["containers"]:
                for cp in c.get("ports") or []:
                    if cp.get("name") == p["port"] and cp.get("protocol", "TCP") == proto:
                        return cp["containerPort"] == number
            return False
        if "endPort" in p:
            return p["port"] <= number <= p["endPort"]
        return p["port"] == number

    def side(direction, pod, other):
        key, peer_key = ("Ingress", "from") if direction == "ingress" else ("Egress", "to")
        selecting = [
            p
            for p in policies
            if ns_of(p) == ns_of(pod)
            and _ref_selector(p["spec"].get("podSelector") or {}, pod["metadata"].get("labels") or {})
            and key in _ref_types(p["spec"])
        ]
        if not selecting:
            return True
        for p in selecting:
            for rule in p["spec"].get(direction) or []:
                peers = rule.get(peer_key) or []
                if peers and not any(peer_matches(p, x, other) for x in peers):
                    continue
                ports = rule.get("ports") or []
                if ports and not any(port_matches(x, dst) for x in ports):
                    continue
                return True
        return False

    return side("egress", src, dst) and side("ingress", dst, src)


@pytest.mark.parametrize("seed", range(25))
def test_engine_agrees_with_reference_evaluator(seed):
    import yaml

    text = _random_input(seed)
    objs = [d for d in yaml.safe_load_all(text) if d]
    pods = [o for o in objs if o["kind"] == "Pod"]
    net = network(text)
    assert [e.name for e in net.endpoints] == [p["metadata"]["name"] for p in pods]
    for number, proto in ((80, "TCP"), (8080, "TCP"), (53, "UDP"), (9090, "TCP"), (8500, "TCP")):
        rows = net.pod_matrix(number, proto)
        for i, src in enumerate(pods):
            for j, dst in enumerate(pods):
                expected = _ref_reach(objs, src, dst, number, proto)
                assert net.allowed(i, j, number, proto) == expected, (seed, i, j, number, proto)
                assert bool(rows[i][j]) == expected


def test_three_tier_application_full_matrix():
    """Hand-checked: web <- ingress controller; api <- web; db <- api on 5432 only; default deny."""
    text = (
        namespace("shop", {"team": "shop"})
        + namespace("ingress-nginx")
        + pod("ctrl", "ingress-nginx", {"app": "ingress"}, "80")
        + pod("web", "shop", {"tier": "web"}, "http:8080")
        + pod("api", "shop", {"tier": "api"}, "http:9000")
        + pod("db", "shop", {"tier": "db"}, "5432,metrics:9187")
        + policy("default-deny", "shop", podSelector={}, policyTypes=["Ingress", "Egress"])
        + policy(
            "web",
            "shop",
            podSelector=sel(tier="web"),
            ingress=[
                {
                    "from": [{"namespaceSelector": sel(**{"kubernetes.io/metadata.name": "ingress-nginx"})}],
                    "ports": [{"port": "http"}],
                }
            ],
            egress=[{"to": [{"podSelector": sel(tier="api")}], "ports": [{"port": "http"}]}],
        )
        + policy(
            "api",
            "shop",
            podSelector=sel(tier="api"),
            ingress=[{"from": [{"podSelector": sel(tier="web")}]}],
            egress=[{"to": [{"podSelector": sel(tier="db")}], "ports": [{"port": 5432}]}],
        )
        + policy(
            "db",
            "shop",
            podSelector=sel(tier="db"),
            ingress=[{"from": [{"podSelector": sel(tier="api")}], "ports": [{"port": 5432}]}],
        )
    )
    net = network(text)
    ports = {"ctrl": 80, "web": 8080, "api": 9000, "db": 5432}
    got = {
        (s.name, d.name)
        for i, s in enumerate(net.endpoints)
        for j, d in enumerate(net.endpoints)
        if i != j and net.allowed(i, j, ports[d.name])
    }
    # ctrl -> web: ctrl not isolated, web accepts ingress-nginx on its "http" (8080).
    # web -> api: web's egress names "http", resolved on api (9000); api accepts web.
    # api -> db on 5432. Nothing reaches ctrl from shop (shop egress is default-deny).
    assert got == {("ctrl", "web"), ("web", "api"), ("api", "db")}
    ctrl, web, api, db = net.endpoints
    assert not net.reach(api, db, 9187).allowed
    assert not net.reach(ctrl, api, 9000).allowed
    assert not net.reach(web, db, 5432).allowed
