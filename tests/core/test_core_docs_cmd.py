"""``kubeguard docs``: writes and prunes only its own pages; foreign files survive every scenario."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from kubeguard.cli.docs_cmd import GENERATED_MARKER, generate
from kubeguard.cli.main import cli

PYPROJECT = '[project]\nname = "someone-elses"\n'
README = "# My project\n\nHand written.\n"


def run(*args: str):
    return CliRunner().invoke(cli, ["docs", *args])


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every path under ``root`` -> its bytes (None for folders)."""
    out: dict[str, bytes | None] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for d in dirnames:
            out[os.path.relpath(os.path.join(dirpath, d), root)] = None
        for f in filenames:
            out[os.path.relpath(os.path.join(dirpath, f), root)] = Path(dirpath, f).read_bytes()
    return out


def assert_no_traceback(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


def test_empty_folder_gets_every_page_with_marker(tmp_path):
    out = tmp_path / "rules"
    result = run(str(out))
    assert result.exit_code == 0, result.output
    pages = generate(str(out))
    assert {p.name for p in out.iterdir()} == set(pages)
    assert all(p.read_text().startswith(GENERATED_MARKER + "\n") for p in out.iterdir())
    assert run(str(out), "--check").exit_code == 0


def test_project_root_with_readme_is_refused_and_left_unchanged(tmp_path):
    # The field report: `kubeguard docs .` in a project removed pyproject.toml and replaced README.md.
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    (tmp_path / "README.md").write_text(README)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.py").write_text("print(1)\n")
    (tmp_path / "notes.md").write_text("# notes\n")
    before = snapshot(tmp_path)
    result = run(str(tmp_path))
    assert result.exit_code == 2
    assert "README.md" in result.output and "nothing was changed" in result.output
    assert_no_traceback(result)
    assert snapshot(tmp_path) == before


def test_foreign_files_without_page_names_survive_a_write(tmp_path):
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    (tmp_path / "notes.md").write_text("# notes\n")
    (tmp_path / "sub").mkdir()  # a subfolder made the old command crash in os.remove
    (tmp_path / "sub" / "x.md").write_text("x\n")
    result = run(str(tmp_path))
    assert result.exit_code == 0, result.output
    assert_no_traceback(result)
    assert (tmp_path / "pyproject.toml").read_text() == PYPROJECT
    assert (tmp_path / "notes.md").read_text() == "# notes\n"
    assert (tmp_path / "sub" / "x.md").read_text() == "x\n"
    assert (tmp_path / "README.md").read_text().startswith(GENERATED_MARKER)
    # --check ignores foreign files and sees the pages current
    assert run(str(tmp_path), "--check").exit_code == 0


def test_only_own_stale_pages_are_removed(tmp_path):
    assert run(str(tmp_path)).exit_code == 0
    stale = tmp_path / "OLD999.md"
    stale.write_text(GENERATED_MARKER + "\n# OLD999 gone-rule\n")
    hand = tmp_path / "HAND001.md"
    hand.write_text("# my page\n")
    check = run(str(tmp_path), "--check")
    assert check.exit_code == 1 and "OLD999.md" in check.output and "HAND001.md" not in check.output
    result = run(str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "removed 1" in result.output
    assert not stale.exists()
    assert hand.read_text() == "# my page\n"


def test_foreign_file_with_a_page_name_blocks_the_whole_run(tmp_path):
    code_page = next(n for n in generate(str(tmp_path)) if n != "README.md")
    (tmp_path / code_page).write_text("mine\n")
    before = snapshot(tmp_path)
    result = run(str(tmp_path))
    assert result.exit_code == 2 and code_page in result.output
    assert snapshot(tmp_path) == before  # not even the pages without conflict were written
    check = run(str(tmp_path), "--check")
    assert check.exit_code == 2 and code_page in check.output


def test_own_page_edited_by_hand_is_regenerated(tmp_path):
    assert run(str(tmp_path)).exit_code == 0
    page = tmp_path / "README.md"
    page.write_text(GENERATED_MARKER + "\nedited\n")
    assert run(str(tmp_path), "--check").exit_code == 1
    assert run(str(tmp_path)).exit_code == 0
    assert page.read_text() == generate(str(tmp_path))["README.md"]


def test_pages_from_before_the_marker_are_recognised(tmp_path):
    pages = generate(str(tmp_path))
    legacy = {name: text.split("\n", 1)[1] for name, text in pages.items()}  # drop the marker line
    for name, text in legacy.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "OLD999.md").write_text("# OLD999 gone-rule\n\n**Old**\n")
    result = run(str(tmp_path))
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "OLD999.md").exists()
    assert all((tmp_path / n).read_text() == t for n, t in pages.items())


def test_symlink_with_a_page_name_is_not_followed(tmp_path):
    target = tmp_path / "precious.txt"
    target.write_text(GENERATED_MARKER + "\nprecious\n")
    out = tmp_path / "rules"
    out.mkdir()
    (out / "README.md").symlink_to(target)
    result = run(str(out))
    assert result.exit_code == 2 and "README.md" in result.output
    assert target.read_text() == GENERATED_MARKER + "\nprecious\n"


def test_a_file_as_directory_is_a_clear_error(tmp_path):
    # The field report: `kubeguard docs FILE` crashed with FileExistsError.
    f = tmp_path / "pyproject.toml"
    f.write_text(PYPROJECT)
    for args in ((str(f),), (str(f), "--check")):
        result = run(*args)
        assert result.exit_code == 2
        assert "not a folder" in result.output
        assert_no_traceback(result)
    assert f.read_text() == PYPROJECT


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores permissions")
def test_unwritable_folder_is_a_clear_error(tmp_path):
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o500)
    try:
        result = run(str(out))
    finally:
        out.chmod(0o700)
    assert result.exit_code == 2
    assert "cannot write" in result.output
    assert_no_traceback(result)


def test_check_on_a_missing_folder_reports_stale(tmp_path):
    result = run(str(tmp_path / "absent"), "--check")
    assert result.exit_code == 1
    assert not (tmp_path / "absent").exists()


def test_aliases_are_shown_in_rules_json_explain_and_pages(tmp_path):
    runner = CliRunner()
    listed = {r["code"]: r for r in json.loads(runner.invoke(cli, ["rules", "--format", "json"]).output)}
    assert listed["NET017"]["aliases"] == ["kubescape:C-0059"]
    assert listed["WKL001"]["aliases"] == []
    explained = runner.invoke(cli, ["explain", "NET017", "--raw"])
    assert "Aliases: kubescape:C-0059" in explained.output
    assert "| Aliases | kubescape:C-0059 |" in generate(str(tmp_path))["NET017.md"]
