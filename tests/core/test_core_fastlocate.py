"""The line-walking locator must agree with the composer-based one everywhere it answers."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kubeguard.loading.files import load
from kubeguard.loading.locate import Locator
from kubeguard.model.pointer import Pointer

ROOT = Path(__file__).parents[2]


def pointers(value, prefix=()):
    yield Pointer(prefix)
    if isinstance(value, dict):
        yield Pointer((*prefix, "no-such-key"))
        for k, v in value.items():
            yield from pointers(v, (*prefix, k))
    elif isinstance(value, list):
        yield Pointer((*prefix, len(value) + 3))
        for i, v in enumerate(value):
            yield from pointers(v, (*prefix, i))


def compare(paths):
    loaded = load([str(p) for p in paths])
    fast, slow = Locator(loaded.texts, fast=True), Locator(loaded.texts, fast=False)
    checked = 0
    for resource in loaded.resources:
        for ptr in pointers(resource.raw):
            assert fast.locate(resource.source, ptr) == slow.locate(resource.source, ptr), (
                f"{resource.source.file}:{resource.source.line} {ptr}"
            )
            checked += 1
    return checked


def test_agrees_on_every_yaml_file_of_the_project(tmp_path):
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus import generate

    generate(str(tmp_path), 300, per_file=50)
    files = [p for p in (ROOT / "tests").rglob("*.yaml") if "schemas" not in p.parts]
    files += list((ROOT / "examples").rglob("*.yaml")) + list(tmp_path.glob("*.yaml"))
    assert compare(files) > 5000


keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyz-._/", min_size=1, max_size=8).filter(
    lambda s: s[0].isalpha()
)
scalars = st.one_of(
    st.integers(-5, 5000),
    st.booleans(),
    st.none(),
    st.text(alphabet="abc xyz:#-{}[]'\"\n", max_size=12),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, min_size=0, max_size=4),
        st.dictionaries(keys, children, min_size=0, max_size=4),
    ),
    max_leaves=25,
)
documents = st.dictionaries(keys, values, min_size=1, max_size=5).map(
    lambda d: {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, **d}
)


@settings(max_examples=150, deadline=None)
@given(
    docs=st.lists(documents, min_size=1, max_size=3),
    indent=st.sampled_from([2, 4]),
    flow=st.sampled_from([False, None]),
)
def test_agrees_on_generated_documents(tmp_path_factory, docs, indent, flow):
    path = tmp_path_factory.mktemp("gen") / "gen.yaml"
    path.write_text(yaml.safe_dump_all(docs, default_flow_style=flow, indent=indent, sort_keys=False))
    compare([path])
