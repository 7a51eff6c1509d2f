#include "runtime/scoring/ImportRun.h"

#include <unistd.h>

#include <filesystem>

#include "runtime/scoring/Output.h"
#include "runtime/scoring/Stages.h"

namespace rubric::runtime {

namespace {

constexpr int64_t kDecOne = 1000000;  // rb_dec raw of 1

// The imported program's parameters, taken by name from the importing run's
// (the importing program declares every one of them, so --params gives them).
std::vector<int64_t> paramsByName(const RunContext &ctx, const Program &imported) {
  std::vector<int64_t> out(imported.params.size(), 0);
  for (const auto &f : imported.params)
    for (const auto &mine : ctx.p.params)
      if (mine.name == f.name) out[static_cast<size_t>(f.column)] = ctx.params[static_cast<size_t>(mine.column)];
  return out;
}

// The identifier of record r, as the imported run's output shows it.
std::string idOf(const Program &p, const Batch &b, int64_t r) {
  if (p.idField < 0) return "";
  const FieldDesc &f = p.fields[static_cast<size_t>(p.idField)];
  auto c = static_cast<size_t>(f.column), ru = static_cast<size_t>(r);
  if (f.kind != ValueKind::Text) {
    char buf[64];
    return std::string(buf, decText(b.cols[c][ru], buf));
  }
  int64_t t = b.cols[c][ru];
  return t >= 0 && static_cast<size_t>(t) < b.text[c].size() ? b.text[c][static_cast<size_t>(t)] : "";
}

// One scored row of the imported run → its values in the table (false: a
// denominator too large to be an rb_dec, said).
bool collectRow(const ImportedScheme &im, const Batch &b, int64_t r, ImportTable &t, RunContext &ctx) {
  const Program &p = im.program.front();
  std::vector<int64_t> values;
  for (const auto &res : im.results) {
    Rational v = b.value(res.slot, r);
    values.push_back(v.num);
    if (res.denColumn < 0) continue;
    // v is reduced with v.den > 0 (a rational slot, Kernel.h). Generated code loads a denominator
    // of 1 as {num, 1} and takes any other through rb_rat_div's definition (CodeGen's
    // loadImportedFraction), so it never relies on this; the interpreter divides.
    if (v.den > INT64_MAX / kDecOne) {
      ctx.say((ctx.zh ? "错误: 被引用方案" + quote(ctx.o.lang, im.alias) + "的" + res.name + "是分母过大的分数，无法传给本方案"
                      : "error: " + res.name + " of the imported scheme " + quote(ctx.o.lang, im.alias) +
                            " is a fraction with too large a denominator to pass on"));
      return false;
    }
    values.push_back(v.den * kDecOne);
  }
  bool disqualified = false;
  for (size_t s = 0; s < p.slots.size(); ++s)
    if (p.slots[s].kind == SlotKind::VetoFlag && b.slots[s][static_cast<size_t>(r)] != 0) disqualified = true;
  values.push_back(disqualified ? 1 : 0);
  t.byId.emplace(std::string(trimCell(idOf(p, b, r))), std::move(values));
  return true;
}

// Where the imported run writes its (unused) output; removed after it.
std::string tempOutput() {
  static int counter = 0;
  auto name = "rubricc-import-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + ".csv";
  return (std::filesystem::temp_directory_path() / name).string();
}

// Every index of the import's description in range (a bad description fails here, not in the loader).
bool importValid(const Program &p, const ImportedScheme &im) {
  auto column = [&](int c) { return c >= 0 && static_cast<size_t>(c) < p.columns.size(); };
  if (im.program.size() != 1 || !column(im.matchColumn) || !column(im.disqualifiedColumn)) return false;
  if (p.columns[static_cast<size_t>(im.matchColumn)].kind != ValueKind::Text) return false;
  const Program &sub = im.program.front();
  for (const auto &r : im.results) {
    bool slotOk = r.slot >= 0 && static_cast<size_t>(r.slot) < sub.slots.size();
    if (!slotOk || !column(r.column) || (r.denColumn >= 0 && !column(r.denColumn))) return false;
    if (sub.slots[static_cast<size_t>(r.slot)].rational != (r.denColumn >= 0)) return false;
  }
  return true;
}

// The file --with gives for `alias`, or "".
std::string withFile(const RunContext &ctx, const std::string &alias) {
  for (const auto &[scheme, file] : ctx.o.with)
    if (scheme == alias) return file;
  return "";
}

// Scores import i over its file into `t`. False (said) when it cannot be scored whole.
bool scoreImport(RunContext &ctx, size_t i, ImportTable &t) {
  const ImportedScheme &im = ctx.p.imports[i];
  Lang l = ctx.o.lang;
  if (i >= ctx.o.importKernels.size() || !ctx.o.importKernels[i] || !importValid(ctx.p, im)) {
    ctx.say(ctx.zh ? "错误: 程序描述无效：被引用方案" + quote(l, im.alias) + "的评分程序缺少或不完整"
                   : "error: invalid program description: the imported scheme " + quote(l, im.alias) +
                         " has no kernel or a bad description");
    return false;
  }
  ctx.say(ctx.zh ? "被引用方案" + quote(l, im.alias) + "（全体另给）：按 " + t.file + " 的全部记录评分"
                 : "imported scheme " + quote(l, im.alias) + " (whole population): scored over every record of " + t.file);
  RunOptions sub;
  sub.inputs = {t.file};
  sub.output = tempOutput();
  sub.lang = l;
  sub.encoding = ctx.o.encoding;
  sub.sheet = ctx.o.sheet;
  sub.batchSize = ctx.o.batchSize;
  sub.threads = 1;  // the collector below runs on the calling thread
  std::vector<int64_t> params = paramsByName(ctx, im.program.front());
  sub.givenParams = &params;
  bool collected = true;
  sub.onScoredRow = [&](const Batch &b, int64_t r) { collected = collectRow(im, b, r, t, ctx) && collected; };
  RunStats stats;
  int rc = runScoring(im.program.front(), ctx.o.importKernels[i], sub, ctx.diag, &stats);
  std::error_code ec;
  std::filesystem::remove(sub.output, ec);
  std::filesystem::remove(sub.output + ".rejected.csv", ec);
  if (rc == kExitFatal || stats.rowsRejected > 0 || !collected) {
    ctx.say(ctx.zh ? "错误: 被引用方案" + quote(l, im.alias) + "的记录 " + t.file +
                         " 未能全部评分（见上）；它的排名等全体规则须在全部记录上计算，本次不评分。请改正该文件后重新运行"
                   : "error: the records of the imported scheme " + quote(l, im.alias) + ", " + t.file +
                         ", could not all be scored (see above); its ranks and other population rules need every "
                         "record, so nothing is scored. Correct that file and run again");
    return false;
  }
  return true;
}

} // namespace

const std::vector<int64_t> *ImportTable::find(std::string_view id) const {
  auto it = byId.find(std::string(trimCell(id)));
  return it == byId.end() ? nullptr : &it->second;
}

bool runWholePopulationImports(RunContext &ctx) {
  if (ctx.o.importResultsInRecords) return true;
  Lang l = ctx.o.lang;
  for (size_t i = 0; i < ctx.p.imports.size(); ++i) {
    const ImportedScheme &im = ctx.p.imports[i];
    ImportTable t;
    t.alias = im.alias;
    t.file = withFile(ctx, im.alias);
    t.matchColumn = im.matchColumn;
    if (t.file.empty()) {
      ctx.say(ctx.zh ? "错误: 细则引用" + quote(l, im.alias) + "时写了“全体另给”：请用 --with " + im.alias +
                           "=文件 给出它的全部候选记录（它的排名等全体规则在这些记录上计算）"
                     : "error: the rubric imports " + quote(l, im.alias) + " with 全体另给 (whole population): add --with " +
                           im.alias + "=FILE giving all of its candidates' records (its ranks and other population rules are computed over them)");
      return false;
    }
    for (const auto &res : im.results) {
      t.columns.push_back(res.column);
      if (res.denColumn >= 0) t.columns.push_back(res.denColumn);
    }
    t.columns.push_back(im.disqualifiedColumn);
    if (!scoreImport(ctx, i, t)) return false;
    ctx.imports.push_back(std::move(t));
  }
  return true;
}

std::string unmatchedImportText(const ImportTable &t, std::string_view id, const std::string &header, bool zh) {
  std::string shown(trimCell(id));
  if (zh)
    return "列“" + header + "”：“" + shown + "”不是被引用方案“" + t.alias + "”的候选对象（" + t.file +
           " 中没有这个标识）；请核对名称，或在 " + t.file + " 中补上它的记录";
  return "column \"" + header + "\": \"" + shown + "\" is not a candidate of the imported scheme \"" + t.alias +
         "\" (no such identifier in " + t.file + "); check the name, or add its record to " + t.file;
}

} // namespace rubric::runtime
