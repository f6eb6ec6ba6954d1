"""kubeadm's default control plane (v1.31 manifests, and the same cluster as a ClusterConfiguration)
produces exactly the findings the CIS benchmark expects of it.

Expected per kube-bench's CIS 1.12 run on a kubeadm cluster: the API server fails anonymous-auth,
DenyServiceExternalIPs, kubelet-certificate-authority, EventRateLimit, AlwaysPullImages, profiling,
the four audit-log flags, encryption-provider-config, cipher suites, extend-token-expiration and the
audit policy flag; the controller manager fails terminated-pod-gc-threshold and profiling; the
scheduler fails profiling; etcd passes; the kubelet configuration kubeadm writes passes the checks
kube-bench judges automatically and fails the manual ones it leaves unset (TLS serving certificate,
cipher suites, pod PID limit, seccomp default) plus protectKernelDefaults (a CIS 1.23 check).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from kubeguard.engine.registry import all_rules
from kubeguard.engine.runner import evaluate
from kubeguard.findings.report import Evaluation
from kubeguard.loading.files import load
from kubeguard.model.pointer import Pointer
from kubeguard.model.resource import Resource, SourceLocation
from kubeguard.rules.context import ScanContext

FIXTURES = Path(__file__).parent / "fixtures" / "kubeadm-v1.31"
CP_RULES = [r for r in all_rules() if r.code.startswith("CP")]

EXPECTED = {
    "kube-apiserver": {
        "CP001": "1.2.1",
        "CP003": "1.2.3",
        "CP005": "1.2.5",
        "CP009": "1.2.9",
        "CP011": "1.2.11",
        "CP015": "1.2.15",
        "CP016": "1.2.16",
        "CP017": "1.2.17",
        "CP018": "1.2.18",
        "CP019": "1.2.19",
        "CP027": "1.2.27",
        "CP028": "1.2.29",
        "CP029": "1.2.30",
        "CP030": "3.2.1",
    },
    "kube-controller-manager": {"CP040": "1.3.1", "CP041": "1.3.2"},
    "kube-scheduler": {"CP050": "1.4.1"},
    "etcd": {},
    "KubeletConfiguration": {
        "CP075": None,
        "CP079": "4.2.9",
        "CP082": "4.2.12",
        "CP083": "4.2.13",
        "CP084": "4.2.14",
    },
}


def _failing(resources: list[Resource]) -> dict[str, set[str]]:
    report = evaluate(ScanContext(resources), CP_RULES)
    assert not report.rule_errors
    out: dict[str, set[str]] = defaultdict(set)
    for f in report.findings:
        out[f.object.name].add(f.rule.code)
    return out


def test_kubeadm_static_pods_and_kubelet_config():
    loaded = load([str(FIXTURES)])
    assert not loaded.errors
    failing = _failing(loaded.resources)
    for name, codes in EXPECTED.items():
        assert failing.get(name, set()) == set(codes), name
    rules = {r.code: r for r in CP_RULES}
    for codes in EXPECTED.values():
        for code, cis_id in codes.items():
            if cis_id is not None:
                assert cis_id in rules[code].compliance["cis-1.12"]


def test_every_component_rule_is_evaluated_on_its_manifest():
    loaded = load([str(FIXTURES)])
    report = evaluate(ScanContext(loaded.resources), CP_RULES)
    apiserver = next(r.ref for r in loaded.resources if r.name == "kube-apiserver")
    assert report.evaluations.get("CP006", apiserver) is Evaluation.PASS
    assert report.evaluations.get("CP041", apiserver) is Evaluation.NOT_APPLICABLE


@pytest.mark.parametrize("version", ["v1beta3", "v1beta4"])
def test_default_cluster_configuration_matches_the_manifests(version):
    raw = {
        "apiVersion": f"kubeadm.k8s.io/{version}",
        "kind": "ClusterConfiguration",
        "kubernetesVersion": "v1.31.2",
    }
    failing = _failing([Resource(raw, SourceLocation("kubeadm.yaml"))])
    expected = set().union(
        *(set(EXPECTED[c]) for c in ("kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd"))
    )
    assert failing["ClusterConfiguration"] == expected


@pytest.mark.parametrize(
    ("extra", "pointer"),
    [
        ({"profiling": "false"}, Pointer(("apiServer", "extraArgs", "profiling"))),
        ([{"name": "profiling", "value": "false"}], Pointer(("apiServer", "extraArgs", 0, "value"))),
    ],
)
def test_extra_args_override_kubeadm_defaults(extra, pointer):
    raw = {
        "apiVersion": "kubeadm.k8s.io/v1beta4",
        "kind": "ClusterConfiguration",
        "apiServer": {"extraArgs": extra},
    }
    resource = Resource(raw, SourceLocation("kubeadm.yaml"))
    assert "CP015" not in _failing([resource])["ClusterConfiguration"]
    from kubeguard.model.controlplane.kubeadm import kubeadm_component

    cfg = kubeadm_component(resource, "kube-apiserver")
    assert cfg is not None and cfg.flags.at("profiling") == pointer
    assert cfg.flags.origin("authorization-mode") == "kubeadm default"


def test_external_etcd_is_not_judged():
    raw = {
        "apiVersion": "kubeadm.k8s.io/v1beta3",
        "kind": "ClusterConfiguration",
        "etcd": {"external": {"endpoints": ["https://etcd:2379"]}},
    }
    resource = Resource(raw, SourceLocation("kubeadm.yaml"))
    report = evaluate(ScanContext([resource]), CP_RULES)
    assert report.evaluations.get("CP061", resource.ref) is Evaluation.NOT_APPLICABLE
    assert report.evaluations.get("CP015", resource.ref) is Evaluation.FAIL
