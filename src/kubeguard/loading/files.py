"""Finding and reading input: files, directories (recursively), stdin, kustomizations and charts.

Everything that cannot be read becomes an :class:`InputError` naming the file, and the rest of the
input is still read. Raw text is not kept once a file is decoded (except stdin, which cannot be
read again to map a field to its line; rendered objects are mapped to their source files instead,
see :mod:`kubeguard.loading.origins`).
"""

from __future__ import annotations

import codecs
import fnmatch
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from kubeguard.loading.cluster.snapshot import is_snapshot_file
from kubeguard.loading.cluster.source import ClusterInfo, ClusterSource, KindSelection, cluster_uri
from kubeguard.loading.documents import Item, parse_text
from kubeguard.loading.kustomization import KUSTOMIZATION_FILES, read_kustomization
from kubeguard.loading.origins import SourceDocuments, display_path, pop_origin
from kubeguard.loading.render import Rendered, render_helm, render_kustomize
from kubeguard.loading.views import Unit
from kubeguard.loading.yaml_loader import document_chunks
from kubeguard.model.errors import InputError
from kubeguard.model.pointer import ROOT
from kubeguard.model.resource import Resource, SourceLocation

if TYPE_CHECKING:
    from kubeguard.loading.cluster.collect import ClusterRead

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
DEFAULT_MAX_FILE_SIZE = 64 * 1024 * 1024
#: A snapshot may decompress to this many times --max-file-size (its objects compress about 10x).
SNAPSHOT_EXPANSION = 16
STDIN = "-"


@dataclass(frozen=True, slots=True)
class LoadOptions:
    """How to read input. ``exclude`` globs match a path relative to the scanned folder or a base name."""

    exclude: tuple[str, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    helm_values: tuple[str, ...] = ()
    helm_set: tuple[str, ...] = ()
    render: bool = True
    #: Also render kustomizations that another kustomization of the input includes (its bases).
    render_bases: bool = False
    #: Processes that decode files in parallel: 0 chooses (see :func:`auto_jobs`), 1 decodes here.
    jobs: int = 0
    #: Texts to read instead of the files (by path as discovered; ``-`` for stdin): ``kubeguard fix``
    #: scans its fixes before it writes them (and reads stdin once).
    texts: Mapping[str, str] = field(default_factory=dict)
    #: A live cluster to read as well (one view of its own); see :mod:`kubeguard.loading.cluster`.
    cluster: ClusterSource | None = None
    #: Which kinds a cluster read lists (what the rules need); ``None``: every kind.
    kinds: KindSelection | None = None


@dataclass(slots=True)
class LoadResult:
    resources: list[Resource] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    #: Texts that cannot be re-read from disk (stdin), by SourceLocation.text_key.
    texts: dict[str, str] = field(default_factory=dict)
    files: int = 0
    #: Where objects start in the source files of rendered objects, read once per scan.
    origins: SourceDocuments = field(default_factory=SourceDocuments)
    #: What the reader wants the user to know that is no problem (which renderer was used).
    notes: list[str] = field(default_factory=list)
    #: The resources again, grouped by the input source that produced them (for views).
    units: list[Unit] = field(default_factory=list)
    #: Things the reader should know that are not about one input (parallel decoding fell back).
    warnings: list[str] = field(default_factory=list)
    #: Files found by walking a folder that hold no Kubernetes object at all (package.json, mkdocs.yml).
    skipped: list[str] = field(default_factory=list)
    #: What a cluster read (live or from a snapshot) found: context, version, what was available.
    cluster: ClusterInfo | None = None


@dataclass(frozen=True, slots=True)
class InputSource:
    """One unit of input: a manifest file, stdin, a kustomization or a chart directory."""

    kind: str  # "file", "stdin", "kustomize", "helm", "snapshot", "error"
    path: str
    message: str = ""
    #: Found by walking a folder (not named by the user): a file of another tool's is skipped, not an error.
    walked: bool = False


def decode_bytes(data: bytes) -> tuple[str | None, str | None, int | None]:
    """``(text, None, None)`` or ``(None, reason, line)`` for binary or undecodable input."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        encoding = "utf-32"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        if b"\x00" in data:
            pos = data.index(b"\x00")
            return None, "binary file (contains NUL bytes); not a manifest", data.count(b"\n", 0, pos) + 1
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding), None, None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return (
            None,
            f"not valid {encoding.upper().replace('-SIG', '')} text (byte 0x{data[exc.start]:02x})",
            line,
        )


def discover(paths: Sequence[str], options: LoadOptions) -> Iterator[InputSource]:
    """Expand the given paths into input sources, in a stable order."""
    for path in paths:
        if path == STDIN:
            yield InputSource("stdin", STDIN)
            continue
        if os.path.islink(path) and not os.path.exists(path):
            yield InputSource("error", path, "broken symbolic link")
            continue
        if not os.path.exists(path):
            yield InputSource("error", path, "no such file or directory")
            continue
        if os.path.isdir(path):
            yield from _walk(path, path, options, set())
        else:
            yield InputSource("snapshot" if is_snapshot_file(path) else "file", path)


def _excluded(rel: str, name: str, options: LoadOptions) -> bool:
    return any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(name, g) for g in options.exclude)


def _walk(
    root: str, directory: str, options: LoadOptions, seen: set[tuple[int, int]]
) -> Iterator[InputSource]:
    try:
        st = os.stat(directory)
    except OSError as exc:
        yield InputSource("error", directory, _os_reason(exc))
        return
    key = (st.st_dev, st.st_ino)
    if key in seen:
        yield InputSource("error", directory, "symbolic link loop (directory already visited); skipped")
        return
    seen = seen | {key}
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        yield InputSource("error", directory, _os_reason(exc))
        return
    # a chart or a kustomization is a file of that name (kustomize and helm ignore a folder so named)
    names = {e.name for e in entries if e.name in _MARKER_FILES and _is_file(e)}
    not_objects: frozenset[str] = frozenset()
    if "Chart.yaml" in names:
        if options.render:
            yield InputSource("helm", directory)
        else:
            yield InputSource(
                "error",
                directory,
                "is a Helm chart; its templates are not manifests until rendered (--no-render)",
            )
        return
    if any(k in names for k in KUSTOMIZATION_FILES):
        if options.render:
            yield InputSource("kustomize", directory)
            return
        # --no-render: the folder's manifests as they are, without its kustomization and patches.
        k = read_kustomization(directory)
        not_objects = k.not_objects if k is not None else frozenset()
    for entry in entries:
        rel = os.path.relpath(entry.path, root)
        if entry.name.startswith(".") or _excluded(rel, entry.name, options):
            continue
        if not options.render and (
            entry.name in KUSTOMIZATION_FILES or os.path.normpath(entry.path) in not_objects
        ):
            continue
        try:
            is_dir = entry.is_dir(follow_symlinks=True)
            is_file = entry.is_file(follow_symlinks=True)
        except OSError as exc:
            yield InputSource("error", entry.path, _os_reason(exc))
            continue
        if entry.is_symlink() and not os.path.exists(entry.path):
            if entry.name.endswith(MANIFEST_SUFFIXES):
                yield InputSource("error", entry.path, "broken symbolic link")
            else:
                try:
                    os.stat(entry.path)
                except OSError as exc:
                    if "loop" in str(exc).lower() or getattr(exc, "errno", None) == 40:
                        yield InputSource("error", entry.path, "symbolic link loop; skipped")
            continue
        if is_dir:
            yield from _walk(root, entry.path, options, seen)
        elif is_file and entry.name.endswith(MANIFEST_SUFFIXES):
            yield InputSource("file", entry.path, walked=True)


def _os_reason(exc: OSError) -> str:
    if getattr(exc, "errno", None) == 40:
        return "symbolic link loop; skipped"
    return exc.strerror or str(exc)


def render_source(source: InputSource, options: LoadOptions) -> Rendered:
    """Run the renderer of a kustomization or chart source (safe to call from several threads)."""
    if source.kind == "kustomize":
        return render_kustomize(source.path)
    return render_helm(source.path, options.helm_values, options.helm_set)


def read_source(
    source: InputSource, options: LoadOptions, result: LoadResult, rendered: Rendered | None = None
) -> Iterator[Item]:
    """Decode one input source into resources and errors (``rendered``: its render, if done already)."""
    if source.kind == "error":
        yield InputError(source.path, source.message)
        return
    if source.kind in ("kustomize", "helm"):
        if rendered is None:
            rendered = render_source(source, options)
        if rendered.text is None:
            yield from _render_failed(source, rendered.error or "rendering failed", options, result)
            return
        if rendered.tool:
            result.notes.append(f"{source.path}: rendered with {rendered.tool}")
        yield from _rendered(rendered, source.path, source.kind, result.origins)
        return
    given = options.texts.get(source.path) if options.texts else None
    if given is not None:
        data = given.encode("utf-8")
        name = "<stdin>" if source.kind == "stdin" else source.path
    elif source.kind == "stdin":
        data = _read_stream(options.max_file_size + 1)
        name = "<stdin>"
    else:
        name = source.path
        try:
            size = os.path.getsize(source.path)
            if size > options.max_file_size:
                yield InputError(
                    name,
                    f"file is {size / 1048576:.1f} MiB, over the {options.max_file_size / 1048576:.0f} MiB "
                    "limit (--max-file-size); not read",
                )
                return
            with open(source.path, "rb") as fh:
                # Read what stat promised (plus one byte to notice growth); read(n) would allocate n up front.
                data = fh.read(size + 1) if size else fh.read(options.max_file_size + 1)
        except OSError as exc:
            yield InputError(name, f"cannot read: {_os_reason(exc)}")
            return
    if len(data) > options.max_file_size:
        yield InputError(
            name,
            f"input is over the {options.max_file_size / 1048576:.0f} MiB limit (--max-file-size); not read",
        )
        return
    text, reason, line = decode_bytes(data)
    del data
    if text is None:
        yield InputError(name, reason or "cannot decode", line)
        return
    if source.kind == "stdin":
        result.texts[name] = text
        text_key: str | None = name
        origin = "stdin"
    else:
        text_key = source.path
        origin = "file"
    is_json = name.endswith(".json") or (source.kind == "stdin" and text.lstrip().startswith(("{", "[")))
    templates = _helm_sources(text) if source.kind == "stdin" and "# Source: " in text else {}
    for item in parse_text(text, name, origin=origin, text_key=text_key, is_json=is_json):
        if templates and isinstance(item, Resource) and item.source.document in templates:
            # `helm template ... | kubeguard scan -`: name the template, as helm recorded it.
            item.source = SourceLocation(templates[item.source.document], item.source.document, origin="helm")
        yield item


def _read_stream(limit: int) -> bytes:
    """Read stdin in chunks up to ``limit`` bytes (a single read(limit) would allocate it all)."""
    chunks: list[bytes] = []
    total = 0
    while total < limit:
        chunk = sys.stdin.buffer.read(min(1 << 20, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _rendered(rendered: Rendered, path: str, origin: str, documents: SourceDocuments) -> Iterator[Item]:
    """Objects of a render, each named by the file it came from where that is known.

    Kustomize's origin annotations give the source file (then the line of each finding is found in
    it); Helm's ``# Source:`` comments give the template (no line: templates are not YAML). Objects
    with neither are named by the rendered folder, without a line.
    """
    assert rendered.text is not None
    templates = _helm_sources(rendered.text, path) if origin == "helm" else {}
    for item in parse_text(rendered.text, path, origin=origin, text_key=None):
        if not isinstance(item, Resource):
            # A document that could not be read (a field of the wrong type, say) names its template too.
            if item.document in templates:
                item = replace(item, file=templates[item.document])
            yield item
            continue
        source = item.source
        if origin == "kustomize":
            where = pop_origin(item.raw)
            if where and "path" in where and "repo" not in where and rendered.origin_root:
                file = os.path.normpath(os.path.join(rendered.origin_root, where["path"]))
                found = documents.find(file, item.kind, item.name)
                shown = display_path(file, path)
                if found is not None:
                    source = SourceLocation(shown, found[0], found[1], ROOT, origin, file)
                else:
                    source = SourceLocation(shown, source.document, None, source.base, origin)
        elif source.document in templates:
            source = SourceLocation(templates[source.document], source.document, None, source.base, origin)
        item.source = source
        yield item


def _helm_sources(text: str, chart: str | None = None) -> dict[int, str]:
    """Document index -> template path, from the ``# Source: chart/templates/x.yaml`` comments
    (joined to the chart folder when it is known, else as written)."""
    out: dict[int, str] = {}
    for index, (_start, chunk) in enumerate(document_chunks(text)):
        for ln in chunk.splitlines():
            if ln.startswith("# Source: "):
                written = ln[len("# Source: ") :].strip()
                rel = written.split("/", 1)
                out[index] = (
                    os.path.join(chart, rel[1] if len(rel) == 2 else rel[0]) if chart is not None else written
                )
                break
    return out


def _render_failed(
    source: InputSource, error: str, options: LoadOptions, result: LoadResult
) -> Iterator[Item]:
    """A kustomization that did not render: report it, and scan the manifests it lists as they are
    (its own files and its local bases', without patches), so its folder is not lost."""
    if source.kind != "kustomize":
        yield InputError(source.path, error)
        return
    files = _kustomization_files(source.path, set())
    note = (
        f"; scanned its {len(files)} plain manifest file(s) as they are instead (patches and other "
        "transformations not applied)"
        if files
        else ""
    )
    yield InputError(source.path, error + note)
    for path in files:
        yield from read_source(InputSource("file", path), options, result)


_MARKER_FILES = frozenset(("Chart.yaml", *KUSTOMIZATION_FILES))


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file(follow_symlinks=True)
    except OSError:
        return False


def _kustomization_files(directory: str, seen: set[str]) -> list[str]:
    real = os.path.realpath(directory)
    if real in seen:
        return []
    seen.add(real)
    k = read_kustomization(directory)
    if k is None or k.listed is None:
        try:
            names = sorted(os.listdir(directory))
        except OSError:
            return []
        return [
            os.path.join(directory, n)
            for n in names
            if n.endswith(MANIFEST_SUFFIXES)
            and n not in KUSTOMIZATION_FILES
            and not n.startswith(".")
            and os.path.normpath(os.path.join(directory, n)) not in (k.not_objects if k else ())
        ]
    out = [f for f in k.listed if os.path.isfile(f) and f.endswith(MANIFEST_SUFFIXES)]
    for base in k.includes:
        out.extend(_kustomization_files(base, seen))
    return out


def deployable_roots(sources: list[InputSource]) -> list[InputSource]:
    """The sources without the kustomizations that another kustomization of the input includes
    (bases and components are rendered as part of what includes them, not as units of their own)."""
    folders = [s.path for s in sources if s.kind == "kustomize"]
    if len(folders) < 2:
        return sources
    included: set[str] = set()
    for folder in folders:
        k = read_kustomization(folder)
        if k is not None:
            included.update(os.path.realpath(i) for i in k.includes)
            if k.is_component:
                included.add(os.path.realpath(folder))
    if not included:
        return sources
    return [s for s in sources if s.kind != "kustomize" or os.path.realpath(s.path) not in included]


#: Inputs smaller than this are decoded in this process: starting workers would cost more.
PARALLEL_MIN_BYTES = 8 * 1024 * 1024
PARALLEL_MIN_FILES = 16
#: Fewer cores than this and ``--jobs 0`` decodes in one process. Measured with
#: ``benchmarks/bench_scan.py --repeat 2 --jobs 1,2`` on 2 cores (50,000 resources): on a quiet
#: machine two workers won (best 16.2 s against 21.1 s in one process, the same CPU time, 20.5 s vs
#: 20.9 s); on the same machine shared with other heavy jobs they were at best as fast and at worst
#: far slower (every decoded object is pickled back to this process). A CI runner is a quiet machine.
PARALLEL_MIN_CORES = 2
_BATCH_BYTES = 1024 * 1024


def _decode_batch(batch: list[InputSource], options: LoadOptions) -> list[list[Item]]:
    """Worker side of parallel loading: decode whole files (plain files only, never stdin or renders)."""
    scratch = LoadResult()
    return [list(read_source(source, options, scratch)) for source in batch]


def _file_size(source: InputSource) -> int:
    try:
        return os.path.getsize(source.path)
    except OSError:
        return 0  # reading it will report the problem


def _jobs_for(files: list[InputSource], sizes: list[int], options: LoadOptions) -> int:
    """How many worker processes to decode these files with."""
    if options.jobs == 1 or len(files) < PARALLEL_MIN_FILES:
        return 1
    if options.jobs > 1:
        return options.jobs
    return auto_jobs(sum(sizes), usable_cores())


def usable_cores() -> int:
    """Cores this process may run on (a container's CPU set, not the machine's)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def auto_jobs(total_bytes: int, cores: int) -> int:
    """Workers chosen for ``--jobs 0``: one per core up to 8, only where workers pay for themselves.

    Workers send every decoded object back to this process pickled, which costs about as much as
    decoding it here; the pool can win only with enough cores to spread the decoding over (see
    :data:`PARALLEL_MIN_CORES`), and only for inputs of :data:`PARALLEL_MIN_BYTES` or more.
    """
    if cores < PARALLEL_MIN_CORES or total_bytes < PARALLEL_MIN_BYTES:
        return 1
    return min(cores, 8)


def _batches(files: list[InputSource], sizes: list[int]) -> list[list[InputSource]]:
    """Files grouped into batches of about a megabyte, in order."""
    out: list[list[InputSource]] = []
    current: list[InputSource] = []
    size = 0
    for source, file_size in zip(files, sizes, strict=True):
        current.append(source)
        size += file_size
        if size >= _BATCH_BYTES:
            out.append(current)
            current, size = [], 0
    if current:
        out.append(current)
    return out


def load(
    paths: Sequence[str],
    options: LoadOptions | None = None,
    progress: Callable[[str], None] | None = None,
) -> LoadResult:
    """Read every path; see the module docstring.

    Large inputs are decoded by worker processes (``LoadOptions.jobs``), each decoding whole files
    exactly as this process would; results keep the input order.
    """
    options = options or LoadOptions()
    result = LoadResult()
    sources = list(discover(paths, options))
    if not options.render_bases:
        sources = deployable_roots(sources)
    files = [s for s in sources if s.kind == "file"]
    decoded: dict[InputSource, list[Item]] = {}
    if options.jobs != 1 and len(files) >= PARALLEL_MIN_FILES:
        sizes = [_file_size(f) for f in files]
        jobs = _jobs_for(files, sizes, options)
        if jobs > 1:
            decoded = _decode_in_workers(_batches(files, sizes), options, jobs, progress, result.warnings)
    renders = _start_renders(sources, options)
    for source in sources:
        if progress is not None and source not in decoded:
            progress(source.path)
        if source.kind == "snapshot":
            _read_snapshot(source.path, options, result)
            continue
        result.files += 1
        unit = Unit(source.kind, source.path)
        result.units.append(unit)
        items = decoded.pop(source, None)
        future = renders.get(source)
        rendered = future.result() if future is not None else None
        if items is None:
            items = list(read_source(source, options, result, rendered))
        if source.walked and items and all(isinstance(i, InputError) and i.foreign for i in items):
            result.skipped.append(source.path)
            continue
        for item in items:
            if isinstance(item, Resource):
                result.resources.append(item)
                unit.resources.append(item)
            else:
                result.errors.append(item)
    if options.cluster is not None:
        _read_cluster(options.cluster, options.kinds, result, progress)
    if result.skipped:
        shown = ", ".join(result.skipped[:3]) + (
            f" and {len(result.skipped) - 3} more" if len(result.skipped) > 3 else ""
        )
        result.notes.append(
            f"{len(result.skipped)} file(s) found in folders hold no Kubernetes object (no kind and no "
            f"apiVersion: another tool's files) and were skipped: {shown}"
        )
    return result


def _read_cluster(
    source: ClusterSource,
    kinds: KindSelection | None,
    result: LoadResult,
    progress: Callable[[str], None] | None,
) -> None:
    """Read a live cluster into ``result`` as one unit (one view). Raises ``ClusterError`` when it
    cannot be read at all."""
    from kubeguard.loading.cluster.collect import collect

    read = collect(source, kinds, progress)
    add_cluster_read(read, result)


def _read_snapshot(path: str, options: LoadOptions, result: LoadResult) -> None:
    """A snapshot file read as the cluster it was taken from (one unit, one view)."""
    from kubeguard.loading.cluster.snapshot import SnapshotError, read_snapshot

    try:
        read = read_snapshot(path, options.kinds, options.max_file_size * SNAPSHOT_EXPANSION)
    except SnapshotError as exc:
        result.files += 1
        result.errors.append(InputError(path, f"cannot read the snapshot: {exc}"))
        return
    add_cluster_read(read, result)


def add_cluster_read(read: ClusterRead, result: LoadResult) -> None:
    """Add what one cluster read (live or a snapshot) produced to ``result``, as one unit."""
    unit = Unit("cluster", cluster_uri(read.info.context), read.resources)
    result.units.append(unit)
    result.files += 1
    result.resources.extend(read.resources)
    result.errors.extend(read.errors)
    result.warnings.extend(read.warnings)
    result.cluster = read.info


def _start_renders(sources: list[InputSource], options: LoadOptions) -> dict[InputSource, Future[Rendered]]:
    """Start every kustomization and chart render at once, in threads (the work is in the renderer
    processes); results are read in input order while later renders still run."""
    todo = [s for s in sources if s.kind in ("kustomize", "helm")]
    if len(todo) < 2:
        return {}
    from concurrent.futures import ThreadPoolExecutor

    workers = options.jobs if options.jobs > 0 else max(2, os.cpu_count() or 1)
    pool = ThreadPoolExecutor(max_workers=min(len(todo), workers), thread_name_prefix="kubeguard-render")
    futures = {s: pool.submit(render_source, s, options) for s in todo}
    pool.shutdown(wait=False)  # threads end when their renders do
    return futures


def _decode_in_workers(
    batches: list[list[InputSource]],
    options: LoadOptions,
    jobs: int,
    progress: Callable[[str], None] | None,
    warnings: list[str],
) -> dict[InputSource, list[Item]]:
    """Decode ``batches`` in ``jobs`` worker processes. When no pool can be started, or a worker
    dies, say so in ``warnings`` and return what is done: the caller decodes the rest here."""
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    methods = multiprocessing.get_all_start_methods()
    # fork is the cheapest start, but only safe while this process runs no other thread (a
    # progress display does): then the fork server, else spawn.
    if "fork" in methods and threading.active_count() == 1:
        method = "fork"
    elif "forkserver" in methods:
        method = "forkserver"
    else:
        method = "spawn"
    context = multiprocessing.get_context(method)
    out: dict[InputSource, list[Item]] = {}
    try:
        pool = ProcessPoolExecutor(max_workers=min(jobs, len(batches)), mp_context=context)
    except (OSError, NotImplementedError) as exc:
        # No worker processes here (a sandbox without semaphores, a platform without fork or spawn).
        warnings.append(f"cannot start decoding processes ({exc}); decoding in one process")
        return out
    try:
        with pool:
            for batch, items in zip(
                batches, pool.map(_decode_batch, batches, [options] * len(batches)), strict=True
            ):
                for source, decoded in zip(batch, items, strict=True):
                    out[source] = decoded
                    if progress is not None:
                        progress(source.path)
    except BrokenProcessPool:
        # A worker died (killed, out of memory): the files it had not returned are decoded here.
        warnings.append(
            f"a decoding process stopped unexpectedly after {len(out)} file(s); "
            "decoding the rest in one process"
        )
    return out
