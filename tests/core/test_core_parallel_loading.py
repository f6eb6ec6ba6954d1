"""Parallel decoding is honest: a crashed worker or a pool that cannot start is said, never hidden,
and the number of workers is the caller's choice (the library reads no environment variable)."""

from __future__ import annotations

import concurrent.futures
import os

import pytest

from kubeguard.loading import files
from kubeguard.loading.files import LoadOptions, auto_jobs, load
from tests.core.conftest import pod

_DECODE = files._decode_batch


def _crash(batch, options):
    """A worker that dies as an out-of-memory kill would: no exception, the process is gone."""
    if any(source.path.endswith("f05.yaml") for source in batch):
        os._exit(1)
    return _DECODE(batch, options)


def _broken(batch, options):
    raise RuntimeError("decoder bug")


@pytest.fixture
def corpus(tmp_path):
    for i in range(files.PARALLEL_MIN_FILES + 4):
        (tmp_path / f"f{i:02d}.yaml").write_text(pod(f"p{i}"))
    return tmp_path


def test_a_crashed_worker_is_reported_and_its_files_still_read(corpus, monkeypatch):
    monkeypatch.setattr(files, "_BATCH_BYTES", 1)  # one file per batch
    monkeypatch.setattr(files, "_decode_batch", _crash)
    monkeypatch.setattr("threading.active_count", lambda: 1)  # fork, so the workers see the patch
    result = load([str(corpus)], LoadOptions(jobs=2))
    assert [r.name for r in result.resources] == [f"p{i}" for i in range(files.PARALLEL_MIN_FILES + 4)]
    assert not result.errors
    (warning,) = result.warnings
    assert "decoding process stopped unexpectedly" in warning


def test_a_pool_that_cannot_start_is_reported(corpus, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError(38, "Function not implemented")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)
    result = load([str(corpus)], LoadOptions(jobs=2))
    assert len(result.resources) == files.PARALLEL_MIN_FILES + 4
    (warning,) = result.warnings
    assert "cannot start decoding processes" in warning


def test_an_error_in_a_worker_is_not_swallowed(corpus, monkeypatch):
    # a bug in the decoder is a bug: it must surface, not be re-run quietly in this process
    monkeypatch.setattr(files, "_decode_batch", _broken)
    monkeypatch.setattr("threading.active_count", lambda: 1)
    with pytest.raises(RuntimeError, match="decoder bug"):
        load([str(corpus)], LoadOptions(jobs=2))


def test_the_library_ignores_kubeguard_jobs(corpus, monkeypatch):
    # KUBEGUARD_JOBS is the command line's (click envvar of --jobs); the library does what it is told
    monkeypatch.setenv("KUBEGUARD_JOBS", "4")
    sources = [s for s in files.discover([str(corpus)], LoadOptions()) if s.kind == "file"]
    sizes = [100] * len(sources)
    assert files._jobs_for(sources, sizes, LoadOptions(jobs=0)) == 1  # small input: one process
    assert files._jobs_for(sources, sizes, LoadOptions(jobs=3)) == 3


def test_automatic_jobs_follow_input_size_and_cores():
    big = files.PARALLEL_MIN_BYTES
    assert auto_jobs(big - 1, 16) == 1
    assert auto_jobs(big, 1) == 1
    assert auto_jobs(big, files.PARALLEL_MIN_CORES - 1) == 1
    assert auto_jobs(big, files.PARALLEL_MIN_CORES) == files.PARALLEL_MIN_CORES
    assert auto_jobs(big, 64) == 8
