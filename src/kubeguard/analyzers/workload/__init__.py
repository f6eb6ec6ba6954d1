"""Analyses over workloads that more than one check family (or a command) needs."""
