"""Reading audit logs in every format clusters produce, into normalized audit events.

Inputs are files or ``-`` (standard input), plain or gzip-compressed (recognized by the gzip magic
bytes, whatever the file is called). A file is either JSON lines (each line one record) or, when
its first non-blank line is a lone ``{`` or ``[``, one pretty-printed JSON document.

Every record is recognized on its own (``--input-format auto``), so one file may mix formats:

- ``k8s``: the API server's log or webhook backend: an ``audit.k8s.io/v1`` (or ``v1beta1``)
  ``Event``, or an ``EventList`` (``items``).
- ``eks``: CloudWatch Logs: a log event whose ``message`` is the audit event's JSON text
  (``aws logs filter-log-events`` output: ``events``; a subscription's ``logEvents``, also wrapped
  as ``{"awslogs": {"data": <base64 gzip>}}``); an S3 export line ``<timestamp> <event JSON>``.
  A message CloudWatch cut at its 256 KB limit ends with ``[Truncated...]`` and is reported.
- ``gke``: Cloud Logging ``LogEntry`` whose ``protoPayload`` is a
  ``type.googleapis.com/google.cloud.audit.AuditLog`` of service ``k8s.io``: the user is
  ``authenticationInfo.principalEmail``, the verb the last part of ``methodName``
  (``io.k8s.core.v1.pods.exec.create``), the object from ``resourceName``
  (``core/v1/namespaces/x/pods/y/exec``; group ``core`` is the core group ``""``), the address
  ``requestMetadata.callerIp``, the outcome ``status.code`` (a ``google.rpc.Code``, mapped to its
  HTTP status: 7 PERMISSION_DENIED is 403 ...; none or 0 is success), the auditID ``insertId``.
  Entries of other services are skipped.
- ``aks``: Azure diagnostic records of category ``kube-audit`` or ``kube-audit-admin`` whose
  ``properties.log`` is the audit event's JSON text, alone or in ``{"records": [...]}``. Records of
  other categories (component logs routed to the same place) are skipped.

A forced ``--input-format`` makes a record of another format an error.

Hostile input never stops a run and never costs unbounded memory: a line is read with a cap
(``max_record``, default 64 MiB; the rest of a longer line is skipped in chunks and reported), a
document mode file is read only up to the same cap, JSON nesting is limited by the decoder (orjson:
1024 levels), non-UTF-8 and malformed records are errors naming ``file:line``, and a truncated or
corrupt gzip stream ends that input with an error after the records read before the damage.
Messages name positions, never the text of a record.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import re
import sys
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any, cast

import msgspec
import orjson

from kubeguard.model.audit import AuditEvent, NotAnEvent, RecordError, Skipped, event_from_dict, ready

FORMATS = ("auto", "k8s", "eks", "gke", "aks")
MAX_RECORD = 64 * 1024 * 1024
#: Bytes read at a time.
_BLOCK = 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"
# An S3 export of CloudWatch Logs: "2024-05-01T12:00:00.000Z {...}"
_EXPORT_PREFIX = re.compile(rb"^\d{4}-\d\d-\d\dT[0-9:.]+Z? (?=[{\[])")
_AKS_CATEGORIES = frozenset({"kube-audit", "kube-audit-admin"})
_GKE_AUDIT_TYPE = "type.googleapis.com/google.cloud.audit.AuditLog"
#: google.rpc.Code -> HTTP status (google/rpc/code.proto).
_RPC_TO_HTTP = {
    0: 200,
    1: 499,
    2: 500,
    3: 400,
    4: 504,
    5: 404,
    6: 409,
    7: 403,
    8: 429,
    9: 400,
    10: 409,
    11: 400,
    12: 501,
    13: 500,
    14: 503,
    15: 500,
    16: 401,
}

Item = AuditEvent | RecordError | Skipped
_decode_event = msgspec.json.Decoder(AuditEvent).decode


class RecordProblem(ValueError):
    """A record that is not what its format says (the message names what is wrong, never the text)."""


@dataclass(frozen=True, slots=True)
class ReadOptions:
    input_format: str = "auto"
    max_record: int = MAX_RECORD

    def __post_init__(self) -> None:
        if self.input_format not in FORMATS:
            raise ValueError(f"unknown input format {self.input_format!r} (choose from {', '.join(FORMATS)})")


def read_audit(paths: Sequence[str], options: ReadOptions | None = None) -> Iterator[Item]:
    """Every event of every input, in order, with the errors met on the way (``-`` is stdin)."""
    opts = options or ReadOptions()
    for path in paths:
        if path == "-":
            yield from read_stream(sys.stdin.buffer, "<stdin>", opts)
            continue
        try:
            fh = open(path, "rb")  # noqa: SIM115 - closed below, after the generator is drained
        except OSError as exc:
            yield RecordError(path, f"cannot read: {exc.strerror or exc}", whole_input=True)
            continue
        with fh:
            yield from read_stream(fh, path, opts)


def read_stream(raw: IO[bytes], name: str, opts: ReadOptions) -> Iterator[Item]:
    """One input (plain or gzip) into events and errors."""
    try:
        head = _peek(raw, 2)
    except OSError as exc:
        yield RecordError(name, f"cannot read: {exc.strerror or exc}", whole_input=True)
        return
    stream = cast(IO[bytes], gzip.GzipFile(fileobj=raw, mode="rb")) if head == _GZIP_MAGIC else raw
    lines = _Lines(stream, opts.max_record)
    line_no = 0
    fast = opts.input_format in ("auto", "k8s")
    try:
        for line_no, line, problem in lines:
            if problem is not None:
                yield RecordError(f"{name}:{line_no}", problem)
                continue
            stripped = line.strip()
            if not stripped:
                continue
            if stripped in (b"{", b"["):
                yield from _document(lines, stripped, name, line_no, opts)
                return
            origin = f"{name}:{line_no}"
            if fast and stripped.startswith(b"{"):
                # the common case (the API server's own log): decoded straight into an event, its
                # types checked on the way. Anything else (another format, a field of the wrong
                # type, JSON too deep or broken) takes the general path, which says what is wrong.
                try:
                    event = _decode_event(stripped)
                except (msgspec.DecodeError, RecursionError):
                    pass
                else:
                    if event.verb and event.kind == "Event" and (event.audit_id or event.request_uri):
                        yield ready(event, origin)
                        continue
                    if not event.verb:  # a record of another format: this input takes the general path
                        fast = False
            yield from _line_records(stripped, origin, opts)
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        yield RecordError(f"{name}:{line_no + 1}", _gzip_problem(exc))
    except OSError as exc:
        yield RecordError(f"{name}:{line_no + 1}", f"read failed: {exc.strerror or exc}")


def decode_record(data: bytes, origin: str, options: ReadOptions | None = None) -> Iterator[Item]:
    """The events of one record given whole (a webhook batch: an ``EventList``), any format."""
    yield from _line_records(data.strip(), origin, options or ReadOptions())


def _gzip_problem(exc: BaseException) -> str:
    if isinstance(exc, EOFError):
        return "gzip data ends early (truncated file); the records before this point were read"
    return "corrupt gzip data; the records before this point were read"


def _peek(raw: IO[bytes], n: int) -> bytes:
    peek = getattr(raw, "peek", None)
    if peek is not None:
        return bytes(peek(n)[:n])
    if raw.seekable():
        pos = raw.tell()
        data = raw.read(n)
        raw.seek(pos)
        return data
    raise OSError("input can be neither peeked nor rewound")


class _Lines:
    """``(line number, line without its newline, problem)`` of a stream, read in blocks.

    Blocks (``read1``: what is at hand, so a pipe's records are judged as they arrive) are split at
    newlines, which costs far less per line than ``readline``. A line longer than ``cap`` is not
    kept: its start is dropped once it passes the cap and the rest is skipped block by block, so
    memory stays within ``cap`` plus one block. :meth:`rest` hands over what follows the current
    line, for a file that turns out to be one JSON document.
    """

    __slots__ = ("_cap", "_lines", "_read", "_tail")

    def __init__(self, stream: IO[bytes], cap: int) -> None:
        self._read = getattr(stream, "read1", None) or stream.read
        self._cap = cap
        self._lines: list[bytes] = []  # complete lines of the current block not handed out yet
        self._tail: list[bytes] = []  # pieces of a line whose end is not read yet

    def __iter__(self) -> Iterator[tuple[int, bytes, str | None]]:
        number = 0
        cap = self._cap
        tail = self._tail
        tail_len = 0
        skipping = False  # inside a line already reported as too long
        read = self._read
        while True:
            block = read(_BLOCK)
            if not block:
                if tail or skipping:
                    number += 1
                    if skipping:
                        yield number, b"", _too_long(cap)
                    else:
                        line = b"".join(tail)
                        tail.clear()
                        yield number, line, None
                return
            lines = block.split(b"\n")
            last = lines.pop()  # the start of a line not ended in this block (b"" if it ended)
            if lines:
                if skipping:  # the first line ends the one too long to keep
                    skipping = False
                    del lines[0]
                    number += 1
                    yield number, b"", _too_long(cap)
                elif tail:
                    tail.append(lines[0])
                    lines[0] = b"".join(tail)
                    tail.clear()
                    tail_len = 0
            if last and not skipping:  # kept before the lines go out, for rest()
                tail.append(last)
                tail_len += len(last)
                if tail_len > cap:
                    tail.clear()
                    tail_len = 0
                    skipping = True
            if lines:
                self._lines = lines
                lines.reverse()  # handed out from the end: pop() is cheap
                while lines:
                    line = lines.pop()
                    number += 1
                    if len(line) > cap:
                        yield number, b"", _too_long(cap)
                    else:
                        yield number, line, None

    def rest(self, limit: int) -> bytes:
        """Up to ``limit`` + 1 bytes of what follows the line last handed out."""
        pending = b"\n".join(reversed(self._lines))
        if self._lines:
            pending += b"\n"
        self._lines.clear()
        pending += b"".join(self._tail)
        self._tail.clear()
        chunks = [pending[: limit + 1]]
        have = len(chunks[0])
        while have <= limit:
            block = self._read(min(_BLOCK, limit + 1 - have))
            if not block:
                break
            chunks.append(block)
            have += len(block)
        return b"".join(chunks)


def _too_long(cap: int) -> str:
    return f"record longer than {cap // (1024 * 1024)} MiB, skipped"


def _document(lines: _Lines, first: bytes, name: str, line_no: int, opts: ReadOptions) -> Iterator[Item]:
    """A pretty-printed JSON document (an EventList, a JSON array of log entries ...)."""
    budget = opts.max_record - len(first) - 1
    rest = lines.rest(budget)
    if len(rest) > budget:
        yield RecordError(
            f"{name}:{line_no}",
            f"JSON document longer than {opts.max_record // (1024 * 1024)} MiB: not read "
            "(write one record per line to read any size)",
        )
        return
    text = first + b"\n" + rest
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        # the decoder counts the line after a final newline; name the document's last line instead
        last = text.count(b"\n") + (0 if text.endswith(b"\n") else 1)
        where = line_no + min(exc.lineno, last) - 1
        yield RecordError(f"{name}:{where}", f"invalid JSON: {_json_reason(exc)}")
        return
    yield from _records(value, f"{name}:{line_no}", opts, top=True)


def _json_reason(exc: orjson.JSONDecodeError) -> str:
    # orjson's messages name the problem and its position, never the text
    return str(exc.msg).rstrip(".")


def _line_records(line: bytes, origin: str, opts: ReadOptions) -> Iterator[Item]:
    match = _EXPORT_PREFIX.match(line)
    if match is not None:
        line = line[match.end() :]
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        yield RecordError(origin, f"invalid JSON: {_json_reason(exc)}")
        return
    yield from _records(value, origin, opts, top=True)


def _records(value: Any, origin: str, opts: ReadOptions, top: bool = False) -> Iterator[Item]:
    """The events of one decoded record, whatever its format."""
    if isinstance(value, list):
        if not top:
            yield RecordError(origin, "a list inside a list is no audit record")
            return
        for i, item in enumerate(value, 1):
            yield from _records(item, f"{origin}#{i}", opts)
        return
    if not isinstance(value, dict):
        yield RecordError(origin, "not a JSON object")
        return
    try:
        fmt = detect(value)
        if opts.input_format != "auto" and fmt != opts.input_format:
            raise RecordProblem(f"a {fmt} record, not {opts.input_format} (--input-format)")
        if fmt == "k8s":
            yield from _k8s(value, origin)
        elif fmt == "eks":
            yield from _eks(value, origin, opts)
        elif fmt == "gke":
            yield _gke(value, origin)
        else:
            yield from _aks(value, origin, opts)
    except (RecordProblem, NotAnEvent) as exc:
        yield RecordError(origin, str(exc))


def detect(record: dict[str, Any]) -> str:
    """Which format a decoded record is in: ``k8s``, ``eks``, ``gke`` or ``aks``."""
    if "verb" in record or record.get("kind") in ("Event", "EventList"):
        return "k8s"
    if "protoPayload" in record:
        return "gke"
    if "records" in record or ("category" in record and "properties" in record):
        return "aks"
    if "logEvents" in record or "awslogs" in record or "events" in record or "message" in record:
        return "eks"
    return "k8s"


def _k8s(value: dict[str, Any], origin: str) -> Iterator[Item]:
    if value.get("kind") == "EventList":
        items = value.get("items")
        if not isinstance(items, list):
            raise RecordProblem("EventList without items")
        for i, item in enumerate(items, 1):
            try:
                yield event_from_dict(item, f"{origin}#{i}")
            except NotAnEvent as exc:
                yield RecordError(f"{origin}#{i}", str(exc))
        return
    yield event_from_dict(value, origin)


def _embedded(text: Any, origin: str, what: str) -> Iterator[Item]:
    """An audit Event (or EventList) carried as JSON text inside another record."""
    if not isinstance(text, str):
        yield RecordError(origin, f"{what} is not text")
        return
    if text.endswith("[Truncated...]"):
        yield RecordError(origin, f"{what} was truncated by CloudWatch Logs (events over 256 KB are cut)")
        return
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        yield RecordError(origin, f"{what} is not valid JSON: {_json_reason(exc)}")
        return
    if not isinstance(value, dict):
        yield RecordError(origin, f"{what} is not a JSON object")
        return
    try:
        yield from _k8s(value, origin)
    except (RecordProblem, NotAnEvent) as exc:
        yield RecordError(origin, f"{what}: {exc}")


def _eks(value: dict[str, Any], origin: str, opts: ReadOptions) -> Iterator[Item]:
    if "awslogs" in value:
        yield from _eks(_awslogs(value["awslogs"], opts), origin, opts)
        return
    for key in ("logEvents", "events"):
        if key in value:
            entries = value[key]
            if not isinstance(entries, list):
                raise RecordProblem(f"{key} is not a list")
            for i, entry in enumerate(entries, 1):
                where = f"{origin}#{i}"
                if isinstance(entry, dict):
                    yield from _embedded(entry.get("message"), where, "the CloudWatch message")
                else:
                    yield RecordError(where, "a CloudWatch log event is not a JSON object")
            return
    yield from _embedded(value.get("message"), origin, "the CloudWatch message")


def _awslogs(wrapper: Any, opts: ReadOptions) -> dict[str, Any]:
    """``{"awslogs": {"data": base64(gzip(subscription JSON))}}``: a Lambda's CloudWatch Logs event."""
    data = wrapper.get("data") if isinstance(wrapper, dict) else None
    if not isinstance(data, str):
        raise RecordProblem("awslogs without data")
    try:
        packed = base64.b64decode(data, validate=True)
        unpacker = zlib.decompressobj(wbits=31)
        text = unpacker.decompress(packed, opts.max_record)
    except (binascii.Error, zlib.error) as exc:
        raise RecordProblem(f"awslogs data is not base64 gzip ({type(exc).__name__})") from None
    if unpacker.unconsumed_tail:
        raise RecordProblem(f"awslogs data unpacks to more than {opts.max_record // (1024 * 1024)} MiB")
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise RecordProblem(f"awslogs data is not valid JSON: {_json_reason(exc)}") from None
    if not isinstance(value, dict) or "logEvents" not in value:
        raise RecordProblem("awslogs data holds no logEvents")
    return value


def _aks(value: dict[str, Any], origin: str, opts: ReadOptions) -> Iterator[Item]:
    if "records" in value:
        records = value["records"]
        if not isinstance(records, list):
            raise RecordProblem("records is not a list")
        for i, record in enumerate(records, 1):
            where = f"{origin}#{i}"
            if isinstance(record, dict):
                yield from _aks_record(record, where)
            else:
                yield RecordError(where, "a diagnostic record is not a JSON object")
        return
    yield from _aks_record(value, origin)


def _aks_record(record: dict[str, Any], origin: str) -> Iterator[Item]:
    category = record.get("category")
    if category not in _AKS_CATEGORIES:
        yield Skipped(origin, "a diagnostic record of another category than kube-audit")
        return
    props = record.get("properties")
    log = props.get("log") if isinstance(props, dict) else None
    yield from _embedded(log, origin, "properties.log")


def _gke(entry: dict[str, Any], origin: str) -> Item:
    payload = entry.get("protoPayload")
    if not isinstance(payload, dict):
        raise RecordProblem("protoPayload is not an object")
    if payload.get("@type") != _GKE_AUDIT_TYPE or payload.get("serviceName") != "k8s.io":
        return Skipped(origin, "a Cloud Audit Log entry of another service than k8s.io")
    method = payload.get("methodName")
    if not isinstance(method, str) or not method:
        raise RecordProblem("protoPayload has no methodName")
    auth = payload.get("authenticationInfo")
    meta = payload.get("requestMetadata")
    auth = auth if isinstance(auth, dict) else {}
    meta = meta if isinstance(meta, dict) else {}
    ref = gke_object_ref(payload.get("resourceName"))
    status = payload.get("status")
    rpc = status.get("code", 0) if isinstance(status, dict) else 0
    code = _RPC_TO_HTTP.get(rpc, 500) if isinstance(rpc, int) and not isinstance(rpc, bool) else 500
    verb = method.rsplit(".", 1)[-1]
    if code == 200 and ref.get("subresource") in ("exec", "attach", "portforward"):
        code = 101
    elif code == 200 and verb == "create":
        code = 201
    reason = status.get("message", "") if isinstance(status, dict) else ""
    caller = meta.get("callerIp")
    labels = entry.get("labels")
    event: dict[str, Any] = {
        "kind": "Event",
        "apiVersion": "audit.k8s.io/v1",
        "auditID": entry.get("insertId") or "",
        "verb": verb,
        "user": {"username": auth.get("principalEmail") or ""},
        "sourceIPs": [caller] if isinstance(caller, str) else [],
        "userAgent": meta.get("callerSuppliedUserAgent") or "",
        "objectRef": ref,
        "responseStatus": {"code": code, "message": reason if isinstance(reason, str) else ""},
        "requestObject": payload.get("request"),
        "responseObject": payload.get("response"),
        "annotations": labels if isinstance(labels, dict) else {},
        "stageTimestamp": entry.get("timestamp") or entry.get("receiveTimestamp") or "",
    }
    return event_from_dict(event, origin)


def gke_object_ref(resource_name: Any) -> dict[str, str]:
    """``objectRef`` from a GKE ``resourceName``: ``group/version/[namespaces/ns/]resource[/name[/sub]]``."""
    if not isinstance(resource_name, str) or not resource_name:
        return {}
    parts = resource_name.strip("/").split("/")
    if len(parts) < 3:
        return {}
    group = "" if parts[0] == "core" else parts[0]
    ref = {"apiGroup": group, "apiVersion": parts[1]}
    rest = parts[2:]
    if rest[0] == "namespaces" and len(rest) >= 3:
        # namespaces/<ns>/<resource>[/<name>[/<subresource>]], except a namespace's own
        # subresources (namespaces/<ns>/status, /finalize)
        if len(rest) == 3 and rest[2] in ("status", "finalize"):
            return {**ref, "resource": "namespaces", "name": rest[1], "subresource": rest[2]}
        ref["namespace"] = rest[1]
        rest = rest[2:]
    for key, value in zip(("resource", "name", "subresource"), rest, strict=False):
        ref[key] = value
    return ref
