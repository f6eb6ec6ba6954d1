"""Options and helpers shared by commands: input options, output handling, exit codes, errors.

Every command that reads manifests takes the same input options (:func:`input_options`) and reads
through :meth:`Inputs.read`, which calls :func:`kubeguard.api.load_inputs`; a new input source is
one more option here and one more branch there, for every command at once.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, NoReturn, TypeVar

import click

from kubeguard.api import ClusterError, ClusterSource, load_inputs
from kubeguard.loading.cluster.source import KindSelection
from kubeguard.loading.files import DEFAULT_MAX_FILE_SIZE, LoadOptions, LoadResult
from kubeguard.reporters.layout import Screen, clean

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_UNREADABLE = 3


def write_output(text: str, output: str | None) -> None:
    """Write to ``--output FILE`` or stdout."""
    if output and output != "-":
        try:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as exc:
            raise click.UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def screen_for(output: str | None) -> Screen:
    """How text for people is laid out: to the terminal's width when it goes to a terminal, else plain."""
    return Screen.detect(sys.stdout, to_file=bool(output and output != "-"))


def note(message: str) -> None:
    """A warning or note for people on stderr; input text in it is shown escaped (see ``layout.clean``)."""
    click.echo(clean(message), err=True)


def fail_usage(message: str) -> NoReturn:
    """``Error: message`` on stderr and exit 2; each line of a message of several (an invalid
    configuration's problems, one per line) is cleaned on its own, so its line breaks stay breaks."""
    click.echo("\n".join(clean(line) for line in f"Error: {message}".split("\n")), err=True)
    raise SystemExit(EXIT_USAGE)


def deprecated(message: str) -> None:
    """A note on stderr that an old spelling still works but will go."""
    note(f"note: {message}")


#: Names of output formats: an --output FILE spelled like one is almost always a mistyped -f.
FORMAT_NAMES = frozenset({"table", "json", "sarif", "junit", "yaml", "text", "html", "csv"})


def _check_output(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and value in FORMAT_NAMES:
        raise click.BadParameter(
            f"{value!r} is a format name, not a file: use -f {value} to choose the format "
            f"(or -o ./{value} to write a file of that name)",
            ctx=ctx,
            param=param,
        )
    return value


def output_option(f: F) -> F:
    """``--output/-o FILE`` (into ``output``); a format name (``-o json``) is refused with a hint."""
    return click.option(
        "--output",
        "-o",
        "output",
        metavar="FILE",
        default=None,
        callback=_check_output,
        help="Write the report to FILE instead of standard output (- for standard output).",
    )(f)


def format_option(
    choices: Sequence[str],
    default: str = "table",
    help: str | None = None,
    aliases: Mapping[str, str] | None = None,
) -> Callable[[F], F]:
    """``--format/-f`` (into ``fmt``), one of ``choices``; ``aliases`` are old names still accepted
    (with a note on stderr) but not shown."""
    old = dict(aliases or {})

    def canonical(ctx: click.Context, param: click.Parameter, value: str) -> str:
        if value in old:
            deprecated(f"--format {value} is now --format {old[value]}")
            return old[value]
        return value

    def deco(f: F) -> F:
        return click.option(
            "--format",
            "-f",
            "fmt",
            type=click.Choice([*choices, *old]),
            metavar="[" + "|".join(choices) + "]",
            default=default,
            show_default=True,
            callback=canonical,
            help=help or "Output format: " + ", ".join(choices) + ".",
        )(f)

    return deco


def namespace_filter_option(f: F) -> F:
    """``--namespace/-n NS`` (into ``namespaces``), repeatable: report only objects of these namespaces."""
    return click.option(
        "--namespace",
        "-n",
        "namespaces",
        multiple=True,
        metavar="NS",
        help="Report only objects in namespace NS (repeatable; default: every namespace). "
        "Objects elsewhere still count where they matter (RBAC, network policies, namespace labels).",
    )(f)


def split_list(values: Sequence[str]) -> list[str]:
    """Repeated and comma-separated option values, as one list."""
    return [p.strip() for v in values for p in v.split(",") if p.strip()]


#: Set by the ``kubectl-kubeguard`` entry point: a command given no PATH reads the current cluster.
PLUGIN_ENV = "KUBEGUARD_KUBECTL_PLUGIN"


@dataclass(frozen=True, slots=True)
class Inputs:
    """What the shared input options ask for: how to read (``load_options``, with the cluster when
    ``--cluster`` is given), and whether to show a progress indicator on stderr."""

    load_options: LoadOptions
    show_progress: bool = False

    @property
    def cluster(self) -> ClusterSource | None:
        return self.load_options.cluster

    def for_namespaces(self, namespaces: Collection[str]) -> Inputs:
        """These inputs with a cluster read limited to ``namespaces`` (``-n`` of scan and pss)."""
        if self.cluster is None or not namespaces:
            return self
        cluster = replace(self.cluster, namespaces=tuple(sorted(set(namespaces))))
        return replace(self, load_options=replace(self.load_options, cluster=cluster))

    def needing(self, kinds: KindSelection) -> Inputs:
        """These inputs with a cluster read listing only ``kinds`` (what a command's answer reads)."""
        return replace(self, load_options=replace(self.load_options, kinds=kinds))

    def describe(self, paths: Sequence[str]) -> str:
        """The input for messages: the paths, and the cluster's context."""
        parts = list(paths)
        if self.cluster is not None:
            parts.append(f"cluster context {self.cluster.context}" if self.cluster.context else "the cluster")
        return ", ".join(parts)

    @contextmanager
    def progress(self) -> Iterator[Callable[[str], None] | None]:
        """A progress callback for the library (``None`` when no indicator is shown)."""
        if not self.show_progress:
            yield None
            return
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        what = "list(s)" if self.cluster is not None else "input(s)"
        bar = Progress(
            SpinnerColumn(),
            TextColumn(f"reading {{task.completed}} {what}: {{task.description}}", markup=False),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        with bar:
            task = bar.add_task("", total=None)

            def update(path: str) -> None:
                bar.update(task, advance=1, description=clean(path[-60:]))

            yield update

    def read(self, paths: Sequence[str], *, what: str = "evaluate") -> LoadResult:
        """Read ``paths`` (and the cluster) through the library; report unreadable input on stderr;
        exit 2 when no manifest was found or the cluster cannot be read, 3 when some input failed
        and nothing was read (``what`` names the task)."""
        if not paths and self.cluster is None:
            fail_usage(f"nothing to {what}: give one or more PATHs (or - for standard input, or --cluster)")
        with self.progress() as progress, cluster_errors():
            loaded = load_inputs(list(paths), self.load_options, progress=progress)
        report_input_problems(loaded)
        if not loaded.resources:
            where = self.describe(paths)
            if loaded.errors:
                nothing_read(loaded, f"nothing to {what}: {where} could not be read")
            nothing_read(loaded, f"nothing to {what}: no Kubernetes manifests found in {where}")
        return loaded


@contextmanager
def cluster_errors() -> Iterator[None]:
    """A cluster that cannot be read at all (unreachable, TLS, credentials): one line, exit 2."""
    try:
        yield
    except ClusterError as exc:
        fail_usage(f"cannot read the cluster: {exc}")


def report_input_problems(loaded: LoadResult) -> None:
    """Input that could not be read, loading warnings and notes, on stderr."""
    for err in loaded.errors:
        note(f"error: {err}")
    for warning in loaded.warnings:
        note(f"warning: {warning}")
    for text in loaded.notes:
        note(f"note: {text}")


def nothing_read(loaded: LoadResult | Sequence[LoadResult], message: str) -> NoReturn:
    """Exit when there is nothing to answer about, never with a green answer: 3 when some input
    could not be read (it may have held what was looked for), else 2."""
    results = [loaded] if isinstance(loaded, LoadResult) else list(loaded)
    if any(r.errors for r in results):
        note(f"Error: {message} (some input could not be read: see the errors above)")
        raise SystemExit(EXIT_UNREADABLE)
    fail_usage(message)


def answer_code(code: int, loaded: LoadResult | Sequence[LoadResult]) -> int:
    """The exit code of an answer: a pass (0) that rests on input that could not be read is 3."""
    results = [loaded] if isinstance(loaded, LoadResult) else list(loaded)
    if code == EXIT_OK and any(r.errors for r in results):
        return EXIT_UNREADABLE
    return code


def input_options(f: F) -> F:
    """The input options every manifest-reading command takes, handed to it as ``inputs: Inputs``:
    ``--exclude``, ``--values``, ``--set``, ``--no-render``, ``--render-bases``, ``--max-file-size``, ``--jobs`` (or
    ``KUBEGUARD_JOBS``), ``--no-progress``, and the live cluster: ``--cluster``, ``--kubeconfig``,
    ``--context`` (with ``kubectl-kubeguard``, a command given no PATH reads the cluster)."""

    @functools.wraps(f)
    def wrapper(
        *args: Any,
        exclude: tuple[str, ...],
        max_file_size: int,
        jobs: int,
        helm_values: tuple[str, ...],
        helm_set: tuple[str, ...],
        no_render: bool,
        render_bases: bool,
        no_progress: bool,
        cluster: bool,
        kubeconfig: str | None,
        context: str | None,
        **kwargs: Any,
    ) -> Any:
        # `rbac who-can VERB RESOURCE PATH...` keeps its paths after the resource.
        paths = kwargs.get("paths") or tuple(kwargs.get("args", ()))[1:]
        if not cluster and not paths and os.environ.get(PLUGIN_ENV):
            cluster = True  # `kubectl kubeguard scan`: the cluster kubectl would talk to
        if not cluster and (kubeconfig or context):
            fail_usage("--kubeconfig and --context choose a cluster to read: add --cluster")
        source = ClusterSource(kubeconfig=kubeconfig, context=context) if cluster else None
        kwargs["inputs"] = Inputs(
            LoadOptions(
                exclude=tuple(exclude),
                max_file_size=max_file_size * 1048576,
                helm_values=tuple(helm_values),
                helm_set=tuple(helm_set),
                render=not no_render,
                render_bases=render_bases,
                jobs=jobs,
                cluster=source,
            ),
            show_progress=not no_progress and sys.stderr.isatty(),
        )
        return f(*args, **kwargs)

    options = [
        click.option(
            "--exclude",
            "-e",
            multiple=True,
            metavar="GLOB",
            help="Skip files and folders whose path (relative to a scanned folder) or name matches GLOB.",
        ),
        click.option(
            "--values",
            "helm_values",
            multiple=True,
            metavar="FILE",
            help="Helm values file for charts (repeatable).",
        ),
        click.option(
            "--set",
            "helm_set",
            multiple=True,
            metavar="KEY=VALUE",
            help="Helm --set for charts (repeatable).",
        ),
        click.option(
            "--no-render",
            is_flag=True,
            help="Do not render kustomizations: read their folders' manifests as they are (without the "
            "kustomization file and its patches). Helm charts are then skipped and reported.",
        ),
        click.option(
            "--render-bases",
            is_flag=True,
            help="Also render kustomizations that another kustomization of the input includes "
            "(default: only the deployable roots; a base is rendered as part of each overlay).",
        ),
        click.option(
            "--max-file-size",
            type=click.IntRange(min=1),
            default=DEFAULT_MAX_FILE_SIZE // 1048576,
            show_default=True,
            metavar="MiB",
            help="Skip (and report) files larger than this.",
        ),
        click.option(
            "--jobs",
            "-j",
            type=click.IntRange(min=0),
            default=0,
            show_default=True,
            envvar="KUBEGUARD_JOBS",
            show_envvar=True,
            metavar="N",
            help="Processes decoding files in parallel; 0 chooses (one per core, up to 8, for inputs "
            "of 8 MiB or more on 3 or more cores; else 1).",
        ),
        click.option("--no-progress", is_flag=True, help="Never show the progress indicator on stderr."),
        click.option(
            "--cluster",
            is_flag=True,
            help="Read the live cluster of the current kubeconfig context (or the pod's service account "
            "when run in a pod), as one more input; see docs/cluster.md.",
        ),
        click.option(
            "--kubeconfig",
            metavar="FILE",
            default=None,
            help="Kubeconfig for --cluster (default: $KUBECONFIG, else ~/.kube/config).",
        ),
        click.option(
            "--context",
            metavar="NAME",
            default=None,
            help="Kubeconfig context for --cluster (default: current).",
        ),
    ]
    decorated: Any = wrapper
    for option in reversed(options):
        decorated = option(decorated)
    return decorated  # type: ignore[no-any-return]


def fail_on_option(f: F) -> F:
    """``--fail-on`` (into ``fail_on``): the lowest severity that makes the run exit 1."""
    from kubeguard.rules.rule import Severity

    return click.option(
        "--fail-on",
        type=click.Choice([s.label for s in Severity]),
        default="low",
        show_default=True,
        help="Exit 1 when an unsuppressed finding has this severity or higher.",
    )(f)
