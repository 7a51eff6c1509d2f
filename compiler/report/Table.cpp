#include "report/Table.h"

#include <map>

#include <fmt/format.h>

#include "ast/AstPrinter.h"

namespace rubric::report {
namespace {

struct Row {
  std::string path, level, title, points, rules, meta[6];
};
// The metadata columns of the official tables, in their usual order.
const char *kMetaColumns[6] = {"指标说明", "数据来源", "佐证材料", "指导处室", "责任科室", "完成时限"};

std::string joinLines(const std::vector<std::string> &lines, const char *sep) {
  std::string s;
  for (const auto &l : lines) s += (s.empty() ? "" : sep) + l;
  return s;
}

std::string ruleSource(const ast::File &file, Span span) {
  std::string line(file.source->lineText(span.line));
  size_t b = line.find_first_not_of(" \t");
  return b == std::string::npos ? line : line.substr(b);
}

void collect(const ast::File &file, const ast::Node &n, const std::string &prefix, std::vector<Row> &rows) {
  Row r;
  r.path = n.label.empty() ? prefix : (prefix.empty() ? n.label : prefix + "." + n.label);
  r.level = ast::nodeKindKeyword(n.kind);
  r.title = n.title;
  r.points = n.points ? *n.points : "";
  if (n.cap) r.points += "（最高" + *n.cap + "）";
  std::vector<std::string> rules;
  for (const auto &rule : n.rules) rules.push_back(ruleSource(file, rule.span));
  for (const auto &na : n.naRules) rules.push_back(ruleSource(file, na.span));
  for (const auto &v : n.vetoes) rules.push_back(ruleSource(file, v.span));
  if (n.ack) rules.push_back("原文合计 " + n.ack->total + " 分：" + n.ack->note);
  r.rules = joinLines(rules, "\n");
  for (const auto &m : n.meta) {
    std::string key = m.key == "数据来源及说明" ? "数据来源" : m.key == "说明" || m.key == "备注" || m.key == "评分方法" ? "指标说明" : m.key;
    for (int i = 0; i < 6; ++i)
      if (key == kMetaColumns[i]) r.meta[i] += (r.meta[i].empty() ? "" : "\n") + m.value;
  }
  rows.push_back(r);
  for (const auto &c : n.children) collect(file, *c, r.path, rows);
}

std::string mdCell(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') out += "<br>";
    else if (c == '|') out += "\\|";
    else out += c;
  }
  return out;
}
std::string htmlEscape(const std::string &s) {
  std::string out;
  for (char c : s) {
    switch (c) {
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '&': out += "&amp;"; break;
    case '"': out += "&quot;"; break;
    case '\n': out += "<br>"; break;
    default: out += c;
    }
  }
  return out;
}
std::string csvCell(const std::string &s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

} // namespace

std::string renderTable(const ast::File &file, TableFormat format) {
  std::vector<Row> rows;
  for (const auto &n : file.indicators) collect(file, *n, "", rows);
  std::string title = file.scheme.id;
  std::vector<std::string> header;
  for (const auto &e : file.scheme.entries) {
    if (e.key == "标题") title = e.value;
    header.push_back(e.key + "：" + e.value);
  }
  if (file.scheme.periodFrom) header.push_back("期间：" + *file.scheme.periodFrom + " 至 " + *file.scheme.periodTo);
  if (!file.scheme.levels.empty()) {
    std::string lv;
    for (const auto &l : file.scheme.levels) lv += (lv.empty() ? "" : "、") + l;
    header.push_back("级别：" + lv);
  }
  std::vector<std::string> vetoes;
  for (const auto &v : file.vetoes) vetoes.push_back(ruleSource(file, v.span));
  std::vector<std::string> awards;
  for (const auto &a : file.awards) awards.push_back(ruleSource(file, a.span));
  const std::vector<std::string> cols = {"序号", "层级", "指标/评审内容", "分值", "评分规则",
                                         kMetaColumns[0], kMetaColumns[1], kMetaColumns[2],
                                         kMetaColumns[3], kMetaColumns[4], kMetaColumns[5]};
  auto cells = [](const Row &r) {
    return std::vector<std::string>{r.path, r.level, r.title, r.points, r.rules,
                                    r.meta[0], r.meta[1], r.meta[2], r.meta[3], r.meta[4], r.meta[5]};
  };
  std::string out;
  switch (format) {
  case TableFormat::Markdown: {
    out += "# " + title + "\n\n";
    for (const auto &h : header) out += "- " + h + "\n";
    out += "\n|";
    for (const auto &c : cols) out += " " + c + " |";
    out += "\n|";
    for (size_t i = 0; i < cols.size(); ++i) out += "---|";
    out += "\n";
    for (const auto &r : rows) {
      out += "|";
      for (const auto &c : cells(r)) out += " " + mdCell(c) + " |";
      out += "\n";
    }
    if (!vetoes.empty()) {
      out += "\n## 否决项\n\n";
      for (const auto &v : vetoes) out += "- " + v + "\n";
    }
    if (!awards.empty()) {
      out += "\n## 奖项\n\n";
      for (const auto &a : awards) out += "- " + a + "\n";
    }
    break;
  }
  case TableFormat::Html: {
    out += "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>" + htmlEscape(title) +
           "</title>\n<style>table{border-collapse:collapse}td,th{border:1px solid #999;padding:4px;vertical-align:top}</style></head><body>\n";
    out += "<h1>" + htmlEscape(title) + "</h1>\n<ul>";
    for (const auto &h : header) out += "<li>" + htmlEscape(h) + "</li>";
    out += "</ul>\n<table>\n<tr>";
    for (const auto &c : cols) out += "<th>" + htmlEscape(c) + "</th>";
    out += "</tr>\n";
    for (const auto &r : rows) {
      out += "<tr>";
      for (const auto &c : cells(r)) out += "<td>" + htmlEscape(c) + "</td>";
      out += "</tr>\n";
    }
    out += "</table>\n";
    if (!vetoes.empty()) {
      out += "<h2>否决项</h2><ul>";
      for (const auto &v : vetoes) out += "<li>" + htmlEscape(v) + "</li>";
      out += "</ul>\n";
    }
    if (!awards.empty()) {
      out += "<h2>奖项</h2><ul>";
      for (const auto &a : awards) out += "<li>" + htmlEscape(a) + "</li>";
      out += "</ul>\n";
    }
    out += "</body></html>\n";
    break;
  }
  case TableFormat::Csv: {
    out += "\xEF\xBB\xBF";
    for (size_t i = 0; i < cols.size(); ++i) out += (i ? "," : "") + csvCell(cols[i]);
    out += "\r\n";
    for (const auto &r : rows) {
      auto c = cells(r);
      for (size_t i = 0; i < c.size(); ++i) out += (i ? "," : "") + csvCell(c[i]);
      out += "\r\n";
    }
    break;
  }
  }
  return out;
}

namespace {
const char *kindName(runtime::ValueKind k) {
  switch (k) {
  case runtime::ValueKind::Decimal: return "小数";
  case runtime::ValueKind::Percent: return "百分比（85% 或 0.85）";
  case runtime::ValueKind::Count: return "件数（整数）";
  case runtime::ValueKind::Bool: return "是否（是/否）";
  case runtime::ValueKind::Enum: return "枚举";
  case runtime::ValueKind::Text: return "文本";
  }
  return "?";
}
} // namespace

std::string renderTemplateCsv(const runtime::Program &p, int listSlots) {
  std::vector<std::string> headers;
  for (const auto &f : p.fields) {
    if (f.isMonthly) {
      for (int m = 1; m <= 12; ++m) headers.push_back(f.name + "[" + std::to_string(m) + "]");
    } else if (f.isList) {
      const auto &list = p.lists[f.listId];
      for (int i = 1; i <= listSlots; ++i)
        for (int col : list.elementColumns) {
          const auto &c = p.columns[col];
          headers.push_back(f.name + "[" + std::to_string(i) + "]" + (c.elementField.empty() ? "" : "." + c.elementField));
        }
    } else {
      headers.push_back(f.name);
    }
  }
  for (const auto &c : p.columns)
    if (c.defaultValue == INT64_MIN) headers.push_back(c.name); // optional imported totals
  std::string out = "\xEF\xBB\xBF";
  for (size_t i = 0; i < headers.size(); ++i) out += (i ? "," : "") + csvCell(headers[i]);
  return out + "\r\n";
}

std::string renderCasesCsv(const ast::File &file, const runtime::Program &p,
                           std::vector<std::pair<std::string, std::string>> *params) {
  size_t slots = 1;
  for (const auto &tc : file.cases)
    for (const auto &v : tc.inputs)
      if (v.isList) slots = std::max(slots, v.elements.size());
  // Header row from the template; then fill cells by header name.
  std::string header = renderTemplateCsv(p, static_cast<int>(slots));
  std::vector<std::string> headers;
  {
    std::string line = header.substr(3, header.size() - 5); // strip BOM and CRLF
    std::string cell;
    bool quoted = false;
    for (char c : line) {
      if (c == '"') quoted = !quoted;
      else if (c == ',' && !quoted) { headers.push_back(cell); cell.clear(); }
      else cell += c;
    }
    headers.push_back(cell);
  }
  std::string idName = p.idField >= 0 ? p.fields[p.idField].name : "";
  std::string out = header;
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
    for (size_t i = 0; i < headers.size(); ++i) {
      auto it = cells.find(headers[i]);
      out += (i ? "," : "") + csvCell(it == cells.end() ? "" : it->second);
    }
    out += "\r\n";
  }
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
