#!/usr/bin/env python3
"""Checks driftwatch's machine-readable reports against their schemas.

    validate.py json  FILE...   against docs/report.schema.json (draft 2020-12)
    validate.py sarif FILE...   against the official SARIF 2.1.0 schema vendored
                                here (sarif-2.1.0-rtm.5.json, see README.md)
    validate.py junit FILE...   parses as XML; <testsuites>/<testsuite>/<testcase>
                                structure and the suite's counts add up

Needs the `jsonschema` module (scripts/test.sh installs it in a venv under
target/). Exit 0 when every file is valid, 1 otherwise (each error printed).
"""

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SCHEMAS = {
    "json": ROOT / "docs" / "report.schema.json",
    "sarif": HERE / "sarif-2.1.0-rtm.5.json",
}


def check_schema(kind, path):
    import jsonschema

    schema = json.loads(SCHEMAS[kind].read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    return [
        f"{path}: {'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}"
        for e in errors
    ]


def check_junit(path):
    problems = []
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        return [f"{path}: not well-formed XML: {e}"]
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    if root.tag not in ("testsuites", "testsuite"):
        problems.append(f"{path}: root element is <{root.tag}>")
    if len(suites) != 1:
        problems.append(f"{path}: {len(suites)} <testsuite> elements, expected 1")
    for suite in suites:
        cases = suite.findall("testcase")
        counts = {
            "tests": len(cases),
            "failures": sum(1 for c in cases if c.find("failure") is not None),
            "errors": sum(1 for c in cases if c.find("error") is not None),
            "skipped": sum(1 for c in cases if c.find("skipped") is not None),
        }
        for attribute, actual in counts.items():
            declared = suite.get(attribute)
            if declared is None or int(declared) != actual:
                problems.append(
                    f"{path}: testsuite {attribute}={declared!r} but {actual} counted"
                )
        for case in cases:
            for attribute in ("classname", "name"):
                if not case.get(attribute):
                    problems.append(f"{path}: a <testcase> without {attribute}")
            for failure in case.findall("failure"):
                if not failure.get("type") or not failure.get("message"):
                    problems.append(
                        f"{path}: <failure> without type or message in {case.get('name')}"
                    )
    return problems


def main(argv):
    if len(argv) < 3 or argv[1] not in ("json", "sarif", "junit"):
        print(__doc__, file=sys.stderr)
        return 2
    kind, files = argv[1], argv[2:]
    problems = []
    for path in files:
        problems += check_junit(path) if kind == "junit" else check_schema(kind, path)
    for problem in problems:
        print(problem)
    if not problems:
        print(f"{len(files)} {kind} file(s) valid")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
