// Shared by the record-reader fuzz targets (fuzz_csv, fuzz_jsonl, fuzz_xlsx):
// drain a reader and check what RecordReader.h promises of every row.
// A broken promise aborts, which libFuzzer reports as a crash with the input.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "runtime/records/RecordReader.h"
#include "runtime/scoring/Cells.h"

namespace rubric::fuzz {

[[noreturn]] inline void broken(const char *promise) {
  std::fprintf(stderr, "fuzz: broken promise: %s\n", promise);
  std::abort();
}

// Every cell also goes through the cell parser the scoring runtime applies to
// it (exact decimals, never double). A decimal it accepts must print back to
// text that parses to the same value.
inline void parseCells(const records::Row &row) {
  using runtime::ValueKind;
  static const std::vector<std::string> noEnum, levels = {"国家级", "省级", "市级"};
  for (const auto &cell : row.cells) {
    if (cell.find_first_not_of(" \t") == std::string::npos) continue; // empty: the caller's default
    int64_t v = 0;
    for (ValueKind k : {ValueKind::Percent, ValueKind::Count, ValueKind::Bool}) (void)runtime::parseCell(cell, k, noEnum, v);
    (void)runtime::parseCell(cell, ValueKind::Enum, levels, v);
    if (runtime::parseCell(cell, ValueKind::Decimal, noEnum, v) != runtime::CellIssue::None) continue;
    std::string text = runtime::formatValue(v, ValueKind::Decimal, noEnum);
    int64_t again = 0;
    if (runtime::parseCell(text, ValueKind::Decimal, noEnum, again) != runtime::CellIssue::None || again != v)
      broken("a decimal cell prints back to the same value");
  }
}

// RUBRIC_FUZZ_VERBOSE=1: say what each input did (to check that seeds reach
// where they are meant to).
inline bool verbose() {
  static const bool on = std::getenv("RUBRIC_FUZZ_VERBOSE") != nullptr;
  return on;
}

// Reads every row. Headers only grow (JSONL appends new keys; an index keeps
// its meaning) and never change once headersFixed(). Row numbers only grow
// where the reader counts them itself (CSV lines, JSONL lines); an XLSX row
// number is whatever the sheet's r attribute says.
enum class RowNumbers { Counted, FromFile };
inline void drain(records::RecordReader &reader, RowNumbers numbers = RowNumbers::Counted) {
  records::Row row;
  int64_t last = 0;
  std::vector<std::string> before = reader.headers();
  bool fixed = reader.headersFixed();
  while (reader.next(row)) {
    if (numbers == RowNumbers::Counted && row.number <= last) broken("row numbers increase");
    last = row.number;
    const auto &now = reader.headers();
    if (now.size() < before.size() || !std::equal(before.begin(), before.end(), now.begin()))
      broken("headers are append-only");
    if (fixed && now.size() != before.size()) broken("fixed headers do not change");
    before = now;
    if (row.problem != records::RowProblem::None) continue;
    parseCells(row);
  }
  if (verbose()) std::fprintf(stderr, "fuzz: %zu columns, last row %lld\n", before.size(), static_cast<long long>(last));
}

} // namespace rubric::fuzz
