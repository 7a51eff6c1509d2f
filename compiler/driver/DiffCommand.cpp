// rubricc diff OLD NEW: what changed between two rubrics (service/RubricDiff.h),
// as text, md or html. With --data FILE, the input is scored under both (the
// score-and-compare `readings --impact` uses, driver/ScoreCompare.h) and who
// changes total, rank or award is one more section. Exit 0 either way (like
// `table`, it reports); 1 when a rubric has errors, 2 when one cannot be read
// or cannot read the data.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>

#include <fmt/format.h>

#include "driver/Commands.h"
#include "driver/ScoreCompare.h"

#include "service/RubricDiff.h"
#include "service/Service.h"

namespace rubric::driver {
namespace {

// One year's run over --data; `messages` holds what the runtime said (missing
// columns, rejected rows).
struct YearRun {
  YearRun(const std::string &rubricFile, const std::string &paramsFile, Lang lang)
      : rubric(rubricFile), params(paramsFile), compiled(compileForRun(rubricFile, lang)) {}
  const std::string &rubric;
  std::string params;
  std::unique_ptr<Compiled> compiled;  // null when the rubric has errors (said)
  Outcomes outcomes;
  std::string messages;
  bool ok = false;
};

// The scheme a --with 名=文件 names (before the "="; all of it when malformed,
// so the runtime's own message about its form still comes).
std::string withScheme(const std::string &arg) { return arg.substr(0, arg.find('=')); }

// Whether a year's rubric names `scheme`: a 全体另给 import or a 不共用 check's other side.
bool namesScheme(const Compiled &c, const std::string &scheme) {
  for (const auto &im : c.program->desc.imports)
    if (im.alias == scheme) return true;
  for (const auto &v : c.program->desc.validations)
    if (v.otherScheme == scheme) return true;
  return false;
}

// The --with arguments this year's rubric uses: one year may import a scheme the other does not.
std::vector<std::string> withFor(const Compiled &c, const DiffArgs &args) {
  std::vector<std::string> used;
  for (const auto &w : args.with)
    if (namesScheme(c, withScheme(w))) used.push_back(w);
  return used;
}

void scoreYear(const DiffArgs &args, YearRun &year) {
  std::ostringstream messages;
  year.ok = year.compiled && scoreInput(*year.compiled,
                                        InputSpec{args.data, year.params, args.encoding, args.sheet,
                                                  withFor(*year.compiled, args), args.lang},
                                        messages, year.outcomes);
  year.messages = messages.str();
}

// A --with that neither year's rubric names: said (exit 2) rather than ignored.
bool withArgsUsed(const DiffArgs &args, const YearRun &before, const YearRun &after) {
  if (!before.compiled || !after.compiled) return true;  // the year's own run reports its errors
  for (const auto &w : args.with) {
    std::string scheme = withScheme(w);
    if (namesScheme(*before.compiled, scheme) || namesScheme(*after.compiled, scheme)) continue;
    std::cerr << (args.lang == Lang::Zh
                      ? fmt::format("错误: --with {}：两年的细则都没有名为“{}”的“全体另给”引用或“不共用”校验\n", w, scheme)
                      : fmt::format("error: --with {}: neither rubric has a 全体另给 import or a not_shared check "
                                    "named \"{}\"\n",
                                    w, scheme));
    return false;
  }
  return true;
}

// The runtime's "unknown column … ignored" warnings: in a diff the data often
// holds both years' columns, so each year ignoring the other's is expected.
// Returns how many columns a line stands for (its "… and N more" count), or 0.
int64_t unknownColumnsIn(const std::string &line) {
  static const std::regex one(R"(: (警告: 未知的列“|warning: unknown column "))");
  static const std::regex more(R"(: (警告: … 以及另外 ([0-9,]+) 个未知列|warning: … and ([0-9,]+) more unknown columns))");
  std::smatch m;
  if (std::regex_search(line, m, more)) {
    std::string n = m[2].matched ? m[2].str() : m[3].str();
    n.erase(std::remove(n.begin(), n.end(), ','), n.end());
    return std::stoll(n);
  }
  return std::regex_search(line, one) ? 1 : 0;
}

// Prints what a year's run said, headed by the rubric it was; the runtime's
// own lines name the file, the row and the missing columns (a missing
// column's message also names a header that may be it). Unknown columns are
// counted in one line instead of one line each.
void reportYear(const YearRun &year, const DiffArgs &args) {
  if (year.messages.empty()) return;
  bool zh = args.lang == Lang::Zh;
  std::cerr << (year.ok ? (zh ? fmt::format("按 {} 评分 {}：\n", year.rubric, args.data)
                              : fmt::format("scoring {} under {}:\n", args.data, year.rubric))
                        : (zh ? fmt::format("{} 无法按 {} 评分（请让两年的细则都能读取此文件，或改用各自的数据）：\n",
                                            args.data, year.rubric)
                              : fmt::format("{} cannot be scored under {} (give a file both years' rubrics can read, "
                                            "or score each year with its own data):\n",
                                            args.data, year.rubric)));
  std::istringstream lines(year.messages);
  int64_t unknown = 0;
  for (std::string line; std::getline(lines, line);) {
    int64_t n = unknownColumnsIn(line);
    if (n == 0) std::cerr << "  " << line << "\n";
    unknown += n;
  }
  if (unknown > 0)
    std::cerr << (zh ? fmt::format("  {}：{} 列不是本细则的字段，已忽略（数据含另一年的列时属正常）\n", args.data, unknown)
                     : fmt::format("  {}: {} columns are not fields of this rubric and were ignored (expected when the "
                                   "data holds the other year's columns)\n",
                                   args.data, unknown));
}

// The section "数据 FILE（N 人中 M 人有变化）": one entry per candidate who changes.
service::DiffSection impactSection(const DiffArgs &args, const YearRun &before, const YearRun &after) {
  auto changes = changedOutcomes(before.outcomes, after.outcomes);
  bool zh = args.lang == Lang::Zh;
  service::DiffSection section{
      zh ? fmt::format("数据 {}（{} 个候选对象中 {} 个的结果有变化）", args.data, before.outcomes.size(), changes.size())
         : fmt::format("data {} ({} of {} candidates change)", args.data, changes.size(), before.outcomes.size()),
      {}};
  for (const auto &change : changes)
    section.entries.push_back({service::DiffEntry::Kind::Changed, change.id, changeParts(change, args.lang), {}, {}});
  return section;
}

// Scores --data under both years. False (exit 2) when either cannot read it.
bool addImpact(const DiffArgs &args, service::RubricDiff &diff) {
  YearRun before(args.oldFile, args.oldParams, args.lang), after(args.newFile, args.newParams, args.lang);
  if (!withArgsUsed(args, before, after)) return false;
  scoreYear(args, before);
  scoreYear(args, after);
  reportYear(before, args);
  reportYear(after, args);
  if (!before.ok || !after.ok) return false;
  diff.sections.push_back(impactSection(args, before, after));
  return true;
}

int writeOutput(const DiffArgs &args, const std::string &out) {
  if (args.output.empty()) {
    std::cout << out;
    return 0;
  }
  std::ofstream file(args.output, std::ios::binary | std::ios::trunc);
  file << out;
  if (!file) {
    std::cerr << (args.lang == Lang::Zh ? fmt::format("无法写入文件：{}\n", args.output)
                                        : fmt::format("cannot write file: {}\n", args.output));
    return 2;
  }
  return 0;
}

} // namespace

int runDiff(const DiffArgs &args) {
  DiagnosticEngine diags;
  service::Analysis before = service::analyzeFile(args.oldFile, diags);
  service::Analysis after = service::analyzeFile(args.newFile, diags);
  if (diags.errorCount() > 0) {
    std::cerr << renderDiagnostics(diags.all(), DiagFormat::Text, args.lang);
    return before.unreadable() || after.unreadable() ? 2 : 1;
  }
  service::DiffFormat format = args.format == "md"     ? service::DiffFormat::Markdown
                               : args.format == "html" ? service::DiffFormat::Html
                                                       : service::DiffFormat::Text;
  service::RubricDiff diff = service::diffRubrics(*before.ast, *after.ast, args.lang);
  if (before.checked && after.checked)
    service::addImportedDiffs(diff, before.checked->importByAlias, after.checked->importByAlias, args.lang);
  if (!args.data.empty() && !addImpact(args, diff)) return 2;
  return writeOutput(args, service::renderDiff(diff, format, args.lang));
}

} // namespace rubric::driver
