"""AdmissionReview ``admission.k8s.io/v1`` in and out: read a request, judge its object with the
scan's rules, answer.

The object is judged by :func:`kubeguard.api.scan_objects`, the scan's own path (same rules,
options, configuration exceptions and suppression annotations), with the rules that need no other
object (``Rule.needs`` empty). As Pod Security Admission does:

- workloads are judged through their pod templates, and Pods made by controllers are judged too;
- an UPDATE that changes nothing a rule reads (only status, or metadata other than labels and
  annotations) is admitted without being judged again;
- DELETE and CONNECT are admitted; dry-run requests are judged and answered as any other;
- exempt namespaces, users and runtimeClasses are admitted unjudged, with an ``exempt`` audit
  annotation.

Modes: ``enforce`` denies an object with a finding at or above the threshold (the message lists
each one); ``warn`` admits it with the findings as warnings; ``audit`` admits it with the findings
as audit annotations. Each is kept inside the API server's limits (see the constants below).
"""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kubeguard.api import scan_objects
from kubeguard.findings.report import Finding
from kubeguard.model.config import Config
from kubeguard.rules.rule import Rule
from kubeguard.webhook.policy import AdmissionPolicy

log = logging.getLogger("kubeguard.webhook")

API_VERSION = "admission.k8s.io/v1"
#: The API server sends at most 3 MiB of request body to a webhook; anything bigger is not from it.
MAX_BODY = 3 * 1024 * 1024
#: The API server may cut each warning to 256 characters, and drops warnings past 4 KiB in total.
WARNING_CHARS = 256
WARNINGS_TOTAL = 4000
#: Audit annotation values are cut at 10 KiB (as for ValidatingAdmissionPolicy's).
AUDIT_VALUE_CHARS = 10_000
#: The denial message is shown by kubectl and kept in audit events: one line per finding, bounded.
MESSAGE_LINE_CHARS = 512
MESSAGE_CHARS = 8000


class BadReview(ValueError):
    """The body is not an AdmissionReview this webhook can answer (HTTP 400 with this message)."""


@dataclass(frozen=True, slots=True)
class Request:
    uid: str
    operation: str
    namespace: str | None
    name: str
    username: str
    sub_resource: str
    dry_run: bool
    object: dict[str, Any] | None
    old_object: dict[str, Any] | None

    @property
    def identity(self) -> str:
        """The object as logs name it: ``Kind namespace/name (operation, uid)``."""
        obj = self.object or self.old_object or {}
        kind = obj.get("kind") or "?"
        where = f"{self.namespace}/" if self.namespace else ""
        return f"{kind} {where}{self.name or _name(obj) or '?'} ({self.operation}, uid {self.uid})"


def _name(obj: dict[str, Any]) -> str:
    md = obj.get("metadata")
    if isinstance(md, dict):
        return str(md.get("name") or md.get("generateName") or "")
    return ""


def _type(value: object) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def parse_review(body: bytes) -> Request:
    """The request of an AdmissionReview body; raises :class:`BadReview` saying what is wrong."""
    try:
        review = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadReview(f"the body is not JSON: {exc}") from None
    except RecursionError:
        raise BadReview("the body is nested too deeply to decode") from None
    if not isinstance(review, dict):
        raise BadReview(f"the body is {_type(review)}, not an AdmissionReview")
    api_version, kind = review.get("apiVersion"), review.get("kind")
    if kind != "AdmissionReview" or api_version != API_VERSION:
        raise BadReview(
            f"the body is not an AdmissionReview {API_VERSION} (apiVersion {api_version!r}, kind {kind!r}); "
            "register the webhook with admissionReviewVersions: [v1]"
        )
    request = review.get("request")
    if not isinstance(request, dict):
        raise BadReview(f"request is {_type(request)}, not a mapping")
    uid = request.get("uid")
    if not isinstance(uid, str) or not uid:
        raise BadReview("request.uid is missing or empty")
    operation = request.get("operation")
    if operation not in ("CREATE", "UPDATE", "DELETE", "CONNECT"):
        raise BadReview(f"request.operation is {operation!r}, not CREATE, UPDATE, DELETE or CONNECT")
    obj, old = request.get("object"), request.get("oldObject")
    if operation in ("CREATE", "UPDATE") and not isinstance(obj, dict):
        raise BadReview(f"request.object is {_type(obj)}, not a mapping (an object to judge)")
    if obj is not None and not isinstance(obj, dict):
        raise BadReview(f"request.object is {_type(obj)}, not a mapping")
    if old is not None and not isinstance(old, dict):
        raise BadReview(f"request.oldObject is {_type(old)}, not a mapping")
    user = request.get("userInfo")
    username = user.get("username") if isinstance(user, dict) else None
    namespace = request.get("namespace")
    return Request(
        uid=uid,
        operation=operation,
        namespace=namespace if isinstance(namespace, str) and namespace else None,
        name=str(request.get("name") or ""),
        username=username if isinstance(username, str) else "",
        sub_resource=str(request.get("subResource") or ""),
        dry_run=request.get("dryRun") is True,
        object=obj,
        old_object=old,
    )


@dataclass(slots=True)
class Decision:
    """The answer to one request. ``outcome`` names it for metrics and logs: allowed, denied, warned,
    audited, exempt, unchanged, skipped, error-denied, error-allowed."""

    allowed: bool
    outcome: str
    findings: list[Finding] = field(default_factory=list)
    message: str = ""
    warnings: list[str] = field(default_factory=list)
    annotations: dict[str, str] = field(default_factory=dict)

    def response(self, uid: str) -> dict[str, Any]:
        answer: dict[str, Any] = {"uid": uid, "allowed": self.allowed}
        if not self.allowed:
            answer["status"] = {"code": 403, "reason": "Forbidden", "message": self.message}
        if self.warnings:
            answer["warnings"] = self.warnings
        if self.annotations:
            answer["auditAnnotations"] = self.annotations
        return {"apiVersion": API_VERSION, "kind": "AdmissionReview", "response": answer}


def admission_rules(rules: Sequence[Rule]) -> list[Rule]:
    """The rules that can judge an object alone (the others are scan-only; docs/admission.md)."""
    return [r for r in rules if not r.needs]


def _relevant(obj: dict[str, Any]) -> dict[str, Any]:
    """What the rules can read of an object: everything but status and metadata other than labels
    and annotations (which rules and suppressions read; name and namespace cannot change)."""
    out = {k: v for k, v in obj.items() if k not in ("status", "metadata")}
    md = obj.get("metadata")
    if isinstance(md, dict):
        out["metadata"] = {k: md.get(k) for k in ("labels", "annotations")}
    return out


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _finding_line(f: Finding) -> str:
    return f"{f.rule.code} {f.rule.title}: {f.pointer or '/'}: {f.message}"


def _bounded(lines: list[str], line_limit: int, total: int, more: str) -> list[str]:
    """``lines`` each cut to ``line_limit``, as many as fit in ``total`` with the ``more`` note."""
    out: list[str] = []
    used = 0
    for i, line in enumerate(lines):
        line = _cut(line, line_limit)
        rest = len(lines) - i - 1
        note = len(more.format(n=rest + 1)) + 1
        if used + len(line) + 1 + (note if rest else 0) > total:
            out.append(more.format(n=len(lines) - i))
            break
        out.append(line)
        used += len(line) + 1
    return out


class Judge:
    """Decides requests with prepared rules, configuration and policy (shared by all requests)."""

    def __init__(
        self, rules: Sequence[Rule], config: Config, policy: AdmissionPolicy, *, on_error: str = "deny"
    ) -> None:
        if on_error not in ("deny", "allow"):
            raise ValueError(f"on_error must be deny or allow, not {on_error!r}")
        self.rules = admission_rules(rules)
        self._for_kind: dict[str, list[Rule]] = {}
        self.config = config
        self.policy = policy
        self.on_error = on_error

    def decide(self, request: Request) -> Decision:
        if request.operation in ("DELETE", "CONNECT") or request.object is None:
            return Decision(True, "skipped")
        if request.sub_resource and request.sub_resource != "ephemeralcontainers":
            return Decision(True, "skipped")  # status, scale, ...: nothing the rules read
        obj = request.object
        if request.namespace and not _has_namespace(obj):
            # the API server fills the namespace in from the request path; an exception or a rule
            # that names the namespace must see it
            obj = copy.copy(obj)
            obj["metadata"] = {**(obj.get("metadata") or {}), "namespace": request.namespace}
        exempt = self.policy.exemption(request.namespace, request.username, _runtime_class(obj))
        if exempt is not None:
            return Decision(True, "exempt", annotations={"exempt": exempt})
        if (
            request.operation == "UPDATE"
            and request.old_object is not None
            and _relevant(request.object) == _relevant(request.old_object)
        ):
            return Decision(True, "unchanged")
        settings = self.policy.settings(request.namespace)
        report = scan_objects(
            [obj],
            rules=self._rules_for(str(obj.get("kind") or "")),
            options=settings.options,
            config=self.config,
            source=f"admission request {request.uid}",
            fixes=False,  # an answer has no use for fix edits, which cost a third of the judging
        )
        if report.rule_errors or report.errors:
            problems = [f"{e.rule}: {e.message}" for e in report.rule_errors] + [
                e.message for e in report.errors
            ]
            log.error(
                "could not judge %s: %s; %s by --on-error %s",
                request.identity,
                "; ".join(problems),
                "denied" if self.on_error == "deny" else "admitted",
                self.on_error,
            )
            if self.on_error == "deny":
                return Decision(
                    False,
                    "error-denied",
                    message=_cut(
                        f"kubeguard could not judge {request.identity}: {'; '.join(problems)}", MESSAGE_CHARS
                    ),
                )
            return Decision(
                True, "error-allowed", annotations={"error": _cut("; ".join(problems), AUDIT_VALUE_CHARS)}
            )
        failing = [f for f in report.active_findings() if f.severity >= settings.fail_on]
        if not failing:
            return Decision(True, "allowed")
        failing.sort(key=lambda f: (-f.severity, f.rule.code, f.pointer, f.key or ""))
        if settings.mode == "enforce":
            return Decision(
                False, "denied", failing, message=self._denial(request, obj, failing, settings.fail_on.label)
            )
        lines = [_finding_line(f) for f in failing]
        if settings.mode == "warn":
            warnings = _bounded(
                [f"kubeguard {line}" for line in lines],
                WARNING_CHARS,
                WARNINGS_TOTAL,
                "kubeguard: {n} more findings (kubeguard scan shows them all)",
            )
            return Decision(True, "warned", failing, warnings=warnings)
        value = "\n".join(_bounded(lines, MESSAGE_LINE_CHARS, AUDIT_VALUE_CHARS, "{n} more findings"))
        return Decision(True, "audited", failing, annotations={"findings": value})

    def _rules_for(self, kind: str) -> list[Rule]:
        """The rules whose scope can match objects of ``kind``: the others would only record that they
        do not apply, and the engine prepares every rule it is given, for each review."""
        found = self._for_kind.get(kind)
        if found is None:
            found = [
                r
                for r in self.rules
                if (kinds := r.applies_to.kinds or r.applies_to.candidate_kinds) is None or kind in kinds
            ]
            if len(self._for_kind) < 1000:  # kinds are few; the bound keeps odd requests from growing it
                self._for_kind[kind] = found
        return found

    @staticmethod
    def _denial(request: Request, obj: dict[str, Any], failing: list[Finding], threshold: str) -> str:
        kind = obj.get("kind") or "object"
        where = f"{request.namespace}/" if request.namespace else ""
        head = (
            f"kubeguard denied {kind} {where}{request.name or _name(obj)}: {len(failing)} "
            f"finding{'s' if len(failing) != 1 else ''} at or above {threshold}"
        )
        lines = [f"{_finding_line(f)} Fix: {f.rule.remediation}" for f in failing]
        body = _bounded(
            lines,
            MESSAGE_LINE_CHARS,
            MESSAGE_CHARS - len(head) - 1,
            "... {n} more (kubeguard scan shows them all)",
        )
        return "\n".join([head, *body])


def _has_namespace(obj: dict[str, Any]) -> bool:
    md = obj.get("metadata")
    return isinstance(md, dict) and bool(md.get("namespace"))


def _runtime_class(obj: dict[str, Any]) -> str | None:
    from kubeguard.model.resource import Resource, SourceLocation

    workload = Resource(obj, SourceLocation("<admission>", 0, None)).workload
    if workload is None:
        return None
    value = workload.spec.get("runtimeClassName")
    return value if isinstance(value, str) and value else None
