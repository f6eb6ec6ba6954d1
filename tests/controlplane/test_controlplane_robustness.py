"""Hostile or malformed configuration never makes a CP rule raise (a rule error would hide findings)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubeguard.engine.registry import all_rules
from kubeguard.engine.runner import evaluate
from kubeguard.model.resource import Resource, SourceLocation
from kubeguard.rules.context import ScanContext

CP_RULES = [r for r in all_rules() if r.code.startswith("CP")]

SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 70000), st.floats(allow_nan=False), st.text(max_size=12)
)
JSON = st.recursive(
    SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
KEYS = st.sampled_from(
    [
        "resources",
        "providers",
        "keys",
        "secret",
        "rules",
        "level",
        "omitStages",
        "users",
        "userGroups",
        "verbs",
        "namespaces",
        "nonResourceURLs",
        "group",
        "resourceNames",
        "authentication",
        "authorization",
        "readOnlyPort",
        "streamingConnectionIdleTimeout",
        "tlsCipherSuites",
        "featureGates",
        "podPidsLimit",
        "apiServer",
        "extraArgs",
        "etcd",
        "local",
        "external",
        "nodeRegistration",
        "kubeletExtraArgs",
        "metricsBindAddress",
        "spec",
        "mode",
        "roles",
    ]
)
BODY = st.dictionaries(KEYS, JSON, max_size=6)
DOCS = [
    ("apiserver.config.k8s.io/v1", "EncryptionConfiguration"),
    ("audit.k8s.io/v1", "Policy"),
    ("kubelet.config.k8s.io/v1beta1", "KubeletConfiguration"),
    ("kubeadm.k8s.io/v1beta4", "ClusterConfiguration"),
    ("kubeadm.k8s.io/v1beta3", "InitConfiguration"),
    ("kubeproxy.config.k8s.io/v1alpha1", "KubeProxyConfiguration"),
    ("kubeguard.io/v1", "NodeFile"),
]
ARGV = st.lists(
    st.one_of(
        st.text(max_size=20),
        st.sampled_from(["--profiling", "--", "-", "--a=", "--enable-admission-plugins=,,", "false"]),
    ),
    max_size=8,
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(DOCS), BODY)
def test_config_documents(doc, body):
    api, kind = doc
    raw = {**body, "apiVersion": api, "kind": kind, "metadata": {"name": "x"}}
    report = evaluate(ScanContext([Resource(raw, SourceLocation("x.yaml"))]), CP_RULES)
    assert not report.rule_errors, [e.message for e in report.rule_errors]


@settings(max_examples=150)
@given(
    st.sampled_from(["kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd", "/bin/sh"]),
    ARGV,
    ARGV,
    st.lists(st.fixed_dictionaries({"name": st.text(max_size=12), "value": JSON}), max_size=3),
)
def test_static_pods(program, command, args, env):
    raw = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p", "namespace": "kube-system"},
        "spec": {"containers": [{"name": "c", "command": [program, *command], "args": args, "env": env}]},
    }
    report = evaluate(ScanContext([Resource(raw, SourceLocation("x.yaml"))]), CP_RULES)
    assert not report.rule_errors, [e.message for e in report.rule_errors]
