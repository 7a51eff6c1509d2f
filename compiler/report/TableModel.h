// The official table as data, shared by its writers (md and csv in Table.cpp,
// html in TableHtml.cpp, xlsx in TableXlsx.cpp): built once from the AST,
// laid out once as a grid with merged cells for html and xlsx.
#pragma once

#include <string>
#include <vector>

#include "ast/Ast.h"
#include "diagnostics/Diagnostic.h"

namespace rubric::report {

// One node of the hierarchy, in document order (parents before children).
struct TableRow {
  int depth = 0;                   // 0 for a 指标
  std::string number;              // 一、 / 1. / （1）
  std::string kind;                // 指标, 二级指标, 项, 子项, 扣分项, 加分项
  std::string title;
  std::string points;              // 分值 cell: "5", "最多扣3分", ""
  std::vector<std::string> rules;  // every rule, branch and policy, one sentence a line
  std::vector<std::string> values; // one per TableDoc::valueColumns
};

// Text after the table: 否决项, 校验, 奖项 (and any other list of sentences).
struct TableSection {
  std::string heading;
  std::vector<std::string> lines;
};

struct TableDoc {
  Lang lang = Lang::Zh;
  std::string title;                      // 标题, or the scheme id
  std::vector<std::string> facts;         // 文号：…, 期间：… (the title is not repeated here)
  std::string note;                       // the scheme's 说明
  std::vector<std::string> valueColumns;  // 原文, 指标说明, 数据来源 … — only those some row fills
  std::vector<TableRow> rows;
  std::string total;                      // 合计 of the indicators' declared points; "" if none declares any
  std::vector<TableSection> sections;
};

TableDoc buildTableDoc(const ast::File &file, Lang lang);

// Column headers of the flat (md/csv) table: 序号, 层级, 指标/评审内容, 分值, 评分规则, values….
std::vector<std::string> flatHeaders(const TableDoc &doc);

// ───────────── the grid of the official layout (html, xlsx) ─────────────
// Columns: one per hierarchy level (a parent's cell spans its descendants'
// rows; a leaf's cell spans the deeper levels' columns), then 分值, 评分规则
// and the value columns. A parent's value that none of its descendants has in
// that column spans all their rows, as the official tables merge them.
enum class CellRole { Header, Hierarchy, Points, Rules, Value, Total };

struct GridCell {
  int row = 0, col = 0, rows = 1, cols = 1;
  std::string text;
  CellRole role = CellRole::Value;
};

struct TableGrid {
  int hierarchyColumns = 1;
  int columnCount = 0;
  int rowCount = 0;                  // header row included
  std::vector<double> widths;        // per column, in spreadsheet character units
  std::vector<GridCell> cells;       // every cell written; positions not covered are empty
};

TableGrid layoutTable(const TableDoc &doc);

std::string renderTableHtml(const TableDoc &doc);

} // namespace rubric::report
