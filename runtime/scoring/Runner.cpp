// The scoring run (Runner.h): checks the program and the options, then drives
// the stages of Stages.h — read, score, population, output — and says how it went.
#include "runtime/scoring/Runner.h"

#include <algorithm>

#include "runtime/scoring/GroupCounts.h"
#include "runtime/scoring/Stages.h"

namespace rubric::runtime {

namespace {

bool inRange(int v, size_t n) { return v >= 0 && static_cast<size_t>(v) < n; }

// Checks every index in the program, so a bad description fails here and not in the kernel.
bool checkProgram(const Program &p, std::string &why) {
  size_t nc = p.columns.size(), ns = p.slots.size();
  for (const auto &l : p.lists) {
    if (!inRange(l.offsetsColumn, nc)) return why = "list " + l.name + ": offsets column", false;
    for (int c : l.elementColumns)
      if (!inRange(c, nc)) return why = "list " + l.name + ": element column", false;
  }
  for (const auto &c : p.columns)
    if (c.listId >= 0 && !inRange(c.listId, p.lists.size())) return why = "column " + c.name + ": list", false;
  for (const auto &f : p.fields) {
    if (f.isList) {
      if (f.listId >= 0 && !inRange(f.listId, p.lists.size())) return why = "field " + f.name + ": list", false;
    } else if (f.column >= 0 && !inRange(f.column + (f.isMonthly ? 11 : 0), nc)) {
      return why = "field " + f.name + ": column", false;
    }
  }
  if (p.idField >= 0 && !inRange(p.idField, p.fields.size())) return why = "idField", false;
  if (p.levelColumn >= 0 && !inRange(p.levelColumn, nc)) return why = "levelColumn", false;
  if (p.totalSlot >= 0 && !inRange(p.totalSlot, ns)) return why = "totalSlot", false;
  for (const auto &s : p.population) {
    if (!inRange(s.outSlot, ns)) return why = "population step: slot", false;
    if ((s.argColumn >= 0) == (s.argSlot >= 0)) return why = "population step: argument (a slot or a column)", false;
    if (s.argSlot >= 0 && !inRange(s.argSlot, ns)) return why = "population step: slot", false;
    if (s.argColumn >= 0 && (!inRange(s.argColumn, nc) || p.columns[static_cast<size_t>(s.argColumn)].listId >= 0))
      return why = "population step: argument column", false;
    if (s.levelColumn >= 0 && !inRange(s.levelColumn, nc)) return why = "population step: level column", false;
  }
  for (const auto &a : p.awards) {
    if (a.condSlot >= 0 && !inRange(a.condSlot, ns)) return why = "award " + a.name + ": condSlot", false;
    if (a.rankSlot >= 0 && !inRange(a.rankSlot, ns)) return why = "award " + a.name + ": rankSlot", false;
    for (const auto &k : a.tieKeys)
      if (!inRange(k.slot, ns)) return why = "award " + a.name + ": tie key slot", false;
  }
  for (const auto &v : p.validations) {
    if (v.groupColumn >= 0 && !inRange(v.groupColumn, nc)) return why = "check " + v.message + ": group column", false;
    if (v.groupCondSlot >= 0 && !inRange(v.groupCondSlot, ns)) return why = "check " + v.message + ": group slot", false;
  }
  for (const auto &s : p.slots)
    if (s.kind == SlotKind::NodeState && !inRange(s.node, ns)) return why = "node state " + s.name + ": node", false;
  for (const auto &f : p.params)
    if (f.column < 0) return why = "param " + f.name + ": column", false;
  return true;
}

std::string summaryLine(const RunStats &stats, bool zh) {
  std::string summary = zh ? "读取 " + std::to_string(stats.rowsRead) + " 行，评分 " +
                                 std::to_string(stats.rowsScored) + " 行，拒绝 " +
                                 std::to_string(stats.rowsRejected) + " 行"
                           : "read " + std::to_string(stats.rowsRead) + " rows, scored " +
                                 std::to_string(stats.rowsScored) + " rows, rejected " +
                                 std::to_string(stats.rowsRejected) + " rows";
  if (stats.validationErrors > 0)
    summary += zh ? "，校验错误 " + std::to_string(stats.validationErrors) + " 处"
                  : ", " + std::to_string(stats.validationErrors) + " validation errors";
  return summary;
}

// Blank cells of required fields are read as "nothing to claim" (0, 否, 0%,
// the lowest enumeration value, empty text): said once, with the first place.
std::string brokenCellsWarning(const RunStats &stats, bool zh) {
  std::string most = stats.mostBroken.empty() ? "" : (zh ? "；换行最多的一格在 " : "; the most at ") + stats.mostBroken;
  return zh ? "警告: " + std::to_string(stats.brokenCells) + " 个已评分的行有单元格跨行（引号内有换行），第一处在 " +
                  stats.firstBroken + most
            : "warning: " + std::to_string(stats.brokenCells) +
                  " scored rows have a cell spanning lines (line breaks inside quotes), the first at " + stats.firstBroken + most;
}

std::string blankCellsNote(const RunStats &stats, bool zh) {
  return zh ? "注意: 必填字段有 " + std::to_string(stats.blankCells) + " 个空格子，已按“没有可申报的”计（0、否、0%、枚举的第一个值、空文本），第一处在 " +
                  stats.firstBlank + "；如空格子另有含义，请填写，或给字段写“缺省”"
            : "note: " + std::to_string(stats.blankCells) + " blank cells of required fields were read as nothing to claim " +
                  "(0, no, 0%, the first enumeration value, empty text), the first at " + stats.firstBlank +
                  "; fill them in, or give the field a 缺省 if a blank means something else";
}

class Run {
 public:
  Run(const Program &p, rb_kernel_fn kernel, const RunOptions &o, std::ostream &diag) : ctx_(p, o, diag), kernel_(kernel) {}

  int run();
  const RunStats &stats() const { return ctx_.stats; }

 private:
  bool setUp(OutputFormat &format);
  bool readAndScore(const SlotRoles &roles, ResultOutput &out, OutputFormat format);
  int finish(ResultOutput &out);

  RunContext ctx_;
  rb_kernel_fn kernel_;
};

int Run::run() {
  OutputFormat format;
  if (!setUp(format)) return kExitFatal;
  SlotRoles roles(ctx_.p, ctx_.o.items);
  ResultOutput out(ctx_, roles);
  if (!out.open()) return kExitFatal;
  if (!readAndScore(roles, out, format)) return kExitFatal;
  return finish(out);
}

// The program, the output's format and the parameters; false (said) when any is wrong.
bool Run::setUp(OutputFormat &format) {
  std::string why;
  bool zh = ctx_.zh;
  if (!checkProgram(ctx_.p, why) || !kernel_) {
    if (!kernel_) why = "no kernel";
    ctx_.say(zh ? "错误: 程序描述无效：" + why : "error: invalid program description: " + why);
    return false;
  }
  const std::string &output = ctx_.o.output;
  if (!outputFormatForPath(output, format)) {
    ctx_.say(zh ? output + ": 错误: 无法识别的输出格式（支持 .csv、.jsonl、.xlsx）"
                : output + ": error: unknown output format (supported: .csv, .jsonl, .xlsx)");
    return false;
  }
  if (ctx_.o.givenParams) ctx_.params = *ctx_.o.givenParams;  // an imported scheme's own run (ImportRun.cpp)
  else if (!loadParams(ctx_.p, ctx_.o.paramsFile, ctx_.o.lang, ctx_.params, ctx_.diag)) return false;
  return loadOtherSchemes(ctx_) && runWholePopulationImports(ctx_);
}

// Read → score → (population) → the output's spill file. False: an input
// file is unusable, or the output cannot be started (said; exit 2).
bool Run::readAndScore(const SlotRoles &roles, ResultOutput &out, OutputFormat format) {
  bool popMode = needsPopulationPass(ctx_.p);
  ctx_.stats.populationMode = popMode;
  BatchScorer scorer(ctx_, kernel_, popMode, out);
  RecordInput input(ctx_, out, scorer);
  if (!out.start(format)) return false;
  for (size_t i = 0; i < ctx_.o.inputs.size() && !ctx_.stop; ++i)
    if (!input.read(static_cast<int32_t>(i))) {
      out.abandon();
      return false;
    }
  if (!input.finish()) {
    out.abandon();
    return false;
  }
  scorer.flush();
  if (!scorer.release(input.dropped())) {
    out.abandon();
    return false;
  }
  if (!popMode) return true;
  runPopulationPass(ctx_, roles, scorer.kept());
  if (!scorer.finishPhase2()) {
    out.abandon();
    return false;
  }
  checkGroupCounts(ctx_, scorer.kept());
  std::vector<AwardMarks> winners = pickQuotaAwards(ctx_, roles, scorer.kept());
  if (!scorer.output(winners)) {
    out.abandon();
    return false;
  }
  return true;
}

// Writes the output unless --strict blocks it, then the summary line.
int Run::finish(ResultOutput &out) {
  RunStats &stats = ctx_.stats;
  bool blocked = ctx_.o.strict && (stats.rowsRejected > 0 || stats.validationErrors > 0);
  bool wrote = false;
  if (!blocked) {
    wrote = out.write();
    if (!wrote) {
      out.abandon();
      return kExitFatal;
    }
  } else {
    out.abandon();
  }
  stats.outputWritten = wrote;
  if (wrote) out.writeRejected();  // the messages above already name every rejected row
  ctx_.say(summaryLine(stats, ctx_.zh));
  if (stats.blankCells > 0) ctx_.say(blankCellsNote(stats, ctx_.zh));
  if (stats.brokenCells > 0) ctx_.say(brokenCellsWarning(stats, ctx_.zh));
  if (blocked)
    ctx_.say(ctx_.zh ? "严格模式（--strict）：有错误，未写出结果" : "strict mode (--strict): there were errors; no output written");
  return stats.rowsRejected > 0 || stats.validationErrors > 0 ? kExitRejected : kExitOk;
}

} // namespace

SlotRoles::SlotRoles(const Program &p, bool items) : stateSlotOf(p.slots.size(), -1), totalSlot(p.totalSlot) {
  for (size_t s = 0; s < p.slots.size(); ++s) {
    const SlotDesc &d = p.slots[s];
    if (d.kind == SlotKind::VetoFlag) vetoSlots.push_back(static_cast<int>(s));
    if (d.kind == SlotKind::CheckFlag) checkSlots.push_back(static_cast<int>(s));
    if (d.kind == SlotKind::Node && (items ? d.depth >= 0 : d.depth == 0)) nodeSlots.push_back(static_cast<int>(s));
    if (d.kind == SlotKind::NodeState) stateSlotOf[static_cast<size_t>(d.node)] = static_cast<int>(s);
  }
}

bool SlotRoles::vetoed(const Batch &b, int64_t r) const {
  for (int s : vetoSlots)
    if (b.slots[static_cast<size_t>(s)][static_cast<size_t>(r)] != 0) return true;
  return false;
}

std::optional<RowOrder> parseRowOrder(std::string_view s) {
  if (s == "排名" || s == "rank") return RowOrder::Rank;
  if (s == "输入" || s == "input") return RowOrder::Input;
  return std::nullopt;
}

bool needsPopulationPass(const Program &p) {
  if (!p.population.empty() || hasGroupCounts(p)) return true;
  for (const auto &a : p.awards)
    if (a.quota >= 0) return true;
  return false;
}

std::vector<std::string> outputHeaders(const Program &p, bool items) {
  std::vector<std::string> h;
  h.push_back(p.idField >= 0 && static_cast<size_t>(p.idField) < p.fields.size()
                  ? p.fields[static_cast<size_t>(p.idField)].name
                  : "行号");
  h.push_back("状态");
  h.push_back("总分");
  for (const auto &s : p.slots)
    if (s.kind == SlotKind::Node && (items ? s.depth >= 0 : s.depth == 0))
      h.push_back(s.path.empty() ? s.name : s.path + " " + s.name);
  h.push_back("排名");
  if (!p.levels.empty() && p.levelColumn >= 0) h.push_back("级内排名");
  if (!p.awards.empty()) h.push_back("奖项");
  if (hasChecksColumn(p)) h.push_back("校验");
  return h;
}

bool checksAcrossRecords(const Program &p) {
  return std::any_of(p.validations.begin(), p.validations.end(), [](const ValidationDesc &v) { return v.groupColumn < 0; });
}

bool hasChecksColumn(const Program &p) {
  return checksAcrossRecords(p) ||
         std::any_of(p.slots.begin(), p.slots.end(), [](const SlotDesc &s) { return s.kind == SlotKind::CheckFlag; });
}

int runScoring(const Program &program, rb_kernel_fn kernel, const RunOptions &options, std::ostream &diagnostics,
               RunStats *stats) {
  Run run(program, kernel, options, diagnostics);
  int rc = run.run();
  if (stats) *stats = run.stats();
  return rc;
}

int runScoring(const Program &program, rb_kernel_fn kernel, const RunOptions &options, std::ostream &diagnostics) {
  return runScoring(program, kernel, options, diagnostics, nullptr);
}

} // namespace rubric::runtime
