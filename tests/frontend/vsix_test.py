#!/usr/bin/python3
"""editors/vscode/package.sh builds a .vsix VS Code can install: a zip with
extension.vsixmanifest (whose identity, version and engine are package.json's),
[Content_Types].xml naming a type for every file extension in the zip, and
extension/ with the manifest's assets, the client, the grammar and the
language configuration (package.json's paths all present). Packaged with
--no-deps, so no network is needed: node_modules/ is checked to be absent.
The client is checked to be valid JavaScript with `node --check` when node exists.

usage: vsix_test.py PACKAGE_SH TMPDIR
"""
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

failures = 0


def check(ok, what):
    global failures
    print(("ok   " if ok else "FAIL ") + what)
    failures += 0 if ok else 1


def main(package_sh, tmp):
    os.makedirs(tmp, exist_ok=True)
    out = os.path.join(tmp, "rubric.vsix")
    if os.path.exists(out):
        os.remove(out)
    run = subprocess.run(["sh", package_sh, "--no-deps", "-o", out], capture_output=True, text=True)
    check(run.returncode == 0 and os.path.exists(out), "package.sh --no-deps writes the .vsix (%s)" % run.stderr.strip())
    if failures:
        return 1
    z = zipfile.ZipFile(out)
    names = set(z.namelist())
    check(z.testzip() is None, "the zip is intact")
    pkg = json.loads(z.read("extension/package.json"))
    ns = {"v": "http://schemas.microsoft.com/developer/vsx-schema/2011"}
    manifest = ET.fromstring(z.read("extension.vsixmanifest"))
    ident = manifest.find("v:Metadata/v:Identity", ns)
    check(ident is not None and ident.get("Id") == pkg["name"] and ident.get("Version") == pkg["version"]
          and ident.get("Publisher") == pkg["publisher"], "the manifest's identity is package.json's")
    engine = manifest.find("v:Metadata/v:Properties/v:Property[@Id='Microsoft.VisualStudio.Code.Engine']", ns)
    check(engine is not None and engine.get("Value") == pkg["engines"]["vscode"], "the manifest's engine is package.json's")
    assets = [a.get("Path") for a in manifest.findall("v:Assets/v:Asset", ns)]
    check("extension/package.json" in assets and all(a in names for a in assets), "every asset is in the zip: %s" % assets)
    types = ET.fromstring(z.read("[Content_Types].xml"))
    declared = {d.get("Extension").lower() for d in types}
    # (the OPC package describes every part but [Content_Types].xml itself)
    missing = {os.path.splitext(n)[1].lower() for n in names if n != "[Content_Types].xml"} - declared - {""}
    check(not missing, "[Content_Types].xml covers every file extension (missing %s)" % sorted(missing))
    contributed = [os.path.normpath(os.path.join("extension", p)).replace(os.sep, "/")
                   for p in [pkg["main"]] + [g["path"] for g in pkg["contributes"]["grammars"]]
                   + [l["configuration"] for l in pkg["contributes"]["languages"]]]
    check(all(p in names for p in contributed), "package.json's main, grammar and configuration are packaged: %s" % contributed)
    check(not any(n.startswith("extension/node_modules/") for n in names), "--no-deps leaves node_modules out")
    json.loads(z.read("extension/language-configuration.json"))
    if shutil.which("node"):
        js = os.path.join(tmp, "extension.js")
        open(js, "wb").write(z.read("extension/extension.js"))
        check(subprocess.run(["node", "--check", js]).returncode == 0, "extension.js is valid JavaScript")
    print("vsix_test: %d failure(s)" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
