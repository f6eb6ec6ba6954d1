"""The library API: ``kubeguard.scan(paths, ...)``. The command line calls exactly this."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from kubeguard.engine.registry import all_rules, select_rules
from kubeguard.engine.runner import evaluate
from kubeguard.engine.suppress import unknown_exception_rules
from kubeguard.findings.report import ScanReport
from kubeguard.loading.config import ConfigError, find_config, load_config
from kubeguard.loading.files import LoadOptions, load
from kubeguard.loading.views import form_views
from kubeguard.model.config import Config
from kubeguard.rules.context import ScanContext, ScanOptions


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


def scan(
    paths: str | Sequence[str],
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    options: ScanOptions | None = None,
    load_options: LoadOptions | None = None,
    config: Config | str | None = None,
    today: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> ScanReport:
    """Scan files, directories, ``-`` (stdin), kustomizations and charts.

    The input is grouped into views, the parts deployed together (:mod:`kubeguard.loading.views`);
    cross-resource rules judge each view on its own.

    ``select``/``ignore``: rule codes, prefixes or slugs. ``options``: what rules check (PSS level and
    version, target Kubernetes version, ...). ``config``: a :class:`Config`, a path to a
    ``.kubeguard.yaml``, or ``None`` to use ``.kubeguard.yaml`` in the current directory if present.
    Raises ``RegistryError`` for an unknown selector and ``ConfigError`` for a bad config file.
    """
    if isinstance(paths, str):
        paths = [paths]
    if config is None:
        found = find_config()
        config = load_config(found) if found else Config()
    elif isinstance(config, str):
        config = load_config(config)
    unknown = unknown_exception_rules(config, all_rules())
    if unknown:
        raise ConfigError("\n".join(unknown))
    rules = select_rules(all_rules(), select, ignore)
    with _collector_paused():
        loaded = load(paths, load_options or LoadOptions(), progress=progress)
        views, view_warnings = form_views(loaded.units)
        contexts = [ScanContext(v.resources, options or ScanOptions(), config) for v in views]
        report = evaluate(contexts, rules, texts=loaded.texts, today=today)
    report.warnings[:0] = loaded.notes + view_warnings
    report.errors = loaded.errors
    report.files = loaded.files
    opts = options or ScanOptions()
    report.options = {
        "pss": f"{opts.pss_level}:{opts.pss_version}",
        "k8sVersion": opts.k8s_version,
        "builtinRbac": opts.builtin_rbac,
        "select": list(select),
        "ignore": list(ignore),
    }
    return report
