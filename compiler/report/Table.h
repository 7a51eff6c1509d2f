// `rubricc table`: the scheme rendered back as the official table — every rule
// as an official-style sentence (report/Sentences.h), the 原文 and metadata
// columns, a 合计 row — so staff can compare it with the document line by line.
// `rubricc template`: the input columns a spreadsheet must have.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ast/Ast.h"
#include "diagnostics/Diagnostic.h"
#include "runtime/scoring/Program.h"

namespace rubric::report {

enum class TableFormat { Markdown, Html, Csv };

std::string renderTable(const ast::File &file, TableFormat format, Lang lang = Lang::Zh);
// The table as a workbook laid out like the official one: a title row, merged
// cells for the hierarchy, column widths, wrapped text. Returns false (with
// *error) if the file cannot be written.
bool writeTableXlsx(const ast::File &file, Lang lang, const std::string &path, std::string *error);

// A column of the input template: its header, the column it fills, the field's 说明.
struct TemplateColumn {
  std::string name;
  const runtime::ColumnDesc *column = nullptr;
  std::string note;
};
// Every input column, in the template's order; lists get `listSlots`
// indexed copies (帮扶轮次[1].任务完成 …).
std::vector<TemplateColumn> templateColumns(const runtime::Program &program, int listSlots);
// The kind of a column as the template's notes name it: 件数（非负整数）…
const char *kindName(runtime::ValueKind kind);
// CSV header row (UTF-8 with BOM) of templateColumns.
std::string renderTemplateCsv(const runtime::Program &program, int listSlots = 3);
// The rubric's own 用例 as input rows (one per case, id = case name when the
// case sets none), each in templateColumns(program, listSlots) order, list
// slots enough for the longest list; parameters set by cases go to `params`
// as name → value text.
struct CaseRows {
  int listSlots = 1;
  std::vector<std::vector<std::string>> rows;
};
CaseRows caseRows(const ast::File &file, const runtime::Program &program,
                  std::vector<std::pair<std::string, std::string>> *params);
std::string renderCasesCsv(const ast::File &file, const runtime::Program &program,
                           std::vector<std::pair<std::string, std::string>> *params);
// The template as a workbook: headers with comments, drop-downs for 是否/枚举,
// and a notes sheet; `rows` (text cells, in templateColumns order) under the
// headers when given. Returns false (with *error) if the file cannot be written.
bool writeTemplateXlsx(const runtime::Program &program, int listSlots, const std::string &path, std::string *error,
                       const std::vector<std::vector<std::string>> *rows = nullptr);
// One line per column: name, type, allowed values, note — for staff filling it in.
std::string renderTemplateNotes(const runtime::Program &program);

} // namespace rubric::report
