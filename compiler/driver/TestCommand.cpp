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
  std::vector<const int64_t *> cols;
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

// Scores every case of the file as one run (the population) with `c`, and
// checks the expectations of the cases listed in `check`.
void runCases(const std::string &path, const Compiled *c, const std::vector<size_t> &check, const TestArgs &args,
              FileResult &res) {
  const ir::Program &prog = *c->program;
  const auto &cases = c->ast->cases;
  bool zh = args.lang == Lang::Zh;

  // One JSON Lines record per case; parameters gathered into one file.
  std::string dir = std::filesystem::temp_directory_path().string();
  std::string stem = fmt::format("{}/rubricc-test-{}-{}", dir, ::getpid(), std::hash<std::string>{}(path));
  std::string inputPath = stem + ".jsonl", outputPath = stem + ".out.jsonl", paramsPath = stem + ".params.json";
  std::string idName = prog.desc.idField >= 0 ? prog.desc.fields[prog.desc.idField].name : "";
  json params = json::object();
  {
    std::ofstream in(inputPath, std::ios::binary);
    for (const auto &tc : cases) {
      json row = json::object();
      for (const auto &v : tc.inputs) {
        bool isParam = false;
        for (const auto &prm : prog.desc.params) isParam |= prm.name == v.key;
        if (isParam) params[v.key] = caseValueJson(v);
        else row[v.key] = caseValueJson(v);
      }
      if (!idName.empty() && !row.contains(idName)) row[idName] = tc.name;
      fillUnsetInputs(prog.desc, row);
      in << row.dump() << "\n";
    }
  }
  // Parameters a case did not set take their declared defaults.
  // (and, like every unset input of a case, 0 when there is no default).
  for (const auto &prm : c->ast->params)
    if (!params.contains(prm.name)) params[prm.name] = prm.defaultText ? *prm.defaultText : "0";
  if (!prog.desc.params.empty()) std::ofstream(paramsPath, std::ios::binary) << params.dump();

  Capture cap;
  cap.program = &prog;
  std::unique_ptr<jit::KernelJit> jitKernel;
  rb_kernel_fn kernel = capturingKernel(cap); // the oracle; explains what fired
  runtime::RunOptions opts;
  opts.inputs = {inputPath};
  opts.output = outputPath;
  opts.items = true;
  opts.paramsFile = prog.desc.params.empty() ? "" : paramsPath;
  opts.lang = args.lang == Lang::En ? runtime::Lang::En : runtime::Lang::Zh;
  opts.threads = 1;  // the capturing kernel keeps the batches in order, on this thread
  std::ostringstream runDiag;
  runtime::runScoring(prog.desc, kernel, opts, runDiag);

  std::vector<json> rows;
  {
    std::ifstream out(outputPath, std::ios::binary);
    for (std::string line; std::getline(out, line);)
      if (!line.empty()) rows.push_back(json::parse(line, nullptr, false));
  }
  std::filesystem::remove(inputPath);
  std::filesystem::remove(outputPath);
  std::filesystem::remove(paramsPath);

  std::string idKey = runtime::outputHeaders(prog.desc, true).front();
  for (size_t ci : check) {
    const auto &tc = cases[ci];
    ++res.cases;
    std::string where = fmt::format("{}:{}", path, tc.span.line);
    // Find the output row of this case: by id, or by position when there is no id field.
    int64_t rowIndex = -1;
    for (size_t r = 0; r < rows.size(); ++r) {
      if (!rows[r].is_object()) continue;
      std::string id = text(rows[r].value(idKey, json("")));
      if (idName.empty() ? id == std::to_string(ci + 2) || id == std::to_string(ci + 1) : id == (
              [&] {
                for (const auto &v : tc.inputs)
                  if (v.key == idName) return v.literal;
                return tc.name;
              }())) {
        rowIndex = static_cast<int64_t>(r);
        break;
      }
    }
    if (rowIndex < 0) {
      ++res.failures;
      std::cout << fmt::format("{}: {}“{}”：{}\n", where, zh ? "用例" : "case ", tc.name,
                               zh ? "该用例的输入被拒绝，未评分" : "its input was rejected; not scored");
      std::cout << runDiag.str();
      continue;
    }
    const json &row = rows[rowIndex];
    for (const auto &ex : tc.expected) {
      ++res.checks;
      std::string key = ex.key, got, expected = ex.literal;
      bool ok = false;
      const ir::NodeInfo *node = nullptr;
      if (key == "状态") {
        got = text(row.value("状态", json("")));
        ok = got == expected || got.rfind(expected, 0) == 0;
      } else if (key == "奖项") {
        got = text(row.value("奖项", json("")));
        std::set<std::string> want;
        if (ex.isList)
          for (const auto &e : ex.elements) {
            if (e.literal) want.insert(*e.literal);
          }
        else
          want = splitNames(expected);
        if (ex.isList) {
          expected.clear();
          for (const auto &w : want) expected += (expected.empty() ? "" : "、") + w;
        }
        ok = splitNames(got) == want;
      } else {
        std::string header = key;
        if (key != "总分" && key != "排名" && key != "级内排名") {
          node = findNode(prog, key);
          if (!node) {
            ++res.failures;
            std::cout << fmt::format("{}: {}“{}”：{}【{}】\n", where, zh ? "用例" : "case ", tc.name,
                                     zh ? "找不到评分项" : "no such item ", key);
            continue;
          }
          header = node->path.empty() ? node->title : node->path + " " + node->title;
        }
        got = text(row.value(header, json("")));
        ok = sameCell(got, expected);
      }
      if (ok) continue;
      ++res.failures;
      std::cout << fmt::format("{}: {}“{}”：{} {} {}，{} {}\n", where, zh ? "用例" : "case ", tc.name,
                               ex.isNodeRef || node ? "【" + key + "】" : key, zh ? "期望" : "expected", expected,
                               zh ? "实际" : "got", got.empty() ? "（空）" : got);
      if (node) blame(prog, cap, rowIndex, key, args.lang);
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
