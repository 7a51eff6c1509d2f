// The official layout of `rubricc table` as a grid of merged cells, for the
// html and xlsx writers. See TableModel.h for the shape.
#include <algorithm>

#include "report/TableModel.h"
#include "support/Source.h"

namespace rubric::report {
namespace {

std::string joinLines(const std::vector<std::string> &lines) {
  std::string s;
  for (const auto &l : lines) s += (s.empty() ? "" : "\n") + l;
  return s;
}

// Where each table row (a node) lands in the grid.
struct Placement {
  size_t end = 0;         // one past the node's last descendant in doc.rows
  bool ownRow = false;    // the node has a grid row of its own
  int row = -1;           // that row
  int first = -1, last = -1;  // the grid rows of the node and all its descendants
  std::vector<bool> valueBelow;  // per value column: some descendant fills it
};

// A node needs a row of its own when it is a leaf, has rules, or has a value
// that cannot span its descendants' rows because one of them has its own.
std::vector<Placement> place(const TableDoc &doc, int firstRow) {
  const auto &rows = doc.rows;
  size_t n = rows.size(), columns = doc.valueColumns.size();
  std::vector<Placement> p(n);
  for (size_t i = 0; i < n; ++i) {
    size_t j = i + 1;
    while (j < n && rows[j].depth > rows[i].depth) ++j;
    p[i].end = j;
    p[i].valueBelow.assign(columns, false);
    for (size_t k = i + 1; k < j; ++k)
      for (size_t c = 0; c < columns; ++c) p[i].valueBelow[c] = p[i].valueBelow[c] || !rows[k].values[c].empty();
    bool blocked = false;
    for (size_t c = 0; c < columns; ++c) blocked |= !rows[i].values[c].empty() && p[i].valueBelow[c];
    p[i].ownRow = j == i + 1 || !rows[i].rules.empty() || blocked;
  }
  int next = firstRow;
  for (size_t i = 0; i < n; ++i)
    if (p[i].ownRow) p[i].row = next++;
  for (size_t i = n; i-- > 0;) {  // children first: a parent's range is the union of its subtree's
    p[i].first = p[i].ownRow ? p[i].row : p[i + 1].first;
    p[i].last = p[i].end > i + 1 ? std::max(p[p[i].end - 1].last, p[i].row) : p[i].row;
    for (size_t k = i + 1; k < p[i].end; ++k) p[i].last = std::max(p[i].last, p[k].last);
  }
  return p;
}

// Wide columns for sentences, narrow ones for office names and dates.
double valueColumnWidth(const std::string &name) {
  if (name == "原文" || name == "Original text") return 40;
  if (name == "指标说明" || name == "Description") return 32;
  if (name == "数据来源" || name == "Data source") return 28;
  if (name == "佐证材料" || name == "Evidence") return 22;
  if (name == "完成时限" || name == "Deadline") return 12;
  return 13;
}

// Widths follow the text: hierarchy columns grow with long titles (some
// tables title an item with a whole sentence), up to 28; a value column whose
// longest cell fits on one line narrows to it (never below 10).
void fitWidths(TableGrid &g) {
  std::vector<uint32_t> longest(g.columnCount, 0);
  for (const auto &c : g.cells) {
    if (c.role == CellRole::Header || c.cols != 1) continue;
    size_t start = 0;
    while (start <= c.text.size()) {
      size_t end = std::min(c.text.find('\n', start), c.text.size());
      longest[c.col] = std::max(longest[c.col], displayWidth(std::string_view(c.text).substr(start, end - start)));
      start = end + 1;
    }
  }
  for (int c = 0; c < g.hierarchyColumns; ++c) g.widths[c] = std::clamp(longest[c] / 4.0 + 6, g.widths[c], 28.0);
  for (int c = g.hierarchyColumns + 2; c < g.columnCount; ++c)
    if (longest[c] + 2 < g.widths[c]) g.widths[c] = std::max(10.0, longest[c] + 2.0);
}

std::string hierarchyText(const TableRow &r, bool leaf, Lang lang) {
  std::string s = r.number + r.title;
  // A parent's points stand in its own cell; a leaf's have the 分值 column.
  if (!leaf && !r.points.empty()) s += lang == Lang::Zh ? "（" + r.points + "分）" : " (" + r.points + " pts)";
  return s;
}

// Column widths and the header row: the hierarchy columns are one merged
// 指标 heading, then 分值, 评分规则 and the value columns.
void addHeader(TableGrid &g, const TableDoc &doc) {
  bool zh = doc.lang == Lang::Zh;
  const int h = g.hierarchyColumns, firstValue = h + 2;
  g.columnCount = firstValue + static_cast<int>(doc.valueColumns.size());
  for (int c = 0; c < h; ++c) g.widths.push_back(c == 0 ? 14 : 16);
  g.widths.push_back(10);
  g.widths.push_back(46);
  for (const auto &name : doc.valueColumns) g.widths.push_back(valueColumnWidth(name));
  g.cells.push_back({0, 0, 1, h, zh ? "指标/评审内容" : "Indicator / item", CellRole::Header});
  g.cells.push_back({0, h, 1, 1, zh ? "分值" : "Points", CellRole::Header});
  g.cells.push_back({0, h + 1, 1, 1, zh ? "评分规则" : "Scoring rules", CellRole::Header});
  for (size_t c = 0; c < doc.valueColumns.size(); ++c)
    g.cells.push_back({0, firstValue + static_cast<int>(c), 1, 1, doc.valueColumns[c], CellRole::Header});
}

// One rubric row's cells where place() put it: its hierarchy cell spanning its
// children, its own points and rules, and its value columns.
void addRow(TableGrid &g, const TableRow &r, const Placement &at, bool leaf, Lang lang) {
  const int h = g.hierarchyColumns, firstValue = h + 2;
  int span = at.last - at.first + 1;
  g.cells.push_back({at.first, r.depth, span, leaf ? h - r.depth : 1, hierarchyText(r, leaf, lang), CellRole::Hierarchy});
  if (at.ownRow && !leaf && r.depth + 1 < h)  // the deeper levels of a parent's own row: one blank cell
    g.cells.push_back({at.row, r.depth + 1, 1, h - r.depth - 1, "", CellRole::Hierarchy});
  if (at.ownRow) {
    g.cells.push_back({at.row, h, 1, 1, leaf ? r.points : "", CellRole::Points});
    g.cells.push_back({at.row, h + 1, 1, 1, joinLines(r.rules), CellRole::Rules});
  }
  for (size_t c = 0; c < r.values.size(); ++c) {
    if (r.values[c].empty()) continue;
    int col = firstValue + static_cast<int>(c);
    if (at.valueBelow[c]) g.cells.push_back({at.row, col, 1, 1, r.values[c], CellRole::Value});
    else g.cells.push_back({at.first, col, span, 1, r.values[c], CellRole::Value});
  }
}

void addTotal(TableGrid &g, int row, const std::string &total, Lang lang) {
  const int h = g.hierarchyColumns;
  g.cells.push_back({row, 0, 1, h, lang == Lang::Zh ? "合计" : "Total", CellRole::Total});
  g.cells.push_back({row, h, 1, 1, total, CellRole::Total});
  g.cells.push_back({row, h + 1, 1, g.columnCount - h - 1, "", CellRole::Total});
}

} // namespace

TableGrid layoutTable(const TableDoc &doc) {
  TableGrid g;
  for (const auto &r : doc.rows) g.hierarchyColumns = std::max(g.hierarchyColumns, r.depth + 1);
  addHeader(g, doc);
  auto p = place(doc, 1);
  int lastRow = 0;
  for (size_t i = 0; i < doc.rows.size(); ++i) {
    lastRow = std::max(lastRow, p[i].last);
    addRow(g, doc.rows[i], p[i], p[i].end == i + 1, doc.lang);
  }
  if (!doc.total.empty()) addTotal(g, ++lastRow, doc.total, doc.lang);
  g.rowCount = lastRow + 1;
  fitWidths(g);
  return g;
}

} // namespace rubric::report
