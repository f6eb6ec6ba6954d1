"""The AUD rule-case harness: run one audit rule over a file of named events and say which alerted.

A rule's folder is ``tests/checks/audit/<CODE>_<slug>/``. Every ``*.yaml`` file in it (except
``*.options.yaml``) is one run: a stream of ``audit.k8s.io`` Events, one YAML document each, in
order (stateful rules see them in that order). The ``auditID`` of an event says what the rule must
make of it:

- ``fail-...``: alerts, exactly once (the several stages of one request share its auditID).
- ``pass-...``: no alert: the close variants (an allowed user, a read-only verb, a failed request).
- anything else (context events a case needs, such as the first events of a burst): no alert.

``annotations["test.kubeguard.io/expect-message"]`` holds a substring the alert's message must
contain. ``<name>.options.yaml`` beside a case file may set ``config`` (the contents of a
``.kubeguard.yaml``) for that run.

Each case file runs in every input format kubeguard reads (``FORMATS``): the events are written in
that format and read back by the same reader ``kubeguard audit`` uses, so a rule is proven on each.
"""

from __future__ import annotations

import base64
import gzip
import io
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kubeguard.engine.audit import run_audit
from kubeguard.engine.registry import all_audit_rules
from kubeguard.findings.audit import AuditReport
from kubeguard.loading.audit import ReadOptions, read_stream
from kubeguard.loading.config import parse_config
from kubeguard.loading.yaml_loader import iter_documents
from kubeguard.model.audit import event_from_dict
from kubeguard.rules.audit import AuditContext, AuditRule

CASES_ROOT = Path(__file__).parent / "checks" / "audit"
EXPECT_MESSAGE = "test.kubeguard.io/expect-message"
#: Formats an event cannot be written in faithfully, comma-separated, with the reason in a comment
#: (GKE's Cloud Audit Log drops groups, impersonation, the request URI and the stages).
NOT_IN = "test.kubeguard.io/not-in"


def case_dir(rule: AuditRule) -> Path | None:
    folder = CASES_ROOT / f"{rule.code}_{rule.slug}"
    return folder if folder.is_dir() else None


def case_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.yaml") if not p.name.endswith(".options.yaml"))


def read_events(path: Path) -> list[dict[str, Any]]:
    """The events of a case file, decoded like Kubernetes decodes YAML (timestamps stay strings)."""
    events = []
    for doc in iter_documents(path.read_text()):
        assert doc.error is None, f"{path}:{doc.error_line}: {doc.error}"
        if doc.data is not None:
            assert isinstance(doc.data, dict) and isinstance(doc.data.get("auditID"), str), (
                f"{path}: document {doc.index} is not an event with an auditID"
            )
            events.append(doc.data)
    return events


def context_for(path: Path) -> AuditContext:
    opts_path = path.with_name(path.name[: -len(".yaml")] + ".options.yaml")
    if not opts_path.exists():
        return AuditContext()
    data = yaml.safe_load(opts_path.read_text()) or {}
    return AuditContext(parse_config(data.get("config"), str(opts_path)))


@dataclass
class AuditCaseRun:
    report: AuditReport
    events: list[dict[str, Any]]

    def alerted(self) -> Counter[str]:
        return Counter(a.event.audit_id for a in self.report.alerts)


def run_rule_on_events(rule: AuditRule, events: list[dict[str, Any]], ctx: AuditContext) -> AuditReport:
    """Run one rule over decoded events (the normalization every reader ends with)."""
    items = [event_from_dict(e, f"event:{i + 1}") for i, e in enumerate(events)]
    return run_audit(items, [rule], ctx)


def run_rule_on_file(rule: AuditRule, path: Path) -> AuditCaseRun:
    events = read_events(path)
    report = run_rule_on_events(rule, events, context_for(path))
    assert not report.errors, [str(e) for e in report.errors]
    return AuditCaseRun(report, events)


def audit_rule(code: str) -> AuditRule:
    for r in all_audit_rules():
        if r.code == code:
            return r
    raise KeyError(code)


# --- writing events in each input format (the inverse of kubeguard.loading.audit) ---------------

_HTTP_TO_RPC = {400: 3, 401: 16, 403: 7, 404: 5, 409: 6, 422: 3, 429: 8, 500: 13, 503: 14, 504: 4}


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def write_jsonl(events: list[dict[str, Any]]) -> bytes:
    return "".join(_dumps(e) + "\n" for e in events).encode()


def write_eventlist(events: list[dict[str, Any]]) -> bytes:
    """A pretty-printed EventList (what the webhook backend POSTs), one document over many lines."""
    return json.dumps(
        {"kind": "EventList", "apiVersion": "audit.k8s.io/v1", "items": events}, indent=2
    ).encode()


def write_gzip(events: list[dict[str, Any]]) -> bytes:
    return gzip.compress(write_jsonl(events))


def write_eks_filter_log_events(events: list[dict[str, Any]]) -> bytes:
    """``aws logs filter-log-events`` output: CloudWatch log events whose message is the event."""
    entries = [
        {"logStreamName": "kube-apiserver-audit-0a1b2c", "timestamp": 1764583200000 + i, "message": _dumps(e)}
        for i, e in enumerate(events)
    ]
    return json.dumps({"events": entries, "searchedLogStreams": []}, indent=2).encode()


def write_eks_subscription(events: list[dict[str, Any]]) -> bytes:
    """A subscription's DATA_MESSAGE per line, the second wrapped as a Lambda ``awslogs`` event."""
    lines = []
    for i, e in enumerate(events):
        message = {
            "messageType": "DATA_MESSAGE",
            "owner": "123456789012",
            "logGroup": "/aws/eks/prod/cluster",
            "logStream": "kube-apiserver-audit-0a1b2c",
            "subscriptionFilters": ["kubeguard"],
            "logEvents": [{"id": str(i), "timestamp": 1764583200000 + i, "message": _dumps(e)}],
        }
        if i % 2:
            data = base64.b64encode(gzip.compress(_dumps(message).encode())).decode()
            lines.append(_dumps({"awslogs": {"data": data}}))
        else:
            lines.append(_dumps(message))
    return ("\n".join(lines) + "\n").encode()


def write_eks_s3_export(events: list[dict[str, Any]]) -> bytes:
    """A CloudWatch Logs export to S3: gzip, ``<timestamp> <message>`` per line."""
    lines = [f"2026-12-01T10:00:{i % 60:02d}.000Z {_dumps(e)}\n" for i, e in enumerate(events)]
    return gzip.compress("".join(lines).encode())


def write_aks(events: list[dict[str, Any]]) -> bytes:
    """Azure diagnostic records (Event Hub / storage ``{"records": [...]}``), with a component log
    of another category mixed in, which is skipped."""
    records: list[dict[str, Any]] = [
        {
            "operationName": "Microsoft.ContainerService/managedClusters/diagnosticLogs/Read",
            "category": "kube-apiserver",
            "properties": {"log": "I1201 10:00:00.000000 1 controller.go:42] not an audit event"},
        }
    ]
    for i, e in enumerate(events):
        records.append(
            {
                "operationName": "Microsoft.ContainerService/managedClusters/diagnosticLogs/Read",
                "category": "kube-audit" if i % 2 else "kube-audit-admin",
                "time": "2026-12-01T10:00:00.0000000Z",
                "resourceId": "/SUBSCRIPTIONS/0000/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS1",
                "properties": {"log": _dumps(e), "stream": "stdout", "pod": "kube-apiserver-5d8f7"},
            }
        )
    return (_dumps({"records": records}) + "\n").encode()


def gke_entry(e: dict[str, Any]) -> dict[str, Any]:
    """The Cloud Logging entry GKE writes for a request (one per request, no stages)."""
    ref = e.get("objectRef") or {}
    group = ref.get("apiGroup") or "core"
    version = ref.get("apiVersion") or "v1"
    parts = [group, version]
    if ref.get("namespace"):
        parts += ["namespaces", ref["namespace"]]
    parts += [p for p in (ref.get("resource"), ref.get("name"), ref.get("subresource")) if p]
    method = ".".join(
        [
            "io.k8s",
            group,
            version,
            *[p for p in (ref.get("resource"), ref.get("subresource")) if p],
            e["verb"],
        ]
    )
    code = (e.get("responseStatus") or {}).get("code") or 200
    payload: dict[str, Any] = {
        "@type": "type.googleapis.com/google.cloud.audit.AuditLog",
        "serviceName": "k8s.io",
        "methodName": method,
        "resourceName": "/".join(parts),
        "authenticationInfo": {"principalEmail": (e.get("user") or {}).get("username", "")},
        "requestMetadata": {
            "callerIp": (e.get("sourceIPs") or ["10.0.0.1"])[0],
            "callerSuppliedUserAgent": e.get("userAgent", ""),
        },
    }
    if code >= 400:
        payload["status"] = {"code": _HTTP_TO_RPC[code], "message": "denied"}
    else:
        payload["status"] = {}
    if e.get("requestObject") is not None:
        payload["request"] = e["requestObject"]
    if e.get("responseObject") is not None:
        payload["response"] = e["responseObject"]
    return {
        "insertId": e["auditID"],
        "logName": "projects/acme-prod/logs/cloudaudit.googleapis.com%2Factivity",
        "operation": {"id": e["auditID"], "producer": "k8s.io", "first": True, "last": True},
        "protoPayload": payload,
        "resource": {"type": "k8s_cluster", "labels": {"cluster_name": "prod", "location": "europe-west1"}},
        "timestamp": e.get("stageTimestamp", ""),
        "labels": {
            k: v for k, v in (e.get("annotations") or {}).items() if k.startswith("authorization.k8s.io/")
        },
    }


def write_gke(events: list[dict[str, Any]]) -> bytes:
    """A JSON array of LogEntries (``gcloud logging read --format=json``), one per request; a
    Compute Engine audit entry mixed in is skipped."""
    entries: list[dict[str, Any]] = [
        {
            "insertId": "gce-1",
            "protoPayload": {
                "@type": "type.googleapis.com/google.cloud.audit.AuditLog",
                "serviceName": "compute.googleapis.com",
                "methodName": "v1.compute.instances.insert",
            },
        }
    ]
    seen = set()
    for e in events:
        if e.get("stage") == "RequestReceived" or e["auditID"] in seen:
            continue
        seen.add(e["auditID"])
        entries.append(gke_entry(e))
    return json.dumps(entries, indent=2).encode()


FORMATS: dict[str, tuple[str, Callable[[list[dict[str, Any]]], bytes]]] = {
    "jsonl": ("k8s", write_jsonl),
    "eventlist": ("k8s", write_eventlist),
    "gzip": ("k8s", write_gzip),
    "eks-events": ("eks", write_eks_filter_log_events),
    "eks-subscription": ("eks", write_eks_subscription),
    "eks-s3-export": ("eks", write_eks_s3_export),
    "aks": ("aks", write_aks),
    "gke": ("gke", write_gke),
}
#: Formats that carry the whole event (messages can be checked exactly).
FAITHFUL = {"jsonl", "eventlist", "gzip", "eks-events", "eks-subscription", "eks-s3-export", "aks"}


def run_rule_in_format(rule: AuditRule, path: Path, fmt: str, forced: bool = False) -> AuditCaseRun:
    """Write the case file's events in ``fmt``, read them back as ``kubeguard audit`` does, run the rule."""
    family, writer = FORMATS[fmt]
    events = [e for e in read_events(path) if fmt not in _not_in(e)]
    data = writer(events)
    opts = ReadOptions(input_format=family if forced else "auto")
    items = list(read_stream(io.BufferedReader(io.BytesIO(data)), f"{path.name}.{fmt}", opts))
    report = run_audit(items, [rule], context_for(path))
    assert not report.errors, [str(e) for e in report.errors]
    return AuditCaseRun(report, events)


def _not_in(event: dict[str, Any]) -> set[str]:
    text = (event.get("annotations") or {}).get(NOT_IN, "")
    return {f.strip() for f in text.split(",") if f.strip()}
