"""Large inputs stay cheap: CRD schemas are not decoded (lines kept), the alias walk runs only when
a document may use aliases."""

from __future__ import annotations

import pytest

from kubeguard.loading.crd import blank_crd_schemas
from kubeguard.loading.documents import parse_text
from kubeguard.loading.yaml_loader import may_have_aliases

CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.io
spec:
  group: example.io
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1
      schema:
        openAPIV3Schema:
          type: object
          description: |
            a block scalar

            with an empty line and a *.example.com & co
          properties:
            spec: {type: object}
        # a comment at the schema's indentation
      served: true
      storage: true
"""

CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: keep
data:
  openAPIV3Schema: |
    not a CRD: kept
"""


def test_crd_schema_is_emptied_and_every_line_keeps_its_number():
    text = CONFIGMAP + "---\n" + CRD + "---\n" + CONFIGMAP
    out = blank_crd_schemas(text)
    assert out.count("\n") == text.count("\n")
    cm1, crd, cm2 = [r for r in parse_text(out, "f.yaml")]
    assert crd.raw["spec"]["versions"][0]["schema"] == {"openAPIV3Schema": None}
    # what rules and commands read is intact, at the same lines
    assert crd.raw["spec"]["names"] == {"kind": "Widget", "plural": "widgets"}
    assert crd.raw["spec"]["versions"][0]["served"] is True
    assert (cm1.source.line, crd.source.line, cm2.source.line) == (1, 9, 32)
    assert cm1.raw["data"]["openAPIV3Schema"] == "not a CRD: kept\n" == cm2.raw["data"]["openAPIV3Schema"]


def test_schema_before_kind_is_emptied_too():
    lines = CRD.splitlines(keepends=True)
    reordered = "".join([lines[0], *lines[2:], lines[1]])  # `kind:` last
    (crd,) = parse_text(blank_crd_schemas(reordered), "f.yaml")
    assert crd.raw["spec"]["versions"][0]["schema"] == {"openAPIV3Schema": None}


def test_text_without_crds_is_returned_as_is():
    assert blank_crd_schemas(CONFIGMAP) is CONFIGMAP


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: &x [1]\nb: *x\n", True),
        ("a: &x {k: v}\nb: {<<: *x}\n", True),
        ("- &a [1]\n- [*a, *a]\n", True),
        ("&a\n- *a\n", True),
        ("hosts: ['*.example.com']\nnote: this & that\n", False),  # quoted, and no anchor token
        ("pattern: '*'\n", False),
        ("desc: matches *.example.com\n", False),  # an alias-like word but no anchor
    ],
)
def test_alias_walk_needed_only_when_aliases_may_be_used(text, expected):
    assert may_have_aliases(text) is expected


def test_alias_bomb_is_still_refused():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 8):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        bomb += f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
    bomb = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n" + "".join(
        "  " + ln + "\n" for ln in bomb.splitlines()
    )
    (error,) = parse_text(bomb, "bomb.yaml")
    assert "alias bomb" in str(error)
