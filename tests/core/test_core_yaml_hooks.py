"""The loader's per-node resolver hooks are builtins that do nothing: that is right only while the
loader has no path resolvers, and decoding nested documents must be unchanged by it."""

from __future__ import annotations

from kubeguard.loading.yaml_loader import KubeLoader, iter_documents


def test_the_loader_has_no_path_resolvers_for_its_hooks_to_serve():
    # descend_resolver/ascend_resolver only maintain the state of path resolvers (add_path_resolver);
    # KubeLoader replaces them by no-ops, which would be wrong once it had one.
    assert not KubeLoader.yaml_path_resolvers


def test_nested_documents_decode_through_the_hooks():
    text = "a:\n  b: [1, {c: yes}]\n  d:\n    - x\n    - {e: null}\n---\n- [f, [g]]\n"
    docs = list(iter_documents(text))
    assert [d.error for d in docs] == [None, None]
    assert docs[0].data == {"a": {"b": [1, {"c": True}], "d": ["x", {"e": None}]}}
    assert docs[1].data == [["f", ["g"]]]
