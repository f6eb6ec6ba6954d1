"""Malformed manifests never make a WKL or IMG rule raise: every rule either passes or fails."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kubeguard.engine.registry import all_rules
from kubeguard.engine.runner import evaluate
from kubeguard.loading.config import parse_config
from kubeguard.model.resource import Resource, SourceLocation
from kubeguard.rules.context import ScanContext

RULES = [r for r in all_rules() if r.family in ("WKL", "IMG")]
CONFIG = parse_config(
    {
        "resources": {
            "require": [
                "requests.cpu",
                "requests.memory",
                "limits.cpu",
                "limits.memory",
                "limits.ephemeral-storage",
            ]
        },
        "images": {"allowedRegistries": ["ghcr.io/acme"], "requirePullSecret": ["ghcr.io"]},
    }
)

scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 100000), st.text(max_size=12))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
container = st.fixed_dictionaries(
    {
        "name": st.text(max_size=5),
        "image": st.one_of(st.text(max_size=20), st.sampled_from(["nginx", "ghcr.io/acme/a:1", ""])),
    },
    optional={
        "securityContext": st.one_of(
            values, st.fixed_dictionaries({"runAsUser": scalars, "readOnlyRootFilesystem": scalars})
        ),
        "resources": st.one_of(values, st.fixed_dictionaries({"requests": values, "limits": values})),
        "imagePullPolicy": scalars,
        "restartPolicy": st.sampled_from(["Always", "Never", 3]),
        "livenessProbe": values,
    },
)
volume = st.one_of(
    values,
    st.fixed_dictionaries(
        {
            "name": scalars,
            "image": st.one_of(values, st.fixed_dictionaries({"reference": scalars, "pullPolicy": scalars})),
        }
    ),
    st.fixed_dictionaries(
        {"name": scalars, "hostPath": st.one_of(values, st.fixed_dictionaries({"path": scalars}))}
    ),
    st.fixed_dictionaries(
        {"name": scalars, "projected": st.fixed_dictionaries({"sources": st.lists(values, max_size=2)})}
    ),
    st.fixed_dictionaries(
        {
            "name": scalars,
            "projected": st.fixed_dictionaries(
                {"sources": st.lists(st.fixed_dictionaries({"serviceAccountToken": values}), max_size=2)}
            ),
        }
    ),
)
pod_spec = st.fixed_dictionaries(
    {"containers": st.lists(container, min_size=1, max_size=2)},
    optional={
        "initContainers": st.one_of(values, st.lists(container, max_size=2)),
        "ephemeralContainers": st.lists(container, max_size=1),
        "volumes": st.one_of(values, st.lists(volume, max_size=3)),
        "securityContext": values,
        "automountServiceAccountToken": scalars,
        "serviceAccountName": scalars,
        "imagePullSecrets": values,
        "resources": values,
        "os": values,
    },
)


@settings(max_examples=150, deadline=None)
@given(spec=pod_spec, namespace=st.sampled_from([None, "default", "team"]), sa=values, lr=values)
def test_malformed_workloads_never_raise(spec, namespace, sa, lr):
    meta = {"name": "pod"} | ({"namespace": namespace} if namespace else {})
    raws = [
        {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec},
        {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {"name": "default"},
            "automountServiceAccountToken": sa,
        },
        {
            "apiVersion": "v1",
            "kind": "LimitRange",
            "metadata": {"name": "lr", "namespace": "team"},
            "spec": lr,
        },
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}},
    ]
    resources = [
        Resource(raw, SourceLocation(file="generated.yaml", document=i)) for i, raw in enumerate(raws)
    ]
    report = evaluate(ScanContext(resources, config=CONFIG), RULES)
    assert not report.rule_errors, [(e.rule, e.message) for e in report.rule_errors]
