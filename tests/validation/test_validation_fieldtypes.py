"""Wrong-typed fields of built-in kinds are input errors, as the API server's decoder rejects them."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from kubeguard.cli.main import cli
from kubeguard.loading.documents import parse_text
from kubeguard.loading.fieldtypes import _check_object, _valid, root_fields, type_problems
from kubeguard.loading.files import load
from kubeguard.model.errors import InputError
from kubeguard.model.resource import Resource

ROOT = Path(__file__).resolve().parents[2]

FIELD_TRIAL = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: y
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: 5
        securityContext:
          privileged: "true"
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: empty-template}
spec:
  template: []
"""


def items(text: str, *, is_json: bool = False) -> tuple[list[Resource], list[InputError]]:
    out = list(parse_text(textwrap.dedent(text), "m.yaml", text_key="m.yaml", is_json=is_json))
    return [i for i in out if isinstance(i, Resource)], [i for i in out if isinstance(i, InputError)]


def test_field_trial_cases_are_input_errors_naming_field_found_and_expected():
    resources, errors = items(FIELD_TRIAL)
    assert resources == []  # the API server rejects both objects: nothing of them is scanned
    got = [(e.line, e.column, e.message.split(";")[0], e.resource) for e in errors]
    assert got == [
        (
            5,
            3,
            "metadata.namespace is a boolean, expected a string "
            "(unquoted y, yes, on, n, no, off are YAML 1.1 booleans: quote the value)",
            "Deployment/web",
        ),
        (
            13,
            9,
            "spec.template.spec.containers[0].image is an integer, expected a string (quote the value)",
            "Deployment/web",
        ),
        (
            15,
            11,
            "spec.template.spec.containers[0].securityContext.privileged is a string, expected a boolean "
            "(write true or false without quotes)",
            "Deployment/web",
        ),
        (21, 3, "spec.template is a list, expected a mapping", "Deployment/empty-template"),
    ]
    assert all("the API server rejects the object; not scanned" in e.message for e in errors)


def test_scan_exit_code_says_input_could_not_be_read(tmp_path):
    (tmp_path / "d.yaml").write_text(FIELD_TRIAL)
    result = CliRunner().invoke(cli, ["scan", str(tmp_path / "d.yaml"), "--no-progress", "-f", "json"])
    report = json.loads(result.output)
    assert len(report["errors"]) == 4
    assert report["errors"][0]["line"] == 5
    assert result.exit_code == 3  # no finding, but input that could not be read


@pytest.mark.parametrize(
    "fragment",
    [
        "replicas: 2.0",  # YAML float with no fraction: reaches the server as 2
        "replicas: null",
        "strategy: {rollingUpdate: {maxSurge: 25%, maxUnavailable: 1}}",  # int-or-string
        "minReadySeconds: 2147483647",
        "template: {metadata: {labels: {app: x}, annotations: {note: ''}}, spec: {containers: "
        "[{name: a, image: x, ports: [{containerPort: 8080.0}], livenessProbe: {httpGet: {port: http}}, "
        "resources: {limits: {cpu: 0.5, memory: 134217728}, requests: {cpu: 100m}}, args: [a, null], "
        "unknownField: 5}]}}",
        "paused:",
    ],
)
def test_values_the_decoder_accepts_pass(fragment):
    text = f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: d}}\nspec:\n  {fragment}\n"
    resources, errors = items(text)
    assert errors == [] and [r.name for r in resources] == ["d"]


@pytest.mark.parametrize(
    ("fragment", "message"),
    [
        ("replicas: 1.5", "spec.replicas is a number with a fraction, expected an integer (int32)"),
        ("replicas: 3000000000", "spec.replicas is an integer out of range, expected an integer (int32)"),
        ('replicas: "3"', "spec.replicas is a string, expected an integer (int32) (write it without quotes)"),
        ("paused: yes please", "spec.paused is a string, expected a boolean"),
        (
            "strategy: {rollingUpdate: {maxSurge: 2.5}}",
            "maxSurge is a number, expected an integer or a string",
        ),
        (
            "selector: {matchLabels: {tier: on}}",
            "spec.selector.matchLabels.tier is a boolean, expected a string",
        ),
        (
            "template: {spec: {containers: {name: a}}}",
            "spec.template.spec.containers is a mapping, expected a list",
        ),
        (
            "template: {spec: {containers: [{name: a, args: [--port, 80]}]}}",
            "spec.template.spec.containers[0].args[1] is an integer, expected a string",
        ),
        (
            "template: {spec: {containers: [{name: a, resources: {limits: {cpu: [1]}}}]}}",
            "resources.limits.cpu is a list, expected a quantity",
        ),
        (
            "template: {metadata: {annotations: {example.com/enabled: true}}}",
            "spec.template.metadata.annotations[example.com/enabled] is a boolean, expected a string",
        ),
    ],
)
def test_wrong_types_are_reported(fragment, message):
    text = f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: d}}\nspec:\n  {fragment}\n"
    resources, errors = items(text)
    assert resources == []
    assert [message in e.message for e in errors] == [True], [e.message for e in errors]
    assert errors[0].line == 5


def test_kinds_the_table_does_not_know_are_left_alone_but_their_metadata():
    text = """\
    apiVersion: example.com/v1
    kind: Widget
    metadata: {name: w, labels: {app: "w"}}
    spec: {replicas: "3", template: []}
    ---
    apiVersion: extensions/v1beta1
    kind: Deployment
    metadata: {name: old}
    spec: {replicas: "3"}
    ---
    apiVersion: kubelet.config.k8s.io/v1beta1
    kind: KubeletConfiguration
    readOnlyPort: "0"
    """
    resources, errors = items(text)
    assert errors == [] and [r.kind for r in resources] == ["Widget", "Deployment", "KubeletConfiguration"]
    # The API server decodes every object's metadata into ObjectMeta, a custom resource's too.
    resources, errors = items(text.replace('labels: {app: "w"}', "namespace: y").replace(': "3"', ": 3", 1))
    assert [r.name for r in resources] == ["old", "KubeletConfiguration"]
    assert errors[0].message.startswith("metadata.namespace is a boolean, expected a string")
    assert errors[0].line == 3


def test_raw_json_fields_take_anything():
    crd = """\
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata: {name: widgets.example.com}
    spec:
      group: example.com
      names: {kind: Widget, plural: widgets}
      scope: Namespaced
      versions:
        - name: v1
          served: true
          storage: true
          schema:
            openAPIV3Schema:
              type: object
              properties:
                size: {type: integer, default: 5, x-kubernetes-int-or-string: true}
                items: {type: array, items: {type: string}}
              additionalProperties: false
    """
    resources, errors = items(crd)
    assert errors == [] and len(resources) == 1
    bad = crd.replace("served: true", "served: 'true'")
    resources, errors = items(bad)
    assert resources == [] and "spec.versions[0].served is a string, expected a boolean" in errors[0].message


def test_items_of_a_list_are_checked_one_by_one_with_their_lines():
    text = """\
    apiVersion: v1
    kind: List
    items:
      - apiVersion: v1
        kind: ConfigMap
        metadata: {name: good}
        data: {a: "1"}
      - apiVersion: v1
        kind: ConfigMap
        metadata: {name: bad}
        data:
          b: 1
    """
    resources, errors = items(text)
    assert [r.name for r in resources] == ["good"]
    (error,) = errors
    assert error.line == 12 and error.message.startswith("data.b is an integer, expected a string")
    assert error.resource == "ConfigMap/bad"


def test_json_input_is_located_too():
    text = '{"apiVersion": "v1", "kind": "Service",\n "metadata": {"name": "s"},\n "spec": {"ports": [{"port": "80"}]}}'
    resources, errors = items(text, is_json=True)
    assert resources == [] and errors[0].line == 3
    assert errors[0].message.startswith("spec.ports[0].port is a string, expected an integer (int32)")


def test_no_value_is_printed():
    text = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  password: 12345678901\n"
    _, errors = items(text)
    assert "12345678901" not in errors[0].message
    assert errors[0].message.startswith("stringData.password is an integer, expected a string")


def test_load_keeps_going_after_a_rejected_object(tmp_path):
    (tmp_path / "a.yaml").write_text(
        FIELD_TRIAL + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n"
    )
    result = load([str(tmp_path)])
    assert [r.name for r in result.resources] == ["ok"]
    assert {e.file for e in result.errors} == {str(tmp_path / "a.yaml")}


def test_every_problem_of_a_table_type_names_a_known_type():
    # Every type the table refers to is defined, and every leaf letter is one the checker knows.
    table = json.loads((ROOT / "src/kubeguard/loading/fieldtypes.json").read_text())
    defined = set(table["types"])
    for roots in table["kinds"].values():
        assert set(roots.values()) <= defined
    for fields in table["types"].values():
        for code in fields.values():
            inner = code.lstrip("[{")
            assert inner in defined or inner in set("sbilnqx*"), code
    assert type_problems({"spec": {"replicas": True}}, "apps/v1", "Deployment")[0].found == "a boolean"


@pytest.mark.skipif(
    importlib.util.find_spec("kubernetes_validate") is None, reason="kubernetes-validate is not installed"
)
def test_table_is_current_with_its_openapi_source():
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools/gen_fieldtypes.py"), "--check"], capture_output=True, text=True
    )
    if result.returncode == 3:
        pytest.skip(f"cannot regenerate: {result.stderr.strip()}")
    assert result.returncode == 0, result.stderr


FIELD_NAMES = [
    "metadata",
    "spec",
    "template",
    "containers",
    "initContainers",
    "name",
    "namespace",
    "image",
    "securityContext",
    "privileged",
    "runAsUser",
    "ports",
    "containerPort",
    "labels",
    "annotations",
    "replicas",
    "resources",
    "limits",
    "requests",
    "cpu",
    "args",
    "env",
    "value",
    "volumes",
    "emptyDir",
    "sizeLimit",
    "strategy",
    "rollingUpdate",
    "maxSurge",
    "selector",
    "matchLabels",
    "matchExpressions",
    "values",
    "tolerations",
    "other",
]
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1.0, 8080.0, 0.5]),
    st.text(max_size=4),
)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(FIELD_NAMES), inner, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(obj=st.dictionaries(st.sampled_from(FIELD_NAMES), _values, max_size=5))
def test_fast_walk_agrees_with_the_full_walk(obj):
    # The pointer-free walk that every object takes first must accept exactly what the full walk accepts.
    for api, kind in (("apps/v1", "Deployment"), ("v1", "Pod"), ("example.com/v1", "Widget")):
        fields = root_fields(api, kind)
        assert fields
        out: list = []
        _check_object(obj, fields, (), out)
        assert _valid(obj, fields) == (not out)
        assert [p.pointer for p in type_problems(obj, api, kind)] == [p.pointer for p in out]


@pytest.mark.parametrize(
    "obj",
    [
        {"metadata": {"labels": {"a": 5, "b": "x"}}},
        {"metadata": {"labels": [5]}},
        {"spec": {"template": {"spec": {"containers": [{"name": "a", "args": ["x", 5]}]}}}},
        {"spec": {"template": {"spec": {"containers": [5]}}}},
        {"spec": {"template": {"spec": {"containers": [{"ports": [{"containerPort": 2**31}]}]}}}},
        {"spec": {"template": {"spec": {"containers": [{"ports": [{"containerPort": 80.0}]}]}}}},
        {"spec": {"template": {"spec": {"containers": [{"resources": {"limits": {"cpu": [1]}}}]}}}},
        {"spec": {"template": {"spec": {"containers": [{"resources": {"limits": {"cpu": 0.5}}}]}}}},
        {"spec": {"replicas": 2.5}},
    ],
)
def test_fast_walk_agrees_on_nested_leaves(obj):
    fields = root_fields("apps/v1", "Deployment")
    out: list = []
    _check_object(obj, fields, (), out)
    assert _valid(obj, fields) == (not out)


def test_a_rejected_helm_object_is_named_by_its_template(tmp_path, monkeypatch):
    chart = tmp_path / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: demo\nversion: 0.1.0\n")
    rendered = tmp_path / "rendered.yaml"
    rendered.write_text(
        "---\n# Source: demo/templates/ok.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n"
        "---\n# Source: demo/templates/svc.yaml\napiVersion: v1\nkind: Service\nmetadata: {name: s}\n"
        'spec:\n  ports: [{port: "8080"}]\n'
    )
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "helm").write_text(f"#!/bin/sh\n/bin/cat {rendered}\n")
    (bindir / "helm").chmod(0o755)
    monkeypatch.setenv("PATH", str(bindir))
    monkeypatch.setitem(sys.modules, "helm_python", None)  # the optional in-process renderer is absent
    result = load([str(chart)])
    assert [r.name for r in result.resources] == ["ok"]
    (error,) = result.errors
    assert error.file == str(chart / "templates" / "svc.yaml")
    assert error.message.startswith("spec.ports[0].port is a string, expected an integer (int32)")
