"""Files of other tools found while walking a folder (package.json, mkdocs.yml, an Ansible playbook)
are skipped with a note naming them; a file named on the command line, or one that looks like a
manifest, is still an input error."""

from __future__ import annotations

from pathlib import Path

from kubeguard.loading.files import load

DEPLOYMENT = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {}\n"


def _tree(tmp_path: Path) -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "cm.yaml").write_text(DEPLOYMENT)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "package.json").write_text('{"name": "x", "version": "1.0.0"}')
    (tmp_path / "mkdocs.yml").write_text("site_name: docs\nnav:\n  - a.md\n")
    (tmp_path / "playbook.yml").write_text("- hosts: all\n  tasks: []\n")
    return tmp_path


def test_other_tools_files_in_a_folder_are_skipped_and_named(tmp_path):
    loaded = load([str(_tree(tmp_path))])
    assert [r.name for r in loaded.resources] == ["settings"]
    assert loaded.errors == []
    assert [Path(p).name for p in loaded.skipped] == ["mkdocs.yml", "playbook.yml", "package.json"]
    assert any("3 file(s)" in n and "package.json" in n for n in loaded.notes)


def test_a_file_named_on_the_command_line_is_still_an_error(tmp_path):
    root = _tree(tmp_path)
    loaded = load([str(root / "src" / "package.json")])
    assert loaded.skipped == []
    assert [Path(e.file).name for e in loaded.errors] == ["package.json"]


def test_a_manifest_missing_its_apiversion_is_still_an_error(tmp_path):
    root = _tree(tmp_path)
    (root / "app" / "broken.yaml").write_text("kind: Deployment\nmetadata: {name: x}\n")
    # One foreign document beside a Kubernetes object keeps the whole file an input.
    (root / "app" / "mixed.yaml").write_text("name: x\n---\n" + DEPLOYMENT.replace("settings", "other"))
    loaded = load([str(root)])
    assert sorted(Path(e.file).name for e in loaded.errors) == ["broken.yaml", "mixed.yaml"]
    assert sorted(r.name for r in loaded.resources) == ["other", "settings"]


def test_a_document_whose_apiversion_is_no_string_belongs_to_another_tool(tmp_path):
    # Grafana's provisioning files (podinfo/otel/grafana-datasources.yaml) say `apiVersion: 1`
    root = _tree(tmp_path)
    (root / "grafana-datasources.yaml").write_text("apiVersion: 1\n\ndatasources:\n  - name: Loki\n")
    (root / "app" / "empty.json").write_text("")  # nothing in it, as an empty YAML file
    (root / "app" / "blank.json").write_text("\n  \n")
    (root / "app" / "typed.yaml").write_text("kind: ConfigMap\napiVersion: 1\nmetadata: {name: y}\n")
    loaded = load([str(root)])
    assert "grafana-datasources.yaml" in [Path(p).name for p in loaded.skipped]
    assert [Path(p).name for p in loaded.skipped if p.endswith(".json")] == ["package.json"]
    # with a kind it is a manifest, and the message says what is wrong with its apiVersion
    (error,) = loaded.errors
    assert Path(error.file).name == "typed.yaml"
    assert error.message == "object has an apiVersion that is not a string; not scanned"
