// JIT compile time and kernel speed on a synthetic rubric-like program.
//   codegen_bench [assignments=300] [records=100000]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <time.h>

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include "CodegenTestUtil.h"
#include "codegen/CodeGen.h"
#include "interp/Interpreter.h"

using namespace rubric::codegen_test;
using Clock = std::chrono::steady_clock;

namespace {

// CPU time of this thread (the JIT compiles on the calling thread), robust
// against other load on the machine.
double threadCpuMs() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

double ms(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

struct Synthetic {
  ProgramBuilder b;
  std::vector<int> cols;
  int list = -1, ex = -1, ey = -1;
};

// Leaves (one per rule) of kinds seen in real rubrics, grouped ten to a parent
// node (capped sum), parents summed into a total; a few phase-2 rules.
Synthetic makeProgram(int assignments) {
  Synthetic s;
  ProgramBuilder &b = s.b;
  for (int i = 0; i < 40; ++i) s.cols.push_back(b.column());
  s.list = b.list("rounds");
  s.ex = b.elementColumn(s.list, "done");
  s.ey = b.elementColumn(s.list, "score");
  int weight = b.param("weight");
  int pop = b.slot(2, "rank");
  std::vector<int> children, parents;
  int made = 0;
  for (int i = 0; made < assignments - 3; ++i) {
    ExprId c = b.col(s.cols[i % 40]);
    ExprId v;
    switch (i % 20) {
      case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7:
        v = b.select(b.cmp(CmpKind::Ge, c, b.dec("60")), b.dec("2.5"), b.k(0));
        break;
      case 8: case 9: case 10: case 11: case 12: case 13:
        v = b.bin(Op::Min, b.bin(Op::Mul, c, b.par(weight)), b.dec("5"));
        break;
      case 14: case 15: case 16:
        v = b.un(Op::Round, b.bin(Op::Div, b.bin(Op::Add, c, b.col(s.cols[(i + 7) % 40])), b.dec("2")), 1);
        break;
      case 17: case 18:
        v = b.agg(i % 2 ? AggKind::Sum : AggKind::Average, s.list,
                  b.select(b.cmp(CmpKind::Ne, b.elem(s.ex), b.k(0)), b.elem(s.ey), b.k(0)));
        break;
      default:
        v = b.bin(Op::Max, b.bin(Op::Sub, b.dec("3"), b.bin(Op::Mul, c, b.dec("0.05"))), b.k(0));
        break;
    }
    children.push_back(b.output(v));
    ++made;
    if (children.size() == 10) {
      ExprId sum = b.slotRef(children[0]);
      for (size_t k = 1; k < children.size(); ++k) sum = b.bin(Op::Add, sum, b.slotRef(children[k]));
      parents.push_back(b.output(b.bin(Op::Min, sum, b.dec("20"))));
      ++made;
      children.clear();
    }
  }
  ExprId total = b.k(0);
  for (int p : parents) total = b.bin(Op::Add, total, b.slotRef(p));
  int totalSlot = b.output(total);
  b.output(b.cmp(CmpKind::Le, b.slotRef(pop), b.dec("10")), 2);
  b.output(b.select(b.cmp(CmpKind::Ge, b.slotRef(totalSlot), b.dec("60")), b.dec("1"), b.k(0)), 2);
  return s;
}

} // namespace

int main(int argc, char **argv) {
  int assignments = argc > 1 ? std::atoi(argv[1]) : 300;
  int64_t records = argc > 2 ? std::atoll(argv[2]) : 100000;
  Synthetic syn = makeProgram(assignments);
  auto &p = syn.b.p;
  rubric::ir::markRationalSlots(p);  // before generateKernel below (compile() does it too)
  std::printf("program: %zu assignments, %zu expressions, %zu slots\n", p.assignments.size(), p.exprs.size(),
              p.desc.slots.size());

  if (const char *dump = std::getenv("RUBRIC_BENCH_DUMP")) {  // unoptimised IR, for opt/llc -time-passes
    llvm::LLVMContext ctx;
    auto m = rubric::codegen::generateKernel(p, ctx);
    FILE *out = std::fopen(dump, "w");
    std::string text = rubric::codegen::emitLlvmText(*m);
    std::fwrite(text.data(), 1, text.size(), out);
    std::fclose(out);
    return 0;
  }
  // Warm up LLVM (target registration, first LLJIT).
  compile(p, 0);

  std::printf("\nJIT compile (KernelJit::create), 7 runs each, milliseconds:\n");
  std::printf("%-16s %8s %8s %8s %10s %12s %10s\n", "config", "min", "median", "max", "IR+opt", "machinecode",
              "cpu(min)");
  for (bool inl : {true, false})
    for (int opt : {0, 1, 2, 3}) {
      std::vector<double> t, irt, mct, cpu;
      for (int i = 0; i < 7; ++i) {
        rubric::codegen::CodeGenOptions o;
        o.inlineDecimal = inl;
        double c0 = threadCpuMs();
        auto j = compile(p, opt, o);
        cpu.push_back(threadCpuMs() - c0);
        t.push_back(j->compileMillis());
        irt.push_back(j->irMillis());
        mct.push_back(j->machineCodeMillis());
      }
      std::sort(t.begin(), t.end());
      std::sort(irt.begin(), irt.end());
      std::sort(mct.begin(), mct.end());
      std::sort(cpu.begin(), cpu.end());
      std::printf("O%d %-13s %8.1f %8.1f %8.1f %10.1f %12.1f %10.1f\n", opt, inl ? "inline" : "calls", t.front(),
                  t[3], t.back(), irt[3], mct[3], cpu.front());
    }

  std::printf("\nchunking (assignments per function; 0 = one function per phase), thread CPU ms of 5 runs:\n");
  for (int per : {0, 8, 16, 32, 64})
    for (int opt : {0, 2}) {
      std::vector<double> t;
      for (int i = 0; i < 5; ++i) {
        rubric::codegen::CodeGenOptions o;
        o.assignmentsPerFunction = per;
        double c0 = threadCpuMs();
        compile(p, opt, o);
        t.push_back(threadCpuMs() - c0);
      }
      std::sort(t.begin(), t.end());
      std::printf("  per=%-3d O%d  cpu min %8.1f  median %8.1f\n", per, opt, t[0], t[2]);
    }

  {
    auto t0 = Clock::now();
    llvm::LLVMContext ctx;
    auto m = rubric::codegen::generateKernel(p, ctx);
    auto t1 = Clock::now();
    rubric::codegen::optimize(*m, 2);
    auto t2 = Clock::now();
    std::string err;
    rubric::codegen::emitObjectFile(*m, "/tmp/rubric_bench_kernel.o", &err);
    auto t3 = Clock::now();
    std::printf("\nAOT: generate %.1f ms, optimize O2 %.1f ms, emit object %.1f ms\n", ms(t0, t1), ms(t1, t2),
                ms(t2, t3));
    std::remove("/tmp/rubric_bench_kernel.o");
  }

  // Kernel speed: phase 1 over `records` records.
  Frame f(p, records);
  std::mt19937_64 rng(7);
  for (int c : syn.cols)
    for (auto &v : f.cols[c]) v = static_cast<int64_t>(rng() % 101) * 1000000;
  std::vector<std::vector<std::vector<int64_t>>> els(static_cast<size_t>(records));
  for (auto &rec : els) {
    int n = static_cast<int>(rng() % 5);
    for (int i = 0; i < n; ++i) rec.push_back({static_cast<int64_t>(rng() % 2), static_cast<int64_t>(rng() % 11) * 500000});
  }
  f.setList(p, syn.list, {syn.ex, syn.ey}, els);
  f.params[0] = 50000;

  std::printf("\nphase-1 kernel over %lld records (best of 3):\n", static_cast<long long>(records));
  Frame ref = f;
  double best = 1e30;
  for (int i = 0; i < 3; ++i) {
    auto t0 = Clock::now();
    rubric::interp::runKernel(p, ref.bind(), 0, records, 1);
    best = std::min(best, ms(t0, Clock::now()));
  }
  std::printf("  interpreter        %9.1f ms  %8.1f ns/record\n", best, best * 1e6 / records);
  for (int per : {0, 16})
    for (bool inl : {true, false})
      for (int opt : {0, 2}) {
        rubric::codegen::CodeGenOptions o;
        o.inlineDecimal = inl;
        o.assignmentsPerFunction = per;
        auto j = compile(p, opt, o);
        Frame g = f;
        double b = 1e30, bb = 1e30;
        for (int i = 0; i < 3; ++i) {
          auto t0 = Clock::now();
          g.run(j->kernel(), 1);
          b = std::min(b, ms(t0, Clock::now()));
        }
        for (int i = 0; i < 3; ++i) {  // in batches of 1024 records
          auto t0 = Clock::now();
          for (int64_t at = 0; at < records; at += 1024) g.run(j->kernel(), 1, at, std::min(records, at + 1024));
          bb = std::min(bb, ms(t0, Clock::now()));
        }
        bool same = g.slots == ref.slots && g.errors == ref.errors;
        std::printf("  JIT O%d %-7s per=%-3d %8.1f ms  %7.1f ns/record; batches of 1024: %7.1f ns/record %s\n", opt,
                    inl ? "inline" : "calls", per, b, b * 1e6 / records, bb * 1e6 / records,
                    same ? "(= interpreter)" : "(MISMATCH)");
      }
  return 0;
}
