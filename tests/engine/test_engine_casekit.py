"""The rule-case harness's own line arithmetic, worked out independently of the locator."""

from __future__ import annotations

from tests.casekit import expected_line

TEXT = """\
apiVersion: v1
kind: Pod
metadata: {name: a}
---
# second document
apiVersion: v1
kind: Pod
metadata:
  name: b
spec:
  containers:
    - name: app
      securityContext:
        privileged: true
"""


def test_present_field_is_its_key_line():
    assert expected_line(TEXT, 1, ("spec", "containers", 0, "securityContext", "privileged")) == 14
    assert expected_line(TEXT, 1, ("spec", "containers", 0)) == 12


def test_absent_field_is_its_closest_present_ancestor():
    assert expected_line(TEXT, 1, ("spec", "containers", 0, "securityContext", "runAsUser")) == 13
    assert expected_line(TEXT, 1, ("spec", "volumes", 0)) == 10
    assert expected_line(TEXT, 0, ("metadata", "annotations")) == 3


def test_root_is_the_document_start():
    assert expected_line(TEXT, 1, ()) == 6
