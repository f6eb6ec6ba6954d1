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


# End-of-line comments on changed lines keep their column; where the new value reaches it, they
# stand one space after the value. Each case below is exact, whole-document text.
CONTAINER = Pointer.parse("/spec/containers/0")
IMAGE = CONTAINER / "image"


@pytest.mark.parametrize(
    ("before", "value", "after"),
    [
        # one layout for the whole document: ruamel places the comment itself
        (
            "  - name: app\n    image: nginx:1.27.3      # pinned by CI\n",
            "nginx:1.28",
            "  - name: app\n    image: nginx:1.28        # pinned by CI\n",
        ),
        (
            "  - name: app\n    image: nginx:1.27.3      # pinned by CI\n",
            "registry.example.com/library/nginx:1.28",
            "  - name: app\n    image: registry.example.com/library/nginx:1.28 # pinned by CI\n",
        ),
    ],
    ids=["shorter-keeps-column", "longer-one-space-after"],
)
def test_an_end_of_line_comment_keeps_its_column(before: str, value: str, after: str):
    head = "kind: Pod\nspec:\n  containers:\n"
    assert edit_text(head + before, {0: [set_value(IMAGE, value)]}, is_json=False) == head + after


# Documents that indent one list and not another are edited line by line (ruamel writes both lists
# alike and the editor shifts each line back): a comment on a changed line is shifted with it.
MIXED = """\
kind: Pod
spec:
  volumes:
    - name: cache    # emptied on restart
  containers:
  - name: app # the only one
    image: registry.example.com/app:1.0 # pinned by CI
    imagePullPolicy: IfNotPresent   # cached on the nodes
    securityContext:
      privileged: true # needs /dev/fuse
"""


@pytest.mark.parametrize(
    ("edits", "changed"),
    [
        (
            [set_value(IMAGE, "r.example.com/a:1")],
            [
                "    image: registry.example.com/app:1.0 # pinned by CI\n",
                "    image: r.example.com/a:1            # pinned by CI\n",
            ],
        ),
        (
            [set_value(IMAGE, "registry.example.com/app:1.0.1")],
            [
                "    image: registry.example.com/app:1.0 # pinned by CI\n",
                "    image: registry.example.com/app:1.0.1 # pinned by CI\n",
            ],
        ),
        (
            [set_value(CONTAINER / "imagePullPolicy", "Always")],
            [
                "    imagePullPolicy: IfNotPresent   # cached on the nodes\n",
                "    imagePullPolicy: Always         # cached on the nodes\n",
            ],
        ),
        (
            [set_value(CONTAINER / "securityContext" / "privileged", False)],
            [
                "      privileged: true # needs /dev/fuse\n",
                "      privileged: false # needs /dev/fuse\n",
            ],
        ),
    ],
    ids=["shorter", "longer", "aligned-comment", "one-space"],
)
def test_a_comment_keeps_its_column_in_a_document_edited_line_by_line(edits, changed):
    before, after = changed
    assert MIXED.count(before) == 1
    # every other line, its comment included, keeps its bytes
    assert edit_text(MIXED, {0: edits}, is_json=False) == MIXED.replace(before, after)


def test_a_shifted_line_does_not_carry_its_comment_off_its_column():
    # Without the aligned comment the document was edited before, but the comment of the changed
    # line moved by the two columns its list is indented less than ruamel writes it.
    before = MIXED.replace("    imagePullPolicy: IfNotPresent   # cached on the nodes\n", "")
    out = edit_text(before, {0: [set_value(IMAGE, "r.example.com/a:1")]}, is_json=False)
    assert out == before.replace(
        "    image: registry.example.com/app:1.0 # pinned by CI\n",
        "    image: r.example.com/a:1            # pinned by CI\n",
    )
