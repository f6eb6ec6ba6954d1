"""A generator of realistic manifest corpora for the benchmarks (deterministic for a given seed)."""

from __future__ import annotations

import os
import random

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {ns}
  labels: {{app: {app}, tier: {tier}}}
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: {app}}}
  template:
    metadata:
      labels: {{app: {app}, tier: {tier}}}
    spec:
      serviceAccountName: {app}
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        seccompProfile: {{type: RuntimeDefault}}
      containers:
        - name: app
          image: registry.example.com/{app}:{tag}
          ports:
            - {{containerPort: 8080, name: http}}
          env:
            - {{name: LOG_LEVEL, value: info}}
            - {{name: DB_HOST, value: db.{ns}.svc}}
          resources:
            requests: {{cpu: 100m, memory: 128Mi}}
            limits: {{cpu: 500m, memory: 256Mi}}
          securityContext:
            allowPrivilegeEscalation: {ape}
            readOnlyRootFilesystem: {ro}
            capabilities: {{drop: [ALL]}}
          livenessProbe: {{httpGet: {{path: /healthz, port: http}}}}
          readinessProbe: {{httpGet: {{path: /ready, port: http}}}}
          volumeMounts:
            - {{name: tmp, mountPath: /tmp}}
      volumes:
        - {{name: tmp, emptyDir: {{}}}}
"""

SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {ns}
spec:
  type: {stype}
  selector: {{app: {app}}}
  ports:
    - {{name: http, port: 80, targetPort: http}}
"""

CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}
  namespace: {ns}
data:
  LOG_FORMAT: json
  FEATURE_FLAGS: "a,b,c"
  app.properties: |
    server.port=8080
    cache.size=512
"""

SERVICEACCOUNT = """apiVersion: v1
kind: ServiceAccount
metadata:
  name: {app}
  namespace: {ns}
automountServiceAccountToken: false
"""

ROLE = """apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {name}
  namespace: {ns}
rules:
  - apiGroups: [""]
    resources: [configmaps]
    verbs: [get, list, watch]
"""

ROLEBINDING = """apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {name}
  namespace: {ns}
subjects:
  - kind: ServiceAccount
    name: {app}
    namespace: {ns}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: {name}
"""

NETPOL = """apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {name}
  namespace: {ns}
spec:
  podSelector:
    matchLabels: {{app: {app}}}
  policyTypes: [Ingress, Egress]
  ingress:
    - from:
        - podSelector: {{matchLabels: {{tier: frontend}}}}
      ports:
        - {{port: 8080, protocol: TCP}}
  egress:
    - to:
        - namespaceSelector: {{matchLabels: {{kubernetes.io/metadata.name: {ns}}}}}
"""

INGRESS = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {name}
  namespace: {ns}
spec:
  tls:
    - hosts: [{app}.example.com]
      secretName: {app}-tls
  rules:
    - host: {app}.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service: {{name: {app}, port: {{number: 80}}}}
"""

NAMESPACE = """apiVersion: v1
kind: Namespace
metadata:
  name: {ns}
  labels:
    pod-security.kubernetes.io/enforce: restricted
"""

# (template, weight) — roughly the mix of a real application repository or cluster export.
MIX = [
    (DEPLOYMENT, 30),
    (SERVICE, 20),
    (CONFIGMAP, 15),
    (SERVICEACCOUNT, 10),
    (ROLE, 6),
    (ROLEBINDING, 6),
    (NETPOL, 8),
    (INGRESS, 5),
]


def generate(directory: str, total: int, per_file: int = 100, seed: int = 7) -> int:
    """Write ``total`` resources into ``directory`` in files of ``per_file`` documents; returns the file count."""
    rng = random.Random(seed)
    os.makedirs(directory, exist_ok=True)
    templates = [t for t, w in MIX for _ in range(w)]
    namespaces = [f"team-{i:03d}" for i in range(max(1, total // 500))]
    written = 0
    files = 0
    while written < total:
        docs = []
        for _ in range(min(per_file, total - written)):
            i = written
            ns = namespaces[i % len(namespaces)]
            app = f"svc{i % 997}"
            if i < len(namespaces):
                docs.append(NAMESPACE.format(ns=ns))
            else:
                docs.append(
                    rng.choice(templates).format(
                        name=f"obj-{i}",
                        ns=ns,
                        app=app,
                        tier=rng.choice(["frontend", "backend", "data"]),
                        replicas=rng.randint(1, 5),
                        tag=f"1.{rng.randint(0, 30)}.{rng.randint(0, 9)}",
                        ape=rng.choice(["false", "false", "true"]),
                        ro=rng.choice(["true", "true", "false"]),
                        stype=rng.choice(["ClusterIP", "ClusterIP", "ClusterIP", "LoadBalancer"]),
                    )
                )
            written += 1
        with open(os.path.join(directory, f"manifests-{files:05d}.yaml"), "w") as fh:
            fh.write("---\n".join(docs))
        files += 1
    return files
