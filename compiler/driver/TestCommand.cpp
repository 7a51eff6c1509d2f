// rubricc test RUBRIC...: runs each rubric's own 用例 (test cases) and reports
// every mismatch — which item, expected, got, and the rules that fired.
// All cases of a file are scored together, as one run: they are the
// population for ranks and other population rules.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "driver/Commands.h"
#include "driver/Compiled.h"
#include "driver/RunCommands.h"
#include "interp/Interpreter.h"
#include "jit/Jit.h"
#include "report/Explain.h"
#include "rubric_decimal.h"
#include "runtime/scoring/Runner.h"

namespace rubric::driver {
namespace {

using nlohmann::json;

json caseValueJson(const ast::CaseValue &v) {
  if (!v.isList) return v.literal;
  json arr = json::array();
  for (const auto &e : v.elements) {
    if (e.literal) {
      arr.push_back(*e.literal);
      continue;
    }
    json obj = json::object();
    for (const auto &f : e.fields) obj[f.key] = caseValueJson(f);
    arr.push_back(obj);
  }
  return arr;
}

std::optional<rb_dec> parseDec(std::string s) {
  bool percent = !s.empty() && s.back() == '%';
  if (percent) s.pop_back();
  rb_dec v;
  if (rb_dec_parse(s.data(), s.size(), &v) != 0) return std::nullopt;
  if (percent) {
    int32_t err = 0;
    v = rb_dec_div(v, 100 * RB_DEC_ONE, &err);
  }
  return v;
}

std::string text(const json &v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  if (v.is_array()) {
    std::string s;
    for (const auto &x : v) s += (s.empty() ? "" : "、") + text(x);
    return s;
  }
  return v.dump();
}

std::set<std::string> splitNames(const std::string &s) {
  std::set<std::string> out;
  size_t start = 0;
  const std::string sep = "、";
  while (start <= s.size()) {
    size_t pos = s.find(sep, start);
    std::string part = s.substr(start, pos == std::string::npos ? std::string::npos : pos - start);
    if (!part.empty()) out.insert(part);
    if (pos == std::string::npos) break;
    start = pos + sep.size();
  }
  return out;
}

// An output cell against a 用例 expectation. 不适用 is a value of its own (an
// N/A item never equals 0); a vetoed item's "0（否决：…）" is the number 0.
bool sameCell(const std::string &got, const std::string &expected) {
  const std::string na = "不适用";
  if (got == na || expected == na) return got == expected;
  std::string number = got.substr(0, got.find("（否决："));
  auto g = parseDec(number), e = parseDec(expected);
  return g && e && *g == *e;
}

const ir::NodeInfo *findNode(const ir::Program &p, const std::string &key) {
  for (const auto &n : p.nodes)
    if (p.desc.slots[n.slot].depth >= 0 && (n.title == key || (!n.path.empty() && n.path == key))) return &n;
  return nullptr;
}

// A case names only the inputs it is about; the others are blank (0, 否, the
// first enum value — the level too), as a blank cell reads under the records
// contract. The keys must be there: JSON Lines refuses an object without a
// required field.
void fillUnsetInputs(const runtime::Program &p, json &row) {
  for (size_t f = 0; f < p.fields.size(); ++f) {
    const runtime::FieldDesc &d = p.fields[f];
    if (d.isList || d.optional || row.contains(d.name)) continue;
    if (d.isMonthly) row[d.name] = json::array();
    for (int m = 0; m < 12 && d.isMonthly; ++m) row[d.name].push_back(nullptr);
    if (!d.isMonthly) row[d.name] = p.levelColumn >= 0 && d.column == p.levelColumn && !p.levels.empty()
                                        ? json(p.levels.front()) : json(nullptr);
  }
}

// Why an item got what it got, from the interpreter's trace: its rules with
// their values and arithmetic, its account, and the limits that actually
// cut a value in it or below it (not every limit that exists).
void blame(const ir::Program &prog, Capture &cap, int64_t rowIndex, const std::string &key, Lang lang) {
  bool zh = lang == Lang::Zh;
  rb_frame frame{};
  int64_t rec = 0;
  std::vector<const void *> cols;
  std::vector<int64_t *> slots;
  if (!cap.findScored(rowIndex, frame, rec, cols, slots)) return;
  report::Trace trace = report::buildTrace(prog, &frame, rec, lang);
  const report::NodeTrace *node = report::findNode(trace.nodes, key);
  if (!node) return;
  if (!node->statusReason.empty()) std::cout << "    " << node->statusReason << "\n";
  for (const auto &r : node->rules) {
    if (zh) std::cout << fmt::format("    规则 {}：{}（第 {} 行）\n", report::signedPoints(r), r.text, r.line);
    else std::cout << fmt::format("    rule {}: {} (line {})\n", report::signedPoints(r), r.text, r.line);
    if (!r.reading.empty()) std::cout << (zh ? "        读法：" : "        reading: ") << r.reading << "\n";
    for (const auto &step : r.steps) std::cout << "        " << step << "\n";
    if (!r.why.empty()) std::cout << "        " << r.why << "\n";
  }
  for (const auto &a : node->account) std::cout << "    = " << a << "\n";
  std::vector<std::string> limits = report::limitsThatBound(*node, lang);
  if (limits.empty()) std::cout << (zh ? "    没有上下限起作用\n" : "    no limit cut a value here\n");
  for (const auto &l : limits) std::cout << (zh ? "    起作用的上下限：" : "    limit that bound: ") << l << "\n";
}

struct FileResult {
  int cases = 0, checks = 0, failures = 0;
  int notRun = 0;            // cases not run: the rubric (or its run under their readings) has errors
  bool broken = false;       // the file itself does not check: no case was run
  bool usageError = false;   // a --reading that names no reading or option of the file
};

// The file's cases as one JSON Lines record each (a case without the id field
// is named by its title), and the parameters they set, with the declared
// defaults (or 0) for the rest, in `paramsPath` when the rubric has any.
void writeCaseInputs(const Compiled &c, const std::string &inputPath, const std::string &paramsPath) {
  const runtime::Program &desc = c.program->desc;
  std::string idName = desc.idField >= 0 ? desc.fields[desc.idField].name : "";
  json params = json::object();
  std::ofstream in(inputPath, std::ios::binary);
  for (const auto &tc : c.ast->cases) {
    json row = json::object();
    for (const auto &v : tc.inputs) {
      bool isParam = false;
      for (const auto &prm : desc.params) isParam |= prm.name == v.key;
      (isParam ? params : row)[v.key] = caseValueJson(v);
    }
    if (!idName.empty() && !row.contains(idName)) row[idName] = tc.name;
    fillUnsetInputs(desc, row);
    in << row.dump() << "\n";
  }
  for (const auto &prm : c.ast->params)
    if (!params.contains(prm.name)) params[prm.name] = prm.defaultText ? *prm.defaultText : "0";
  for (const auto &prm : desc.params)  // a whole-population import's, declared in its own file
    if (!params.contains(prm.name)) params[prm.name] = prm.defaultText.empty() ? "0" : prm.defaultText;
  if (!desc.params.empty()) std::ofstream(paramsPath, std::ios::binary) << params.dump();
}

// Scores the cases with the interpreter, capturing what fired for blame();
// the output rows (JSON Lines with every item), the run's messages in `runDiag`.
std::vector<json> scoreCases(const Compiled &c, Capture &cap, const std::string &path, std::ostringstream &runDiag,
                             Lang lang) {
  const ir::Program &prog = *c.program;
  std::string dir = std::filesystem::temp_directory_path().string();
  std::string stem = fmt::format("{}/rubricc-test-{}-{}", dir, ::getpid(), std::hash<std::string>{}(path));
  std::string inputPath = stem + ".jsonl", outputPath = stem + ".out.jsonl", paramsPath = stem + ".params.json";
  writeCaseInputs(c, inputPath, paramsPath);
  cap.program = &prog;
  runtime::RunOptions opts;
  opts.inputs = {inputPath};
  opts.output = outputPath;
  opts.items = true;
  opts.paramsFile = prog.desc.params.empty() ? "" : paramsPath;
  opts.lang = lang == Lang::En ? runtime::Lang::En : runtime::Lang::Zh;
  opts.threads = 1;  // the capturing kernel keeps the batches in order, on this thread
  opts.importResultsInRecords = true;  // a 用例 gives a whole-population import's results (别名.总分 …)
  runtime::runScoring(prog.desc, capturingKernel(cap), opts, runDiag);  // the oracle; explains what fired
  std::vector<json> rows;
  std::ifstream out(outputPath, std::ios::binary);
  for (std::string line; std::getline(out, line);)
    if (!line.empty()) rows.push_back(json::parse(line, nullptr, false));
  std::filesystem::remove(inputPath);
  std::filesystem::remove(outputPath);
  std::filesystem::remove(paramsPath);
  return rows;
}

// The output row of case `ci`: by its id, or by position when the rubric has no id field. -1: rejected.
int64_t caseRow(const std::vector<json> &rows, const Compiled &c, size_t ci) {
  const runtime::Program &desc = c.program->desc;
  const auto &tc = c.ast->cases[ci];
  std::string idName = desc.idField >= 0 ? desc.fields[desc.idField].name : "";
  std::string idKey = runtime::outputHeaders(desc, true).front();
  std::string want = tc.name;
  for (const auto &v : tc.inputs)
    if (v.key == idName) want = v.literal;
  for (size_t r = 0; r < rows.size(); ++r) {
    if (!rows[r].is_object()) continue;
    std::string id = text(rows[r].value(idKey, json("")));
    bool match = idName.empty() ? id == std::to_string(ci + 2) || id == std::to_string(ci + 1) : id == want;
    if (match) return static_cast<int64_t>(r);
  }
  return -1;
}

// One expectation against the case's output row.
struct Verdict {
  bool ok = false;
  bool unknownItem = false;          // 【key】 names no item of the rubric
  std::string got, expected;
  const ir::NodeInfo *node = nullptr;
};

Verdict checkExpectation(const ir::Program &prog, const json &row, const ast::CaseValue &ex) {
  Verdict v;
  v.expected = ex.literal;
  const std::string &key = ex.key;
  if (key == "状态") {
    v.got = text(row.value("状态", json("")));
    v.ok = v.got == v.expected || v.got.rfind(v.expected, 0) == 0;
    return v;
  }
  if (key == "奖项") {
    v.got = text(row.value("奖项", json("")));
    std::set<std::string> want;
    if (!ex.isList) want = splitNames(v.expected);
    for (const auto &e : ex.elements)
      if (ex.isList && e.literal) want.insert(*e.literal);
    if (ex.isList) {
      v.expected.clear();
      for (const auto &w : want) v.expected += (v.expected.empty() ? "" : "、") + w;
    }
    v.ok = splitNames(v.got) == want;
    return v;
  }
  std::string header = key;
  if (key != "总分" && key != "排名" && key != "级内排名") {
    v.node = findNode(prog, key);
    if (!v.node) return v.unknownItem = true, v;
    header = v.node->path.empty() ? v.node->title : v.node->path + " " + v.node->title;
  }
  v.got = text(row.value(header, json("")));
  v.ok = sameCell(v.got, v.expected);
  return v;
}

// Scores every case of the file as one run (the population) with `c`, and
// checks the expectations of the cases listed in `check`.
void runCases(const std::string &path, const Compiled *c, const std::vector<size_t> &check, const TestArgs &args,
              FileResult &res) {
  bool zh = args.lang == Lang::Zh;
  Capture cap;
  std::ostringstream runDiag;
  std::vector<json> rows = scoreCases(*c, cap, path, runDiag, args.lang);
  for (size_t ci : check) {
    const auto &tc = c->ast->cases[ci];
    ++res.cases;
    std::string where = fmt::format("{}:{}", path, tc.span.line), name = fmt::format("{}“{}”", zh ? "用例" : "case ", tc.name);
    int64_t rowIndex = caseRow(rows, *c, ci);
    if (rowIndex < 0) {
      ++res.failures;
      std::cout << fmt::format("{}: {}：{}\n", where, name, zh ? "该用例的输入被拒绝，未评分" : "its input was rejected; not scored");
      std::cout << runDiag.str();
      continue;
    }
    for (const auto &ex : tc.expected) {
      ++res.checks;
      Verdict v = checkExpectation(*c->program, rows[static_cast<size_t>(rowIndex)], ex);
      if (v.ok) continue;
      ++res.failures;
      if (v.unknownItem) {
        std::cout << fmt::format("{}: {}：{}【{}】\n", where, name, zh ? "找不到评分项" : "no such item ", ex.key);
        continue;
      }
      std::cout << fmt::format("{}: {}：{} {} {}，{} {}\n", where, name, ex.isNodeRef || v.node ? "【" + ex.key + "】" : ex.key,
                               zh ? "期望" : "expected", v.expected, zh ? "实际" : "got", v.got.empty() ? "（空）" : v.got);
      if (v.node) blame(*c->program, cap, rowIndex, ex.key, args.lang);
    }
  }
}

FileResult testFile(const std::string &path, const TestArgs &args, const ReadingChoices &readings) {
  FileResult res;
  int failStatus = 1;
  auto c = compileForRun(path, args.lang, &failStatus, readings);
  if (!c) {
    res.broken = true;
    res.usageError = failStatus == 2 && !readings.empty();
    return res;
  }
  // A case that fixes readings (用例 … 读法 X = 选项) is checked in a run
  // compiled under them; every run scores all the cases, so ranks and other
  // population rules see the same candidates in each.
  std::map<ReadingChoices, std::vector<size_t>> runs;
  for (size_t ci = 0; ci < c->ast->cases.size(); ++ci) {
    ReadingChoices choices = readings;
    for (const auto &cr : c->ast->cases[ci].readings) choices[cr.reading] = cr.option;
    runs[choices].push_back(ci);
  }
  for (const auto &[choices, check] : runs) {
    std::unique_ptr<Compiled> other = choices == readings ? nullptr : compileForRun(path, args.lang, nullptr, choices);
    if (choices != readings && !other) {
      res.notRun += static_cast<int>(check.size());
      continue;
    }
    runCases(path, other ? other.get() : c.get(), check, args, res);
  }
  return res;
}

} // namespace

int runTest(const TestArgs &args) {
  ReadingChoices readings;
  if (!parseReadingArgs(args.readings, args.lang, readings)) return 2;
  FileResult total;
  int brokenFiles = 0;
  bool zh = args.lang == Lang::Zh;
  for (const auto &path : args.rubrics) {
    FileResult r = testFile(path, args, readings);
    total.usageError |= r.usageError;
    total.cases += r.cases;
    total.checks += r.checks;
    total.failures += r.failures;
    total.notRun += r.notRun;
    brokenFiles += r.broken;
    if (r.broken)
      std::cout << (zh ? fmt::format("{}: 细则有错误（见上），未运行用例\n", path)
                       : fmt::format("{}: the rubric has errors (see above); no case was run\n", path));
    else
      std::cout << fmt::format("{}: {} 个用例，{} 项期望，{} 项不符{}\n", path, r.cases, r.checks, r.failures,
                               r.notRun ? fmt::format("，{} 个用例因其读法下细则有错误未运行", r.notRun) : "");
  }
  std::string notRun = brokenFiles || total.notRun
                           ? fmt::format(", {} file(s) with errors, {} case(s) not run", brokenFiles, total.notRun)
                           : "";
  std::cout << fmt::format("{} passed, {} failed{}\n", total.checks - total.failures, total.failures, notRun);
  if (total.usageError) return 2;
  return total.failures == 0 && brokenFiles == 0 && total.notRun == 0 ? 0 : 1;
}

} // namespace rubric::driver
