// kernel_bench RUBRIC [RECORDS] [PERCENT_STEP] [REPEATS] [LEVELS]: records/s of the interpreter and the JIT
// kernel (O0 and O2) on the same random records of one rubric, in one run;
// for rubrics/2025/banan-individual.rubric also a hand-written C++ scorer of
// the same table, checked to give the same totals. PERCENT_STEP (raw units,
// default 1) rounds the generated boundary percentages down to that step: 100
// gives typical 0.01% data, where products of percentages rarely leave 6
// decimals. Each engine scores the batch REPEATS times (default 3, outputs
// reset in between, not timed) and the fastest run counts, for every engine
// alike: on a shared machine it is the least disturbed one. LEVELS lists the
// JIT optimisation levels to run (default "02"; "2" skips O0). Wall time gives
// the ratios; the same run's thread CPU time is shown beside it, because under
// load a long run (the interpreter's) loses more wall time than a short one.
// Figures go to docs/performance.md (bench/run_benchmarks.sh).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>

#include "interp/Interpreter.h"
#include "ir/FromSema.h"
#include "jit/Jit.h"
#include "RandomRecords.h"

using namespace rubric;
using Clock = std::chrono::steady_clock;

namespace {

struct Timing {
  double wall = 0, cpu = 0;  // seconds
};

double threadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

Timing timeOf(const std::function<void()> &fn) {
  double cpu0 = threadCpuSeconds();
  auto start = Clock::now();
  fn();
  return {std::chrono::duration<double>(Clock::now() - start).count(), threadCpuSeconds() - cpu0};
}

// The fastest of `repeats` runs of `fn`, each after `reset`.
Timing bestOf(int repeats, const std::function<void()> &reset, const std::function<void()> &fn) {
  Timing best;
  for (int i = 0; i < repeats; ++i) {
    reset();
    Timing t = timeOf(fn);
    if (i == 0 || t.wall < best.wall) best = t;
  }
  return best;
}

// A hand-written scorer of 2025 巴南 个人 (附件2), the way a programmer would
// write it for this one table: straight-line int64 arithmetic on the same
// columns, with the same overflow checks, and exact: 25 × (40% × a + 50% × b
// + 10% × c) = 5 × (4a + 5b + c) / 2 in raw units, so the total is kept in
// half raw units. Returns the total × 2 (rb_dec raw × 2).
struct HandScorer {
  int prov, nat, skill, equip, offsite, audit, dossier, crim, detain, hazard, newField, roundsOff, task, found, typical;
  std::vector<int> width;  // per column (是否 and 枚举 are one byte: Kernel.h)
  explicit HandScorer(const runtime::Program &p) {
    std::map<std::string, int> col;
    for (size_t i = 0; i < p.columns.size(); ++i) col[p.columns[i].name] = static_cast<int>(i);
    for (const auto &c : p.columns) width.push_back(c.width);
    prov = col.at("入选省级人才库或师资库");
    nat = col.at("入选国家级师资库");
    skill = col.at("技能比武先进个人");
    equip = col.at("新装备办案");
    offsite = col.at("非现场立案");
    audit = col.at("参加省级以上稽查");
    dossier = col.at("案卷评查得分");
    crim = col.at("刑事移送立案");
    detain = col.at("行政拘留立案");
    hazard = col.at("危废或第三方案件");
    newField = col.at("新领域案件");
    roundsOff = col.at("帮扶轮次[]");
    task = col.at("帮扶轮次[].任务完成");
    found = col.at("帮扶轮次[].发现问题");
    typical = col.at("帮扶轮次[].典型问题");
  }
  static int64_t mul(int64_t a, int64_t b, int32_t *err) { return rb_dec_mul(a, b, err); }
  static int64_t clamp(int64_t v, int64_t hi) { return v < 0 ? 0 : v > hi ? hi : v; }
  void score(const rb_frame *f, int64_t n, int64_t *totals) const {
    auto at = [&](int c, int64_t i) { return rb_column_value(f->cols[c], width[static_cast<size_t>(c)], i); };
    constexpr int64_t P = RB_DEC_ONE;
    for (int64_t r = 0; r < n; ++r) {
      int32_t err = 0;
      int64_t talent = clamp((at(prov, r) ? 3 * P : 0) + (at(nat, r) ? P : 0), 4 * P);
      int64_t s = at(skill, r);
      int64_t skillPts = s == 2 ? 3 * P : s == 1 ? 2 * P : 0;
      int64_t off = mul(at(offsite, r), 3 * P, &err);
      int64_t newTech = clamp(at(equip, r) ? 4 * P : 0, 4 * P) + clamp(off < 6 * P ? off : 6 * P, 6 * P);
      int64_t prof = clamp(talent + skillPts + clamp(newTech, 10 * P) + (at(audit, r) ? 3 * P : 0), 20 * P);
      int64_t quality = clamp(clamp(mul(30 * P, at(dossier, r), &err), 30 * P), 30 * P);
      int64_t key = clamp(mul(at(crim, r), 10 * P, &err) + mul(at(detain, r), 5 * P, &err), 15 * P);
      int64_t field = (at(hazard, r) ? 5 * P : 0) + (at(newField, r) ? 5 * P : 0);
      int64_t cases = clamp(key + clamp(field, 10 * P), 25 * P);
      int64_t b = at(roundsOff, r), e = at(roundsOff, r + 1);
      int64_t best2 = 0;  // twice the best round's points, exact
      for (int64_t j = b; j < e; ++j) {
        int64_t v2 = 5 * (4 * at(task, j) + 5 * at(found, j) + at(typical, j));
        best2 = j == b ? v2 : (v2 > best2 ? v2 : best2);
      }
      int64_t practice2 = clamp(best2, 50 * P);
      totals[r] = err ? 0 : 2 * (prof + quality + cases) + practice2;
    }
  }
};

} // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    std::cerr << "usage: kernel_bench RUBRIC [RECORDS] [PERCENT_STEP] [REPEATS] [LEVELS]\n";
    return 2;
  }
  int64_t n = argc > 2 ? std::stoll(argv[2]) : 1000000;
  DiagnosticEngine diags;
  std::string err;
  auto src = SourceFile::load(argv[1], &err);
  auto program = src ? ir::compileFile(src, diags) : nullptr;
  if (!program) {
    std::cerr << renderDiagnostics(diags.all(), DiagFormat::Text, Lang::Zh);
    return 1;
  }
  testing::RecordGenerator gen(*program, 42);
  gen.percentStep = argc > 3 ? std::max<int64_t>(1, std::stoll(argv[3])) : 1;
  const int repeats = argc > 4 ? std::max(1, std::stoi(argv[4])) : 3;
  const std::string levels = argc > 5 ? argv[5] : "02";
  testing::Batch base = gen.generate(n);
  auto run = [&](rb_kernel_fn kernel, testing::Batch &b) {
    kernel(&b.frame, 0, b.n, 1);
    kernel(&b.frame, 0, b.n, 2);
  };
  printf("rubric: %s, %lld records, %zu assignments, %zu expressions, percentage step %lld raw, best of %d\n",
         argv[1], static_cast<long long>(n), program->assignments.size(), program->exprs.size(),
         static_cast<long long>(gen.percentStep), repeats);
  const size_t slotCount = program->desc.slots.size();

  auto show = [&](const char *label, Timing t) {
    printf("%-28s %10.0f records/s  (%.3f s wall, %.3f s CPU: %.0f records/s)", label, n / t.wall, t.wall, t.cpu,
           n / t.cpu);
  };
  testing::Batch viaInterp = base;
  rb_kernel_fn interp = interp::bindKernel(*program);
  Timing tInterp = bestOf(repeats, [&] { viaInterp.resetOutputs(slotCount); }, [&] { run(interp, viaInterp); });
  show("interpreter", tInterp);
  printf("\n");

  for (int opt : {0, 2}) {
    if (levels.find(static_cast<char>('0' + opt)) == std::string::npos) continue;
    double compileMs = 0;
    auto jit = jit::KernelJit::create(*program, opt);
    if (!jit) {
      std::cerr << llvm::toString(jit.takeError()) << "\n";
      return 1;
    }
    compileMs = (*jit)->compileMillis();
    testing::Batch viaJit = base;
    Timing t = bestOf(repeats, [&] { viaJit.resetOutputs(slotCount); }, [&] { run((*jit)->kernel(), viaJit); });
    bool same = viaJit.slots == viaInterp.slots && viaJit.dens == viaInterp.dens && viaJit.errors == viaInterp.errors;
    char label[64];
    snprintf(label, sizeof label, "JIT O%d (compile %.1f ms)", opt, compileMs);
    show(label, t);
    printf("  %.1fx interpreter (CPU %.1fx)  %s\n", tInterp.wall / t.wall, tInterp.cpu / t.cpu,
           same ? "identical to the interpreter" : "DIFFERS FROM THE INTERPRETER");
    if (!same) return 1;
  }

  if (std::strstr(argv[1], "2025/banan-individual") != nullptr) {
    HandScorer hand(program->desc);
    std::vector<int64_t> totals(static_cast<size_t>(n));
    Timing t = bestOf(repeats, [] {}, [&] { hand.score(&base.frame, n, totals.data()); });
    size_t mismatches = 0;
    const int ts = program->desc.totalSlot;
    for (int64_t r = 0; r < n; ++r) {
      Rational exact{totals[r] % 2 ? totals[r] : totals[r] / 2, totals[r] % 2 ? 2 : 1};
      if (viaInterp.errors[r] == 0 && !(exact == Rational{viaInterp.slots[ts][r], viaInterp.dens[ts][r]})) ++mismatches;
    }
    show("hand-written C++ (O2)", t);
    printf("  %zu total(s) differ from the interpreter\n", mismatches);
  }
  return 0;
}
