"""JUnit XML for CI systems: a test suite per rule, a failing test case per finding.

Passing rules get one passing test case that counts the resources they passed, so the report stays
small at any scale. Suppressed findings are skipped test cases; input errors are an ``input`` suite
of errored cases.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from kubeguard.findings.report import Evaluation, Finding, ScanReport


def render(report: ScanReport) -> str:
    root = ET.Element("testsuites", name="kubeguard")
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for f in report.findings:
        by_rule[f.rule.code].append(f)
    errors_by_rule = defaultdict(list)
    for e in report.rule_errors:
        errors_by_rule[e.rule].append(e)
    counts = report.evaluations.counts()
    total_tests = total_failures = total_errors = 0
    for rule in report.rules:
        findings = by_rule.get(rule.code, [])
        suite = ET.SubElement(root, "testsuite", name=f"{rule.code} {rule.slug}", package="kubeguard")
        tests = failures = skipped = 0
        for f in findings:
            tests += 1
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"{rule.code}.{rule.slug}",
                name=f"{f.object} {f.pointer}".strip(),
            )
            if f.suppressed:
                skipped += 1
                ET.SubElement(case, "skipped", message=f"suppressed ({f.suppression})")
            else:
                failures += 1
                fail = ET.SubElement(case, "failure", message=f.message, type=rule.severity.label)
                fail.text = f"{f.file}{':' + str(f.line) if f.line is not None else ''} {f.object}{f.pointer}\n{f.message}\nFix: {rule.remediation}"
        errs = errors_by_rule.get(rule.code, [])
        for e in errs:
            tests += 1
            case = ET.SubElement(suite, "testcase", classname=f"{rule.code}.{rule.slug}", name=str(e.object))
            ET.SubElement(case, "error", message=e.message, type="RuleError")
        passed = counts[rule.code][Evaluation.PASS]
        if passed or not (findings or errs):
            tests += 1
            ET.SubElement(
                suite,
                "testcase",
                classname=f"{rule.code}.{rule.slug}",
                name=f"{passed} resource(s) passed",
            )
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", str(len(errs)))
        suite.set("skipped", str(skipped))
        total_tests += tests
        total_failures += failures
        total_errors += len(errs)
    if report.errors:
        suite = ET.SubElement(root, "testsuite", name="input")
        for ie in report.errors:
            case = ET.SubElement(suite, "testcase", classname="input", name=f"{ie.file}:{ie.line or ''}")
            ET.SubElement(case, "error", message=ie.message, type="InputError")
        suite.set("tests", str(len(report.errors)))
        suite.set("failures", "0")
        suite.set("errors", str(len(report.errors)))
        suite.set("skipped", "0")
        total_tests += len(report.errors)
        total_errors += len(report.errors)
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", str(total_errors))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
