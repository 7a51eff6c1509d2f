// Readings (读法) for staff: `rubricc readings` lists each ambiguous sentence,
// its options, the one the rubric adopts and where rules use it; `rubricc
// table` shows the same declarations as a 读法 section.
#pragma once

#include <string>
#include <vector>

#include "ast/Ast.h"
#include "sema/Sema.h"

namespace rubric::report {

// The readings of one scheme as listed: the rubric itself (empty alias) or a
// scheme it imports (引用 … 为 装备: alias "装备", its readings shown as 装备.读法).
struct ReadingScheme {
  std::string alias;
  const sema::CheckedFile *checked = nullptr;
};

// Text: one block per reading, the rubric's first, then each import's. A
// rubric without readings says so in one line.
std::string renderReadingsText(const std::vector<ReadingScheme> &schemes);
// JSON: an array of {name (别名.读法 for an import's), scheme (null or the
// alias), line, text, chosen, options: [{name, meaning}], reason (null when
// none), uses: [{line, item (null at top level)}]}.
std::string renderReadingsJson(const std::vector<ReadingScheme> &schemes);

// `rubricc template --cases`: every 用例 that fixes readings (用例 … 读法 X = Y)
// as a CSV row (UTF-8 with BOM): its identifier in the case sheet (the
// `idName` input, else the case name), the readings, and the --reading
// arguments its expectations hold under. The case sheet itself is the same
// for every reading (every run scores all cases); only the readings differ.
// Empty when no case fixes a reading.
std::string renderCaseReadingsCsv(const ast::File &file, const std::string &idName);

// The 读法 section of `rubricc table`, one line per reading: its name, the
// quoted sentence, the options with their meanings, the adopted one and why.
// Every table format lays the lines out like its other sections.
std::vector<std::string> readingsSectionLines(const ast::File &file);

} // namespace rubric::report
