"""Property tests: arbitrary NetworkPolicy-shaped input never crashes parsing, the engine or the rules."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kubeguard.analyzers.netpol.engine import Network
from kubeguard.analyzers.netpol.matrix import connections
from kubeguard.engine.registry import all_rules
from kubeguard.engine.runner import evaluate
from kubeguard.model.network import CalicoSelector
from kubeguard.model.resource import Resource, SourceLocation
from kubeguard.rules.context import ScanContext

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 70000),
    st.sampled_from(["", "http", "80", "TCP", "UDP", "10.0.0.0/8", "::/0", "x/y"]),
)
labels = st.dictionaries(
    st.sampled_from(["app", "tier", "kubernetes.io/metadata.name"]),
    st.sampled_from(["a", "b", "ns1"]),
    max_size=2,
)
selector = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {},
        optional={
            "matchLabels": st.one_of(labels, scalars),
            "matchExpressions": st.lists(
                st.fixed_dictionaries(
                    {
                        "key": st.sampled_from(["app", "tier"]),
                        "operator": st.sampled_from(["In", "NotIn", "Exists", "DoesNotExist", "Bad"]),
                    },
                    optional={"values": st.lists(st.sampled_from(["a", "b"]), max_size=2)},
                ),
                max_size=2,
            ),
        },
    ),
    scalars,
)
peer = st.fixed_dictionaries(
    {},
    optional={
        "podSelector": selector,
        "namespaceSelector": selector,
        "ipBlock": st.fixed_dictionaries(
            {"cidr": scalars}, optional={"except": st.lists(scalars, max_size=2)}
        ),
    },
)
port = st.fixed_dictionaries(
    {},
    optional={
        "port": scalars,
        "endPort": scalars,
        "protocol": st.sampled_from(["TCP", "UDP", "SCTP", "ICMP", None]),
    },
)
rule = st.fixed_dictionaries(
    {},
    optional={
        "from": st.one_of(scalars, st.lists(peer, max_size=2)),
        "to": st.lists(peer, max_size=2),
        "ports": st.one_of(scalars, st.lists(port, max_size=2)),
    },
)
spec = st.fixed_dictionaries(
    {},
    optional={
        "podSelector": selector,
        "policyTypes": st.one_of(
            scalars, st.lists(st.sampled_from(["Ingress", "Egress", "Other"]), max_size=2)
        ),
        "ingress": st.one_of(scalars, st.lists(rule, max_size=2)),
        "egress": st.one_of(scalars, st.lists(rule, max_size=2)),
    },
)


def _pod(name: str, pod_labels: dict[str, str], ports: list[object]) -> dict[str, object]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "ns1", "labels": pod_labels},
        "spec": {"containers": [{"name": "c", "image": "x", "ports": ports}]},
    }


@settings(max_examples=150, deadline=None)
@given(
    specs=st.lists(st.one_of(spec, scalars), min_size=1, max_size=3),
    pod_labels=st.lists(labels, min_size=1, max_size=3),
    ports=st.lists(
        st.fixed_dictionaries({"containerPort": scalars}, optional={"name": scalars, "protocol": scalars}),
        max_size=2,
    ),
)
def test_random_policies_never_crash(specs, pod_labels, ports):
    raws: list[dict[str, object]] = [_pod(f"p{i}", lab, ports) for i, lab in enumerate(pod_labels)]
    raws += [
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"name": f"n{i}", "namespace": "ns1"},
            "spec": s,
        }
        for i, s in enumerate(specs)
    ]
    resources = [Resource(r, SourceLocation("<prop>", i)) for i, r in enumerate(raws)]
    net = Network.from_resources(resources)
    connections(net, (80, "TCP"))
    for a in net.endpoints:
        for b in net.endpoints:
            assert net.reach(a, b, 80).allowed == net.allowed(
                net.endpoints.index(a), net.endpoints.index(b), 80
            )
    rules = [r for r in all_rules() if r.family == "NET"]
    report = evaluate(ScanContext(resources), rules)
    assert not report.rule_errors, [e.message for e in report.rule_errors]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab =!&|(){},'\"has()allnotin", max_size=30))
def test_calico_selector_never_crashes(text):
    s = CalicoSelector(text)
    assert isinstance(s.matches({"a": "b"}), bool)
