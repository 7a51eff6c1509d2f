// rubricc readings RUBRIC [--format text|json] [--impact INPUT]: the rubric's
// readings (读法) and those of the schemes it imports (as 别名.读法), and with
// --impact, who would change under each other reading. Every alternative is scored by the same run `score --interp` uses
// (runtime::runScoring with the interpreter, the oracle), one reading changed
// at a time, and compared with the rubric's own choices.
#include <iostream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "driver/Commands.h"
#include "driver/Compiled.h"
#include "driver/ScoreCompare.h"
#include "report/Readings.h"

namespace rubric::driver {
namespace {

using nlohmann::json;

// Rejected rows are the same under every reading: only the baseline run
// (`report`) shows them.
bool scoreImpactInput(const Compiled &c, const ReadingsArgs &args, bool report, Outcomes &out) {
  std::ostringstream quiet;
  return scoreInput(c, InputSpec{args.impact, args.params, args.encoding, args.sheet, args.with, args.lang},
                    report ? std::cerr : quiet, out);
}

// One alternative: reading `reading` read as `option`, and who changes.
struct Impact {
  std::string reading, option, current;
  std::vector<OutcomeChange> changes;
};

std::string renderImpactText(const std::vector<Impact> &impacts) {
  if (impacts.empty()) return "本细则没有声明读法。\n";
  std::string out;
  for (const auto &im : impacts) {
    out += fmt::format("读法 {} 改为“{}”（现为“{}”）：{} 个候选对象有变化\n", im.reading, im.option, im.current,
                       im.changes.size());
    for (const auto &change : im.changes) {
      std::string line;
      for (const auto &part : changeParts(change, Lang::Zh)) line += (line.empty() ? "" : "；") + part;
      out += "  " + change.id + "：" + line + "\n";
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
  if (!other || !scoreImpactInput(*other, args, false, after)) return false;
  im.changes = changedOutcomes(before, after);
  return true;
}

int runImpact(const Compiled &base, const ReadingsArgs &args, const ReadingChoices &choices) {
  Outcomes before;
  if (!scoreImpactInput(base, args, true, before)) return 2;
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
