// `rubricc template -o template.xlsx`: the input template as a workbook staff
// can fill in Excel — the declared headers, each with a comment saying its
// type and description, drop-down validation for 是否 and 枚举 columns, and a
// second sheet with the notes.
#include <xlsxwriter.h>

#include <vector>

#include "report/Table.h"
#include "runtime/scoring/WorkbookTime.h"

namespace rubric::report {
namespace {

// The header's comment: its kind, an enum's values, and the field's 说明.
std::string headerComment(const TemplateColumn &h) {
  std::string comment = kindName(h.column->kind);
  if (h.column->kind == runtime::ValueKind::Enum) {
    comment += "：";
    for (size_t k = 0; k < h.column->enumValues.size(); ++k) comment += (k ? "/" : "") + h.column->enumValues[k];
  }
  if (!h.note.empty()) comment += "\n" + h.note;
  return comment;
}

// A drop-down list for yes/no and enum columns over the data rows.
void addChoiceList(lxw_worksheet *ws, lxw_col_t col, const runtime::ColumnDesc &column) {
  constexpr lxw_row_t kRows = 2000; // validation range for data rows
  std::vector<std::string> choices =
      column.kind == runtime::ValueKind::Bool ? std::vector<std::string>{"是", "否"} : column.enumValues;
  std::vector<char *> values;  // value_list is read during the call
  for (auto &v : choices) values.push_back(v.data());
  values.push_back(nullptr);
  lxw_data_validation dv{};
  dv.validate = LXW_VALIDATION_TYPE_LIST;
  dv.value_list = values.data();
  dv.error_message = const_cast<char *>("请从下拉列表中选择");
  worksheet_data_validation_range(ws, 1, col, kRows, col, &dv);
}

void writeRecordSheet(lxw_workbook *wb, const std::vector<TemplateColumn> &headers,
                      const std::vector<std::vector<std::string>> *rows) {
  lxw_worksheet *ws = workbook_add_worksheet(wb, "候选记录");
  lxw_format *bold = workbook_add_format(wb);
  format_set_bold(bold);
  worksheet_freeze_panes(ws, 1, 0);
  for (size_t i = 0; i < headers.size(); ++i) {
    const auto &h = headers[i];
    lxw_col_t col = static_cast<lxw_col_t>(i);
    worksheet_write_string(ws, 0, col, h.name.c_str(), bold);
    worksheet_write_comment(ws, 0, col, headerComment(h).c_str());
    worksheet_set_column(ws, col, col, 14, nullptr);
    if (h.column->kind == runtime::ValueKind::Bool || h.column->kind == runtime::ValueKind::Enum)
      addChoiceList(ws, col, *h.column);
  }
  if (!rows) return;
  for (size_t r = 0; r < rows->size(); ++r)  // as text: read back exactly as written (85%, 2022、2023)
    for (size_t i = 0; i < (*rows)[r].size(); ++i)
      if (!(*rows)[r][i].empty())
        worksheet_write_string(ws, static_cast<lxw_row_t>(r + 1), static_cast<lxw_col_t>(i), (*rows)[r][i].c_str(), nullptr);
}

// 填写说明: the notes of the template, one line a row.
void writeNotesSheet(lxw_workbook *wb, const runtime::Program &p) {
  lxw_worksheet *notes = workbook_add_worksheet(wb, "填写说明");
  std::string text = renderTemplateNotes(p);
  lxw_row_t row = 0;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    worksheet_write_string(notes, row++, 0, text.substr(start, end - start).c_str(), nullptr);
    start = end + 1;
  }
  worksheet_set_column(notes, 0, 0, 100, nullptr);
}

} // namespace

bool writeTemplateXlsx(const runtime::Program &p, int listSlots, const std::string &path, std::string *error,
                       const std::vector<std::vector<std::string>> *rows) {
  lxw_workbook *wb = workbook_new(path.c_str());
  if (!wb) {
    if (error) *error = "无法创建 " + path;
    return false;
  }
  runtime::setReproducibleCreationTime(wb);
  writeRecordSheet(wb, templateColumns(p, listSlots), rows);
  writeNotesSheet(wb, p);
  lxw_error rc = workbook_close(wb);
  if (rc != LXW_NO_ERROR) {
    if (error) *error = lxw_strerror(rc);
    return false;
  }
  return true;
}

} // namespace rubric::report
