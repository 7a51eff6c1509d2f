// 引用 … 为 别名 全体另给 — an imported scheme scored over its own full
// population (Program::imports). Before this program reads a record, each
// such import is scored on its own over the file given with --with 别名=文件,
// exactly as `rubricc score 被引用.rubric 文件` would score it (its population
// functions, ranks and vetoes over every record of that file). Each record of
// this program then gets, in its result columns, the values of the candidate
// its match column names: the total and the indicators (exact: a fraction is
// numerator ÷ denominator columns), and whether that run disqualified it.
//
// Nothing is scored against a partial population: a missing --with, an
// unreadable file or any rejected row of the imported run (its own messages,
// naming that file and its rows) is fatal (exit 2). A record whose match cell
// names no candidate of the imported file is a rejected row.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace rubric::runtime {

struct RunContext;

// One import's results, by candidate identifier.
struct ImportTable {
  std::string alias;
  std::string file;                 // the --with file
  int matchColumn = -1;             // this program's text column naming the candidate
  std::vector<int> columns;         // the result columns, in the order of each row's values
  std::unordered_map<std::string, std::vector<int64_t>> byId;

  // The values for the candidate `id` names (trimmed), or null.
  const std::vector<int64_t> *find(std::string_view id) const;
};

// Scores every whole-population import into ctx.imports. False (said; exit 2)
// when one cannot be scored whole. With RunOptions::importResultsInRecords
// nothing is scored: the records give the result columns themselves.
bool runWholePopulationImports(RunContext &ctx);

// The message (without "file:row: 错误: " and "；该行未评分") for a record whose
// match cell `id` (column `header`) names no candidate of the import.
std::string unmatchedImportText(const ImportTable &t, std::string_view id, const std::string &header, bool zh);

} // namespace rubric::runtime
