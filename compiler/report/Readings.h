// Readings (读法) for staff: `rubricc readings` lists each ambiguous sentence,
// its options, the one the rubric adopts and where rules use it; `rubricc
// table` shows the same declarations as a 读法 section.
#pragma once

#include <string>
#include <vector>

#include "ast/Ast.h"
#include "sema/Sema.h"

namespace rubric::report {

// Text: one block per reading. An empty rubric says so in one line.
std::string renderReadingsText(const sema::CheckedFile &checked);
// JSON: an array of {name, line, text, chosen, options: [{name, meaning}],
// reason (null when none), uses: [{line, item (null at top level)}]}.
std::string renderReadingsJson(const sema::CheckedFile &checked);

// The 读法 section of `rubricc table`, one line per reading: its name, the
// quoted sentence, the options with their meanings, the adopted one and why.
// Every table format lays the lines out like its other sections.
std::vector<std::string> readingsSectionLines(const ast::File &file);

} // namespace rubric::report
