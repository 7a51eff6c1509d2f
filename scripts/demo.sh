#!/usr/bin/env bash
# The main job on the bundled examples: install dependencies, build, check
# every bundled rubric.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
echo "== rubricc check rubrics/*/*.rubric"
./build/compiler/rubricc check rubrics/*/*.rubric
