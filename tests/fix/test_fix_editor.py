"""The round-trip editor on the layouts that trip YAML libraries: line endings, a missing final
newline, flow sequences, anchors, layouts it cannot reproduce, JSON."""

from __future__ import annotations

import pytest

from kubeguard.fix.editor import EditError, edit_text
from kubeguard.fix.plan import fixed_text
from kubeguard.model.pointer import Pointer
from kubeguard.rules.fix import append, remove, set_value

SC = Pointer.parse("/spec/containers/0/securityContext")
POD = "kind: Pod\nspec:\n  containers:\n  - name: a  # first\n    image: x\n"


def test_crlf_line_endings_stay_crlf():
    text = POD.replace("\n", "\r\n")
    out = fixed_text(text, {0: [set_value(SC / "allowPrivilegeEscalation", False)]}, is_json=False)
    assert out == text + "    securityContext:\r\n      allowPrivilegeEscalation: false\r\n"


def test_a_file_without_a_final_newline_keeps_it_so():
    out = edit_text(POD.rstrip("\n"), {0: [set_value(SC / "privileged", False)]}, is_json=False)
    assert out == POD + "    securityContext:\n      privileged: false"


def test_appending_to_a_flow_sequence_keeps_it_flow():
    text = POD + "    securityContext:\n      capabilities: {drop: [NET_RAW]}  # why\n"
    out = edit_text(text, {0: [append(SC / "capabilities" / "drop", "ALL")]}, is_json=False)
    # the comment stays on its line (ruamel keeps its column where the longer line leaves room)
    assert out == POD + "    securityContext:\n      capabilities: {drop: [NET_RAW, ALL]} # why\n"


def test_untouched_documents_keep_their_bytes_even_if_the_editor_could_not_reproduce_them():
    odd = "kind:   ConfigMap\ndata: {a:   1}\n"  # spacing ruamel would not keep
    text = odd + "---\n" + POD
    out = edit_text(text, {1: [set_value(SC / "privileged", False)]}, is_json=False)
    assert out.startswith(odd + "---\n" + POD)


def test_a_layout_that_cannot_be_reproduced_is_refused_and_named():
    text = "kind: Pod\nspec:\n  containers: [{name: a,   image: x}]\n"
    with pytest.raises(EditError, match="cannot be reproduced"):
        edit_text(text, {0: [set_value(SC / "privileged", False)]}, is_json=False)
    problems: dict[int, str] = {}
    assert (
        edit_text(text, {0: [set_value(SC / "privileged", False)]}, is_json=False, problems=problems) == text
    )
    assert list(problems) == [0]


def test_anchors_and_aliases_are_not_edited():
    text = "kind: Pod\nspec:\n  containers:\n  - &c {name: a, image: x}\n  - *c\n"
    with pytest.raises(EditError, match="anchors and aliases"):
        edit_text(text, {0: [set_value(SC / "privileged", False)]}, is_json=False)


def test_removing_a_key_keeps_the_comment_below_it():
    text = "kind: Pod\nspec:\n  hostPID: true\n  # the containers\n  containers: []\n"
    out = edit_text(text, {0: [remove(Pointer.parse("/spec/hostPID"))]}, is_json=False)
    assert out == "kind: Pod\nspec:\n  # the containers\n  containers: []\n"


def test_json_keeps_key_order_and_indentation_and_refuses_other_layouts():
    text = '{\n  "kind": "Pod",\n  "spec": {\n    "containers": [\n      {\n        "name": "a"\n      }\n    ]\n  }\n}\n'
    out = edit_text(text, {0: [set_value(SC / "privileged", False)]}, is_json=True)
    assert out == text.replace(
        '"name": "a"\n',
        '"name": "a",\n        "securityContext": {\n          "privileged": false\n        }\n',
    )
    one_line = '{"kind": "Pod", "spec": {"containers": [{"name": "a"}]}}'
    assert edit_text(one_line, {0: [set_value(SC / "privileged", False)]}, is_json=True) == (
        '{"kind": "Pod", "spec": {"containers": [{"name": "a", "securityContext": {"privileged": false}}]}}'
    )
    with pytest.raises(EditError, match="JSON"):
        edit_text(
            '{"kind":"Pod","spec":{"containers":[{"name":"a"}]}}', {0: [set_value(SC / "x", 1)]}, is_json=True
        )
