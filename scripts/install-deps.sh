#!/usr/bin/env bash
# Installs every Debian 12 package rubricc needs to build, test and benchmark.
# Idempotent: packages already present are skipped, so a second run is quick.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  antlr4 libantlr4-runtime-dev
  llvm-19-dev libzstd-dev clang-19 libclang-rt-19-dev
  libfmt-dev catch2 libcli11-dev nlohmann-json3-dev
  libutf8proc-dev bsdextrautils time
  libxlsxwriter-dev libminizip-dev libexpat1-dev unzip
  libgmp-dev python3
  python3-jsonschema python3-rfc3987   # tests: SARIF output validated against the 2.1.0 schema (formats checked)
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
