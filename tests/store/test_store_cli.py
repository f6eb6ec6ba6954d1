"""``scan --store`` and ``kubeguard history``: what is printed, in the shapes the docs give."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kubeguard.cli.main import cli
from tests.store.conftest import write_pods


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _scan_json(folder: Path, *extra: str, env: dict[str, str] | None = None) -> dict:  # type: ignore[type-arg]
    code, out, err = _run("scan", "--no-progress", "-f", "json", str(folder), *extra, env=env)
    assert code == 1, err
    return json.loads(out)  # type: ignore[no-any-return]


def test_scan_store_then_history(store_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "m"
    first = _scan_json(write_pods(folder, {"a": True, "b": True}), "--store", store_url)
    second = _scan_json(
        write_pods(folder, {"a": False, "b": True, "c": True}), env={"KUBEGUARD_STORE": store_url}
    )

    code, out, _ = _run("history", "list", "--store", store_url, "-f", "json")
    assert code == 0
    listed = json.loads(out)
    assert [s["id"] for s in listed] == [2, 1]
    assert [s["summary"] for s in listed] == [second["summary"], first["summary"]]
    assert all(s["source"]["key"] == str(folder) and s["time"].endswith("Z") for s in listed)
    assert set(listed[0]) == {"id", "time", "source", "summary"}

    code, out, _ = _run("history", "show", "1", "--store", store_url, "-f", "json")
    assert code == 0
    shown = json.loads(out)
    assert shown["findings"] == first["findings"]
    assert shown["options"] == first["options"]
    assert shown["timing"]["seconds"] > 0

    code, out, _ = _run("history", "diff", "1", "2", "--store", store_url, "-f", "json")
    assert code == 0
    diff = json.loads(out)
    assert set(diff) == {"new", "fixed", "unchanged"}
    assert diff["new"] == [f for f in second["findings"] if f["resource"]["name"] == "c"]
    assert [(f["rule"], f["resource"]["name"]) for f in diff["fixed"]] == [("PSS002", "a")]
    assert diff["unchanged"] == len(second["findings"]) - len(diff["new"])

    code, out, _ = _run("history", "diff", "1", "2", "--store", store_url)
    assert code == 0
    assert out.startswith(f"scan 1 -> scan 2: {len(diff['new'])} new, 1 fixed, {diff['unchanged']} unchanged")
    assert "PSS002" in out

    code, out, _ = _run("history", "trend", "--store", store_url, "-f", "json")
    assert code == 0
    trend = json.loads(out)
    assert list(trend) == [str(folder)]
    assert [p["bySeverity"] for p in trend[str(folder)]] == [
        first["summary"]["bySeverity"],
        second["summary"]["bySeverity"],
    ]

    code, out, _ = _run("history", "list", "--store", store_url)
    assert code == 0
    assert out.splitlines()[0].split()[:3] == ["ID", "TIME", "(UTC)"]
    assert len(out.splitlines()) == 3
    code, out, _ = _run("history", "trend", "--store", store_url)
    assert code == 0 and out.startswith(str(folder))
    code, out, _ = _run("history", "show", "2", "--store", store_url)
    assert code == 0 and "scan 2" in out and "PSS002" in out
    # each finding says where it is, as in the scan
    for f in second["findings"]:
        assert f"{f['file']}:{f['line']}: {f['message']}" in out


def test_store_errors_are_clear(tmp_path: Path) -> None:
    code, _, err = _run("history", "list", "--store", "mysql://x@y/z")
    assert code == 2
    assert "unsupported store URL scheme 'mysql'" in err
    code, _, err = _run("history", "list", "--store", str(tmp_path / "no" / "such" / "x.db"))
    assert code == 2
    assert "does not exist" in err and "Traceback" not in err
    db = tmp_path / "s.db"
    code, _, err = _run("history", "show", "5", "--store", str(db))
    assert code == 2 and "no scan 5" in err
    code, _, err = _run("history", "list")
    assert code == 2 and "--store" in err


def test_unreachable_postgresql_names_the_store_without_its_password(tmp_path: Path) -> None:
    url = f"postgresql://kg:hunter2secret@/db?host={tmp_path}"
    code, _, err = _run("history", "list", "--store", url)
    assert code == 2
    assert "cannot open store postgresql+psycopg://kg:***@/db" in err
    assert "hunter2secret" not in err


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("results.db", "sqlite+pysqlite:///{cwd}/results.db"),
        ("sqlite:///results.db", "sqlite+pysqlite:///results.db"),
        ("sqlite:////abs/r.db", "sqlite+pysqlite:////abs/r.db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u@h:5433/db", "postgresql+psycopg://u@h:5433/db"),
    ],
)
def test_store_urls(value: str, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kubeguard.store import engine_url

    monkeypatch.chdir(tmp_path)
    assert engine_url(value).render_as_string() == expected.format(cwd=tmp_path)


@pytest.mark.parametrize("value", ["", "sqlite://", "sqlite:///:memory:", "ftp://x"])
def test_bad_store_urls(value: str) -> None:
    from kubeguard.store import StoreError, engine_url

    with pytest.raises(StoreError):
        engine_url(value)


def test_compliance_store_keeps_the_same_scan_as_scan_store(store_url: str, tmp_path: Path) -> None:
    folder = write_pods(tmp_path / "m", {"a": True, "b": False})
    scanned = _scan_json(folder, "--store", store_url)
    code, out, err = _run(
        "compliance", "--no-progress", "--framework", "pss", "-f", "json", str(folder),
        "--store", store_url, "--source-name", "team-a",
    )  # fmt: skip
    assert code == 1, err
    assert "stored scan 2 in" in err
    score = json.loads(out)["score"]

    code, out, _ = _run("history", "show", "2", "--store", store_url, "-f", "json")
    assert code == 0
    shown = json.loads(out)
    assert shown["findings"] == scanned["findings"]  # the scan the compliance report judged
    code, out, _ = _run("history", "list", "--store", store_url, "-f", "json")
    assert [s["source"]["key"] for s in json.loads(out)] == ["team-a", str(folder)]
    code, out, _ = _run("history", "trend", "--store", store_url, "-f", "json")
    assert json.loads(out)["team-a"][0]["scores"]["pss"] == score
