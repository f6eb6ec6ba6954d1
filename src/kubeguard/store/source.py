"""What a scan was of: its paths, the git commit and branch they are in, or the live cluster.

Git facts are read from the repository's files (``.git``, ``HEAD``, refs, ``packed-refs``), never by
running git: the scanned folder is input, and git can be made to run programs from its config.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class ScanSource:
    """The source of a scan. ``key`` names it across scans (trends are per key)."""

    key: str
    paths: tuple[str, ...] = ()
    git: dict[str, str] = field(default_factory=dict)
    cluster: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key, "paths": list(self.paths)}
        if self.git:
            out["git"] = self.git
        if self.cluster:
            out["cluster"] = self.cluster
        return out


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read(4096).strip()
    except OSError:
        return None


def _git_dirs(start: str) -> tuple[str, str, str] | None:
    """(work tree, git dir, common dir) of the repository holding ``start``, if any."""
    here = os.path.abspath(start)
    if not os.path.isdir(here):
        here = os.path.dirname(here)
    while True:
        dot = os.path.join(here, ".git")
        if os.path.isdir(dot):
            gitdir = dot
            break
        if os.path.isfile(dot):  # a worktree or submodule: "gitdir: <path>"
            text = _read(dot) or ""
            if not text.startswith("gitdir:"):
                return None
            gitdir = os.path.normpath(os.path.join(here, text.removeprefix("gitdir:").strip()))
            break
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent
    common = gitdir
    commondir = _read(os.path.join(gitdir, "commondir"))
    if commondir:
        common = os.path.normpath(os.path.join(gitdir, commondir))
    return here, gitdir, common


def _resolve_ref(common: str, gitdir: str, ref: str) -> str | None:
    for base in (gitdir, common):
        value = _read(os.path.join(base, *ref.split("/")))
        if value and not value.startswith("ref:"):
            return value
    packed = os.path.join(common, "packed-refs")
    try:
        with open(packed, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) == 2 and parts[1] == ref:
                    return parts[0]
    except OSError:
        pass
    return None


def git_state(path: str) -> dict[str, str]:
    """``{"root", "commit", "branch"}`` of the git work tree holding ``path`` (``{}`` outside one;
    no ``branch`` on a detached HEAD; no ``commit`` on a branch without commits)."""
    found = _git_dirs(path)
    if found is None:
        return {}
    root, gitdir, common = found
    head = _read(os.path.join(gitdir, "HEAD"))
    if not head:
        return {}
    out = {"root": root}
    if head.startswith("ref:"):
        ref = head.removeprefix("ref:").strip()
        out["branch"] = ref.removeprefix("refs/heads/")
        commit = _resolve_ref(common, gitdir, ref)
    else:
        commit = head
    if commit:
        out["commit"] = commit
    return out


def describe_source(
    paths: Sequence[str], options: Mapping[str, Any] | None = None, *, name: str | None = None
) -> ScanSource:
    """The source of a scan of ``paths`` with the report's ``options``.

    A live cluster scan (the report's ``options["cluster"]`` names its context and server version)
    is keyed by its context; a scan of files by its absolute paths (``-`` for standard input) and
    carries the git commit and branch of the first path inside a repository. ``name`` (``scan
    --source-name``) replaces the key: every in-cluster scanner's context is called ``in-cluster``.
    """
    cluster_opt = (options or {}).get("cluster")
    cluster: dict[str, str] = {}
    if isinstance(cluster_opt, Mapping):
        cluster = {str(k): str(v) for k, v in cluster_opt.items() if isinstance(v, str | int | float)}
    shown = tuple(p if p == "-" else os.path.abspath(p) for p in paths)
    git: dict[str, str] = {}
    for p in shown:
        if p != "-" and (git := git_state(p)):
            break
    if name:
        key = name
    elif cluster:
        key = "cluster:" + (cluster.get("context") or cluster.get("server") or "default")
    else:
        key = ",".join(shown) or "-"
    return ScanSource(key=key, paths=shown, git=git, cluster=cluster)
