"""The admission webhook: the scan's rules judging objects as the API server admits them.

``review`` reads and answers AdmissionReviews (:class:`~kubeguard.webhook.review.Judge`), ``policy``
holds modes and exemptions per namespace, ``app`` is the ASGI app run by :mod:`kubeguard.serve`,
``manifests`` writes the objects that deploy it. See docs/admission.md.
"""
