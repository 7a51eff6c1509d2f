#!/usr/bin/env bash
# The main job on the bundled examples: install dependencies, build, check
# every bundled rubric, then score the bundled candidates of the 2025 巴南
# individual scheme with the JIT and print the result table.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
RUBRICC=./build/compiler/rubricc
echo "== rubricc check rubrics/*/*.rubric"
$RUBRICC check rubrics/*/*.rubric
echo
echo "== rubricc score rubrics/2025/banan-individual.rubric examples/2025/banan-individual.csv"
$RUBRICC score rubrics/2025/banan-individual.rubric examples/2025/banan-individual.csv -o build/demo-scores.csv
# Print the result table (strip the BOM Excel wants; align the columns).
sed '1s/^\xEF\xBB\xBF//' build/demo-scores.csv | column -t -s,
echo
echo "(full results: build/demo-scores.csv)"
