"""Finding and reading input: files, directories (recursively), stdin, kustomizations and charts.

Everything that cannot be read becomes an :class:`InputError` naming the file, and the rest of the
input is still read. Raw text is not kept once a file is decoded (except stdin and rendered output,
which cannot be read again to map a field to its line).
"""

from __future__ import annotations

import codecs
import dataclasses
import fnmatch
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from kubeguard.loading.documents import Item, parse_text
from kubeguard.loading.kustomization import KUSTOMIZATION_FILES, read_kustomization
from kubeguard.loading.render import render_helm, render_kustomize
from kubeguard.loading.views import Unit
from kubeguard.loading.yaml_loader import split_documents
from kubeguard.model.errors import InputError
from kubeguard.model.resource import Resource

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
DEFAULT_MAX_FILE_SIZE = 64 * 1024 * 1024
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
    #: Processes that decode files in parallel: 0 chooses (all cores for large inputs, else 1).
    jobs: int = 0


@dataclass(slots=True)
class LoadResult:
    resources: list[Resource] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    #: Texts that cannot be re-read from disk (stdin, rendered output), by SourceLocation.text_key.
    texts: dict[str, str] = field(default_factory=dict)
    files: int = 0
    #: The resources again, grouped by the input source that produced them (for views).
    units: list[Unit] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class InputSource:
    """One unit of input: a manifest file, stdin, a kustomization or a chart directory."""

    kind: str  # "file", "stdin", "kustomize", "helm", "error"
    path: str
    message: str = ""


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
            yield InputSource("file", path)


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
    names = {e.name for e in entries}
    if "Chart.yaml" in names:
        yield InputSource("helm", directory)
        return
    if any(k in names for k in KUSTOMIZATION_FILES):
        yield InputSource("kustomize", directory)
        return
    for entry in entries:
        rel = os.path.relpath(entry.path, root)
        if entry.name.startswith(".") or _excluded(rel, entry.name, options):
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
            yield InputSource("file", entry.path)


def _os_reason(exc: OSError) -> str:
    if getattr(exc, "errno", None) == 40:
        return "symbolic link loop; skipped"
    return exc.strerror or str(exc)


def read_source(source: InputSource, options: LoadOptions, result: LoadResult) -> Iterator[Item]:
    """Decode one input source into resources and errors."""
    if source.kind == "error":
        yield InputError(source.path, source.message)
        return
    if source.kind == "kustomize":
        text, error = render_kustomize(source.path)
        key = f"kustomize:{source.path}"
        yield from _rendered(text, error, source.path, "kustomize", key, result)
        return
    if source.kind == "helm":
        text, error = render_helm(source.path, options.helm_values, options.helm_set)
        key = f"helm:{source.path}"
        yield from _rendered(text, error, source.path, "helm", key, result)
        return
    if source.kind == "stdin":
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
    yield from parse_text(text, name, origin=origin, text_key=text_key, is_json=is_json)


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


def _rendered(
    text: str | None, error: str | None, path: str, origin: str, key: str, result: LoadResult
) -> Iterator[Item]:
    if text is None:
        yield InputError(path, error or f"{origin} rendering failed")
        return
    result.texts[key] = text
    sources = _helm_sources(text, path) if origin == "helm" else {}
    for item in parse_text(text, path, origin=origin, text_key=key):
        if sources and isinstance(item, Resource) and item.source.document in sources:
            # Name the chart template that produced the object, as `helm template` records it.
            item.source = dataclasses.replace(item.source, file=sources[item.source.document])
        yield item


def _helm_sources(text: str, chart: str) -> dict[int, str]:
    """Document index -> template path, from the ``# Source: chart/templates/x.yaml`` comments."""
    out: dict[int, str] = {}
    index = 0
    for _start, chunk in split_documents(text):
        lines = [ln for ln in chunk.splitlines() if ln.strip() and not ln.startswith("---")]
        if not any(not ln.lstrip().startswith("#") for ln in lines):
            continue  # a chunk without content is not a document
        for ln in lines:
            if ln.startswith("# Source: "):
                rel = ln[len("# Source: ") :].strip().split("/", 1)
                out[index] = os.path.join(chart, rel[1] if len(rel) == 2 else rel[0])
                break
        index += 1
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
    env = os.environ.get("KUBEGUARD_JOBS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    if sum(sizes) < PARALLEL_MIN_BYTES:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


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

    Large inputs are decoded by worker processes (``LoadOptions.jobs``, ``KUBEGUARD_JOBS``), each
    decoding whole files exactly as this process would; results keep the input order.
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
            decoded = _decode_in_workers(_batches(files, sizes), options, jobs, progress)
    for source in sources:
        if progress is not None and source not in decoded:
            progress(source.path)
        result.files += 1
        unit = Unit(source.kind, source.path)
        result.units.append(unit)
        items = decoded.pop(source, None)
        for item in items if items is not None else read_source(source, options, result):
            if isinstance(item, Resource):
                result.resources.append(item)
                unit.resources.append(item)
            else:
                result.errors.append(item)
    return result


def _decode_in_workers(
    batches: list[list[InputSource]],
    options: LoadOptions,
    jobs: int,
    progress: Callable[[str], None] | None,
) -> dict[InputSource, list[Item]]:
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor

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
        with ProcessPoolExecutor(max_workers=min(jobs, len(batches)), mp_context=context) as pool:
            for batch, items in zip(
                batches, pool.map(_decode_batch, batches, [options] * len(batches)), strict=True
            ):
                for source, decoded in zip(batch, items, strict=True):
                    out[source] = decoded
                    if progress is not None:
                        progress(source.path)
    except (OSError, RuntimeError):
        # No worker processes here (a sandbox, a frozen interpreter): decode in this process.
        return {}
    return out
