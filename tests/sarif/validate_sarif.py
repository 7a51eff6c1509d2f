#!/usr/bin/python3
"""Validates SARIF logs against the official SARIF 2.1.0 JSON schema, formats
included (a "uri" must be an absolute URI), and checks what the schema cannot:
rule descriptions carry no {0} placeholders, and the expectations given as
--expect RESULT_CODE:relatedLocations|fixes for a log.

usage: validate_sarif.py SCHEMA LOG [--expect CODE:what ...] [LOG ...]
"""
import json
import sys

import jsonschema


def main(argv):
    schema = json.load(open(argv[1], encoding="utf-8"))
    checker = jsonschema.FormatChecker()
    # Format checking must really be on: without python3-rfc3987 jsonschema
    # silently accepts any string as a "uri".
    if checker.conforms("docs/diagnostics.md", "uri"):
        print("FAIL: the 'uri' format is not checked (install python3-rfc3987)")
        return 1
    validator = jsonschema.Draft4Validator(schema, format_checker=checker)
    failures = 0
    logs = []
    for arg in argv[2:]:
        if arg.startswith("--expect="):
            logs[-1][1].append(arg[len("--expect="):])
        else:
            logs.append((arg, []))
    for path, expectations in logs:
        doc = json.load(open(path, encoding="utf-8"))
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in errors:
            print(f"FAIL {path}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
        failures += len(errors)
        run = doc["runs"][0]
        for rule in run["tool"]["driver"]["rules"]:
            text = rule["shortDescription"]["text"]
            if "{0}" in text or "{1}" in text:
                print(f"FAIL {path}: rule {rule['id']} shows a raw template: {text}")
                failures += 1
        for exp in expectations:
            code, what = exp.split(":")
            found = [r for r in run["results"] if r["ruleId"] == code and what in r]
            if not found:
                print(f"FAIL {path}: no {code} result with {what}")
                failures += 1
        print(f"{'ok' if not failures else 'checked'} {path}: {len(run['results'])} result(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
