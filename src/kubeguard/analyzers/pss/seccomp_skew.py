"""What the API server of the target Kubernetes version does with the old seccomp annotations.

``seccomp.security.alpha.kubernetes.io/pod`` and ``container.seccomp.security.alpha.kubernetes.io/<name>``
were the only way to set seccomp before v1.19. From v1.19 (seccomp GA, KEP-135, kubernetes#91408) the
API server keeps annotation and ``securityContext.seccompProfile`` in step when a pod is created, before
admission sees it (``applySeccompVersionSkew`` in the pod strategy's ``PrepareForCreate``):

- v1.19 to v1.24: a field without its annotation gets the annotation, an annotation without its field
  gets the field (``SeccompFieldForAnnotation``: ``unconfined`` -> ``Unconfined``, ``runtime/default``
  and ``docker/default`` -> ``RuntimeDefault``, ``localhost/<p>`` -> ``Localhost``; other values, or an
  empty localhost profile, set nothing).
- v1.25 and v1.26 (kubernetes#109819): kubelets ignore the annotations and fields no longer fill
  annotations, but an annotation without its field still fills the field.
- v1.27 on (kubernetes#114947): no syncing at all; the annotations do nothing.

Pod Security Admission judges the annotations in its policy versions before v1.19 and the fields from
v1.19 (``check_seccompProfile_baseline.go``), always on the object after this syncing. So at a target
version from v1.19 to v1.26 a pod that sets seccomp only by annotation is judged by the field the API
server gives it, and the finding points at the annotation that set it.
"""

from __future__ import annotations

from typing import Any

from kubeguard.analyzers.pss.pod import Pod, SkewedPod, as_dict

POD_KEY = "seccomp.security.alpha.kubernetes.io/pod"
CONTAINER_PREFIX = "container.seccomp.security.alpha.kubernetes.io/"

FIRST_SYNC_MINOR = 19  # v1.19: fields added, synced both ways
LAST_FIELD_TO_ANNOTATION_MINOR = 24  # v1.25 stopped filling annotations from fields
LAST_ANNOTATION_TO_FIELD_MINOR = 26  # v1.27 stopped filling fields from annotations


def field_for_annotation(value: Any) -> dict[str, Any] | None:
    """The ``seccompProfile`` the API server makes of an annotation value (``None``: nothing)."""
    if not isinstance(value, str):
        return None
    if value == "unconfined":
        return {"type": "Unconfined"}
    if value in ("runtime/default", "docker/default"):
        return {"type": "RuntimeDefault"}
    if value.startswith("localhost/") and len(value) > len("localhost/"):
        return {"type": "Localhost", "localhostProfile": value[len("localhost/") :]}
    return None


def annotation_for_field(profile: Any) -> str | None:
    """The annotation value the API server makes of a ``seccompProfile`` field (``None``: nothing)."""
    kind = as_dict(profile).get("type")
    if kind == "Unconfined":
        return "unconfined"
    if kind == "RuntimeDefault":
        return "runtime/default"
    if kind == "Localhost":
        local = as_dict(profile).get("localhostProfile")
        if isinstance(local, str):
            return "localhost/" + local
    return None


def syncs_at(minor: int | None) -> tuple[bool, bool]:
    """(annotation fills field, field fills annotation) at Kubernetes ``v1.<minor>`` (None: latest)."""
    if minor is None or minor < FIRST_SYNC_MINOR:
        return False, False
    return minor <= LAST_ANNOTATION_TO_FIELD_MINOR, minor <= LAST_FIELD_TO_ANNOTATION_MINOR


def apply_version_skew(pod: Pod, k8s_minor: int | None) -> Pod:
    """The pod as the API server of ``v1.<k8s_minor>`` would hand it to admission: ``pod`` itself
    when it would change nothing, else a private :class:`SkewedPod` copy (the shared view is read by
    other rules and never changed)."""
    to_field, to_annotation = syncs_at(k8s_minor)
    if not to_field:
        return pod
    skewed = SkewedPod(pod)
    raw = skewed.annotations
    synced = dict(raw)
    changed = annotations_changed = False
    # The pod first: its containers are made after, over the pod-level securityContext it ends with.
    profile = skewed.pod_sc.get("seccompProfile")
    if POD_KEY in raw and profile is None:
        field = field_for_annotation(raw[POD_KEY])
        if field is not None:
            skewed.pod_sc = {**skewed.pod_sc, "seccompProfile": field}
            skewed.seccomp_origin = skewed.annotation_pointer(POD_KEY)
            changed = True
    elif to_annotation and profile is not None and POD_KEY not in raw:
        value = annotation_for_field(profile)
        if value is not None:
            synced[POD_KEY] = value
            skewed.annotation_origins[POD_KEY] = skewed.sc_pointer("seccompProfile")
            changed = annotations_changed = True
    for c in skewed.containers():
        key = CONTAINER_PREFIX + c.declared_name
        profile = c.own_sc.get("seccompProfile")
        if key in raw and profile is None:
            field = field_for_annotation(raw[key])
            if field is not None:
                c.own_sc = {**c.own_sc, "seccompProfile": field}
                c.seccomp_origin = skewed.annotation_pointer(key)
                changed = True
        elif to_annotation and profile is not None and key not in raw:
            value = annotation_for_field(profile)
            if value is not None:
                synced[key] = value
                skewed.annotation_origins[key] = c.sc_pointer("seccompProfile")
                changed = annotations_changed = True
    if not changed:
        return pod
    if annotations_changed:
        skewed.synced_annotations = synced
    return skewed
