// `rubricc table --format html`: the official layout as a printable page
// (A4 landscape, Chinese fonts, the header repeated on every printed page).
#include "report/TableModel.h"
#include "report/Html.h"

namespace rubric::report {
namespace {

const char *kStyle = R"(<style>
@page { size: A4 landscape; margin: 12mm 10mm; }
body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", serif;
       font-size: 10.5pt; color: #000; margin: 0 auto; max-width: 1400px; }
@media screen { body { padding: 16px; } }
@media print { body { font-size: 9pt; max-width: none; } }
h1 { font-family: "SimHei", "Heiti SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif;
     font-size: 17pt; text-align: center; margin: 0.3em 0; }
p.facts { text-align: center; margin: 0 0 0.8em; }
p.note { text-indent: 2em; margin: 0 0 0.8em; line-height: 1.5; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
thead { display: table-header-group; }
th, td { border: 1px solid #000; padding: 3px 5px; line-height: 1.45; overflow-wrap: anywhere; }
th { background: #eee; text-align: center; vertical-align: middle; }
td { vertical-align: top; text-align: left; }
td.h { vertical-align: middle; }
td.h0 { font-weight: bold; text-align: center; }
td.p { text-align: center; vertical-align: middle; }
tr.total td { font-weight: bold; vertical-align: middle; }
tr.total td.h { text-align: center; }
h2 { font-size: 12.5pt; margin: 1.1em 0 0.3em; }
ol { margin: 0; padding-left: 2em; line-height: 1.5; }
</style>
)";

std::string cellClass(const GridCell &c) {
  switch (c.role) {
  case CellRole::Hierarchy: return c.col == 0 ? "h h0" : "h";
  case CellRole::Points: return "p";
  case CellRole::Total: return c.cols > 1 && c.col == 0 ? "h" : "p";
  default: return "";
  }
}

std::string cellHtml(const GridCell &c) {
  const char *tag = c.role == CellRole::Header ? "th" : "td";
  std::string attrs;
  if (c.rows > 1) attrs += " rowspan=\"" + std::to_string(c.rows) + "\"";
  if (c.cols > 1) attrs += " colspan=\"" + std::to_string(c.cols) + "\"";
  std::string cls = cellClass(c);
  if (!cls.empty()) attrs += " class=\"" + cls + "\"";
  return std::string("<") + tag + attrs + ">" + htmlLines(c.text) + "</" + tag + ">";
}

// The grid's rows as <tr>s: a cell is written where it starts; positions a
// merged cell covers are skipped; positions nothing covers get an empty <td>.
std::string tableBody(const TableGrid &g) {
  std::vector<std::vector<int>> at(g.rowCount, std::vector<int>(g.columnCount, -1));
  for (size_t i = 0; i < g.cells.size(); ++i) {
    const auto &c = g.cells[i];
    for (int r = c.row; r < c.row + c.rows && r < g.rowCount; ++r)
      for (int k = c.col; k < c.col + c.cols && k < g.columnCount; ++k) at[r][k] = -2;
    at[c.row][c.col] = static_cast<int>(i);
  }
  std::string out = "<colgroup>";
  double total = 0;
  for (double w : g.widths) total += w;
  for (double w : g.widths) out += "<col style=\"width:" + std::to_string(100.0 * w / total).substr(0, 5) + "%\">";
  out += "</colgroup>\n";
  for (int r = 0; r < g.rowCount; ++r) {
    bool isTotal = false;
    std::string row;
    for (int k = 0; k < g.columnCount; ++k) {
      if (at[r][k] == -1) row += "<td></td>";
      if (at[r][k] < 0) continue;
      const auto &c = g.cells[at[r][k]];
      isTotal |= c.role == CellRole::Total;
      row += cellHtml(c);
    }
    if (r == 0) out += "<thead><tr>" + row + "</tr></thead>\n<tbody>\n";
    else out += std::string(isTotal ? "<tr class=\"total\">" : "<tr>") + row + "</tr>\n";
  }
  return out + "</tbody>\n";
}

} // namespace

std::string renderTableHtml(const TableDoc &doc) {
  bool zh = doc.lang == Lang::Zh;
  std::string out = std::string("<!DOCTYPE html>\n<html lang=\"") + (zh ? "zh-CN" : "en") +
                    "\"><head><meta charset=\"utf-8\"><title>" + htmlLines(doc.title) + "</title>\n" + kStyle +
                    "</head><body>\n<h1>" + htmlLines(doc.title) + "</h1>\n";
  if (!doc.facts.empty()) {
    std::string facts;
    for (const auto &f : doc.facts) facts += (facts.empty() ? "" : zh ? "　" : " · ") + htmlLines(f);
    out += "<p class=\"facts\">" + facts + "</p>\n";
  }
  if (!doc.note.empty()) out += "<p class=\"note\">" + htmlLines(doc.note) + "</p>\n";
  out += "<table>\n" + tableBody(layoutTable(doc)) + "</table>\n";
  for (const auto &s : doc.sections) {
    out += "<h2>" + htmlLines(s.heading) + "</h2>\n<ol>\n";
    for (const auto &l : s.lines) out += "<li>" + htmlLines(l) + "</li>\n";
    out += "</ol>\n";
  }
  return out + "</body></html>\n";
}

} // namespace rubric::report
