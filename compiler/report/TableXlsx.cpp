// `rubricc table -o 细则.xlsx`: the official layout as a workbook — a title
// row, the facts row, the grid of TableLayout with its merged cells, borders,
// column widths and wrapped text, row heights that show every line, print
// set-up (A4 landscape, one page wide, header repeated), then the sections.
// Written with libxlsxwriter, as the template workbook (TemplateXlsx.cpp) is.
#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>

#include "report/Table.h"
#include "report/TableModel.h"
#include "runtime/scoring/WorkbookTime.h"
#include "support/Source.h"

namespace rubric::report {
namespace {

constexpr double kLinePoints = 14;   // one line of 10-point text
constexpr double kMinRowPoints = 18;
constexpr double kMaxRowPoints = 409;  // the most a spreadsheet row can be

struct Formats {
  lxw_format *title, *facts, *note, *header, *hierarchyTop, *hierarchy, *points, *text, *blank, *total, *heading, *line;
};

lxw_format *boxed(lxw_workbook *wb) {
  lxw_format *f = workbook_add_format(wb);
  format_set_font_size(f, 10);
  format_set_border(f, LXW_BORDER_THIN);
  format_set_text_wrap(f);
  return f;
}

Formats makeFormats(lxw_workbook *wb) {
  Formats f{};
  f.title = workbook_add_format(wb);
  format_set_bold(f.title);
  format_set_font_size(f.title, 16);
  format_set_align(f.title, LXW_ALIGN_CENTER);
  format_set_align(f.title, LXW_ALIGN_VERTICAL_CENTER);
  f.facts = workbook_add_format(wb);
  format_set_font_size(f.facts, 10);
  format_set_align(f.facts, LXW_ALIGN_CENTER);
  format_set_align(f.facts, LXW_ALIGN_VERTICAL_CENTER);
  format_set_text_wrap(f.facts);
  f.note = workbook_add_format(wb);
  format_set_font_size(f.note, 10);
  format_set_text_wrap(f.note);
  format_set_align(f.note, LXW_ALIGN_VERTICAL_TOP);
  f.header = boxed(wb);
  format_set_bold(f.header);
  format_set_align(f.header, LXW_ALIGN_CENTER);
  format_set_align(f.header, LXW_ALIGN_VERTICAL_CENTER);
  format_set_bg_color(f.header, 0xE7E6E6);
  f.hierarchyTop = boxed(wb);
  format_set_bold(f.hierarchyTop);
  format_set_align(f.hierarchyTop, LXW_ALIGN_CENTER);
  format_set_align(f.hierarchyTop, LXW_ALIGN_VERTICAL_CENTER);
  f.hierarchy = boxed(wb);
  format_set_align(f.hierarchy, LXW_ALIGN_VERTICAL_CENTER);
  f.points = boxed(wb);
  format_set_align(f.points, LXW_ALIGN_CENTER);
  format_set_align(f.points, LXW_ALIGN_VERTICAL_CENTER);
  f.text = boxed(wb);
  format_set_align(f.text, LXW_ALIGN_VERTICAL_TOP);
  f.blank = boxed(wb);
  f.total = boxed(wb);
  format_set_bold(f.total);
  format_set_align(f.total, LXW_ALIGN_CENTER);
  format_set_align(f.total, LXW_ALIGN_VERTICAL_CENTER);
  f.heading = workbook_add_format(wb);
  format_set_bold(f.heading);
  format_set_font_size(f.heading, 12);
  format_set_align(f.heading, LXW_ALIGN_VERTICAL_CENTER);
  f.line = f.note;
  return f;
}

lxw_format *formatOf(const GridCell &c, const Formats &f) {
  switch (c.role) {
  case CellRole::Header: return f.header;
  case CellRole::Hierarchy: return c.col == 0 ? f.hierarchyTop : f.hierarchy;
  case CellRole::Points: return f.points;
  case CellRole::Total: return f.total;
  case CellRole::Rules:
  case CellRole::Value: return f.text;
  }
  return f.text;
}

// Lines a text needs in a column `width` characters wide: a CJK character is
// about two width units, as displayWidth counts it.
double linesFor(const std::string &text, double width) {
  double usable = std::max(1.0, width - 1.5);
  double lines = 0;
  size_t start = 0;
  while (true) {
    size_t end = text.find('\n', start);
    std::string_view line(text.data() + start, (end == std::string::npos ? text.size() : end) - start);
    lines += std::max(1.0, std::ceil(displayWidth(line) / usable));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return lines;
}

// Row heights that show every line: one-row cells first, then each merged
// cell's shortfall goes to the last row it covers (no spreadsheet program
// grows rows for merged cells by itself).
std::vector<double> rowHeights(const TableGrid &g) {
  std::vector<double> h(g.rowCount, kMinRowPoints);
  auto need = [&](const GridCell &c) {
    double width = 0;
    for (int k = c.col; k < c.col + c.cols; ++k) width += g.widths[k];
    return c.text.empty() ? 0 : linesFor(c.text, width) * kLinePoints + 6;
  };
  std::vector<const GridCell *> spans;
  for (const auto &c : g.cells) {
    if (c.rows == 1) h[c.row] = std::max(h[c.row], need(c));
    else spans.push_back(&c);
  }
  std::sort(spans.begin(), spans.end(), [](auto *a, auto *b) { return a->rows < b->rows; });
  for (const auto *c : spans) {
    double have = 0;
    for (int r = c->row; r < c->row + c->rows; ++r) have += h[r];
    double want = need(*c);
    if (want > have) h[c->row + c->rows - 1] += want - have;
  }
  return h;
}

class TableSheet {
public:
  TableSheet(lxw_workbook *wb, lxw_worksheet *ws, const TableDoc &doc)
      : ws_(ws), doc_(doc), f_(makeFormats(wb)), grid_(layoutTable(doc)) {}

  lxw_error write() {
    for (int c = 0; c < grid_.columnCount; ++c)
      worksheet_set_column(ws_, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), grid_.widths[c], nullptr);
    double fullWidth = 0;
    for (double w : grid_.widths) fullWidth += w;
    banner(doc_.title, f_.title, 30);
    std::string facts;
    for (const auto &x : doc_.facts) facts += (facts.empty() ? "" : "　") + x;
    if (!facts.empty()) banner(facts, f_.facts, linesFor(facts, fullWidth) * kLinePoints + 6);
    if (!doc_.note.empty()) banner(doc_.note, f_.note, linesFor(doc_.note, fullWidth) * kLinePoints + 6);
    lxw_row_t top = row_;
    writeGrid();
    worksheet_freeze_panes(ws_, top + 1, 0);
    worksheet_repeat_rows(ws_, top, top);
    for (const auto &s : doc_.sections) {
      ++row_;  // a blank line before each section
      banner(s.heading, f_.heading, 22);
      int n = 0;
      for (const auto &l : s.lines) {
        std::string text = std::to_string(++n) + ". " + l;
        banner(text, f_.line, linesFor(text, fullWidth) * kLinePoints + 4);
      }
    }
    worksheet_set_landscape(ws_);
    worksheet_set_paper(ws_, 9);  // A4
    worksheet_fit_to_pages(ws_, 1, 0);
    worksheet_set_margins(ws_, 0.4, 0.4, 0.5, 0.5);
    return error_;
  }

private:
  lxw_worksheet *ws_;
  const TableDoc &doc_;
  Formats f_;
  TableGrid grid_;
  lxw_row_t row_ = 0;
  lxw_error error_ = LXW_NO_ERROR;

  void check(lxw_error e) {
    if (error_ == LXW_NO_ERROR) error_ = e;
  }

  // One full-width merged row.
  void banner(const std::string &text, lxw_format *format, double height) {
    lxw_col_t last = static_cast<lxw_col_t>(grid_.columnCount - 1);
    if (last > 0) check(worksheet_merge_range(ws_, row_, 0, row_, last, text.c_str(), format));
    else check(worksheet_write_string(ws_, row_, 0, text.c_str(), format));
    check(worksheet_set_row(ws_, row_, std::clamp(height, kMinRowPoints, kMaxRowPoints), nullptr));
    ++row_;
  }

  void writeGrid() {
    std::vector<std::vector<bool>> covered(grid_.rowCount, std::vector<bool>(grid_.columnCount, false));
    for (const auto &c : grid_.cells) {
      for (int r = c.row; r < c.row + c.rows; ++r)
        for (int k = c.col; k < c.col + c.cols; ++k) covered[r][k] = true;
      lxw_row_t r0 = row_ + static_cast<lxw_row_t>(c.row), r1 = r0 + static_cast<lxw_row_t>(c.rows - 1);
      auto c0 = static_cast<lxw_col_t>(c.col), c1 = static_cast<lxw_col_t>(c.col + c.cols - 1);
      lxw_format *fmt = formatOf(c, f_);
      if (c.rows > 1 || c.cols > 1) check(worksheet_merge_range(ws_, r0, c0, r1, c1, c.text.c_str(), fmt));
      else if (c.text.empty()) check(worksheet_write_blank(ws_, r0, c0, fmt));
      else check(worksheet_write_string(ws_, r0, c0, c.text.c_str(), fmt));
    }
    for (int r = 0; r < grid_.rowCount; ++r)  // borders where no cell is
      for (int k = 0; k < grid_.columnCount; ++k)
        if (!covered[r][k]) check(worksheet_write_blank(ws_, row_ + r, static_cast<lxw_col_t>(k), f_.blank));
    auto heights = rowHeights(grid_);
    for (int r = 0; r < grid_.rowCount; ++r)
      check(worksheet_set_row(ws_, row_ + r, std::min(heights[r], kMaxRowPoints), nullptr));
    row_ += static_cast<lxw_row_t>(grid_.rowCount);
  }
};

} // namespace

bool writeTableXlsx(const ast::File &file, Lang lang, const std::string &path, std::string *error) {
  TableDoc doc = buildTableDoc(file, lang);
  lxw_workbook *wb = workbook_new(path.c_str());
  if (!wb) {
    if (error) *error = (lang == Lang::Zh ? "无法创建 " : "cannot create ") + path;
    return false;
  }
  runtime::setReproducibleCreationTime(wb);
  lxw_worksheet *ws = workbook_add_worksheet(wb, lang == Lang::Zh ? "评分细则" : "Scoring table");
  lxw_error rc = TableSheet(wb, ws, doc).write();
  lxw_error closed = workbook_close(wb);  // frees the workbook whatever happened
  if (rc == LXW_NO_ERROR) rc = closed;
  if (rc != LXW_NO_ERROR) {
    if (error) *error = (lang == Lang::Zh ? "无法写入 " : "cannot write ") + path + "：" + lxw_strerror(rc);
    return false;
  }
  return true;
}

} // namespace rubric::report
