#include "driver/ScoreCompare.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "interp/Interpreter.h"
#include "runtime/scoring/CrossCheck.h"
#include "runtime/scoring/Runner.h"

namespace rubric::driver {
namespace {

using nlohmann::json;

std::string text(const json &v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (!v.is_array()) return v.dump();
  std::string s;  // 奖项: a list of award names
  for (const auto &x : v) s += (s.empty() ? "" : "、") + text(x);
  return s;
}
std::string cell(const json &row, const char *key) { return row.contains(key) ? text(row[key]) : ""; }

std::string arrow(const std::string &from, const std::string &to, Lang lang) {
  const char *none = lang == Lang::Zh ? "无" : "none";
  return (from.empty() ? none : from) + " → " + (to.empty() ? none : to);
}

} // namespace

bool scoreInput(const Compiled &c, const InputSpec &input, std::ostream &messages, Outcomes &out) {
  static int counter = 0;
  std::string output = (std::filesystem::temp_directory_path() /
                        fmt::format("rubricc-{}-compare-{}.jsonl", ::getpid(), ++counter)).string();
  runtime::RunOptions opts;
  opts.inputs = {input.file};
  opts.output = output;
  opts.paramsFile = input.params;
  opts.encoding = input.encoding;
  opts.sheet = input.sheet;
  opts.lang = input.lang == Lang::En ? runtime::Lang::En : runtime::Lang::Zh;
  opts.threads = 1;  // the interpreter is bound to this thread
  if (!runtime::addWithOptions(input.with, opts, messages)) return false;
  opts.importKernels = interp::bindImportKernels(*c.program);  // 全体另给: scored over their --with files
  int rc = runtime::runScoring(c.program->desc, interp::bindKernel(*c.program), opts, messages);
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

std::vector<OutcomeChange> changedOutcomes(const Outcomes &before, const Outcomes &after) {
  // By identifier, not by position: a row one rubric rejects is absent from its run.
  std::map<std::string, const Outcome *> afterById;
  for (const auto &[id, outcome] : after) afterById.emplace(id, &outcome);
  std::vector<OutcomeChange> changes;
  for (const auto &[id, outcome] : before)
    if (auto it = afterById.find(id); it != afterById.end() && !(outcome == *it->second))
      changes.push_back({id, outcome, *it->second});
  return changes;
}

std::vector<std::string> changeParts(const OutcomeChange &c, Lang lang) {
  bool zh = lang == Lang::Zh;
  std::vector<std::string> parts;
  if (c.before.total != c.after.total) parts.push_back((zh ? "总分 " : "total ") + arrow(c.before.total, c.after.total, lang));
  if (c.before.rank != c.after.rank) parts.push_back((zh ? "排名 " : "rank ") + arrow(c.before.rank, c.after.rank, lang));
  if (c.before.award != c.after.award) parts.push_back((zh ? "奖项 " : "award ") + arrow(c.before.award, c.after.award, lang));
  if (c.before.status != c.after.status)
    parts.push_back((zh ? "状态 " : "status ") + arrow(c.before.status, c.after.status, lang));
  return parts;
}

} // namespace rubric::driver
