"""Registers ``kubeguard explain`` (defined with ``rules`` in rules_cmd)."""

from kubeguard.cli.rules_cmd import explain_command

COMMAND = explain_command
