"""Property tests: whatever the manifests hold, the scan never crashes and no rule raises."""

from __future__ import annotations

import copy
import json
import string
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubeguard.engine.registry import all_rules
from kubeguard.engine.runner import evaluate
from kubeguard.loading.documents import parse_text
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext

KINDS = [
    ("v1", "Pod"),
    ("apps/v1", "Deployment"),
    ("apps/v1", "DaemonSet"),
    ("batch/v1", "CronJob"),
    ("batch/v1", "Job"),
    ("v1", "Service"),
    ("v1", "ConfigMap"),
    ("v1", "Secret"),
    ("v1", "ServiceAccount"),
    ("v1", "Namespace"),
    ("networking.k8s.io/v1", "NetworkPolicy"),
    ("networking.k8s.io/v1", "Ingress"),
    ("rbac.authorization.k8s.io/v1", "Role"),
    ("rbac.authorization.k8s.io/v1", "ClusterRole"),
    ("rbac.authorization.k8s.io/v1", "RoleBinding"),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
    ("kubelet.config.k8s.io/v1beta1", "KubeletConfiguration"),
    ("audit.k8s.io/v1", "Policy"),
    ("apiserver.config.k8s.io/v1", "EncryptionConfiguration"),
    ("kubeadm.k8s.io/v1beta3", "ClusterConfiguration"),
    ("security.istio.io/v1", "PeerAuthentication"),
    ("argoproj.io/v1alpha1", "Rollout"),
]

FIELD_NAMES = [
    "spec",
    "template",
    "containers",
    "initContainers",
    "ephemeralContainers",
    "securityContext",
    "privileged",
    "capabilities",
    "add",
    "drop",
    "image",
    "name",
    "env",
    "value",
    "valueFrom",
    "ports",
    "containerPort",
    "hostPort",
    "volumes",
    "hostPath",
    "path",
    "rules",
    "verbs",
    "resources",
    "apiGroups",
    "subjects",
    "roleRef",
    "kind",
    "namespace",
    "podSelector",
    "ingress",
    "egress",
    "from",
    "to",
    "ipBlock",
    "cidr",
    "data",
    "stringData",
    "tls",
    "hosts",
    "selector",
    "matchLabels",
    "matchExpressions",
    "key",
    "operator",
    "values",
    "command",
    "args",
    "hostNetwork",
    "runAsUser",
    "seccompProfile",
    "type",
    "annotations",
    "labels",
    "automountServiceAccountToken",
    "serviceAccountName",
    "jobTemplate",
    "policyTypes",
    "mtls",
    "mode",
    "authentication",
    "webhook",
    "enabled",
    "readOnlyPort",
    "providers",
    "aescbc",
    "keys",
    "secret",
    "level",
    "metadata",
    "items",
    "aggregationRule",
    "clusterRoleSelectors",
    "externalIPs",
    "sysctls",
    "os",
]

scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(string.printable, max_size=20),
    st.sampled_from(["*", "0.0.0.0/0", "ALL", "RuntimeDefault", "-", ""]),
)
value = st.recursive(
    scalar,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(FIELD_NAMES), children, max_size=5),
    ),
    max_leaves=30,
)


@st.composite
def objects(draw):
    api, kind = draw(st.sampled_from(KINDS))
    obj = {
        "apiVersion": api,
        "kind": kind,
        "metadata": {"name": draw(st.sampled_from(["a", "b", "default"]))},
    }
    if draw(st.booleans()):
        obj["metadata"]["namespace"] = draw(st.sampled_from(["default", "prod", "kube-system"]))
    if draw(st.booleans()):
        obj["metadata"]["annotations"] = draw(
            st.dictionaries(st.sampled_from(["a", "b/c"]), scalar, max_size=2)
        )
    obj.update(draw(st.dictionaries(st.sampled_from(FIELD_NAMES), value, max_size=6)))
    return obj


ALL_RULES = all_rules()

EXAMPLES = Path(__file__).parents[2] / "examples"
SEEDS = [
    yaml.safe_load(doc_text)
    for path in sorted(EXAMPLES.rglob("*.yaml"))
    for doc_text in path.read_text().split("\n---\n")
    if yaml.safe_load(doc_text)
]


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*prefix, i))


@st.composite
def mutated(draw):
    """A realistic object from the examples with a few subtrees replaced by random values."""
    obj = copy.deepcopy(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in _paths(obj) if len(p) >= 2]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = obj
        for part in path[:-1]:
            parent = parent[part]
        parent[path[-1]] = draw(value)
    return obj


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mutated(), min_size=1, max_size=8))
def test_mutated_real_manifests_never_make_a_rule_raise(objs):
    text = yaml.safe_dump_all(objs, sort_keys=False)
    items = list(parse_text(text, "mutated.yaml", text_key="mutated.yaml"))
    resources = [i for i in items if isinstance(i, Resource)]
    report = evaluate(ScanContext(resources), ALL_RULES, texts={"mutated.yaml": text})
    assert report.rule_errors == [], [f"{e.rule}: {e.message}" for e in report.rule_errors][:5]
    json.dumps([f.to_dict() for f in report.findings])


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(objects(), min_size=1, max_size=6))
def test_random_manifests_never_make_a_rule_raise(objs):
    text = yaml.safe_dump_all(objs, sort_keys=False)
    items = list(parse_text(text, "random.yaml", text_key="random.yaml"))
    resources = [i for i in items if isinstance(i, Resource)]
    report = evaluate(ScanContext(resources), ALL_RULES, texts={"random.yaml": text})
    assert report.rule_errors == [], [f"{e.rule}: {e.message}" for e in report.rule_errors][:5]
    json.dumps([f.to_dict() for f in report.findings])


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400))
def test_arbitrary_bytes_never_crash_the_loader(data):
    from kubeguard.loading.files import decode_bytes

    raw = data if isinstance(data, bytes) else data.encode()
    text, reason, _ = decode_bytes(raw)
    if text is None:
        assert reason
        return
    for item in parse_text(text, "x.yaml"):
        assert isinstance(item, Resource) or item.message
