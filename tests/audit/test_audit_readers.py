"""Reading audit logs: formats recognized per record, and hostile input reported per record with
bounded memory (a 1 GB line, deep nesting, non-UTF-8, truncated or corrupt gzip)."""

from __future__ import annotations

import gzip
import io
import json
import tracemalloc
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kubeguard.loading import audit as audit_loader
from kubeguard.loading.audit import ReadOptions, gke_object_ref, read_audit, read_stream
from kubeguard.model.audit import AuditEvent, RecordError, Skipped, event_from_dict
from tests.auditkit import gke_entry


def event(audit_id: str, **fields: Any) -> dict[str, Any]:
    data = {
        "kind": "Event",
        "apiVersion": "audit.k8s.io/v1",
        "level": "Metadata",
        "auditID": audit_id,
        "stage": "ResponseComplete",
        "requestURI": "/api/v1/namespaces/ns/secrets/s",
        "verb": "get",
        "user": {"username": "alice"},
        "objectRef": {"resource": "secrets", "namespace": "ns", "name": "s", "apiVersion": "v1"},
        "responseStatus": {"code": 200},
        "stageTimestamp": "2026-12-01T10:00:00Z",
    }
    data.update(fields)
    return data


def line(e: dict[str, Any]) -> bytes:
    return json.dumps(e).encode() + b"\n"


def read_bytes(data: bytes, fmt: str = "auto", cap: int | None = None) -> list[Any]:
    opts = ReadOptions(input_format=fmt) if cap is None else ReadOptions(input_format=fmt, max_record=cap)
    return list(read_stream(io.BufferedReader(io.BytesIO(data)), "f", opts))


def summary(items: list[Any]) -> list[str]:
    out = []
    for item in items:
        if isinstance(item, AuditEvent):
            out.append(f"{item.origin} {item.audit_id}")
        elif isinstance(item, RecordError):
            # the decoder's own words differ between orjson versions: keep ours
            message = (
                item.message.split(" JSON: ", 1)[0] + " JSON" if " JSON: " in item.message else item.message
            )
            out.append(f"{item.origin} ERROR {message}")
        else:
            out.append(f"{item.origin} SKIP")
    return out


def test_malformed_records_are_named_and_the_rest_is_read():
    data = (
        line(event("a"))
        + b"{not json\n"
        + b"\n"
        + b'{"kind": "Event", "auditID": "x"'  # truncated
        + b"\n"
        + b'"just a string"\n'
        + line({"kind": "Pod", "metadata": {}})
        + line(event("b"))
        + b'{"verb": "get", "auditID": "c"}'  # last line without a newline
    )
    assert summary(read_bytes(data)) == [
        "f:1 a",
        "f:2 ERROR invalid JSON",
        "f:4 ERROR invalid JSON",
        "f:5 ERROR not a JSON object",
        "f:6 ERROR its kind is not an audit Event",
        "f:7 b",
        "f:8 c",
    ]


def test_non_utf8_and_deep_nesting_are_record_errors():
    deep = b"[" * 100_000 + b"]" * 100_000 + b"\n"
    latin1 = '{"verb": "get", "auditID": "caf\xe9"}\n'.encode("latin-1")
    items = read_bytes(line(event("a")) + latin1 + deep + line(event("b")))
    assert summary(items) == ["f:1 a", "f:2 ERROR invalid JSON", "f:3 ERROR invalid JSON", "f:4 b"]
    assert "UTF-8" in items[1].message


def test_deeply_nested_request_object_is_kept_without_recursion():
    nested: Any = {}
    for _ in range(500):
        nested = {"a": nested}
    items = read_bytes(line(event("a", requestObject=nested)))
    assert isinstance(items[0], AuditEvent) and items[0].request_object["a"]["a"] is not None


def test_a_1gb_line_is_skipped_with_bounded_memory(tmp_path: Path):
    path = tmp_path / "huge.jsonl"
    with open(path, "wb") as fh:
        fh.write(line(event("before")))
        fh.write(b'{"kind": "Event", "requestObject": "')
        fh.seek(1 << 30, io.SEEK_CUR)  # a sparse gigabyte inside one line
        fh.write(b'"}\n')
        fh.write(line(event("after")))
    tracemalloc.start()
    try:
        items = list(read_audit([str(path)], ReadOptions(max_record=8 * 1024 * 1024)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert summary(items) == [
        f"{path}:1 before",
        f"{path}:2 ERROR record longer than 8 MiB, skipped",
        f"{path}:3 after",
    ]
    assert peak < 64 * 1024 * 1024, peak


def test_truncated_gzip_reports_the_damage_after_the_records_before_it():
    packed = gzip.compress(b"".join(line(event(f"e{i}")) for i in range(2000)))
    items = read_bytes(packed[: len(packed) // 2])
    events = [i for i in items if isinstance(i, AuditEvent)]
    errors = [i for i in items if isinstance(i, RecordError)]
    assert 0 < len(events) < 2000
    assert [e.audit_id for e in events] == [f"e{i}" for i in range(len(events))]
    assert len(errors) == 1 and "truncated" in errors[0].message
    # a damaged last line counts as a record error or as the truncation, never an exception
    assert errors[0].origin.startswith("f:")


def test_corrupt_gzip_is_an_error_not_a_crash():
    packed = bytearray(gzip.compress(b"".join(line(event(f"e{i}")) for i in range(50))))
    packed[-8] ^= 0xFF  # CRC
    items = read_bytes(bytes(packed))
    assert isinstance(items[-1], RecordError) and "gzip" in items[-1].message


def test_gzip_is_recognized_by_magic_bytes_not_name(tmp_path: Path):
    path = tmp_path / "audit.log"
    path.write_bytes(gzip.compress(line(event("z"))))
    assert summary(list(read_audit([str(path)]))) == [f"{path}:1 z"]


def test_an_unreadable_input_is_named_and_the_next_is_read(tmp_path: Path):
    good = tmp_path / "good.jsonl"
    good.write_bytes(line(event("g")))
    items = list(read_audit([str(tmp_path / "missing.jsonl"), str(good)]))
    assert isinstance(items[0], RecordError) and items[0].whole_input
    assert "cannot read: No such file or directory" in items[0].message
    assert summary(items[1:]) == [f"{good}:1 g"]


def test_event_lists_compact_and_pretty_printed():
    items = [event("a"), {"kind": "Pod"}, event("b")]
    compact = json.dumps({"kind": "EventList", "apiVersion": "audit.k8s.io/v1", "items": items}).encode()
    assert summary(read_bytes(compact + b"\n")) == [
        "f:1#1 a",
        "f:1#2 ERROR its kind is not an audit Event",
        "f:1#3 b",
    ]
    pretty = json.dumps({"kind": "EventList", "items": items[::2]}, indent=2).encode()
    assert summary(read_bytes(pretty)) == ["f:1#1 a", "f:1#2 b"]
    array = json.dumps(items[::2], indent=1).encode()
    assert summary(read_bytes(b"\n" + array)) == ["f:2#1 a", "f:2#2 b"]


def test_a_broken_or_oversized_document_is_one_error():
    broken = b'{\n  "kind": "EventList",\n  "items": [\n    {"verb": \n'
    result = summary(read_bytes(broken))
    assert result == ["f:4 ERROR invalid JSON"]
    big = json.dumps({"kind": "EventList", "items": [event(str(i)) for i in range(200)]}, indent=2).encode()
    assert summary(read_bytes(big, cap=4096)) == [
        "f:1 ERROR JSON document longer than 0 MiB: not read (write one record per line to read any size)"
    ]


def test_cloudwatch_truncated_message_is_named():
    msg = json.dumps(event("t"))[:100] + "[Truncated...]"
    data = json.dumps({"events": [{"timestamp": 1, "message": msg}, {"message": json.dumps(event("ok"))}]})
    assert summary(read_bytes(data.encode() + b"\n")) == [
        "f:1#1 ERROR the CloudWatch message was truncated by CloudWatch Logs (events over 256 KB are cut)",
        "f:1#2 ok",
    ]


def test_aks_other_categories_are_skipped_and_a_bad_log_is_an_error():
    records = [
        {"category": "kube-apiserver", "properties": {"log": "I1201 started"}},
        {"category": "kube-audit", "properties": {"log": "{oops"}},
        {"category": "kube-audit-admin", "properties": {"log": json.dumps(event("k"))}},
    ]
    result = read_bytes(json.dumps({"records": records}).encode() + b"\n")
    assert isinstance(result[0], Skipped)
    assert summary(result)[1:] == [
        "f:1#2 ERROR properties.log is not valid JSON",
        "f:1#3 k",
    ]


def test_forcing_a_format_makes_other_records_errors():
    data = line(event("a")) + json.dumps({"records": []}).encode() + b"\n"
    assert summary(read_bytes(data, fmt="aks")) == [
        "f:1 ERROR a k8s record, not aks (--input-format)",
    ]
    assert summary(read_bytes(data, fmt="k8s")) == [
        "f:1 a",
        "f:2 ERROR a aks record, not k8s (--input-format)",
    ]
    with pytest.raises(ValueError, match="unknown input format"):
        ReadOptions(input_format="splunk")


def test_gke_entry_is_mapped_to_the_event():
    entry = gke_entry(
        event(
            "g1",
            verb="create",
            objectRef={"resource": "pods", "subresource": "exec", "namespace": "shop", "name": "web-0"},
            sourceIPs=["203.0.113.9"],
            userAgent="kubectl/v1.31.0",
            responseStatus={"code": 403},
            annotations={"authorization.k8s.io/decision": "forbid"},
        )
    )
    assert entry["protoPayload"]["methodName"] == "io.k8s.core.v1.pods.exec.create"
    assert entry["protoPayload"]["resourceName"] == "core/v1/namespaces/shop/pods/web-0/exec"
    [e] = read_bytes(json.dumps(entry).encode() + b"\n", fmt="gke")
    assert isinstance(e, AuditEvent)
    assert (e.audit_id, e.verb, e.user.username, e.source_ips, e.user_agent) == (
        "g1",
        "create",
        "alice",
        ("203.0.113.9",),
        "kubectl/v1.31.0",
    )
    assert (e.api_group, e.resource, e.subresource, e.namespace, e.name) == (
        "",
        "pods",
        "exec",
        "shop",
        "web-0",
    )
    assert e.code == 403 and e.failed and e.decision == "forbid"
    entry["protoPayload"]["status"] = {}
    [ok] = read_bytes(json.dumps(entry).encode() + b"\n")
    assert isinstance(ok, AuditEvent) and ok.code == 101 and not ok.failed


@pytest.mark.parametrize(
    ("name", "ref"),
    [
        ("core/v1/namespaces/x/pods/y/exec", ("", "v1", "x", "pods", "y", "exec")),
        ("core/v1/namespaces/x/pods/y", ("", "v1", "x", "pods", "y", "")),
        ("core/v1/namespaces/x/pods", ("", "v1", "x", "pods", "", "")),
        ("core/v1/namespaces/x", ("", "v1", "", "namespaces", "x", "")),
        ("core/v1/namespaces/x/status", ("", "v1", "", "namespaces", "x", "status")),
        ("core/v1/namespaces", ("", "v1", "", "namespaces", "", "")),
        (
            "rbac.authorization.k8s.io/v1/clusterrolebindings/admin",
            ("rbac.authorization.k8s.io", "v1", "", "clusterrolebindings", "admin", ""),
        ),
        ("core/v1/nodes/n1/proxy", ("", "v1", "", "nodes", "n1", "proxy")),
        ("apps/v1/namespaces/x/deployments/web/scale", ("apps", "v1", "x", "deployments", "web", "scale")),
    ],
)
def test_gke_resource_names(name: str, ref: tuple[str, ...]):
    got = gke_object_ref(name)
    keys = ("apiGroup", "apiVersion", "namespace", "resource", "name", "subresource")
    assert tuple(got.get(k, "") for k in keys) == ref
    assert gke_object_ref("") == {} and gke_object_ref(None) == {}


def test_eks_s3_export_lines_keep_their_timestamp_prefix_out():
    data = b"2026-12-01T10:00:00.123Z " + line(event("s3"))
    assert summary(read_bytes(gzip.compress(data))) == ["f:1 s3"]


# --- the block line reader: every split of the input into blocks gives the same lines ----------

_LINE_BYTES = st.lists(st.sampled_from([b"a", b"{", b" ", b"\r", b"\xff", b"\n"]), max_size=60).map(b"".join)


def _reference_lines(data: bytes, cap: int) -> list[tuple[int, bytes, str | None]]:
    parts = data.split(b"\n")
    if parts[-1] == b"":
        parts.pop()
    return [
        (n, b"", f"record longer than {cap // (1024 * 1024)} MiB, skipped") if len(p) > cap else (n, p, None)
        for n, p in enumerate(parts, 1)
    ]


@settings(max_examples=300)
@given(data=_LINE_BYTES, block=st.integers(1, 9), cap=st.integers(1, 12))
def test_block_reader_gives_the_lines_readline_would(data: bytes, block: int, cap: int):
    with mock.patch.object(audit_loader, "_BLOCK", block):
        got = list(audit_loader._Lines(io.BufferedReader(io.BytesIO(data)), cap))
    assert got == _reference_lines(data, cap)


@settings(max_examples=300)
@given(data=_LINE_BYTES, block=st.integers(1, 9), taken=st.integers(0, 8), limit=st.integers(0, 40))
def test_block_reader_hands_over_exactly_what_follows_the_current_line(
    data: bytes, block: int, taken: int, limit: int
):
    with mock.patch.object(audit_loader, "_BLOCK", block):
        lines = audit_loader._Lines(io.BufferedReader(io.BytesIO(data)), 1000)
        it = iter(lines)
        seen = [line for _, (_, line, _) in zip(range(taken), it, strict=False)]
        rest = lines.rest(limit)
    consumed = sum(len(line) + 1 for line in seen)
    assert rest == data[consumed : consumed + limit + 1]


def test_a_line_with_fields_of_the_wrong_type_is_read_with_them_absent_and_the_next_line_fast():
    hostile = event(
        "h",
        user={"username": 7, "groups": ["system:unauthenticated", 1]},
        objectRef={"resource": ["pods"], "namespace": "ns"},
        responseStatus={"code": True},
        annotations={"authorization.k8s.io/decision": 1},
    )
    items = read_bytes(line(hostile) + line(event("next")))
    assert summary(items) == ["f:1 h", "f:2 next"]
    h, nxt = items
    assert (h.username, h.anonymous, h.resource, h.namespace, h.code, h.decision) == (
        "",
        True,
        "",
        "ns",
        None,
        "",
    )
    assert (nxt.username, nxt.resource, nxt.code) == ("alice", "secrets", 200)


def test_a_record_cannot_set_what_only_kubeguard_sets():
    injected = event("i", origin="elsewhere:1", cache={"exec.command": ["cat", "/etc/shadow"]})
    (item,) = read_bytes(line(injected))
    assert item.origin == "f:1" and item.cache is None
    assert event_from_dict(injected, "g:1").cache is None
