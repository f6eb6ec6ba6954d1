"""Pointers inside resources map to the exact line and column where the field is written."""

from __future__ import annotations

from kubeguard.loading.files import load
from kubeguard.loading.locate import Locator
from kubeguard.model.pointer import Pointer

TEXT = """\
# leading comment
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: first}
  - apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: second
    spec:
      template:
        spec:
          containers:
            - <<: &defaults
                image: nginx:1.27
                securityContext:
                  privileged: true
              name: app
---
apiVersion: v1
kind: Pod
metadata:
  name: third
spec:
  containers:
    - name: c
      image: busybox:1.36
"""


def test_pointer_to_line_through_lists_merges_and_documents(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(TEXT)
    result = load([str(path)])
    first, second, third = result.resources
    loc = Locator(result.texts)
    assert loc.locate(first.source, Pointer.parse("/metadata/name")) == (7, 16)
    # a field that came through a merge key is found where it is written
    ptr = Pointer.parse("/spec/template/spec/containers/0/securityContext/privileged")
    assert loc.locate(second.source, ptr) == (19, 19)
    assert loc.locate(second.source, Pointer.parse("/spec/template/spec/containers/0/name")) == (20, 15)
    # an absent field maps to its closest present ancestor (the container)
    assert loc.locate(third.source, Pointer.parse("/spec/containers/0/securityContext/runAsNonRoot"))[0] == 28
    # a mapping value points at its key's line
    assert loc.locate(third.source, Pointer.parse("/spec/containers")) == (27, 3)


def test_pointer_parse_and_format_round_trip():
    p = Pointer.parse("/metadata/annotations/a~1b~0c/0")
    assert p == Pointer(("metadata", "annotations", "a/b~c", 0))
    assert str(p) == "/metadata/annotations/a~1b~0c/0"
