"""Loading: formats, Kubernetes' YAML rules, and hostile or broken input."""

from __future__ import annotations

import io
import os
import sys
import tracemalloc

import pytest

from kubeguard.loading.files import LoadOptions, load
from kubeguard.model.pointer import Pointer
from tests.core.conftest import pod


def names(result):
    return [r.name for r in result.resources]


def test_multi_document_yaml_skips_empty_documents(write):
    path = write("m.yaml", pod("a") + "---\n---\n# only a comment\n---\n" + pod("b"))
    result = load([str(path)])
    assert names(result) == ["a", "b"]
    assert [r.source.document for r in result.resources] == [0, 3]
    assert [r.source.line for r in result.resources] == [1, 17]
    assert result.errors == []


def test_list_kinds_become_resources(write):
    text = """
    apiVersion: v1
    kind: List
    items:
      - apiVersion: v1
        kind: ConfigMap
        metadata: {name: one}
      - apiVersion: v1
        kind: ConfigMap
        metadata: {name: two}
    ---
    apiVersion: v1
    kind: PodList
    items:
      - metadata: {name: three}
        spec: {containers: [{name: c, image: x}]}
    """
    result = load([str(write("l.yaml", text))])
    assert [(r.kind, r.name, r.source.base) for r in result.resources] == [
        ("ConfigMap", "one", Pointer(("items", 0))),
        ("ConfigMap", "two", Pointer(("items", 1))),
        ("Pod", "three", Pointer(("items", 0))),
    ]
    assert result.resources[2].api_version == "v1"
    assert result.resources[2].workload is not None


def test_list_inside_a_list_is_unpacked_like_kubectl_does(write):
    text = """
    apiVersion: v1
    kind: List
    items:
      - apiVersion: v1
        kind: ConfigMapList
        items:
          - metadata: {name: inner}
      - apiVersion: v1
        kind: List
        items:
          - 3
    """
    result = load([str(write("n.yaml", text))])
    assert [(r.kind, r.name, r.source.base) for r in result.resources] == [
        ("ConfigMap", "inner", Pointer(("items", 0, "items", 0))),
    ]
    assert [e.message for e in result.errors] == ["items[1].items[0] is an integer, not a Kubernetes object"]


def test_json_file_and_duplicate_key_in_json(write):
    path = write(
        "p.json", '{"apiVersion": "v1", "kind": "ConfigMap",\n "metadata": {"name": "x", "name": "y"}}'
    )
    result = load([str(path)])
    assert names(result) == ["y"]
    assert len(result.errors) == 1
    assert "duplicate key 'name'" in result.errors[0].message
    assert result.errors[0].line == 2


def test_yaml_11_booleans_like_kubernetes(write):
    text = (
        pod("a", ro="yes")
        + "---\n"
        + pod("b", ro="on")
        + "---\n"
        + pod("c", ro="No")
        + "---\n"
        + pod("d", ro='"yes"')
    )
    result = load([str(write("b.yaml", text))])
    values = [
        r.raw["spec"]["containers"][0]["securityContext"]["readOnlyRootFilesystem"] for r in result.resources
    ]
    assert values == [True, True, False]
    # A quoted "yes" is a string, which the API server rejects for a boolean field.
    (error,) = result.errors
    assert "readOnlyRootFilesystem is a string, expected a boolean" in error.message


def test_merge_keys_are_applied_and_own_keys_win(write):
    text = """
    apiVersion: v1
    kind: Pod
    metadata: {name: m}
    spec:
      containers:
        - &base
          name: base
          image: nginx:1.27
          securityContext: {privileged: true}
        - <<: *base
          name: second
    """
    result = load([str(write("merge.yaml", text))])
    containers = result.resources[0].raw["spec"]["containers"]
    assert containers[1] == {"name": "second", "image": "nginx:1.27", "securityContext": {"privileged": True}}


def test_duplicate_key_is_an_error_of_that_resource(write):
    text = """
    apiVersion: v1
    kind: Pod
    metadata: {name: dup}
    spec:
      containers:
        - name: app
          image: nginx:1.27
          securityContext:
            privileged: true
            privileged: false
    """
    result = load([str(write("dup.yaml", text))])
    assert names(result) == ["dup"]
    (error,) = result.errors
    assert error.line == 10
    assert error.resource == "Pod/default/dup"
    assert "duplicate key 'privileged'" in error.message and "kubectl" in error.message


def test_timestamps_stay_strings_and_no_tag_constructs_objects(write):
    ok = write("ts.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: t}\ndata: {when: 2024-01-02}\n")
    assert load([str(ok)]).resources[0].raw["data"]["when"] == "2024-01-02"
    evil = write(
        "evil.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: e}\ndata:\n  x: !!python/object/apply:os.system ['touch /tmp/kubeguard-pwned']\n",
    )
    result = load([str(evil)])
    assert result.resources == []
    assert "not allowed" in result.errors[0].message
    assert result.errors[0].line == 5
    assert not os.path.exists("/tmp/kubeguard-pwned")


def test_invalid_yaml_reports_line_and_later_documents_still_load(write):
    text = pod("first") + "---\nkind: [unclosed\n---\n" + pod("after")
    result = load([str(write("bad.yaml", text))])
    assert names(result) == ["first", "after"]
    (error,) = result.errors
    assert error.file.endswith("bad.yaml")
    assert error.message.startswith("invalid YAML")
    assert error.line is not None and 13 <= error.line <= 16


def test_alias_bomb_is_refused_without_blowing_up_memory(write):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [{','.join(['*' + prev] * 9)}]")
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n"
        + "\n".join("  " + ln for ln in lines)
        + "\n"
    )
    path = write("bomb.yaml", text)
    tracemalloc.start()
    result = load([str(path), str(write("ok.yaml", pod("ok")))])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert names(result) == ["ok"]
    assert "alias" in result.errors[0].message
    assert peak < 50 * 1024 * 1024


def test_large_file_is_refused_by_size_limit(write, tmp_path):
    big = tmp_path / "big.yaml"
    with open(big, "wb") as fh:
        fh.truncate(100 * 1024 * 1024)  # a sparse 100 MB file
    result = load([str(big), str(write("ok.yaml", pod("ok")))])
    assert names(result) == ["ok"]
    assert "100.0 MiB" in result.errors[0].message and "--max-file-size" in result.errors[0].message


def test_binary_junk_and_non_utf8_text(write):
    junk = write("junk.yaml", bytes(range(256)) * 4)
    latin = write(
        "latin.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf\xe9}\n".encode("latin-1")
    )
    result = load([str(junk), str(latin), str(write("ok.yaml", pod("ok")))])
    assert names(result) == ["ok"]
    by_file = {os.path.basename(e.file): e for e in result.errors}
    assert "binary" in by_file["junk.yaml"].message
    assert "UTF-8" in by_file["latin.yaml"].message
    assert by_file["latin.yaml"].line == 3


def test_utf16_with_bom_is_decoded(write):
    path = write("u16.yaml", pod("wide").encode("utf-16"))
    assert names(load([str(path)])) == ["wide"]


def test_symlink_loop_and_broken_link(write, tmp_path):
    write("d/ok.yaml", pod("ok"))
    os.symlink(tmp_path / "d", tmp_path / "d" / "loop")
    os.symlink(tmp_path / "missing.yaml", tmp_path / "d" / "dangling.yaml")
    os.symlink(tmp_path / "d" / "self", tmp_path / "d" / "self")
    result = load([str(tmp_path / "d")])
    assert names(result) == ["ok"]
    messages = sorted(e.message for e in result.errors)
    assert any("loop" in m for m in messages), messages
    assert any("broken symbolic link" in m for m in messages), messages


def test_documents_that_are_not_objects_and_objects_missing_fields(write):
    text = """
    - just
    - a list
    ---
    plain scalar
    ---
    apiVersion: v1
    metadata: {name: nokind}
    ---
    kind: ConfigMap
    apiVersion: v1
    ---
    apiVersion: apps/v1
    kind: Deploymnet
    metadata: {name: typo}
    ---
    apiVersion: example.com/v1
    kind: Widget
    metadata: {name: custom}
    """
    result = load([str(write("odd.yaml", text))])
    assert names(result) == ["custom"]
    messages = [(e.line, e.message) for e in result.errors]
    assert messages == [
        (1, "document is a list, not a Kubernetes object"),
        (4, "document is a string, not a Kubernetes object"),
        (6, "object has no kind; not scanned"),
        (9, "object has no metadata; not scanned"),
        (12, "unknown kind 'Deploymnet' for apiVersion 'apps/v1'; not scanned"),
    ]


def test_deeply_nested_document_is_an_error(write):
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n  x: "
        + "[" * 5000
        + "]" * 5000
        + "\n"
    )
    result = load([str(write("deep.yaml", text)), str(write("ok.yaml", pod("ok")))])
    assert names(result) == ["ok"]
    assert result.errors and result.errors[0].file.endswith("deep.yaml")


def test_directory_walk_skips_hidden_and_excluded_and_non_manifests(write, tmp_path):
    write("app/a.yaml", pod("a"))
    write("app/b.yml", pod("b"))
    write("app/c.json", '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}')
    write("app/readme.md", "not yaml")
    write(".git/x.yaml", pod("hidden"))
    write("app/.hidden.yaml", pod("hidden2"))
    write("app/test/skip.yaml", pod("skipped"))
    result = load([str(tmp_path)], LoadOptions(exclude=("app/test/*",)))
    assert sorted(names(result)) == ["a", "b", "c"]
    assert result.errors == []


def test_missing_path_is_an_error(tmp_path):
    result = load([str(tmp_path / "nope")])
    assert result.errors[0].message == "no such file or directory"


def test_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(pod("from-stdin").encode())))
    result = load(["-"])
    assert names(result) == ["from-stdin"]
    assert result.resources[0].source.file == "<stdin>"
    assert "<stdin>" in result.texts


@pytest.mark.parametrize("kind", ["Rollout", "DeploymentConfig", "Service"])
def test_custom_resources_with_pod_templates_are_workloads(write, kind):
    api = {
        "Rollout": "argoproj.io/v1alpha1",
        "DeploymentConfig": "apps.openshift.io/v1",
        "Service": "serving.knative.dev/v1",
    }[kind]
    text = f"""
    apiVersion: {api}
    kind: {kind}
    metadata: {{name: cr}}
    spec:
      template:
        metadata: {{labels: {{app: x}}}}
        spec:
          containers: [{{name: c, image: "nginx:1.27"}}]
    """
    (resource,) = load([str(write("cr.yaml", text))]).resources
    workload = resource.workload
    assert workload is not None
    assert workload.spec_pointer == Pointer(("spec", "template", "spec"))
    assert workload.labels == {"app": "x"}
    assert [c.name for c in workload.containers()] == ["c"]


@pytest.mark.parametrize("spelling", ["true", "yes", "Yes", "on", "ON", "y"])
def test_privileged_yes_is_caught_like_privileged_true(write, spelling):
    from kubeguard.api import scan
    from kubeguard.loading.config import parse_config

    text = pod("p").replace(
        "readOnlyRootFilesystem: true", f"readOnlyRootFilesystem: true\n        privileged: {spelling}"
    )
    report = scan(
        [str(write("priv.yaml", text))], select=["privileged-containers"], config=parse_config(None)
    )
    (finding,) = report.findings
    assert finding.pointer == "/spec/containers/0/securityContext/privileged"
    assert finding.line == 12


def test_scalars_resolve_like_go_yaml_v2(write):
    text = "apiVersion: example.com/v1\nkind: Settings\nmetadata: {name: s}\ndata:\n  a: y\n  b: N\n  c: 1:30\n  d: 0x1F\n  e: 012\n  f: 8080:80\n  g: 1e3\n  h: =\n"
    data = load([str(write("s.yaml", text))]).resources[0].raw["data"]
    assert data == {
        "a": True,
        "b": False,
        "c": "1:30",
        "d": 31,
        "e": 10,
        "f": "8080:80",
        "g": "1e3",
        "h": "=",
    }


def test_parallel_decoding_gives_exactly_the_sequential_result(tmp_path):
    for i in range(20):
        text = (
            pod(f"p{i}") + ("---\nkind: [broken\n" if i % 7 == 0 else "") + "---\n" + pod(f"q{i}", ro="yes")
        )
        (tmp_path / f"f{i:02d}.yaml").write_text(text)
    (tmp_path / "dup.yaml").write_text(pod("dup").replace("kind: Pod", "kind: Pod\nkind: Pod"))
    sequential = load([str(tmp_path)], LoadOptions(jobs=1))
    parallel = load([str(tmp_path)], LoadOptions(jobs=2))
    assert len(parallel.resources) == 41
    assert [(r.source, r.raw) for r in parallel.resources] == [
        (r.source, r.raw) for r in sequential.resources
    ]
    assert parallel.errors == sequential.errors and len(parallel.errors) == 4
    assert parallel.files == sequential.files == 21
