"""Kubernetes Dashboard exposed or without login.

## What it does
Finds the Kubernetes Dashboard in the input: pods running its images (`kubernetesui/dashboard`,
`kubernetesui/dashboard-web`, `-api` and `-auth`, and the old `kubernetes-dashboard-<arch>`), the
Services selecting them, and Services named `kubernetes-dashboard…` (the names its manifests and
Helm chart give, the v7 Kong proxy included). It flags:

- such a Service of type `LoadBalancer` or `NodePort`, or with `externalIPs`: the dashboard is
  reachable from outside the cluster (pointing at `spec.type` or `spec.externalIPs`);
- an Ingress whose backend is such a Service in its namespace (pointing at the backend's service name);
- a dashboard container started with `--enable-skip-login` (or `--enable-skip-login=true`): anyone
  who reaches it may skip the login and act with the dashboard's own service account.

## Why it matters
The dashboard can do whatever its user's token, or with skip-login its own service account, may do:
read Secrets, exec into pods, create workloads. Exposed dashboards are a classic way into clusters
(the 2018 Tesla cryptojacking incident started at a dashboard open to the internet without a
password). The project's advice is to reach it only through `kubectl port-forward` or
`kubectl proxy`.

## Example
```yaml
kind: Service
metadata: {name: kubernetes-dashboard, namespace: kubernetes-dashboard}
spec:
  type: LoadBalancer            # flagged
  selector: {k8s-app: kubernetes-dashboard}
```

## Fix
Keep the dashboard's Services `ClusterIP`, remove Ingress routes to it, drop `--enable-skip-login`,
and reach it with `kubectl -n kubernetes-dashboard port-forward`; give its service account no
more than read access.

## References
- https://github.com/kubernetes/dashboard/blob/master/docs/user/accessing-dashboard/README.md
- https://github.com/kubernetes/dashboard/blob/master/docs/common/arguments.md
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubeguard.analyzers.workload.containers import describe
from kubeguard.checks.network._ingress import ingress_spec
from kubeguard.model.image import parse_image
from kubeguard.model.kinds import BUILTIN_WORKLOAD_KINDS
from kubeguard.model.pointer import Pointer
from kubeguard.model.resource import Resource
from kubeguard.rules.context import ScanContext
from kubeguard.rules.rule import Rule, Severity, Violation, kinds

_UI_IMAGES = frozenset({"dashboard", "dashboard-web", "dashboard-api", "dashboard-auth"})
SERVICE_NAME_PREFIX = "kubernetes-dashboard"
_EXPOSED_TYPES = ("LoadBalancer", "NodePort")
_SKIP_LOGIN_TRUE = ("--enable-skip-login", "--enable-skip-login=true")


def _is_dashboard_image(image: Any) -> bool:
    # Every dashboard repository name below contains "dashboard", and a parsed repository is
    # a piece of the reference as written: the other images need no parsing.
    if not isinstance(image, str) or "dashboard" not in image:
        return False
    ref = parse_image(image)
    if ref is None:
        return False
    owner, _, leaf = ref.repository.rpartition("/")
    if leaf in _UI_IMAGES and owner.rpartition("/")[2] == "kubernetesui":
        return True
    return leaf.startswith("kubernetes-dashboard")


def _dashboard_pods(ctx: ScanContext) -> list[tuple[str, Mapping[str, str]]]:
    """(namespace, pod labels) of every workload that runs a dashboard image."""
    out = []
    for r in ctx.resources:
        w = r.workload
        if w is not None and any(_is_dashboard_image(c.image) for c in w.containers()):
            out.append((r.effective_namespace or "default", w.labels))
    return out


def _is_dashboard_service(service: Resource, ctx: ScanContext) -> bool:
    if service.name.startswith(SERVICE_NAME_PREFIX):
        return True
    spec = service.raw.get("spec")
    selector = spec.get("selector") if isinstance(spec, dict) else None
    if not isinstance(selector, dict) or not selector:
        return False
    namespace = service.effective_namespace or "default"
    return any(
        ns == namespace and all(labels.get(k) == v for k, v in selector.items())
        for ns, labels in ctx.cached(_dashboard_pods)
    )


def _backends(spec: dict[str, Any]) -> Iterator[tuple[str, Pointer]]:
    """(service name, pointer to it) of every backend of an Ingress (v1 and extensions/v1beta1)."""
    base = Pointer(("spec",))

    def one(backend: Any, at: Pointer) -> Iterator[tuple[str, Pointer]]:
        if not isinstance(backend, dict):
            return
        service = backend.get("service")
        if isinstance(service, dict) and isinstance(service.get("name"), str):
            yield service["name"], at.join("service", "name")
        elif isinstance(backend.get("serviceName"), str):
            yield backend["serviceName"], at / "serviceName"

    for key in ("defaultBackend", "backend"):
        yield from one(spec.get(key), base / key)
    rules = spec.get("rules")
    for i, rule in enumerate(rules if isinstance(rules, list) else []):
        http = rule.get("http") if isinstance(rule, dict) else None
        paths = http.get("paths") if isinstance(http, dict) else None
        for j, path in enumerate(paths if isinstance(paths, list) else []):
            if isinstance(path, dict):
                yield from one(path.get("backend"), base.join("rules", i, "http", "paths", j, "backend"))


def _check_service(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    spec = resource.raw.get("spec")
    if not isinstance(spec, dict) or not _is_dashboard_service(resource, ctx):
        return
    kind = spec.get("type")
    if kind in _EXPOSED_TYPES:
        yield Violation(
            f"Service {resource.name!r} serves the Kubernetes Dashboard as {kind}: reachable from outside the cluster",
            at=Pointer(("spec", "type")),
        )
    if spec.get("externalIPs"):
        yield Violation(
            f"Service {resource.name!r} serves the Kubernetes Dashboard on external IPs",
            at=Pointer(("spec", "externalIPs")),
        )


def _check_ingress(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    spec = ingress_spec(resource)
    if spec is None:
        return
    namespace = resource.effective_namespace or "default"
    for name, at in _backends(spec):
        service = ctx.find("Service", namespace, name)
        if (service is not None and _is_dashboard_service(service, ctx)) or name.startswith(
            SERVICE_NAME_PREFIX
        ):
            yield Violation(f"Ingress routes to the Kubernetes Dashboard (Service {name!r})", at=at)


def _check_workload(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    w = resource.workload
    if w is None:
        return
    for c in w.containers():
        if not _is_dashboard_image(c.image):
            continue
        for field in ("args", "command"):
            values = c.raw.get(field)
            for i, arg in enumerate(values if isinstance(values, list) else []):
                if isinstance(arg, str) and arg.strip() in _SKIP_LOGIN_TRUE:
                    yield Violation(
                        f"{describe(c)} runs the Kubernetes Dashboard with {arg.strip()}: anyone who reaches "
                        "it can skip the login and use the dashboard's own service account",
                        at=c.pointer.join(field, i),
                    )


def check(resource: Resource, ctx: ScanContext) -> Iterator[Violation]:
    if resource.kind == "Service" and resource.group == "":
        yield from _check_service(resource, ctx)
    elif resource.kind == "Ingress":
        yield from _check_ingress(resource, ctx)
    else:
        yield from _check_workload(resource, ctx)


RULE = Rule(
    code="NET018",
    slug="kubernetes-dashboard-exposed",
    title="Kubernetes Dashboard exposed or without login",
    severity=Severity.HIGH,
    needs=("the dashboard's Services, Ingresses and pods",),
    applies_to=kinds("Service", "Ingress", *sorted(BUILTIN_WORKLOAD_KINDS)),
    check=check,
    remediation="Keep the dashboard ClusterIP-only, drop Ingress routes and --enable-skip-login; use kubectl port-forward.",
    references=(
        "https://github.com/kubernetes/dashboard/blob/master/docs/user/accessing-dashboard/README.md",
    ),
)
