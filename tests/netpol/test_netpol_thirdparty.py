"""Calico selectors, Cilium and Calico policy recognition, Istio PeerAuthentication resolution."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubeguard.analyzers.netpol.analysis import network_analysis
from kubeguard.analyzers.netpol.istio import MeshPolicies, allows_everything
from kubeguard.loading.files import load
from kubeguard.model.network import CalicoSelector
from kubeguard.rules.context import ScanContext
from tests.netpol.helpers import resources

LABELS = {"app": "web", "tier": "front", "env": "prod"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", True),
        ("all()", True),
        ("app == 'web'", True),
        ('app == "db"', False),
        ("app != 'db'", True),
        ("has(tier)", True),
        ("!has(tier)", False),
        ("app in {'web', 'api'}", True),
        ("app not in {'web'}", False),
        ("app == 'web' && env == 'dev'", False),
        ("app == 'db' || env == 'prod'", True),
        ("!(app == 'web' && has(tier))", False),
        ("(app == 'db' || app == 'web') && !has(canary)", True),
    ],
)
def test_calico_selector(text, expected):
    s = CalicoSelector(text)
    assert s.parsed
    assert s.matches(LABELS) is expected


@pytest.mark.parametrize("text", ["app startswith 'w'", "app ==", "has(", "app == 'web' &&", "(app == 'web'"])
def test_unparseable_calico_selector_is_flagged_unparsed(text):
    s = CalicoSelector(text)
    assert not s.parsed
    assert s.matches({})  # conservative: selects everything


def test_clusterwide_cilium_policy_isolates_every_namespace_for_ingress_only():
    loaded = load([str(Path(__file__).parent / "data" / "clusterwide-all.yaml")])
    a = network_analysis(ScanContext(loaded.resources))
    assert a.namespace_isolated("anything", "ingress") == ["CiliumClusterwideNetworkPolicy default-deny"]
    assert a.namespace_isolated("anything", "egress") == ["CiliumClusterwideNetworkPolicy egress"]


def test_cilium_specs_list_and_host_policies():
    a = network_analysis(
        ScanContext(
            resources(
                """
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: multi, namespace: shop}
specs:
  - endpointSelector: {matchLabels: {app: a}}
    ingress: [{}]
  - endpointSelector: {matchExpressions: [{key: "k8s:app", operator: In, values: [b]}]}
    egress: [{}]
---
apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: host}
spec:
  nodeSelector: {}
  ingress: [{}]
"""
            )
        )
    )
    assert [(t.ingress, t.egress) for t in a.third_party] == [(True, False), (False, True)]
    assert a.third_party[1].selects("shop", {"app": "b"}, {})
    assert not a.third_party[1].selects("other", {"app": "b"}, {})


def _mesh(text: str, root: str = "istio-system") -> MeshPolicies:
    return MeshPolicies(resources(text), root)


PA = """
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {{name: {name}, namespace: {ns}}}
spec: {spec}
"""


def test_peer_authentication_precedence_and_inheritance():
    mesh = _mesh(
        PA.format(name="mesh", ns="istio-system", spec="{mtls: {mode: PERMISSIVE}}")
        + PA.format(name="ns", ns="shop", spec="{mtls: {mode: UNSET}}")
        + PA.format(
            name="wl",
            ns="shop",
            spec="{selector: {matchLabels: {app: db}}, mtls: {mode: STRICT}, portLevelMtls: {'9000': {mode: DISABLE}, '9001': {mode: UNSET}}}",
        )
    )
    assert mesh.effective("shop", {"app": "web"}).mode == "PERMISSIVE"  # ns UNSET -> mesh
    eff = mesh.effective("shop", {"app": "db"})
    assert eff.mode == "STRICT"
    assert {p: m for p, (m, _) in eff.port_modes.items()} == {9000: "DISABLE", 9001: "STRICT"}
    assert mesh.effective("other", {}).mode == "PERMISSIVE"
    assert _mesh("").effective("x", {}).mode == "PERMISSIVE" and _mesh("").effective("x", {}).source is None


def test_port_level_mtls_ignored_without_selector():
    mesh = _mesh(
        PA.format(name="ns", ns="shop", spec="{mtls: {mode: STRICT}, portLevelMtls: {'80': {mode: DISABLE}}}")
    )
    eff = mesh.effective("shop", {"app": "x"})
    assert eff.mode == "STRICT" and not eff.port_modes


@pytest.mark.parametrize(
    ("spec", "flagged"),
    [
        ("{}", False),
        ("{rules: [{}]}", True),
        ("{action: DENY, rules: [{}]}", False),
        ("{action: AUDIT, rules: [{}]}", False),
        ("{rules: [{from: [{source: {namespaces: [a]}}]}]}", False),
        ("{rules: [{when: [{key: 'request.auth.claims[iss]', values: [x]}]}]}", False),
        ("{action: ALLOW, rules: [{to: []}]}", True),
    ],
)
def test_authorization_policy_allows_everything(spec, flagged):
    (res,) = resources(
        f"apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {{name: p, namespace: shop}}\nspec: {spec}\n"
    )
    assert (allows_everything(res) is not None) is flagged
