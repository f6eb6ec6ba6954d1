"""Hostile or odd shapes never make a secrets rule fail: every rule records PASS or FAIL, never ERROR."""

from __future__ import annotations

import base64

from hypothesis import given, settings
from hypothesis import strategies as st

from kubeguard.engine.registry import all_rules, select_rules
from kubeguard.engine.runner import evaluate
from kubeguard.model.resource import Resource, SourceLocation
from kubeguard.rules.context import ScanContext

SEC_RULES = select_rules(all_rules(), ["SEC"])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=40),
    st.binary(max_size=30).map(lambda b: base64.b64encode(b).decode()),
    st.sampled_from(["ghp_" + "a1B2" * 9, "postgres://u:Zq8vL2pWm3@db/x", "ENC[AES256_GCM,data:x]", "$(X)"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
env_entry = st.one_of(
    values, st.fixed_dictionaries({"name": values, "value": values}, optional={"valueFrom": values})
)
container = st.fixed_dictionaries(
    {"name": st.text(max_size=8)},
    optional={
        "env": st.one_of(values, st.lists(env_entry, max_size=4)),
        "args": values,
        "command": values,
        "envFrom": values,
        "livenessProbe": values,
        "lifecycle": values,
    },
)
metadata = st.fixed_dictionaries(
    {"name": st.just("x")},
    optional={"annotations": st.one_of(values, st.dictionaries(st.text(max_size=20), values, max_size=4))},
)


@st.composite
def resources(draw: st.DrawFn) -> dict[str, object]:
    kind = draw(st.sampled_from(["Pod", "ConfigMap", "Secret"]))
    raw: dict[str, object] = {"apiVersion": "v1", "kind": kind, "metadata": draw(metadata)}
    if kind == "Pod":
        raw["spec"] = {
            "containers": draw(st.lists(container, min_size=1, max_size=2)),
            "initContainers": draw(st.one_of(st.none(), st.lists(container, max_size=1))),
        }
    else:
        for field in ("data", "stringData", "binaryData", "type", "sops"):
            if draw(st.booleans()):
                raw[field] = draw(
                    st.one_of(values, st.dictionaries(st.text(max_size=10), values, max_size=4))
                )
    return raw


@settings(max_examples=300, deadline=None)
@given(st.lists(resources(), min_size=1, max_size=3))
def test_secrets_rules_never_error(raws):
    ctx = ScanContext([Resource(raw, SourceLocation("mem.yaml")) for raw in raws])
    report = evaluate(ctx, SEC_RULES)
    assert not report.rule_errors, [e.message for e in report.rule_errors]
