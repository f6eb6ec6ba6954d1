"""The network analysis answers "who selects whom" from a label index: the same answers, in the
same order, as matching every selector against every pod."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kubeguard.analyzers.netpol.analysis import network_analysis
from kubeguard.model.network import LabelSelector
from kubeguard.model.resource import Resource, SourceLocation
from kubeguard.rules.context import ScanContext

NAMESPACES = ("a", "b")
label_sets = st.dictionaries(
    st.sampled_from(["app", "tier", "env"]), st.sampled_from(["x", "y", "", "1"]), max_size=3
)
expressions = st.lists(
    st.fixed_dictionaries(
        {
            "key": st.sampled_from(["app", "tier", "env"]),
            "operator": st.sampled_from(["In", "NotIn", "Exists", "DoesNotExist"]),
        },
        optional={"values": st.lists(st.sampled_from(["x", "y"]), min_size=1, max_size=2)},
    ),
    max_size=2,
)
selectors = st.fixed_dictionaries({}, optional={"matchLabels": label_sets, "matchExpressions": expressions})


def _deployment(i: int, ns: str, labels: dict[str, str], host_network: bool) -> dict[str, Any]:
    spec: dict[str, Any] = {"containers": [{"name": "c", "image": "nginx:1.27"}]}
    if host_network:
        spec["hostNetwork"] = True
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": f"d{i}", "namespace": ns},
        "spec": {"template": {"metadata": {"labels": labels}, "spec": spec}},
    }


def _policy(i: int, ns: str, selector: dict[str, Any]) -> dict[str, Any]:
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": f"p{i}", "namespace": ns},
        "spec": {"podSelector": selector},
    }


@settings(max_examples=150)
@given(
    pods=st.lists(st.tuples(st.sampled_from(NAMESPACES), label_sets, st.booleans()), max_size=8),
    policies=st.lists(st.tuples(st.sampled_from(NAMESPACES), selectors), max_size=8),
    probe=selectors,
)
def test_indexed_answers_equal_matching_everything(pods, policies, probe):
    docs = [_deployment(i, ns, labels, host) for i, (ns, labels, host) in enumerate(pods)]
    docs += [_policy(i, ns, sel) for i, (ns, sel) in enumerate(policies)]
    a = network_analysis(ScanContext([Resource(d, SourceLocation("<test>", i)) for i, d in enumerate(docs)]))
    probe_selector = LabelSelector.parse(probe)
    for ns in NAMESPACES:
        endpoints = a.endpoints_by_ns.get(ns, [])
        assert a.endpoints_selected(ns, probe_selector) == [
            e for e in endpoints if probe_selector.matches(e.labels)
        ]
        for e in endpoints:
            assert a.selecting(e) == [
                f"NetworkPolicy {p.key}" for p in a.policies_in(ns) if p.pod_selector.matches(e.labels)
            ]
