"""The library API: every command reads and evaluates its input through these entries.

- :func:`load_inputs` is the one place input is read: files, folders, ``-`` (stdin), kustomizations
  and charts, snapshots, and a live cluster (``LoadOptions.cluster``), with the same
  :class:`LoadOptions` (exclude, size limit, jobs, Helm values, cluster) for every command.
- :func:`take_snapshot` writes what a scan reads from a live cluster to a file that every command
  reads back as that cluster (``kubeguard snapshot``).
- :func:`scan` reads and evaluates the rules (``kubeguard scan``); :func:`scan_node` does the same
  for a node's file tree (``kubeguard node``); :func:`scan_objects` for objects already decoded (the
  admission webhook's one object), with rules and configuration prepared once by
  :func:`resolve_config` and :func:`select`.
- :func:`assess_pod_security`, :func:`rbac_graph` and :func:`network` build the analyses that
  ``kubeguard pss``, ``rbac`` and ``netpol`` answer questions with, from what :func:`load_inputs` read.
- :func:`audit` reads audit logs and runs the AUD rules over their events (``kubeguard audit``).

Every entry pauses the cycle collector while it builds objects (see :func:`_collector_paused`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import os
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from kubeguard.analyzers.controlplane.node_options import NODE_KUBELET, NODE_MISSING_FILES
from kubeguard.analyzers.netpol.engine import Network, PodAddressing
from kubeguard.analyzers.pss.admission import PssReport, assess
from kubeguard.analyzers.rbac.graph import RbacGraph
from kubeguard.engine.audit import run_audit
from kubeguard.engine.needs import kinds_needed
from kubeguard.engine.registry import all_audit_rules, all_rules, select_rules
from kubeguard.engine.runner import evaluate
from kubeguard.engine.suppress import unknown_exception_rules
from kubeguard.findings.audit import Alert, AuditReport
from kubeguard.findings.compliance import FrameworkAssessment, assess_all, find_framework
from kubeguard.findings.report import ScanReport
from kubeguard.fix.plan import FileChange, Refusal, Suggestion, read_text, text_changes, write_text
from kubeguard.fix.plan import plan as plan_fixes
from kubeguard.loading.audit import ReadOptions, read_audit
from kubeguard.loading.cluster.collect import ClusterRead
from kubeguard.loading.cluster.source import ClusterError, ClusterSource
from kubeguard.loading.config import ConfigError, find_config, load_config
from kubeguard.loading.documents import object_items
from kubeguard.loading.files import STDIN, LoadOptions, LoadResult, load
from kubeguard.loading.node import collect
from kubeguard.loading.views import form_views, identity
from kubeguard.model.config import EMPTY_CONFIG, Config
from kubeguard.model.resource import Resource
from kubeguard.rules.audit import AuditContext
from kubeguard.rules.context import ScanContext, ScanOptions
from kubeguard.rules.rule import Rule

__all__ = [
    "ClusterError",
    "ClusterSource",
    "FixResult",
    "LoadOptions",
    "LoadResult",
    "assess_pod_security",
    "attach_fix_changes",
    "audit",
    "fix",
    "in_namespaces",
    "load_inputs",
    "network",
    "rbac_graph",
    "resolve_config",
    "scan",
    "scan_node",
    "scan_objects",
    "select",
    "take_snapshot",
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
    ``progress`` is called with each input's path as it is read (for a cluster, with each list
    read). The result keeps what each source produced (``units``), from which
    :func:`kubeguard.loading.views.form_views` forms the views; a cluster is one view.
    Raises :class:`ClusterError` when ``load_options.cluster`` cannot be read at all.
    """
    if isinstance(paths, str):
        paths = [paths]
    with _collector_paused():
        return load(paths, load_options or LoadOptions(), progress=progress)


def resolve_config(config: Config | str | None) -> Config:
    """``config`` itself, the ``.kubeguard.yaml`` at a path, or (``None``) the one in the current
    directory if present; raises ``ConfigError`` for a bad file or an exception naming no rule."""
    if config is None:
        found = find_config()
        config = load_config(found) if found else Config()
    elif isinstance(config, str):
        config = load_config(config)
    unknown = unknown_exception_rules(config, all_rules())
    if unknown:
        raise ConfigError("\n".join(unknown))
    return config


# the former private name, still used by code written before resolve_config was public
_resolve_config = resolve_config


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
    server_version_for: Collection[str] = ("pss", "k8s"),
) -> ScanReport:
    """Scan files, directories, ``-`` (stdin), kustomizations and charts.

    The input is grouped into views, the parts deployed together (:mod:`kubeguard.loading.views`);
    cross-resource rules judge each view on its own.

    ``select``/``ignore``: rule codes, prefixes or slugs. ``options``: what rules check (PSS level and
    version, target Kubernetes version, ...). ``config``: a :class:`Config`, a path to a
    ``.kubeguard.yaml``, or ``None`` to use ``.kubeguard.yaml`` in the current directory if present.
    ``namespaces``: report only the objects of these namespaces (see :func:`in_namespaces`); every
    object read still informs cross-resource rules (RBAC graphs, network reachability).
    A live cluster (``load_options.cluster``) or a snapshot is read like any input, as one view,
    listing only the kinds the selected rules read; its server version replaces ``latest`` in the
    options named by ``server_version_for`` (``pss``, ``k8s``), and its own RBAC is used (no
    built-in roles are assumed).
    Raises ``RegistryError`` for an unknown selector, ``ConfigError`` for a bad config file and
    :class:`ClusterError` when the cluster cannot be read at all.
    """
    report, _loaded = _scan(
        paths,
        select=select,
        ignore=ignore,
        options=options,
        load_options=load_options,
        config=resolve_config(config),
        namespaces=namespaces,
        today=today,
        progress=progress,
        server_version_for=server_version_for,
    )
    return report


def _scan(
    paths: str | Sequence[str],
    *,
    select: Sequence[str],
    ignore: Sequence[str],
    options: ScanOptions | None,
    load_options: LoadOptions | None,
    config: Config,
    namespaces: Collection[str],
    today: dt.date | None,
    progress: Callable[[str], None] | None,
    server_version_for: Collection[str] = ("pss", "k8s"),
) -> tuple[ScanReport, LoadResult]:
    rules = select_rules(all_rules(), select, ignore)
    opts = options or ScanOptions()
    wanted = frozenset(namespaces)
    load_options = dataclasses.replace(load_options or LoadOptions(), kinds=kinds_needed(rules))
    with _collector_paused():
        loaded = load_inputs(paths, load_options, progress=progress)
        if loaded.cluster is not None:
            opts = cluster_options(opts, loaded, server_version_for)
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
    if loaded.cluster is not None:
        report.options["cluster"] = loaded.cluster.to_dict()
    return report, loaded


def cluster_options(
    options: ScanOptions, loaded: LoadResult, server_version_for: Collection[str]
) -> ScanOptions:
    """The options for what a cluster read: its server version where the options say ``latest``
    (and ``server_version_for`` names them), and no assumed built-in RBAC (the cluster's own is read)."""
    info = loaded.cluster
    assert info is not None
    version = info.minor_version
    changes: dict[str, object] = {"builtin_rbac": False}
    if version is not None and "pss" in server_version_for and options.pss_version == "latest":
        changes["pss_version"] = version
    if version is not None and "k8s" in server_version_for and options.k8s_version == "latest":
        changes["k8s_version"] = version
    return dataclasses.replace(options, **changes)  # type: ignore[arg-type]


@dataclass
class FixResult:
    """What :func:`fix` did: the files it changed (or would change), the files it refused to edit
    and why, the patches it suggests for rendered objects, and the scan of what remains."""

    report: ScanReport
    changes: list[FileChange] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    fixed: int = 0
    unsafe_skipped: int = 0
    written: bool = False


#: How many times :func:`fix` scans and fixes again: a fix can make another one possible
#: (``privileged: false`` lets ``allowPrivilegeEscalation: false`` be set).
FIX_ROUNDS = 3


def fix(
    paths: str | Sequence[str],
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    unsafe_fixes: bool = False,
    write: bool = True,
    options: ScanOptions | None = None,
    load_options: LoadOptions | None = None,
    config: Config | str | None = None,
    namespaces: Collection[str] = (),
    today: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> FixResult:
    """Scan, apply the fixes of the selected rules to the files read, and scan again.

    Safe fixes only, unless ``unsafe_fixes``. Suppressed findings are not fixed. Fixing repeats
    (at most :data:`FIX_ROUNDS` times) while a scan of the fixed text offers more, all in memory;
    then the files are written, unless ``write`` is off (``--diff``): the result holds the same
    changes either way, and ``report`` is the scan of the fixed text. Rendered objects (Kustomize,
    Helm, stdin) are never edited: the result suggests a patch for each. A file that cannot be
    edited without changing more than the fix is left alone and named in ``refusals``.
    """
    cfg = resolve_config(config)
    base = load_options or LoadOptions()
    texts: dict[str, str] = {}

    def run() -> tuple[ScanReport, LoadResult]:
        return _scan(
            paths,
            select=select,
            ignore=ignore,
            options=options,
            load_options=dataclasses.replace(base, texts={**base.texts, **texts}) if texts else base,
            config=cfg,
            namespaces=namespaces,
            today=today,
            progress=progress,
        )

    def read(path: str) -> str:
        return texts[path] if path in texts else read_text(path)

    report, loaded = run()
    if "<stdin>" in loaded.texts:
        texts[STDIN] = loaded.texts["<stdin>"]  # stdin cannot be read twice
    first = plan_fixes(report, loaded.resources, unsafe=unsafe_fixes, read=read)
    result = FixResult(report, refusals=list(first.refusals), suggestions=first.suggestions, written=write)
    changes: dict[str, FileChange] = {}
    current = first
    for _round in range(FIX_ROUNDS):
        if not current.changes:
            break
        for change in current.changes:
            kept = changes.get(change.path)
            if kept is None:
                changes[change.path] = FileChange(
                    change.path, change.display, change.before, change.after, list(change.findings)
                )
            else:
                kept.after = change.after
                kept.findings.extend(change.findings)
            texts[change.path] = change.after
            result.fixed += len(change.findings)
        report, loaded = run()
        current = plan_fixes(report, loaded.resources, unsafe=unsafe_fixes, read=read)
        known = {(r.file, r.reason) for r in result.refusals}
        result.refusals.extend(r for r in current.refusals if (r.file, r.reason) not in known)
    result.report = report
    result.changes = [c for c in changes.values() if c.after != c.before]
    result.unsafe_skipped = current.unsafe_skipped
    if write:
        for change in result.changes:
            write_text(change.path, change.after)
    return result


def attach_fix_changes(report: ScanReport) -> None:
    """Work out each editable finding's fix as text replacements (``Finding.changes``, for SARIF)."""
    for finding in report.findings:
        if finding.edits:
            finding.changes = text_changes(finding)


def select(select: Sequence[str] = (), ignore: Sequence[str] = ()) -> list[Rule]:
    """The rules ``scan`` runs for these ``--select``/``--ignore`` selectors (raises ``RegistryError``)."""
    return select_rules(all_rules(), select, ignore)


def scan_objects(
    objects: Sequence[object],
    *,
    rules: Sequence[Rule],
    options: ScanOptions | None = None,
    config: Config = EMPTY_CONFIG,
    source: str = "<objects>",
    today: dt.date | None = None,
    fixes: bool = True,
) -> ScanReport:
    """Evaluate ``rules`` over objects already decoded (mappings as the API server sends them), all
    in one view, as :func:`scan` evaluates the objects of a file.

    Each object is checked as a file's object is (kind, apiVersion, metadata, field types); one that
    fails is an input error of the report named ``source``, and not scanned. Findings have no line;
    ``fixes=False`` leaves out their fix edits.
    """
    items = [item for obj in objects for item in object_items(obj, source, "object")]
    resources = [r for r in items if isinstance(r, Resource)]
    ctx = ScanContext(resources, options or ScanOptions(), config)
    report = evaluate(ctx, rules, today=today, fixes=fixes)
    report.errors = [e for e in items if not isinstance(e, Resource)]
    return report


def take_snapshot(
    source: ClusterSource, path: str, *, progress: Callable[[str], None] | None = None
) -> ClusterRead:
    """Read the cluster as a scan with every rule would, and write it to ``path`` as a snapshot
    (:mod:`kubeguard.loading.cluster.snapshot`); returns what was read. Raises
    :class:`ClusterError` when the cluster cannot be read, ``OSError`` when ``path`` cannot be written."""
    from kubeguard.loading.cluster.collect import collect
    from kubeguard.loading.cluster.snapshot import write_snapshot

    with _collector_paused():
        read = collect(source, kinds_needed(all_rules()), progress)
        write_snapshot(read, path)
    return read


def compliance(
    paths: str | Sequence[str],
    frameworks: Sequence[str] | None = None,
    **scan_args: Any,
) -> tuple[ScanReport, list[FrameworkAssessment]]:
    """Scan like :func:`scan` (same keyword arguments) and judge the report against ``frameworks``
    (ids or aliases; ``None``: every bundled framework). Raises ``UnknownFramework`` (a ``KeyError``)
    for a name no framework has, before scanning."""
    names = [find_framework(n).id for n in frameworks] if frameworks is not None else None
    report = scan(paths, **scan_args)
    return report, assess_all(report, names)


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
    config = resolve_config(config)
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
    """The RBAC authorization graph of what was read, plus Kubernetes' default roles unless ``builtin``
    is off or the input is a cluster (whose own default roles were read)."""
    with _collector_paused():
        return RbacGraph.build(loaded.resources, builtin=builtin and loaded.cluster is None)


def network(loaded: LoadResult, *, addressing: PodAddressing | None = None) -> Network:
    """The pods, namespaces and NetworkPolicies of what was read, for reachability questions;
    ``addressing``: how ipBlocks apply to pods (default: a covering ipBlock matches pods)."""
    how = addressing or PodAddressing()
    with _collector_paused():
        return Network.from_resources(
            loaded.resources, ipblock_pods=how.ipblock_pods, pod_cidrs=how.pod_cidrs
        )


def audit(
    paths: Sequence[str],
    *,
    read_options: ReadOptions | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    config: Config | str | None = None,
    on_alert: Callable[[Alert], None] | None = None,
    keep_alerts: bool = True,
) -> AuditReport:
    """Read audit logs (files or ``-``) and run the selected AUD rules over their events.

    ``on_alert`` sees each alert as it is raised; ``keep_alerts=False`` keeps only counts (memory
    then does not grow with the number of alerts). Raises ``RegistryError`` for an unknown selector
    and ``ConfigError`` for a bad config file.
    """
    rules = select_rules(all_audit_rules(), select, ignore)
    context = AuditContext(resolve_config(config))
    with _collector_paused():  # events hold no cycles: reference counting frees each one
        return run_audit(read_audit(paths, read_options), rules, context, on_alert, keep_alerts)
