"""Suppressions: ``ignore.kubeguard.io/<CODE>`` annotations and the exceptions of ``.kubeguard.yaml``.

A suppression needs a reason. Suppressed findings are kept (marked) so JSON and SARIF show them.
An expired exception stops applying, and the report says so.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from kubeguard.engine.registry import did_you_mean, rule_matches
from kubeguard.model.config import Config, ExceptionEntry
from kubeguard.model.resource import Resource
from kubeguard.rules.rule import Rule

ANNOTATION_PREFIX = "ignore.kubeguard.io/"


def annotation_reason(resource: Resource, rule: Rule) -> str | None:
    """The reason given by an ignore annotation on the object (or its pod template), if any."""
    sources: list[Mapping[str, Any]] = [resource.annotations]
    workload = resource.workload
    if workload is not None:
        sources.append(workload.annotations)
    for notes in sources:
        if not notes:
            continue  # most objects have no annotations
        for key in (ANNOTATION_PREFIX + rule.code, ANNOTATION_PREFIX + rule.slug):
            reason = notes.get(key)
            if reason is not None and str(reason).strip():
                return str(reason).strip()
    return None


def empty_annotation_keys(resource: Resource) -> list[str]:
    """Ignore annotations written without a reason (they do not suppress anything)."""
    out: dict[str, None] = {}  # a Pod's template annotations are its own: each key once
    sources: list[Mapping[str, Any]] = [resource.annotations]
    if resource.workload is not None:
        sources.append(resource.workload.annotations)
    for notes in sources:
        for key, value in notes.items():
            if isinstance(key, str) and key.startswith(ANNOTATION_PREFIX) and not str(value or "").strip():
                out[key] = None
    return list(out)


def rule_names(rules: Sequence[Rule]) -> frozenset[str]:
    """What an ignore annotation may name: every rule's code and slug."""
    return frozenset(r.code for r in rules) | frozenset(r.slug for r in rules)


def unknown_annotation_keys(resource: Resource, names: frozenset[str]) -> list[str]:
    """Ignore annotations that name no rule's code or slug (see :func:`rule_names`): they suppress nothing."""
    out: dict[str, None] = {}  # a Pod's template annotations are its own: each key once
    sources: list[Mapping[str, Any]] = [resource.annotations]
    if resource.workload is not None:
        sources.append(resource.workload.annotations)
    for notes in sources:
        for key in notes:
            if (
                isinstance(key, str)
                and key.startswith(ANNOTATION_PREFIX)
                and key[len(ANNOTATION_PREFIX) :] not in names
            ):
                out[key] = None
    return list(out)


def unknown_exception_rules(config: Config, rules: Sequence[Rule]) -> list[str]:
    """A message for each exception of ``config`` whose ``rule`` matches no rule (it would suppress nothing)."""
    out = []
    for entry in config.exceptions:
        if not any(rule_matches(r, entry.rule) for r in rules):
            where = f"{config.path or 'config'}:{entry.line}" if entry.line else config.path or "config"
            out.append(
                f"{where}: exceptions[{entry.index}].rule: no rule matches {entry.rule!r}"
                f"{did_you_mean(entry.rule, rules)} (see `kubeguard rules`)"
            )
    return out


_CRONJOB_JOB = re.compile(r"^(?P<cronjob>.+)-[0-9]+$")


def controllers(resource: Resource) -> list[tuple[str, str]]:
    """The controllers an object was made by, as (kind, name): an exception for a Deployment covers
    the Pods its ReplicaSets make, as the pods are judged too (by the admission webhook, or in a
    capture of a cluster).

    The controller named by ``ownerReferences`` (``controller: true``), and the one above it where
    Kubernetes' naming shows it: a ReplicaSet named ``<deployment>-<pod-template-hash>`` (the hash is
    the Pod's ``pod-template-hash`` label) belongs to that Deployment; a Job named ``<name>-<digits>``
    is taken to be CronJob ``<name>``'s (the CronJob controller names its Jobs so).
    """
    owners = resource.metadata.get("ownerReferences")
    if not isinstance(owners, list):
        return []
    out: list[tuple[str, str]] = []
    for owner in owners:
        if not isinstance(owner, dict) or owner.get("controller") is not True:
            continue
        kind, name = owner.get("kind"), owner.get("name")
        if not isinstance(kind, str) or not isinstance(name, str) or not name:
            continue
        out.append((kind, name))
        pod_hash = resource.labels.get("pod-template-hash")
        if kind == "ReplicaSet" and isinstance(pod_hash, str) and name.endswith(f"-{pod_hash}"):
            out.append(("Deployment", name[: -len(pod_hash) - 1]))
        if kind == "Job" and (job := _CRONJOB_JOB.match(name)):
            out.append(("CronJob", job.group("cronjob")))
    return out


class Exceptions:
    """The exceptions of a config, split into those in force and those expired on ``today``."""

    def __init__(self, config: Config, today: dt.date | None = None) -> None:
        today = today or dt.date.today()
        self.active: list[ExceptionEntry] = [e for e in config.exceptions if not e.expired(today)]
        self.expired: list[ExceptionEntry] = [e for e in config.exceptions if e.expired(today)]

    def reason(self, rule: Rule, resource: Resource) -> str | None:
        if not self.active:
            return None
        ref = resource.ref
        identities = [(ref.kind, ref.name), *controllers(resource)]
        for entry in self.active:
            if rule_matches(rule, entry.rule) and any(
                entry.matches_object(kind, ref.namespace, name) for kind, name in identities
            ):
                return entry.reason
        return None

    def warnings(self, config_path: str | None) -> list[str]:
        where = f" in {config_path}" if config_path else ""
        return [
            f"exception #{e.index + 1}{where} for {e.rule} ({e.kind} {e.namespace}/{e.name}) expired on "
            f"{e.expires.isoformat() if e.expires else '?'} and no longer applies"
            for e in self.expired
        ]
