// Readings (读法) for staff: `rubricc readings` lists each ambiguous sentence,
// its options, the one the rubric adopts and where rules use it; `rubricc
// table` shows the same declarations as a 读法 section.
#pragma once

#include <string>

#include "ast/Ast.h"
#include "report/Table.h"
#include "sema/Sema.h"

namespace rubric::report {

// Text: one block per reading. An empty rubric says so in one line.
std::string renderReadingsText(const sema::CheckedFile &checked);
// JSON: an array of {name, line, text, chosen, options: [{name, meaning}],
// reason (null when none), uses: [{line, item (null at top level)}]}.
std::string renderReadingsJson(const sema::CheckedFile &checked);

// Appends the 读法 section of `rubricc table` to `out` (Markdown: after the
// table; HTML: before </body>; CSV: nothing, the file stays one table).
void appendReadingsSection(const ast::File &file, TableFormat format, std::string &out);

} // namespace rubric::report
