// `rubricc table`: the scheme rendered back as the official table, with every
// metadata column, so staff can compare it with the document line by line.
// `rubricc template`: the input columns a spreadsheet must have.
#pragma once

#include <string>

#include "ast/Ast.h"
#include "runtime/scoring/Program.h"

namespace rubric::report {

enum class TableFormat { Markdown, Html, Csv };

std::string renderTable(const ast::File &file, TableFormat format);

// CSV header row (UTF-8 with BOM) with every input column; lists get
// `listSlots` indexed copies (帮扶轮次[1].任务完成 …).
std::string renderTemplateCsv(const runtime::Program &program, int listSlots = 3);
// One line per column: name, type, allowed values, note — for staff filling it in.
std::string renderTemplateNotes(const runtime::Program &program);

} // namespace rubric::report
