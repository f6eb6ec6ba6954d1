"""A scan's source: git commit and branch read from the repository's files (git is never run on input)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from kubeguard.store import describe_source
from kubeguard.store.source import git_state

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None, reason="git is needed to build test repositories"
)


def _git(repo: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@e",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@e",
        "HOME": str(repo),
    }
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env
    ).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "k8s").mkdir(parents=True)
    (root / "k8s" / "a.yaml").write_text("kind: ConfigMap\n")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "one")
    return root


def test_branch_and_commit_of_a_subfolder(repo: Path) -> None:
    assert git_state(str(repo / "k8s" / "a.yaml")) == {
        "root": str(repo),
        "branch": "main",
        "commit": _git(repo, "rev-parse", "HEAD"),
    }


def test_packed_refs_detached_head_and_worktrees(repo: Path, tmp_path: Path) -> None:
    _git(repo, "pack-refs", "--all")
    head = _git(repo, "rev-parse", "HEAD")
    assert not (repo / ".git" / "refs" / "heads" / "main").exists()
    assert git_state(str(repo))["commit"] == head
    _git(repo, "worktree", "add", "-q", "-b", "feature", str(tmp_path / "wt"))
    assert git_state(str(tmp_path / "wt" / "k8s")) == {
        "root": str(tmp_path / "wt"),
        "branch": "feature",
        "commit": head,
    }
    _git(repo, "checkout", "-q", "--detach")
    assert git_state(str(repo)) == {"root": str(repo), "commit": head}


def test_outside_a_repository_and_key(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    assert git_state(str(tmp_path / "x")) == {} or git_state(str(tmp_path / "x"))["root"] != str(
        tmp_path / "x"
    )
    src = describe_source([str(tmp_path / "x"), "-"], {})
    assert src.key == f"{tmp_path / 'x'},-"
    cluster = describe_source([], {"cluster": {"context": "prod", "version": "v1.31.2"}})
    assert cluster.key == "cluster:prod"
    assert cluster.to_dict()["cluster"] == {"context": "prod", "version": "v1.31.2"}


def test_a_given_name_is_the_key() -> None:
    named = describe_source(
        [], {"cluster": {"context": "in-cluster", "version": "v1.31.2"}}, name="cluster:prod-eu"
    )
    assert named.key == "cluster:prod-eu"
    assert named.cluster["context"] == "in-cluster"
