// rubricc score / build / explain / test: the commands that run a rubric.
// The kernel comes from the JIT (default) or the interpreter (--interp); the
// runtime around it (records, population pass, awards, output) is the same
// one a generated executable links, so all three give identical bytes.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <fmt/format.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <nlohmann/json.hpp>

#include "codegen/CodeGen.h"
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

runtime::Lang runtimeLang(Lang l) { return l == Lang::En ? runtime::Lang::En : runtime::Lang::Zh; }

// A kernel for the run: JIT-compiled, or the interpreter.
struct KernelHandle {
  std::unique_ptr<jit::KernelJit> jit;
  rb_kernel_fn fn = nullptr;
};

bool makeKernel(const ir::Program &program, bool interp, int optLevel, KernelHandle &out) {
  if (interp) {
    out.fn = interp::bindKernel(program);
    return true;
  }
  auto jit = jit::KernelJit::create(program, optLevel);
  if (!jit) {
    std::cerr << "JIT: " << llvm::toString(jit.takeError()) << "\n";
    return false;
  }
  out.jit = std::move(*jit);
  out.fn = out.jit->kernel();
  return true;
}

std::string tempPath(const std::string &stem, const std::string &ext) {
  static int counter = 0;
  return (std::filesystem::temp_directory_path() /
          fmt::format("rubricc-{}-{}-{}{}", ::getpid(), stem, ++counter, ext))
      .string();
}

} // namespace

int runScore(const ScoreArgs &args) {
  int failStatus = 1;
  ReadingChoices readings;
  if (!parseReadingArgs(args.readings, args.lang, readings)) return 2;
  auto c = compileForRun(args.rubric, args.lang, &failStatus, readings);
  if (!c) return failStatus;
  KernelHandle kernel;
  if (!makeKernel(*c->program, args.interp, args.optLevel, kernel)) return 2;
  if (args.timing && kernel.jit) std::cerr << fmt::format("JIT 编译 {:.1f} ms\n", kernel.jit->compileMillis());
  runtime::RunOptions opts;
  opts.inputs = args.inputs;
  opts.output = args.output;
  opts.paramsFile = args.params;
  opts.items = args.items;
  opts.strict = args.strict;
  opts.encoding = args.encoding;
  opts.sheet = args.sheet;
  opts.lang = runtimeLang(args.lang);
  return runtime::runScoring(c->program->desc, kernel.fn, opts, std::cerr);
}

int runBuild(const BuildArgs &args) {
  int failStatus = 1;
  ReadingChoices readings;
  if (!parseReadingArgs(args.readings, args.lang, readings)) return 2;
  auto c = compileForRun(args.rubric, args.lang, &failStatus, readings);
  if (!c) return failStatus;
  if (args.emit == "ir") { // the scoring IR, as the interpreter and codegen see it
    std::ofstream out(args.output, std::ios::binary);
    out << ir::printProgram(*c->program);
    return out ? 0 : 2;
  }
  codegen::initializeNativeTarget();
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module;
  try {
    module = codegen::generateKernel(*c->program, context);
  } catch (const std::exception &e) {
    std::cerr << "codegen: " << e.what() << "\n";
    return 2;
  }
  codegen::addProgramJson(*module, c->program->desc.toJson());
  codegen::optimize(*module, args.optLevel);
  if (args.emit == "llvm") {
    std::ofstream out(args.output, std::ios::binary);
    out << codegen::emitLlvmText(*module);
    return out ? 0 : 2;
  }
  std::string obj = args.emit == "obj" ? args.output : tempPath("kernel", ".o");
  std::string error;
  if (!codegen::emitObjectFile(*module, obj, &error, args.optLevel)) {
    std::cerr << "无法生成目标文件：" << error << "\n";
    return 2;
  }
  if (args.emit == "obj") return 0;
  // Link with the runtime archives: the result needs neither rubricc nor LLVM.
  std::string cmd = fmt::format("{} {} -o '{}' '{}'", RUBRIC_CXX, RUBRIC_LINK_FLAGS, args.output, obj);
  // The XLSX parts are reached through weak symbols, so they must be linked whole.
  std::stringstream xlsx(RUBRIC_XLSX_ARCHIVES);
  cmd += " -Wl,--whole-archive";
  for (std::string a; std::getline(xlsx, a, '|');) cmd += " '" + a + "'";
  cmd += " -Wl,--no-whole-archive";
  std::stringstream archives(RUBRIC_RUNTIME_ARCHIVES);
  for (std::string a; std::getline(archives, a, '|');) cmd += " '" + a + "'";
  cmd += " -lxlsxwriter -lminizip -lexpat -static-libstdc++ -static-libgcc -lm";
  int rc = std::system(cmd.c_str());
  std::filesystem::remove(obj);
  if (rc != 0) {
    std::cerr << "链接失败：" << cmd << "\n";
    return 2;
  }
  return 0;
}

// ───── explain ─────
namespace {

thread_local Capture *activeCapture = nullptr;

void captureKernel(const rb_frame *frame, int64_t begin, int64_t end, int32_t phase) {
  Capture &cap = *activeCapture;
  interp::runKernel(*cap.program, frame, begin, end, phase);
  if (phase != 2) return;
  const auto &d = cap.program->desc;
  CapturedBatch b;
  b.size = end - begin;
  std::vector<int64_t> length(d.columns.size(), end);
  for (const auto &l : d.lists) {
    length[l.offsetsColumn] = end + 1;
    for (int col : l.elementColumns) length[col] = frame->cols[l.offsetsColumn][end];
  }
  for (size_t col = 0; col < d.columns.size(); ++col)
    b.cols.emplace_back(frame->cols[col], frame->cols[col] + length[col]);
  for (size_t s = 0; s < d.slots.size(); ++s) b.slots.emplace_back(frame->slots[s], frame->slots[s] + end);
  for (size_t s = 0; s < d.slots.size(); ++s) {
    const int64_t *den = frame->dens ? frame->dens[s] : nullptr;
    b.dens.emplace_back(den ? std::vector<int64_t>(den, den + end) : std::vector<int64_t>());
  }
  for (const auto &prm : d.params) {
    size_t need = static_cast<size_t>(prm.column) + 1;
    if (b.params.size() < need) b.params.resize(need);
  }
  for (size_t i = 0; i < b.params.size(); ++i) b.params[i] = frame->params[i];
  b.errors.assign(frame->errors, frame->errors + end);
  if (begin != 0) return; // the runtime always scores whole batches from 0
  cap.batches.push_back(std::move(b));
}

} // namespace

rb_kernel_fn capturingKernel(Capture &capture) {
  activeCapture = &capture;
  return &captureKernel;
}

bool Capture::find(int64_t k, rb_frame &frame, int64_t &record, std::vector<const int64_t *> &cols,
                   std::vector<int64_t *> &slots) {
  for (auto &b : batches) {
    if (k >= b.size) {
      k -= b.size;
      continue;
    }
    cols.clear();
    for (auto &col : b.cols) cols.push_back(col.data());
    slots.clear();
    for (auto &s : b.slots) slots.push_back(s.data());
    if (b.params.empty()) b.params.push_back(0);
    b.denPtrs.clear();
    for (auto &d : b.dens) b.denPtrs.push_back(d.empty() ? nullptr : d.data());
    frame = rb_frame{cols.data(), b.params.data(), slots.data(), b.errors.data(), b.denPtrs.data()};
    record = k;
    return true;
  }
  return false;
}

namespace {

std::vector<nlohmann::json> readJsonLines(const std::string &path) {
  std::vector<nlohmann::json> rows;
  std::ifstream in(path, std::ios::binary);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) rows.push_back(nlohmann::json::parse(line, nullptr, false));
  return rows;
}

std::string cellText(const nlohmann::json &v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  if (v.is_array()) {
    std::string s;
    for (const auto &x : v) s += (s.empty() ? "" : "、") + cellText(x);
    return s;
  }
  return v.dump();
}

} // namespace

int runExplain(const ExplainArgs &args) {
  int failStatus = 1;
  ReadingChoices readings;
  if (!parseReadingArgs(args.readings, args.lang, readings)) return 2;
  auto c = compileForRun(args.rubric, args.lang, &failStatus, readings);
  if (!c) return failStatus;
  Capture cap;
  cap.program = c->program.get();
  rb_kernel_fn kernel = capturingKernel(cap);
  runtime::RunOptions opts;
  opts.inputs = {args.input};
  opts.output = tempPath("explain", ".jsonl");
  opts.paramsFile = args.params;
  opts.items = true;
  opts.encoding = args.encoding;
  opts.sheet = args.sheet;
  opts.lang = runtimeLang(args.lang);
  int rc = runtime::runScoring(c->program->desc, kernel, opts, std::cerr);
  auto rows = readJsonLines(opts.output);
  std::filesystem::remove(opts.output);
  std::string idKey = runtime::outputHeaders(c->program->desc, true).front();
  int64_t index = 0;
  for (const auto &row : rows) {
    if (row.is_object() && row.contains(idKey) && cellText(row[idKey]) == args.id) {
      // Output rows and captured records are both in input order.
      rb_frame frame{};
      int64_t k = 0;
      std::vector<const int64_t *> cols;
      std::vector<int64_t *> slots;
      if (cap.find(index, frame, k, cols, slots)) {
        std::string status = cellText(row.value("状态", nlohmann::json("")));
        std::cout << report::renderExplanation(*c->program, &frame, k, args.id, status);
        for (const char *key : {"排名", "级内排名", "奖项", "校验"})
          if (row.contains(key) && !cellText(row[key]).empty()) std::cout << key << "：" << cellText(row[key]) << "\n";
        return 0;
      }
    }
    ++index;
  }
  std::cerr << (args.lang == Lang::Zh ? "找不到编号为“" + args.id + "”的候选对象（或该行被拒绝）\n"
                                      : "no scored candidate with id '" + args.id + "'\n");
  return rc == 0 ? 1 : rc;
}

} // namespace rubric::driver
