"""Views: which parts of the input are deployed together, so cross-resource rules judge each apart.

A cross-resource rule (a namespace's default-deny NetworkPolicy, its LimitRange, who can read its
Secrets) asks what else is in the same cluster. Everything given on the command line is not one
cluster: ``envs/dev`` and ``envs/prod`` of one app, or a hardened and an insecure example, are
separate deployments, and merging them lets one hide or invent the other's findings. So:

- each rendered kustomization, each Helm chart, standard input and a cluster (live or a snapshot)
  is a view of its own;
- plain manifest files form views by folder: a folder's files and subfolders are one view, unless
  two of them define the same object (API group, kind, namespace, name). The same object defined in
  two places is two environments, never one, so such a folder is split: each subfolder, and the
  folder's own files, become views of their own (files that themselves clash, each alone). The
  paths given on the command line are treated like the subfolders of one folder.

An object defined twice within one view (one file, one rendered output) is kept twice and warned
about; an object that appears in several views is scanned in each, and warned about once.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kubeguard.model.resource import Resource

#: Object identity across API versions: (API group, kind, effective namespace, name).
Identity = tuple[str, str, str | None, str]


@dataclass(slots=True)
class Unit:
    """What one input source produced: a file, stdin, a rendered kustomization or chart."""

    kind: str  # "file", "stdin", "kustomize", "helm", "cluster"
    path: str
    resources: list[Resource] = field(default_factory=list)


@dataclass(slots=True)
class View:
    """Resources deployed together: what one cross-resource evaluation sees."""

    name: str
    kind: str  # "files", "stdin", "kustomize", "helm", "cluster"
    resources: list[Resource] = field(default_factory=list)
    units: int = 0


def identity(resource: Resource) -> Identity:
    return (resource.group, resource.kind, resource.effective_namespace, resource.name)


def _identities(resources: Iterable[Resource]) -> set[Identity]:
    return {identity(r) for r in resources if r.name}


def _describe(ident: Identity) -> str:
    group, kind, namespace, name = ident
    ns = f"{namespace}/" if namespace else ""
    return f"{kind}{'.' + group if group else ''}/{ns}{name}"


class _Group:
    """Files that may still be one view, with the objects they define."""

    __slots__ = ("idents", "name", "resources", "units")

    def __init__(self, name: str, units: list[Unit]) -> None:
        self.name = name
        self.units = units
        self.resources = [r for u in units for r in u.resources]
        self.idents = _identities(self.resources)


@dataclass(slots=True)
class _Dir:
    files: list[Unit] = field(default_factory=list)
    dirs: dict[str, _Dir] = field(default_factory=dict)


def _clashes(groups: Sequence[_Group]) -> bool:
    """Whether two of the groups define the same object."""
    seen: set[Identity] = set()
    for group in groups:
        if not seen.isdisjoint(group.idents):
            return True
        seen |= group.idents
    return False


def _form(path: str, node: _Dir) -> list[_Group]:
    """The groups of one folder: one group if nothing in it clashes, else its parts."""
    parts: list[_Group] = []
    split = False
    for name in sorted(node.dirs):
        sub = _form(os.path.join(path, name) if path else name, node.dirs[name])
        split = split or len(sub) > 1
        parts.extend(sub)
    if node.files:
        loose = [_Group(u.path, [u]) for u in node.files]
        if _clashes(loose):
            parts.extend(loose)
            split = True
        elif len(loose) == 1:
            parts.append(loose[0])
        else:
            parts.append(_Group(path or ".", node.files))
    if split:
        return parts
    if _clashes(parts):
        return parts
    if len(parts) == 1:
        return parts
    return [_Group(path or ", ".join(p.name for p in parts), [u for p in parts for u in p.units])]


def _file_views(units: list[Unit]) -> list[View]:
    root = _Dir()
    for unit in units:
        parts = [p for p in os.path.normpath(unit.path).split(os.sep)]
        node = root
        for part in parts[:-1]:
            node = node.dirs.setdefault(part or os.sep, _Dir())
        node.files.append(unit)
    return [View(g.name, "files", g.resources, len(g.units)) for g in _form("", root)]


def _within_view_duplicates(view: View, warnings: list[str]) -> None:
    where: dict[Identity, list[Resource]] = defaultdict(list)
    for r in view.resources:
        if r.name:
            where[identity(r)].append(r)
    for ident, resources in where.items():
        if len(resources) > 1:
            places = ", ".join(
                f"{r.source.file}:{r.source.line}" if r.source.line else r.source.file for r in resources
            )
            warnings.append(
                f"{_describe(ident)} is defined {len(resources)} times in view {view.name} ({places}); "
                "kubectl apply keeps only the last, kubeguard scans each"
            )


def form_views(units: Sequence[Unit]) -> tuple[list[View], list[str]]:
    """Group the input into views (see the module docstring); also the warnings about identities."""
    warnings: list[str] = []
    views = _file_views([u for u in units if u.kind == "file" and u.resources])
    for unit in units:
        if unit.kind != "file" and unit.resources:
            views.append(View(unit.path if unit.kind != "stdin" else "<stdin>", unit.kind, unit.resources, 1))
    for view in views:
        _within_view_duplicates(view, warnings)
    if len(views) > 1:
        in_views: dict[Identity, list[str]] = defaultdict(list)
        for view in views:
            for ident in _identities(view.resources):
                in_views[ident].append(view.name)
        shared: dict[tuple[str, ...], list[Identity]] = defaultdict(list)
        for ident, names in in_views.items():
            if len(names) > 1:
                shared[tuple(names)].append(ident)
        for places, idents in sorted(shared.items()):
            idents.sort(key=str)
            more = f" and {len(idents) - 1} more object(s)" if len(idents) > 1 else ""
            warnings.append(
                f"{_describe(idents[0])}{more} defined in {len(places)} places ({', '.join(places)}): "
                "scanned as separate deployments, so cross-resource rules do not combine them and "
                "their findings are reported once per place"
            )
    return views, warnings
