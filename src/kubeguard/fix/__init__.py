"""``kubeguard fix``: apply the fixes rules declare to the files they were read from.

``editor`` applies a fix's edits to a file's text and nothing else (ruamel.yaml round trip, JSON
kept JSON); ``plan`` decides which findings are fixed and what each file becomes; ``patches``
suggests a strategic-merge patch for rendered objects, which are never edited.
"""
