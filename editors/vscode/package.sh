#!/bin/sh
# Builds the VS Code extension as a .vsix without vsce and without a network
# beyond npm's registry: a .vsix is a zip of
#   extension.vsixmanifest   the gallery manifest (identity, engine, assets)
#   [Content_Types].xml      the MIME type of each file extension in the zip
#   extension/...            package.json, extension.js, the grammar, the
#                            language configuration and node_modules/ (the
#                            language client the extension requires)
#
# usage: editors/vscode/package.sh [-o OUT.vsix] [--no-deps]
#   -o OUT.vsix  where to write it (default: editors/vscode/NAME-VERSION.vsix)
#   --no-deps    leave node_modules/ out (a structure check; such a .vsix
#                cannot start the language server). Without it, the language
#                client is installed with `npm install --omit=dev` into a
#                staging copy unless editors/vscode/node_modules already has it.
# Install the result with: code --install-extension OUT.vsix
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=""
deps=1
while [ $# -gt 0 ]; do
  case $1 in
    -o) out=$2; shift 2 ;;
    --no-deps) deps=0; shift ;;
    *) echo "usage: $0 [-o OUT.vsix] [--no-deps]" >&2; exit 2 ;;
  esac
done

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/extension"
cp "$here/package.json" "$here/extension.js" "$here/language-configuration.json" "$stage/extension/"
cp -R "$here/syntaxes" "$stage/extension/"
cp "$here/../README.md" "$stage/extension/README.md"

if [ "$deps" = 1 ]; then
  if [ -d "$here/node_modules/vscode-languageclient" ]; then
    cp -R "$here/node_modules" "$stage/extension/"
  elif ! (cd "$stage/extension" && npm install --omit=dev --no-audit --no-fund --no-package-lock >&2); then
    echo "package.sh: npm install of the language client failed; run 'npm install' in $here" \
         "(or pass --no-deps for a package without it)" >&2
    exit 1
  fi
fi

python3 - "$stage" "$here" "$out" <<'PY'
import json, os, sys, zipfile
from xml.sax.saxutils import escape, quoteattr

stage, here, out = sys.argv[1:4]
pkg = json.load(open(os.path.join(stage, "extension", "package.json"), encoding="utf-8"))
out = out or os.path.join(here, "%s-%s.vsix" % (pkg["name"], pkg["version"]))

files = []
for root, _, names in os.walk(stage):
    for n in names:
        full = os.path.join(root, n)
        files.append((full, os.path.relpath(full, stage).replace(os.sep, "/")))
files.sort(key=lambda f: f[1])

manifest = """<?xml version="1.0" encoding="utf-8"?>
<PackageManifest Version="2.0.0" xmlns="http://schemas.microsoft.com/developer/vsx-schema/2011" xmlns:d="http://schemas.microsoft.com/developer/vsx-schema-design/2011">
  <Metadata>
    <Identity Language="en-US" Id=%s Version=%s Publisher=%s />
    <DisplayName>%s</DisplayName>
    <Description xml:space="preserve">%s</Description>
    <Categories>%s</Categories>
    <GalleryFlags>Public</GalleryFlags>
    <Properties>
      <Property Id="Microsoft.VisualStudio.Code.Engine" Value=%s />
      <Property Id="Microsoft.VisualStudio.Code.ExtensionDependencies" Value="" />
      <Property Id="Microsoft.VisualStudio.Code.ExtensionPack" Value="" />
      <Property Id="Microsoft.VisualStudio.Code.ExtensionKind" Value="workspace" />
      <Property Id="Microsoft.VisualStudio.Code.LocalizedLanguages" Value="" />
    </Properties>
  </Metadata>
  <Installation>
    <InstallationTarget Id="Microsoft.VisualStudio.Code" />
  </Installation>
  <Dependencies />
  <Assets>
    <Asset Type="Microsoft.VisualStudio.Code.Manifest" Path="extension/package.json" Addressable="true" />
    <Asset Type="Microsoft.VisualStudio.Services.Content.Details" Path="extension/README.md" Addressable="true" />
  </Assets>
</PackageManifest>
""" % (quoteattr(pkg["name"]), quoteattr(pkg["version"]), quoteattr(pkg["publisher"]),
       escape(pkg.get("displayName", pkg["name"])), escape(pkg.get("description", "")),
       escape(",".join(pkg.get("categories", []))), quoteattr(pkg["engines"]["vscode"]))

mime = {".json": "application/json", ".js": "application/javascript", ".md": "text/markdown",
        ".vsixmanifest": "text/xml", ".txt": "text/plain", ".xml": "text/xml", ".ts": "text/plain"}
exts = sorted({os.path.splitext(rel)[1].lower() for _, rel in files} | {".vsixmanifest"})
types = "".join('<Default Extension=%s ContentType=%s/>' % (quoteattr(e), quoteattr(mime.get(e, "application/octet-stream")))
                for e in exts if e)
content_types = ('<?xml version="1.0" encoding="utf-8"?>\n'
                 '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">%s</Types>\n' % types)

with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("extension.vsixmanifest", manifest)
    z.writestr("[Content_Types].xml", content_types)
    for full, rel in files:
        z.write(full, rel)
print(out)
PY
