#include "report/Table.h"

#include <algorithm>
#include <cstring>
#include <map>

#include <fmt/format.h>

#include "decimal.hpp"
#include "report/Readings.h"
#include "report/Sentences.h"
#include "report/TableModel.h"

namespace rubric::report {
namespace {

// ───────────── the model ─────────────

// The columns after 评分规则, in the order of the official tables. 原文 comes
// first: it is the sentence staff compare the rules with.
const char *kValueColumns[] = {"原文", "指标说明", "数据来源", "佐证材料", "指导处室", "责任科室", "完成时限"};
const char *kValueColumnsEn[] = {"Original text", "Description", "Data source", "Evidence", "Guiding office",
                                 "Responsible office", "Deadline"};
constexpr size_t kValueCount = std::size(kValueColumns);

// A metadata key's column: synonyms fold into one (language.md §3.3).
size_t valueColumnOf(const std::string &key) {
  std::string k = key == "数据来源及说明" ? "数据来源" : key == "说明" || key == "备注" || key == "评分方法" ? "指标说明" : key;
  for (size_t i = 0; i < kValueCount; ++i)
    if (k == kValueColumns[i]) return i;
  return kValueCount;
}

std::string kindText(ast::NodeKind kind, Lang lang) {
  bool zh = lang == Lang::Zh;
  switch (kind) {
  case ast::NodeKind::Indicator: return zh ? "指标" : "indicator";
  case ast::NodeKind::SubIndicator: return zh ? "二级指标" : "sub-indicator";
  case ast::NodeKind::Item: return zh ? "项" : "item";
  case ast::NodeKind::SubItem: return zh ? "子项" : "sub-item";
  case ast::NodeKind::Deduction: return zh ? "扣分项" : "deduction";
  case ast::NodeKind::Bonus: return zh ? "加分项" : "bonus";
  }
  return "";
}

// 原文 and the metadata of one node, one cell per value column. 原文 wins; a
// node without one shows its 指标说明 there instead (and not twice).
std::vector<std::string> nodeValues(const ast::Node &n) {
  std::vector<std::string> v(kValueCount);
  auto add = [](std::string &cell, const std::string &text) { cell += (cell.empty() ? "" : "\n") + text; };
  for (const auto &m : n.meta) {
    size_t col = valueColumnOf(m.key);
    // A key sema does not know still reaches the reader, under its own name.
    if (col == kValueCount) add(v[1], m.key + "：" + m.value);
    else add(v[col], m.value);
  }
  if (v[0].empty()) std::swap(v[0], v[1]);
  return v;
}

// A table cell holds several sentences: each ends as the document's do.
std::string finished(const std::string &sentence, Lang lang) {
  for (const char *end : {"。", "."})
    if (sentence.size() >= std::strlen(end) && sentence.compare(sentence.size() - std::strlen(end), std::strlen(end), end) == 0)
      return sentence;
  return sentence + (lang == Lang::Zh ? "。" : ".");
}

void collectRows(const ast::Node &n, int depth, const RenderContext &ctx, std::vector<TableRow> &rows) {
  TableRow r;
  r.depth = depth;
  r.number = nodeLabel(n, ctx);
  r.kind = kindText(n.kind, ctx.lang());
  r.title = n.title;
  r.points = nodePointsText(n, ctx);
  r.rules = nodeSentences(n, ctx);
  for (auto &line : r.rules) line = finished(line, ctx.lang());
  r.values = nodeValues(n);
  rows.push_back(std::move(r));
  for (const auto &c : n.children) collectRows(*c, depth + 1, ctx, rows);
}

// Keeps only the value columns some row fills.
void dropEmptyColumns(TableDoc &doc, Lang lang) {
  std::vector<size_t> kept;
  for (size_t c = 0; c < kValueCount; ++c)
    for (const auto &r : doc.rows)
      if (!r.values[c].empty()) {
        kept.push_back(c);
        break;
      }
  for (size_t c : kept) doc.valueColumns.push_back(lang == Lang::Zh ? kValueColumns[c] : kValueColumnsEn[c]);
  for (auto &r : doc.rows) {
    std::vector<std::string> v;
    for (size_t c : kept) v.push_back(std::move(r.values[c]));
    r.values = std::move(v);
  }
}

// The indicators' declared points added exactly; "" when none declares any.
// A 加分 or 扣分 row at top level is not part of the full marks (§3.6).
std::string declaredTotal(const ast::File &file) {
  try {
    Decimal sum = Decimal::fromInt(0);
    bool any = false;
    for (const auto &n : file.indicators) {
      if (n->kind == ast::NodeKind::Bonus || n->kind == ast::NodeKind::Deduction) continue;
      auto v = n->points ? Decimal::parse(*n->points) : std::nullopt;
      if (!v) continue;
      sum = sum + *v;
      any = true;
    }
    return any ? sum.toString() : "";
  } catch (const DecimalError &) {  // too large to add: no total rather than a wrong one
    return "";
  }
}

// The line under the title: 文号 first, as a document cites itself, then the
// rest of the header once each (对象 is both an entry and the target).
void schemeFacts(const ast::File &file, TableDoc &doc) {
  const auto &s = file.scheme;
  bool zh = doc.lang == Lang::Zh;
  std::string sep = zh ? "：" : ": ";
  doc.title = s.id;
  std::map<std::string, std::string> entries;
  std::vector<std::string> order = {"文号", "发布", "年度", "期间", "对象", "级别", "总分"};
  for (const auto &e : s.entries) {
    if (e.key == "标题") doc.title = e.value;
    else if (e.key == "说明") doc.note = e.value;
    else if (entries.emplace(e.key, e.value).second && std::find(order.begin(), order.end(), e.key) == order.end())
      order.push_back(e.key);
  }
  if (s.periodFrom) entries.emplace("期间", *s.periodFrom + (zh ? " 至 " : " to ") + *s.periodTo);
  if (!s.target.empty()) entries.emplace("对象", s.target);
  std::string levels;
  for (const auto &l : s.levels) levels += (levels.empty() ? "" : (zh ? "、" : ", ")) + l;
  if (!levels.empty()) entries.emplace("级别", levels);
  static const std::map<std::string, std::string> english = {
      {"文号", "Document No."}, {"发布", "Issuer"}, {"年度", "Year"},  {"期间", "Period"},
      {"对象", "Target"},       {"级别", "Levels"}, {"总分", "Total"}};
  for (const auto &key : order) {
    auto it = entries.find(key);
    if (it == entries.end()) continue;
    auto en = english.find(key);
    doc.facts.push_back((zh || en == english.end() ? key : en->second) + sep + it->second);
  }
}

} // namespace

TableDoc buildTableDoc(const ast::File &file, Lang lang) {
  TableDoc doc;
  doc.lang = lang;
  bool zh = lang == Lang::Zh;
  RenderContext ctx(&file, lang);
  schemeFacts(file, doc);
  for (const auto &n : file.indicators) collectRows(*n, 0, ctx, doc.rows);
  dropEmptyColumns(doc, lang);
  doc.total = declaredTotal(file);
  // The sentences after the table.
  TableSection vetoes{zh ? "否决项" : "Vetoes", {}}, checks{zh ? "校验" : "Checks", {}}, awards{zh ? "奖项" : "Awards", {}};
  TableSection readings{zh ? "读法" : "Readings", readingsSectionLines(file)};
  TableSection names{zh ? "名称" : "Names", {}};
  for (const auto &ln : file.names) names.lines.push_back(localNameSentence(ln, ctx));
  for (const auto &v : file.vetoes) vetoes.lines.push_back(vetoSentence(v, ctx));
  for (const auto &v : file.validations) checks.lines.push_back(validationSentence(v, ctx));
  for (const auto &a : file.awards) awards.lines.push_back(awardSentence(a, ctx));
  for (auto *s : {&names, &vetoes, &checks, &awards, &readings})
    if (!s->lines.empty()) doc.sections.push_back(std::move(*s));
  return doc;
}

std::vector<std::string> flatHeaders(const TableDoc &doc) {
  bool zh = doc.lang == Lang::Zh;
  std::vector<std::string> h = {zh ? "序号" : "No.", zh ? "层级" : "Level", zh ? "指标/评审内容" : "Indicator / item",
                                zh ? "分值" : "Points", zh ? "评分规则" : "Scoring rules"};
  h.insert(h.end(), doc.valueColumns.begin(), doc.valueColumns.end());
  return h;
}

namespace {

// ───────────── md and csv ─────────────

std::string joinLines(const std::vector<std::string> &lines) {
  std::string s;
  for (const auto &l : lines) s += (s.empty() ? "" : "\n") + l;
  return s;
}

std::vector<std::string> flatCells(const TableRow &r) {
  std::vector<std::string> c = {r.number, r.kind, r.title, r.points, joinLines(r.rules)};
  c.insert(c.end(), r.values.begin(), r.values.end());
  return c;
}

std::vector<std::string> totalCells(const TableDoc &doc) {
  std::vector<std::string> c(flatHeaders(doc).size());
  c[2] = doc.lang == Lang::Zh ? "合计" : "Total";
  c[3] = doc.total;
  return c;
}

std::string mdCell(const std::string &s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') out += "<br>";
    else if (c == '|') out += "\\|";
    else out += c;
  }
  return out;
}

std::string mdRow(const std::vector<std::string> &cells) {
  std::string out = "|";
  for (const auto &c : cells) out += " " + mdCell(c) + " |";
  return out + "\n";
}

std::string renderMarkdown(const TableDoc &doc) {
  std::string out = "# " + doc.title + "\n\n";
  for (const auto &f : doc.facts) out += "- " + f + "\n";
  if (!doc.note.empty()) out += "\n" + doc.note + "\n";
  auto headers = flatHeaders(doc);
  out += "\n" + mdRow(headers) + "|";
  for (size_t i = 0; i < headers.size(); ++i) out += "---|";
  out += "\n";
  for (const auto &r : doc.rows) out += mdRow(flatCells(r));
  if (!doc.total.empty()) out += mdRow(totalCells(doc));
  for (const auto &s : doc.sections) {
    out += "\n## " + s.heading + "\n\n";
    for (const auto &l : s.lines) out += "- " + l + "\n";
  }
  return out;
}

std::string csvCell(const std::string &s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string csvRow(const std::vector<std::string> &cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + csvCell(cells[i]);
  return out + "\r\n";
}

// One table, so a spreadsheet opens it as is: the sections follow as rows
// whose 层级 names the section and whose 评分规则 holds the sentence.
std::string renderCsv(const TableDoc &doc) {
  auto headers = flatHeaders(doc);
  std::string out = "\xEF\xBB\xBF" + csvRow(headers);
  for (const auto &r : doc.rows) out += csvRow(flatCells(r));
  if (!doc.total.empty()) out += csvRow(totalCells(doc));
  for (const auto &s : doc.sections)
    for (const auto &l : s.lines) {
      std::vector<std::string> c(headers.size());
      c[1] = s.heading;
      c[4] = l;
      out += csvRow(c);
    }
  return out;
}

} // namespace

std::string renderTable(const ast::File &file, TableFormat format, Lang lang) {
  TableDoc doc = buildTableDoc(file, lang);
  switch (format) {
  case TableFormat::Markdown: return renderMarkdown(doc);
  case TableFormat::Html: return renderTableHtml(doc);
  case TableFormat::Csv: return renderCsv(doc);
  }
  return "";
}

const char *kindName(runtime::ValueKind k) {
  switch (k) {
  case runtime::ValueKind::Decimal: return "小数";
  case runtime::ValueKind::Percent: return "百分比（85% 或 0.85）";
  case runtime::ValueKind::Count: return "件数（非负整数）";
  case runtime::ValueKind::Bool: return "是否（是/否）";
  case runtime::ValueKind::Enum: return "枚举";
  case runtime::ValueKind::Text: return "文本";
  case runtime::ValueKind::YearSet: return "年份集（如 2022、2023、2024）";
  case runtime::ValueKind::Date: return "日期（如 2021-12-31）";
  }
  return "?";
}

std::vector<TemplateColumn> templateColumns(const runtime::Program &p, int listSlots) {
  std::vector<TemplateColumn> columns;
  for (const auto &f : p.fields) {
    if (f.isMonthly) {
      for (int m = 0; m < 12; ++m)
        columns.push_back({f.name + "[" + std::to_string(m + 1) + "]", &p.columns[static_cast<size_t>(f.column + m)], f.note});
    } else if (f.isList) {
      const auto &list = p.lists[static_cast<size_t>(f.listId)];
      for (int i = 1; i <= listSlots; ++i)
        for (int col : list.elementColumns) {
          const auto &c = p.columns[static_cast<size_t>(col)];
          columns.push_back(
              {f.name + "[" + std::to_string(i) + "]" + (c.elementField.empty() ? "" : "." + c.elementField), &c, f.note});
        }
    } else {
      columns.push_back({f.name, &p.columns[static_cast<size_t>(f.column)], f.note + (f.isId ? "（标识，每行唯一）" : "")});
    }
  }
  // Optional imported totals — columns no field lists. A (可缺) field's column has the same marker and is
  // listed above already: once (twice, the second copy was ignored when scored, with a warning).
  for (const auto &c : p.columns) {
    bool listed = std::any_of(columns.begin(), columns.end(), [&](const TemplateColumn &t) { return t.column == &c; });
    if (c.defaultValue == INT64_MIN && !listed) columns.push_back({c.name, &c, ""});
  }
  return columns;
}

std::string renderTemplateCsv(const runtime::Program &p, int listSlots) {
  std::vector<std::string> headers;
  for (const auto &c : templateColumns(p, listSlots)) headers.push_back(c.name);
  return "\xEF\xBB\xBF" + csvRow(headers);
}

CaseRows caseRows(const ast::File &file, const runtime::Program &p,
                  std::vector<std::pair<std::string, std::string>> *params) {
  CaseRows out;
  for (const auto &tc : file.cases)
    for (const auto &v : tc.inputs)
      if (v.isList) out.listSlots = std::max(out.listSlots, static_cast<int>(v.elements.size()));
  std::vector<TemplateColumn> columns = templateColumns(p, out.listSlots);
  std::string idName = p.idField >= 0 ? p.fields[static_cast<size_t>(p.idField)].name : "";
  std::map<std::string, std::string> seenParams;
  for (const auto &tc : file.cases) {
    std::map<std::string, std::string> cells;
    for (const auto &v : tc.inputs) {
      bool isParam = false;
      for (const auto &prm : p.params) isParam |= prm.name == v.key;
      if (isParam) {
        if (params && !seenParams.count(v.key)) params->push_back({v.key, v.literal});
        seenParams[v.key] = v.literal;
        continue;
      }
      if (!v.isList) {
        cells[v.key] = v.literal;
        continue;
      }
      for (size_t i = 0; i < v.elements.size(); ++i) {
        const auto &e = v.elements[i];
        std::string base = v.key + "[" + std::to_string(i + 1) + "]";
        if (e.literal) cells[base] = *e.literal;
        for (const auto &f : e.fields) cells[base + "." + f.key] = f.literal;
      }
    }
    if (!idName.empty() && !cells.count(idName)) cells[idName] = tc.name;
    std::vector<std::string> &row = out.rows.emplace_back();
    for (const auto &c : columns) {
      auto it = cells.find(c.name);
      row.push_back(it == cells.end() ? "" : it->second);
    }
  }
  return out;
}

std::string renderCasesCsv(const ast::File &file, const runtime::Program &p,
                           std::vector<std::pair<std::string, std::string>> *params) {
  CaseRows cases = caseRows(file, p, params);
  std::string out = renderTemplateCsv(p, cases.listSlots);
  for (const auto &row : cases.rows) out += csvRow(row);
  return out;
}

// A list's columns: 帮扶轮次[1].任务完成、[1].发现问题…, or 得分[1]、[2]… for a
// list of plain values, then each element field's type and range.
static std::string listShape(const runtime::Program &p, const runtime::FieldDesc &f) {
  const auto &list = p.lists[static_cast<size_t>(f.listId)];
  std::string cells, fields;
  for (int col : list.elementColumns) {
    const auto &c = p.columns[static_cast<size_t>(col)];
    if (c.elementField.empty()) return "，列表（每格一个值）：" + f.name + "[1]、" + f.name + "[2]…";
    cells += (cells.empty() ? "" : "、") + f.name + "[1]." + c.elementField;
    std::string values;
    for (const auto &v : c.enumValues) values += (values.empty() ? "" : "/") + v;
    fields += fmt::format("；{}：{}{}", c.elementField, kindName(c.kind), values.empty() ? "" : "，可选 " + values);
  }
  return "，每项一组栏目：" + cells + "，第 2 项起为 " + f.name + "[2].…" + fields;
}

std::string renderTemplateNotes(const runtime::Program &p) {
  std::string out;
  for (const auto &f : p.fields) {
    std::string values;
    for (const auto &v : f.enumValues) values += (values.empty() ? "" : "/") + v;
    std::string shape = f.isMonthly ? "，12 个月：" + f.name + "[1]…[12]" : f.isList ? listShape(p, f) : "";
    // The records contract (docs/cli.md): required unless 缺省; the allowed values.
    std::string contract = f.isList ? "" : f.optional ? "，可不填（缺省 " + f.defaultText + "）" : "，必填列";
    if (!f.rangeText.empty()) contract += "，范围 " + f.rangeText;
    bool records = f.isList && !p.lists[static_cast<size_t>(f.listId)].elementColumns.empty() &&
                   !p.columns[static_cast<size_t>(p.lists[static_cast<size_t>(f.listId)].elementColumns[0])].elementField.empty();
    out += fmt::format("{}：{}{}{}{}{}{}\n", f.name, records ? "小记录列表" : kindName(f.kind), values.empty() ? "" : "，可选 " + values, shape,
                       f.isId ? "，标识" : "", contract, f.note.empty() ? "" : "。" + f.note);
  }
  for (const auto &prm : p.params) out += fmt::format("参数 {}：{}（用 --params 提供）\n", prm.name, kindName(prm.kind));
  return out;
}

} // namespace rubric::report
