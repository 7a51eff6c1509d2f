// rubricc readings RUBRIC [--format text|json] [--impact INPUT]: the rubric's
// readings (读法) and those of the schemes it imports (as 别名.读法), and with
// --impact, who would change under each other reading. Every alternative is scored by the same run `score --interp` uses
// (runtime::runScoring with the interpreter, the oracle), one reading changed
// at a time, and compared with the rubric's own choices.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <tuple>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "driver/Commands.h"
#include "driver/Compiled.h"
#include "interp/Interpreter.h"
#include "report/Readings.h"
#include "runtime/scoring/Runner.h"

namespace rubric::driver {
namespace {

using nlohmann::json;

// What a candidate's result row says that a reading can change.
struct Outcome {
  std::string total, rank, award, status;
  bool operator==(const Outcome &) const = default;
};
using Outcomes = std::vector<std::pair<std::string, Outcome>>;   // by id, in input order

std::string text(const json &v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (!v.is_array()) return v.dump();
  std::string s;  // 奖项: a list of award names
  for (const auto &x : v) s += (s.empty() ? "" : "、") + text(x);
  return s;
}
std::string cell(const json &row, const char *key) { return row.contains(key) ? text(row[key]) : ""; }

// Scores the input with `c`; false when nothing could be scored. Rejected
// rows are the same under every reading: only the baseline run (`report`)
// shows them.
bool scoreInput(const Compiled &c, const ReadingsArgs &args, bool report, Outcomes &out) {
  static int counter = 0;
  std::string output = (std::filesystem::temp_directory_path() /
                        fmt::format("rubricc-{}-impact-{}.jsonl", ::getpid(), ++counter)).string();
  runtime::RunOptions opts;
  opts.inputs = {args.impact};
  opts.output = output;
  opts.paramsFile = args.params;
  opts.encoding = args.encoding;
  opts.sheet = args.sheet;
  opts.lang = args.lang == Lang::En ? runtime::Lang::En : runtime::Lang::Zh;
  std::ostringstream quiet;
  int rc = runtime::runScoring(c.program->desc, interp::bindKernel(*c.program), opts, report ? std::cerr : quiet);
  std::string idKey = runtime::outputHeaders(c.program->desc, false).front();
  out.clear();
  std::ifstream in(output, std::ios::binary);
  for (std::string line; std::getline(in, line);) {
    json row = json::parse(line, nullptr, false);
    if (row.is_object())
      out.push_back({cell(row, idKey.c_str()), {cell(row, "总分"), cell(row, "排名"), cell(row, "奖项"), cell(row, "状态")}});
  }
  in.close();
  std::filesystem::remove(output);
  return rc != runtime::kExitFatal;
}

// One alternative: reading `reading` read as `option`, and who changes.
struct Impact {
  std::string reading, option, current;
  std::vector<std::tuple<std::string, Outcome, Outcome>> changes;   // id, before, after
};

std::string arrow(const std::string &from, const std::string &to) {
  return (from.empty() ? "无" : from) + " → " + (to.empty() ? "无" : to);
}

std::string renderImpactText(const std::vector<Impact> &impacts) {
  if (impacts.empty()) return "本细则没有声明读法。\n";
  std::string out;
  for (const auto &im : impacts) {
    out += fmt::format("读法 {} 改为“{}”（现为“{}”）：{} 个候选对象有变化\n", im.reading, im.option, im.current,
                       im.changes.size());
    for (const auto &[id, before, after] : im.changes) {
      std::vector<std::string> parts;
      if (before.total != after.total) parts.push_back("总分 " + arrow(before.total, after.total));
      if (before.rank != after.rank) parts.push_back("排名 " + arrow(before.rank, after.rank));
      if (before.award != after.award) parts.push_back("奖项 " + arrow(before.award, after.award));
      if (before.status != after.status) parts.push_back("状态 " + arrow(before.status, after.status));
      std::string line;
      for (const auto &p : parts) line += (line.empty() ? "" : "；") + p;
      out += "  " + id + "：" + line + "\n";
    }
  }
  return out;
}

std::string renderImpactJson(const std::vector<Impact> &impacts) {
  json out = json::array();
  for (const auto &im : impacts) {
    json changes = json::array();
    for (const auto &[id, before, after] : im.changes) {
      json changed = json::array();
      if (before.total != after.total) changed.push_back("total");
      if (before.rank != after.rank) changed.push_back("rank");
      if (before.award != after.award) changed.push_back("award");
      if (before.status != after.status) changed.push_back("status");
      changes.push_back({{"id", id},
                         {"changed", changed},
                         {"total", {before.total, after.total}},
                         {"rank", {before.rank, after.rank}},
                         {"award", {before.award, after.award}},
                         {"status", {before.status, after.status}}});
    }
    out.push_back({{"reading", im.reading}, {"option", im.option}, {"current", im.current}, {"changes", changes}});
  }
  return out.dump(2) + "\n";
}

// The rubric's readings and, under their alias, those of every scheme it
// imports (transitively), each import checked with the --reading choices
// that reach it, as the compilation did.
struct ReadingSchemes {
  std::vector<std::unique_ptr<sema::CheckedFile>> owned;
  std::vector<report::ReadingScheme> list;
};

void collectImports(const sema::CheckedFile &checked, const std::string &prefix, ReadingSchemes &out) {
  for (const auto &[alias, file] : checked.importByAlias) {
    sema::CheckOptions options;
    if (auto it = checked.importReadings.find(alias); it != checked.importReadings.end()) options.readings = it->second;
    DiagnosticEngine ignored;  // the compilation already reported the import's errors
    auto imported = sema::check(*file, ignored, options);
    std::string name = prefix.empty() ? alias : prefix + "." + alias;
    out.list.push_back({name, imported.get()});
    const sema::CheckedFile &ref = *imported;
    out.owned.push_back(std::move(imported));
    collectImports(ref, name, out);
  }
}

ReadingSchemes readingSchemes(const sema::CheckedFile &checked) {
  ReadingSchemes out;
  out.list.push_back({"", &checked});
  collectImports(checked, "", out);
  return out;
}

// Scores the input with reading `name` (别名.读法 for an import's) read as
// `option`, the other choices kept; false when that could not be scored.
bool impactOf(const ReadingsArgs &args, const ReadingChoices &choices, const Outcomes &before, Impact &im) {
  ReadingChoices alternative = choices;
  alternative[im.reading] = im.option;
  auto other = compileForRun(args.file, args.lang, nullptr, alternative);
  Outcomes after;
  if (!other || !scoreInput(*other, args, false, after)) return false;
  for (size_t k = 0; k < before.size() && k < after.size(); ++k)
    if (before[k].first == after[k].first && !(before[k].second == after[k].second))
      im.changes.emplace_back(before[k].first, before[k].second, after[k].second);
  return true;
}

int runImpact(const Compiled &base, const ReadingsArgs &args, const ReadingChoices &choices) {
  Outcomes before;
  if (!scoreInput(base, args, true, before)) return 2;
  std::vector<Impact> impacts;
  ReadingSchemes schemes = readingSchemes(*base.checked);
  for (const auto &[alias, checked] : schemes.list)
    for (const auto &reading : checked->readings)
      for (size_t i = 0; i < reading->decl->options.size(); ++i) {
        if (static_cast<int>(i) == reading->chosen) continue;
        std::string name = alias.empty() ? reading->name() : alias + "." + reading->name();
        Impact im{name, reading->decl->options[i].name, reading->chosenName(), {}};
        if (!impactOf(args, choices, before, im)) return 2;
        impacts.push_back(std::move(im));
      }
  std::cout << (args.format == "json" ? renderImpactJson(impacts) : renderImpactText(impacts));
  return 0;
}

} // namespace

int runReadings(const ReadingsArgs &args) {
  ReadingChoices choices;
  if (!parseReadingArgs(args.readings, args.lang, choices)) return 2;
  int failStatus = 1;
  auto c = compileForRun(args.file, args.lang, &failStatus, choices);
  if (!c) return failStatus;
  if (!args.impact.empty()) return runImpact(*c, args, choices);
  ReadingSchemes schemes = readingSchemes(*c->checked);
  std::cout << (args.format == "json" ? report::renderReadingsJson(schemes.list) : report::renderReadingsText(schemes.list));
  return 0;
}

} // namespace rubric::driver
