"""What a kustomization file says about its folder: which local folders it builds on (its bases and
components) and which local files are patches rather than objects.

Used to decide which kustomizations are deployable roots (one that another kustomization of the
input includes is a base, rendered as part of it rather than on its own) and, when a render fails
or rendering is off, which files of the folder are plain manifests.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from kubeguard.loading.yaml_loader import iter_documents

KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")


@dataclass(frozen=True, slots=True)
class Kustomization:
    """The parts of a kustomization that kubeguard needs; paths are joined to the folder."""

    directory: str
    file: str
    #: Local folders this kustomization includes (resources, bases, components).
    includes: tuple[str, ...] = ()
    #: Local files it lists under ``resources`` (``None`` when the file could not be read).
    listed: tuple[str, ...] | None = None
    #: Local files that are patches or configuration, not objects to deploy.
    not_objects: frozenset[str] = field(default_factory=frozenset)
    #: ``kind: Component`` cannot be built on its own.
    is_component: bool = False
    #: Whether it sets ``buildMetadata`` itself (then kubeguard leaves it as it is).
    has_build_metadata: bool = False


def kustomization_file(directory: str) -> str | None:
    for name in KUSTOMIZATION_FILES:
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            return path
    return None


def _is_remote(ref: str) -> bool:
    return "://" in ref or ref.startswith(("git@", "github.com/", "gitlab.com/", "bitbucket.org/"))


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def read_kustomization(directory: str) -> Kustomization | None:
    """The kustomization of ``directory``, or ``None`` when it has none or it cannot be read."""
    path = kustomization_file(directory)
    if path is None:
        return None
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError):
        return Kustomization(directory, path)
    docs = list(iter_documents(text))
    data = docs[0].data if docs and docs[0].error is None else None
    if not isinstance(data, dict):
        return Kustomization(directory, path)
    includes: list[str] = []
    listed: list[str] = []
    for key in ("resources", "bases", "components"):
        for ref in _strings(data.get(key)):
            if _is_remote(ref):
                continue
            target = os.path.normpath(os.path.join(directory, ref))
            if os.path.isdir(target):
                includes.append(target)
            elif key == "resources":
                listed.append(target)
    not_objects: set[str] = set()
    for key in ("patchesStrategicMerge", "patchesJson6902", "patches", "configurations", "crds"):
        value = data.get(key)
        for entry in value if isinstance(value, list) else []:
            patch: Any = entry.get("path") if isinstance(entry, dict) else entry
            if isinstance(patch, str) and not _is_remote(patch):
                not_objects.add(os.path.normpath(os.path.join(directory, patch)))
    for gen in ("configMapGenerator", "secretGenerator"):
        entries = data.get(gen)
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict):
                for ref in _strings(entry.get("files")) + _strings(entry.get("envs")):
                    not_objects.add(os.path.normpath(os.path.join(directory, ref.split("=", 1)[-1])))
    return Kustomization(
        directory,
        path,
        tuple(includes),
        tuple(listed),
        frozenset(not_objects),
        data.get("kind") == "Component",
        "buildMetadata" in data,
    )
