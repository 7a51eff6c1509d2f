#include "report/Readings.h"

#include <functional>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace rubric::report {
namespace {

// "一.1 技能比武" for every node, as headers and explain name them.
std::map<const ast::Node *, std::string> nodeNames(const ast::File &file) {
  std::map<const ast::Node *, std::string> out;
  std::function<void(const ast::Node &, const std::string &)> walk = [&](const ast::Node &n, const std::string &prefix) {
    std::string path = n.label.empty() ? prefix : (prefix.empty() ? n.label : prefix + "." + n.label);
    out[&n] = path.empty() ? n.title : path + " " + n.title;
    for (const auto &c : n.children) walk(*c, path);
  };
  for (const auto &n : file.indicators) walk(*n, "");
  return out;
}

std::string useText(const sema::ReadingInfo::Use &use, const std::map<const ast::Node *, std::string> &names) {
  std::string where = use.node ? "【" + names.at(use.node) + "】" : "（方案级规则）";
  return fmt::format("第 {} 行{}", use.span.line, where);
}

std::string adoptedName(const sema::ReadingInfo &r) {
  return r.adopted >= 0 ? r.decl->options[static_cast<size_t>(r.adopted)].name : "";
}

std::string mdCell(const std::string &s) {
  std::string out;
  for (char c : s) out += c == '\n' ? std::string("<br>") : c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}
std::string htmlCell(const std::string &s) {
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

// One row per reading: name, sentence, options with meanings, adopted, reason.
std::vector<std::vector<std::string>> sectionRows(const ast::File &file) {
  std::vector<std::vector<std::string>> rows;
  for (const auto &r : file.readings) {
    std::string options, adopted;
    for (const auto &o : r.options) options += (options.empty() ? "" : "\n") + o.name + "：" + o.meaning;
    for (const auto &[name, span] : r.adopted) adopted += (adopted.empty() ? "" : "、") + name;
    rows.push_back({r.name, r.text, options, adopted, r.reason.value_or("")});
  }
  return rows;
}

} // namespace

std::string renderReadingsText(const sema::CheckedFile &checked) {
  if (checked.readings.empty()) return "本细则没有声明读法。\n";
  auto names = nodeNames(*checked.file);
  std::string out;
  for (const auto &r : checked.readings) {
    out += fmt::format("读法 {}（第 {} 行）\n  原文：{}\n  选项：\n", r->name(), r->decl->span.line, r->decl->text);
    for (size_t i = 0; i < r->decl->options.size(); ++i) {
      const auto &o = r->decl->options[i];
      bool isAdopted = static_cast<int>(i) == r->adopted;
      out += fmt::format("    {} {}：{}{}\n", isAdopted ? "*" : " ", o.name, o.meaning, isAdopted ? "（采用）" : "");
    }
    if (r->decl->reason) out += "  理由：" + *r->decl->reason + "\n";
    std::string uses;
    for (const auto &u : r->uses) uses += (uses.empty() ? "" : "；") + useText(u, names);
    out += "  用于：" + (uses.empty() ? std::string("（没有规则用到）") : uses) + "\n\n";
  }
  return out;
}

std::string renderReadingsJson(const sema::CheckedFile &checked) {
  auto names = nodeNames(*checked.file);
  nlohmann::json out = nlohmann::json::array();
  for (const auto &r : checked.readings) {
    nlohmann::json options = nlohmann::json::array(), uses = nlohmann::json::array();
    for (const auto &o : r->decl->options) options.push_back({{"name", o.name}, {"meaning", o.meaning}});
    for (const auto &u : r->uses)
      uses.push_back({{"line", u.span.line}, {"item", u.node ? nlohmann::json(names.at(u.node)) : nlohmann::json()}});
    out.push_back({{"name", r->name()},
                   {"line", r->decl->span.line},
                   {"text", r->decl->text},
                   {"chosen", adoptedName(*r)},
                   {"options", options},
                   {"reason", r->decl->reason ? nlohmann::json(*r->decl->reason) : nlohmann::json()},
                   {"uses", uses}});
  }
  return out.dump(2) + "\n";
}

void appendReadingsSection(const ast::File &file, TableFormat format, std::string &out) {
  if (file.readings.empty() || format == TableFormat::Csv) return;
  const std::vector<std::string> cols = {"读法", "原文", "选项", "采用", "理由"};
  auto rows = sectionRows(file);
  if (format == TableFormat::Markdown) {
    out += "\n## 读法\n\n|";
    for (const auto &c : cols) out += " " + c + " |";
    out += "\n|---|---|---|---|---|\n";
    for (const auto &row : rows) {
      out += "|";
      for (const auto &cell : row) out += " " + mdCell(cell) + " |";
      out += "\n";
    }
    return;
  }
  std::string html = "<h2>读法</h2>\n<table>\n<tr>";
  for (const auto &c : cols) html += "<th>" + c + "</th>";
  html += "</tr>\n";
  for (const auto &row : rows) {
    html += "<tr>";
    for (const auto &cell : row) html += "<td>" + htmlCell(cell) + "</td>";
    html += "</tr>\n";
  }
  html += "</table>\n";
  size_t end = out.rfind("</body>");
  out.insert(end == std::string::npos ? out.size() : end, html);
}

} // namespace rubric::report
