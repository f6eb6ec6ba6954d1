"""The library API: every command reads and evaluates its input through these entries.

- :func:`load_inputs` is the one place input is read: files, folders, ``-`` (stdin), kustomizations
  and charts, with the same :class:`LoadOptions` (exclude, size limit, jobs, Helm values) for every
  command. A new kind of source (a live cluster) is added here, once, and every command has it.
- :func:`scan` reads and evaluates the rules (``kubeguard scan``); :func:`scan_node` does the same
  for a node's file tree (``kubeguard node``).
- :func:`assess_pod_security`, :func:`rbac_graph` and :func:`network` build the analyses that
  ``kubeguard pss``, ``rbac`` and ``netpol`` answer questions with, from what :func:`load_inputs` read.

Every entry pauses the cycle collector while it builds objects (see :func:`_collector_paused`).
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager

from kubeguard.analyzers.controlplane.node_options import NODE_KUBELET, NODE_MISSING_FILES
from kubeguard.analyzers.netpol.engine import Network, PodAddressing
from kubeguard.analyzers.pss.admission import PssReport, assess
from kubeguard.analyzers.rbac.graph import RbacGraph
from kubeguard.engine.registry import all_rules, select_rules
from kubeguard.engine.runner import evaluate
from kubeguard.engine.suppress import unknown_exception_rules
from kubeguard.findings.report import ScanReport
from kubeguard.loading.config import ConfigError, find_config, load_config
from kubeguard.loading.files import LoadOptions, LoadResult, load
from kubeguard.loading.node import collect
from kubeguard.loading.views import form_views, identity
from kubeguard.model.config import Config
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext, ScanOptions

__all__ = [
    "LoadOptions",
    "LoadResult",
    "assess_pod_security",
    "in_namespaces",
    "load_inputs",
    "network",
    "rbac_graph",
    "scan",
    "scan_node",
]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a scan builds its objects.

    Decoded manifests are trees of dicts and lists without cycles, yet each full collection walks
    every object kept so far, so a 50,000-object scan would spend a third of its time collecting
    nothing. Reference counting still frees everything as usual; collection resumes afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_inputs(
    paths: str | Sequence[str],
    load_options: LoadOptions | None = None,
    *,
    progress: Callable[[str], None] | None = None,
) -> LoadResult:
    """Read every input: files, folders (recursively), ``-`` (stdin), kustomizations and charts.

    What cannot be read becomes an error in the result naming the file; the rest is still read.
    ``progress`` is called with each input's path as it is read. The result keeps what each source
    produced (``units``), from which :func:`kubeguard.loading.views.form_views` forms the views.
    """
    if isinstance(paths, str):
        paths = [paths]
    with _collector_paused():
        return load(paths, load_options or LoadOptions(), progress=progress)


def _resolve_config(config: Config | str | None) -> Config:
    if config is None:
        found = find_config()
        config = load_config(found) if found else Config()
    elif isinstance(config, str):
        config = load_config(config)
    unknown = unknown_exception_rules(config, all_rules())
    if unknown:
        raise ConfigError("\n".join(unknown))
    return config


def in_namespaces(resource: Resource, namespaces: Collection[str]) -> bool:
    """Whether ``resource`` belongs to one of ``namespaces`` (as ``kubectl -n`` lists it).

    A namespaced object belongs to its namespace (``default`` when it names none); the Namespace
    object itself belongs to the namespace it defines; other cluster-scoped objects belong to none.
    """
    if resource.effective_namespace is not None:
        return resource.effective_namespace in namespaces
    return resource.kind == "Namespace" and resource.group == "" and resource.name in namespaces


def scan(
    paths: str | Sequence[str],
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    options: ScanOptions | None = None,
    load_options: LoadOptions | None = None,
    config: Config | str | None = None,
    namespaces: Collection[str] = (),
    today: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> ScanReport:
    """Scan files, directories, ``-`` (stdin), kustomizations and charts.

    The input is grouped into views, the parts deployed together (:mod:`kubeguard.loading.views`);
    cross-resource rules judge each view on its own.

    ``select``/``ignore``: rule codes, prefixes or slugs. ``options``: what rules check (PSS level and
    version, target Kubernetes version, ...). ``config``: a :class:`Config`, a path to a
    ``.kubeguard.yaml``, or ``None`` to use ``.kubeguard.yaml`` in the current directory if present.
    ``namespaces``: report only the objects of these namespaces (see :func:`in_namespaces`); every
    object read still informs cross-resource rules (RBAC graphs, network reachability).
    Raises ``RegistryError`` for an unknown selector and ``ConfigError`` for a bad config file.
    """
    config = _resolve_config(config)
    rules = select_rules(all_rules(), select, ignore)
    opts = options or ScanOptions()
    wanted = frozenset(namespaces)
    with _collector_paused():
        loaded = load_inputs(paths, load_options, progress=progress)
        views, view_warnings = form_views(loaded.units)
        contexts = [ScanContext(v.resources, opts, config) for v in views]
        only = (lambda r: in_namespaces(r, wanted)) if wanted else None
        report = evaluate(contexts, rules, texts=loaded.texts, today=today, only=only)
    report.warnings[:0] = [*loaded.warnings, *loaded.notes, *view_warnings]
    report.errors = loaded.errors
    report.files = loaded.files
    report.options = {
        "pss": f"{opts.pss_level}:{opts.pss_version}",
        "k8sVersion": opts.k8s_version,
        "builtinRbac": opts.builtin_rbac,
        "select": list(select),
        "ignore": list(ignore),
    }
    if namespaces:
        report.options["namespaces"] = sorted(namespaces)
    return report


def scan_node(
    root: str = "/",
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    config: Config | str | None = None,
    today: dt.date | None = None,
) -> ScanReport:
    """Run the control plane and node rules (CP) over the node file tree under ``root``.

    ``select``/``ignore`` narrow the CP rules. The report's ``options`` name the root and what was
    found; ``resources == 0`` means nothing on the tree was a control plane or kubelet file.
    Raises ``RegistryError`` for an unknown selector and ``ConfigError`` for a bad config file.
    """
    config = _resolve_config(config)
    rules = select_rules(select_rules(all_rules(), ["CP"]), select, ignore)
    with _collector_paused():
        found = collect(root)
        extra: dict[str, object] = {NODE_MISSING_FILES: tuple(found.missing)}
        if found.kubelet is not None:
            extra[NODE_KUBELET] = found.kubelet
        ctx = ScanContext(found.resources, ScanOptions(extra=extra), config)
        report = evaluate(ctx, rules, texts=found.texts, today=today)
    report.errors = found.errors
    report.files = found.files
    report.options = {"root": os.path.abspath(root), "checked": found.found}
    return report


def assess_pod_security(
    loaded: LoadResult, level: str, version: str, *, namespaces: Collection[str] = ()
) -> PssReport:
    """Whether Pod Security Admission would admit each workload read, at ``level`` and ``version``.

    ``namespaces``: only the workloads of these namespaces (their Namespace objects still apply).
    Raises :class:`~kubeguard.model.versions.VersionError` for a bad level or version.
    """
    with _collector_paused():
        views, view_warnings = form_views(loaded.units)
        parts = [assess(v.resources, level, version) for v in views] or [assess([], level, version)]
    report = parts[0]
    for part in parts[1:]:  # each view is judged under its own Namespace labels
        report.workloads.extend(part.workloads)
        report.namespaces.update(part.namespaces)
        report.warnings.extend(part.warnings)
    report.warnings[:0] = view_warnings
    if namespaces:
        wanted = frozenset(namespaces)
        report.workloads = [w for w in report.workloads if in_namespaces(w.resource, wanted)]
    return report


def merged_views(loaded: LoadResult) -> str | None:
    """A warning when the input forms several views that define the same objects, for the commands
    that answer for one cluster (``rbac``, ``netpol``): their answer then mixes those deployments."""
    views, _ = form_views(loaded.units)
    if len(views) < 2:
        return None
    seen: dict[object, str] = {}
    for view in views:
        for resource in view.resources:
            ident = identity(resource)
            if resource.name and seen.setdefault(ident, view.name) != view.name:
                names = ", ".join(v.name for v in views[:4]) + (" ..." if len(views) > 4 else "")
                return (
                    f"the input forms {len(views)} separate deployments ({names}) that define the same "
                    "objects; this answer treats them as one cluster: give one deployment's path to "
                    "answer for it alone"
                )
    return None


def rbac_graph(loaded: LoadResult, *, builtin: bool = True) -> RbacGraph:
    """The RBAC authorization graph of what was read, plus Kubernetes' default roles unless ``builtin`` is off."""
    with _collector_paused():
        return RbacGraph.build(loaded.resources, builtin=builtin)


def network(loaded: LoadResult, *, addressing: PodAddressing | None = None) -> Network:
    """The pods, namespaces and NetworkPolicies of what was read, for reachability questions;
    ``addressing``: how ipBlocks apply to pods (default: a covering ipBlock matches pods)."""
    how = addressing or PodAddressing()
    with _collector_paused():
        return Network.from_resources(
            loaded.resources, ipblock_pods=how.ipblock_pods, pod_cidrs=how.pod_cidrs
        )
