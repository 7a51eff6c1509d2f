#include "report/Readings.h"

#include <filesystem>
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

} // namespace

namespace {

std::string qualified(const ReadingScheme &scheme, const sema::ReadingInfo &r) {
  return scheme.alias.empty() ? r.name() : scheme.alias + "." + r.name();
}

// "第 12 行", or "sanmenxia-equipment.rubric 第 12 行" for an import's reading.
std::string declaredAt(const ReadingScheme &scheme, const sema::ReadingInfo &r) {
  std::string line = fmt::format("第 {} 行", r.decl->span.line);
  if (scheme.alias.empty() || !scheme.checked->file->source) return line;
  return std::filesystem::path(scheme.checked->file->source->path()).filename().string() + " " + line;
}

std::string readingText(const ReadingScheme &scheme, const sema::ReadingInfo &r) {
  auto names = nodeNames(*scheme.checked->file);
  std::string out = fmt::format("读法 {}（{}）\n  原文：{}\n  选项：\n", qualified(scheme, r), declaredAt(scheme, r), r.decl->text);
  for (size_t i = 0; i < r.decl->options.size(); ++i) {
    const auto &o = r.decl->options[i];
    bool isAdopted = static_cast<int>(i) == r.adopted;
    out += fmt::format("    {} {}：{}{}\n", isAdopted ? "*" : " ", o.name, o.meaning, isAdopted ? "（采用）" : "");
  }
  if (r.decl->reason) out += "  理由：" + *r.decl->reason + "\n";
  std::string uses;
  for (const auto &u : r.uses) uses += (uses.empty() ? "" : "；") + useText(u, names);
  return out + "  用于：" + (uses.empty() ? std::string("（没有规则用到）") : uses) + "\n\n";
}

nlohmann::json readingJson(const ReadingScheme &scheme, const sema::ReadingInfo &r) {
  auto names = nodeNames(*scheme.checked->file);
  nlohmann::json options = nlohmann::json::array(), uses = nlohmann::json::array();
  for (const auto &o : r.decl->options) options.push_back({{"name", o.name}, {"meaning", o.meaning}});
  for (const auto &u : r.uses)
    uses.push_back({{"line", u.span.line}, {"item", u.node ? nlohmann::json(names.at(u.node)) : nlohmann::json()}});
  return {{"name", qualified(scheme, r)},
          {"scheme", scheme.alias.empty() ? nlohmann::json() : nlohmann::json(scheme.alias)},
          {"line", r.decl->span.line},
          {"text", r.decl->text},
          {"chosen", adoptedName(r)},
          {"options", options},
          {"reason", r.decl->reason ? nlohmann::json(*r.decl->reason) : nlohmann::json()},
          {"uses", uses}};
}

} // namespace

std::string renderReadingsText(const std::vector<ReadingScheme> &schemes) {
  std::string out;
  for (const auto &scheme : schemes)
    for (const auto &r : scheme.checked->readings) out += readingText(scheme, *r);
  return out.empty() ? "本细则没有声明读法。\n" : out;
}

std::string renderReadingsJson(const std::vector<ReadingScheme> &schemes) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto &scheme : schemes)
    for (const auto &r : scheme.checked->readings) out.push_back(readingJson(scheme, *r));
  return out.dump(2) + "\n";
}

namespace {
std::string csvField(const std::string &text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}
} // namespace

std::string renderCaseReadingsCsv(const ast::File &file, const std::string &idName) {
  std::string rows;
  for (const auto &tc : file.cases) {
    if (tc.readings.empty()) continue;
    std::string id = tc.name, readings, args;
    for (const auto &v : tc.inputs)
      if (!idName.empty() && v.key == idName && !v.isList) id = v.literal;
    for (const auto &cr : tc.readings) {
      readings += (readings.empty() ? "" : "；") + cr.reading + "=" + cr.option;
      args += (args.empty() ? "" : " ") + std::string("--reading ") + cr.reading + "=" + cr.option;
    }
    rows += csvField(id) + "," + csvField(tc.name) + "," + csvField(readings) + "," + csvField(args) + "\r\n";
  }
  return rows.empty() ? "" : "\xEF\xBB\xBF标识,用例,读法,评分参数\r\n" + rows;
}

std::vector<std::string> readingsSectionLines(const ast::File &file) {
  std::vector<std::string> lines;
  for (const auto &r : file.readings) {
    std::string options, adopted;
    for (const auto &o : r.options) options += (options.empty() ? "" : "；") + o.name + "——" + o.meaning;
    for (const auto &[name, span] : r.adopted) adopted += (adopted.empty() ? "" : "、") + name;
    std::string line = fmt::format("{}：原文“{}”。选项：{}。采用：{}", r.name, r.text, options, adopted);
    if (r.reason) line += "（理由：" + *r.reason + "）";
    lines.push_back(line + "。");
  }
  return lines;
}

} // namespace rubric::report
