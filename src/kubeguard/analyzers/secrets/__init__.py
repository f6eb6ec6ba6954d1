"""Finding credentials in manifests: token formats, credential-named fields, plain Secrets.

``detect`` finds credentials in strings (free text and name/value pairs); ``objects`` reads
``kind: Secret`` objects and recognizes the encrypted alternatives (SealedSecret, ExternalSecret,
SOPS). Nothing here formats a value: messages use :func:`kubeguard.model.redact.hint`.
"""
