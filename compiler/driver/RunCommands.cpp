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
#include <set>
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
#include "runtime/scoring/Columns.h"
#include "runtime/scoring/CrossCheck.h"
#include "runtime/scoring/Runner.h"
#include "support/Suggest.h"

namespace rubric::driver {
namespace {

runtime::Lang runtimeLang(Lang l) { return l == Lang::En ? runtime::Lang::En : runtime::Lang::Zh; }

// A kernel for the run: JIT-compiled, or the interpreter; and one for each
// whole-population import (引用 … 全体另给), scored first over its --with file.
struct KernelHandle {
  std::unique_ptr<jit::KernelJit> jit;
  rb_kernel_fn fn = nullptr;
  std::vector<std::unique_ptr<jit::KernelJit>> importJits;
  std::vector<rb_kernel_fn> importFns;
};

std::unique_ptr<jit::KernelJit> jitKernel(const ir::Program &program, int optLevel) {
  auto jit = jit::KernelJit::create(program, optLevel);
  if (!jit) {
    std::cerr << "JIT: " << llvm::toString(jit.takeError()) << "\n";
    return nullptr;
  }
  return std::move(*jit);
}

bool makeKernel(const ir::Program &program, bool interp, int optLevel, KernelHandle &out) {
  if (interp) {
    out.fn = interp::bindKernel(program);
    out.importFns = interp::bindImportKernels(program);
    return true;
  }
  out.jit = jitKernel(program, optLevel);
  if (!out.jit) return false;
  out.fn = out.jit->kernel();
  for (const auto &im : program.imports) {
    out.importJits.push_back(jitKernel(*im.program, optLevel));
    if (!out.importJits.back()) return false;
    out.importFns.push_back(out.importJits.back()->kernel());
  }
  return true;
}

// The --reading NAME=OPTION arguments parsed, then the rubric compiled under
// them. Null with the exit status in `status` (2: a bad --reading or an
// unreadable file; 1: the rubric has errors).
std::unique_ptr<Compiled> compileWithReadings(const std::string &rubric, const std::vector<std::string> &readingArgs,
                                              Lang lang, int &status) {
  ReadingChoices readings;
  status = 2;
  if (!parseReadingArgs(readingArgs, lang, readings)) return nullptr;
  status = 1;
  return compileForRun(rubric, lang, &status, readings);
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
  auto c = compileWithReadings(args.rubric, args.readings, args.lang, failStatus);
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
  opts.order = runtime::parseRowOrder(args.sort).value_or(runtime::RowOrder::Default);
  opts.lang = runtimeLang(args.lang);
  // The interpreter is bound to the thread that called bindKernel: it scores on that one.
  opts.threads = args.interp ? 1 : args.threads;
  if (!runtime::addWithOptions(args.with, opts, std::cerr)) return 2;
  opts.importKernels = kernel.importFns;
  return runtime::runScoring(c->program->desc, kernel.fn, opts, std::cerr);
}

namespace {
// The kernel of each whole-population import, each in an object of its own
// (rubric_import_kernel_N), and their table in the main module.
bool buildImportKernels(const ir::Program &program, llvm::Module &mainModule, int optLevel,
                        std::vector<std::string> &objects) {
  std::vector<std::string> names;
  for (size_t i = 0; i < program.imports.size(); ++i) {
    names.push_back("rubric_import_kernel_" + std::to_string(i));
    llvm::LLVMContext context;
    std::unique_ptr<llvm::Module> module;
    try {
      module = codegen::generateKernel(*program.imports[i].program, context, names.back());
    } catch (const std::exception &e) {
      std::cerr << "codegen: " << e.what() << "\n";
      return false;
    }
    codegen::optimize(*module, optLevel);
    objects.push_back(tempPath("import-kernel", ".o"));
    std::string error;
    if (!codegen::emitObjectFile(*module, objects.back(), &error, optLevel)) {
      std::cerr << "无法生成目标文件：" << error << "\n";
      return false;
    }
  }
  codegen::addImportKernelTable(mainModule, names);
  return true;
}
} // namespace

namespace {
// The command that links the kernel objects with the runtime archives: the
// result needs neither rubricc nor LLVM.
std::string linkCommand(const std::string &output, const std::vector<std::string> &objects) {
  std::string cmd = fmt::format("{} {} -o '{}'", RUBRIC_CXX, RUBRIC_LINK_FLAGS, output);
  for (const auto &o : objects) cmd += " '" + o + "'";
  // The XLSX parts are reached through weak symbols, so they must be linked whole.
  std::stringstream xlsx(RUBRIC_XLSX_ARCHIVES);
  cmd += " -Wl,--whole-archive";
  for (std::string a; std::getline(xlsx, a, '|');) cmd += " '" + a + "'";
  cmd += " -Wl,--no-whole-archive";
  std::stringstream archives(RUBRIC_RUNTIME_ARCHIVES);
  for (std::string a; std::getline(archives, a, '|');) cmd += " '" + a + "'";
  cmd += " -lxlsxwriter -lminizip -lexpat -static-libstdc++ -static-libgcc -lm";
  return cmd;
}

int linkExecutable(const std::string &output, const std::vector<std::string> &objects) {
  std::string cmd = linkCommand(output, objects);
  int rc = std::system(cmd.c_str());
  for (const auto &o : objects) std::filesystem::remove(o);
  if (rc != 0) {
    std::cerr << "链接失败：" << cmd << "\n";
    return 2;
  }
  return 0;
}

// The main kernel module (with the program's JSON and, for whole-population
// imports, their kernels built as objects of their own), optimised. Null on
// failure, the message written.
std::unique_ptr<llvm::Module> buildMainModule(const Compiled &c, const BuildArgs &args, llvm::LLVMContext &context,
                                              std::vector<std::string> &importObjects) {
  std::unique_ptr<llvm::Module> module;
  try {
    module = codegen::generateKernel(*c.program, context);
  } catch (const std::exception &e) {
    std::cerr << "codegen: " << e.what() << "\n";
    return nullptr;
  }
  codegen::addProgramJson(*module, c.program->desc.toJson());
  if (!c.program->imports.empty()) {
    if (args.emit != "exe") {
      std::cerr << "--emit " << args.emit << "：方案有“全体另给”的引用，只能生成可执行文件（--emit exe）\n";
      return nullptr;
    }
    if (!buildImportKernels(*c.program, *module, args.optLevel, importObjects)) return nullptr;
  }
  codegen::optimize(*module, args.optLevel);
  return module;
}

template <typename Text> int writeText(const std::string &path, const Text &text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return out ? 0 : 2;
}
} // namespace

int runBuild(const BuildArgs &args) {
  int failStatus = 1;
  auto c = compileWithReadings(args.rubric, args.readings, args.lang, failStatus);
  if (!c) return failStatus;
  // --emit ir: the scoring IR, as the interpreter and codegen see it
  if (args.emit == "ir") return writeText(args.output, ir::printProgram(*c->program));
  codegen::initializeNativeTarget();
  llvm::LLVMContext context;
  std::vector<std::string> objects;
  auto module = buildMainModule(*c, args, context, objects);
  if (!module) return 2;
  if (args.emit == "llvm") return writeText(args.output, codegen::emitLlvmText(*module));
  std::string obj = args.emit == "obj" ? args.output : tempPath("kernel", ".o");
  std::string error;
  if (!codegen::emitObjectFile(*module, obj, &error, args.optLevel)) {
    std::cerr << "无法生成目标文件：" << error << "\n";
    return 2;
  }
  if (args.emit == "obj") return 0;
  objects.insert(objects.begin(), obj);
  return linkExecutable(args.output, objects);
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
    for (int col : l.elementColumns) length[col] = static_cast<const int64_t *>(frame->cols[l.offsetsColumn])[end];
  }
  for (size_t col = 0; col < d.columns.size(); ++col) {
    int width = d.columns[col].width;
    auto &copy = b.cols.emplace_back(width);
    for (int64_t i = 0; i < length[col]; ++i) copy.push_back(rb_column_value(frame->cols[col], width, i));
  }
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

bool Capture::find(int64_t k, rb_frame &frame, int64_t &record, std::vector<const void *> &cols,
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

bool Capture::findScored(int64_t k, rb_frame &frame, int64_t &record, std::vector<const void *> &cols,
                         std::vector<int64_t *> &slots) {
  for (int64_t i = 0; find(i, frame, record, cols, slots); ++i)
    if (frame.errors[record] == 0 && k-- == 0) return true;
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

namespace {

report::SchemeHeader schemeHeader(const ast::File &file) {
  report::SchemeHeader h;
  for (const auto &e : file.scheme.entries) {
    if (e.key == "标题") h.title = e.value;
    if (e.key == "文号") h.docNo = e.value;
    if (e.key == "发布") h.issuer = e.value;
  }
  if (file.scheme.periodFrom && file.scheme.periodTo) h.period = *file.scheme.periodFrom + " 至 " + *file.scheme.periodTo;
  return h;
}

// Rank and awards come from the run's population pass (its output row).
report::Standing standingOf(const nlohmann::json &row, const std::string &id) {
  report::Standing st;
  st.candidate = id;
  st.rank = cellText(row.value("排名", nlohmann::json("")));
  st.levelRank = cellText(row.value("级内排名", nlohmann::json("")));
  nlohmann::json awards = row.value("奖项", nlohmann::json(nullptr));
  if (awards.is_array())
    for (const auto &a : awards) st.awards.push_back(cellText(a));
  else if (!cellText(awards).empty())
    st.awards.push_back(cellText(awards));
  return st;
}

// A file name for a candidate's id: no path separators or characters
// Windows refuses, never hidden, unique within the run.
std::string candidateFileName(const std::string &id, const std::string &ext, std::set<std::string> &used) {
  std::string name;
  for (unsigned char ch : id)
    name += ch < 0x20 || std::string_view("/\\:*?\"<>|").find(static_cast<char>(ch)) != std::string_view::npos ? '_' : static_cast<char>(ch);
  if (name.empty() || name[0] == '.') name = "_" + name;
  std::string candidate = name + ext;
  for (int k = 2; used.count(candidate); ++k) candidate = name + "-" + std::to_string(k) + ext;
  used.insert(candidate);
  return candidate;
}

bool writeFile(const std::string &path, const std::string &text, Lang lang) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (out) return true;
  std::cerr << (lang == Lang::Zh ? "无法写入 " : "cannot write ") << path << "\n";
  return false;
}

// To a file, or to stdout for "" or "-"; 0, or 2 when the file cannot be written.
int writeOut(const std::string &text, const std::string &path, Lang lang) {
  if (path.empty() || path == "-") {
    std::cout << text;
    return 0;
  }
  return writeFile(path, text, lang) ? 0 : 2;
}

} // namespace

namespace {

// --id or --all -o DIR, before any work (else said, false).
bool explainTargetGiven(const ExplainArgs &args) {
  bool zh = args.lang == Lang::Zh;
  if (!args.all && args.id.empty()) {
    std::cerr << (zh ? "explain：请用 --id 指定候选对象，或用 --all -o 目录 说明全部候选对象\n"
                     : "explain: give --id, or --all -o DIR for every candidate\n");
    return false;
  }
  if (args.all && (args.output.empty() || args.output == "-")) {
    std::cerr << (zh ? "explain --all 需要 -o 目录（每名候选对象一个文件）\n" : "explain --all needs -o DIR (one file per candidate)\n");
    return false;
  }
  return true;
}

// Row r's group-key texts (the columns with ColumnDesc::groupKey), by the
// element's place in the record's list.
report::GroupKeyTexts groupKeyTexts(const runtime::Program &desc, const runtime::Batch &b, int64_t r) {
  report::GroupKeyTexts out;
  for (size_t col = 0; col < desc.columns.size(); ++col) {
    const runtime::ColumnDesc &c = desc.columns[col];
    if (!c.groupKey || c.listId < 0) continue;
    const auto &offsets = b.cols[static_cast<size_t>(desc.lists[static_cast<size_t>(c.listId)].offsetsColumn)];
    const auto &text = b.text[col];
    auto &texts = out[static_cast<int>(col)];
    for (int64_t j = offsets[static_cast<size_t>(r)]; j < offsets[static_cast<size_t>(r) + 1]; ++j)
      texts.push_back(static_cast<size_t>(j) < text.size() ? runtime::printable(text[static_cast<size_t>(j)]) : "");
  }
  return out;
}

// Scores the input with the interpreter, capturing every batch's frame and
// each output row's group-key texts, and reads back the output rows (JSON
// Lines with every item). The run's status.
int scoreCapturing(const Compiled &c, const ExplainArgs &args, Capture &cap, std::vector<nlohmann::json> &rows) {
  cap.program = c.program.get();
  rb_kernel_fn kernel = capturingKernel(cap);
  runtime::RunOptions opts;
  opts.inputs = {args.input};
  opts.output = tempPath("explain", ".jsonl");
  opts.paramsFile = args.params;
  opts.items = true;
  opts.encoding = args.encoding;
  opts.sheet = args.sheet;
  opts.lang = runtimeLang(args.lang);
  opts.threads = 1;  // the capturing kernel keeps the batches in order, on this thread
  if (!runtime::addWithOptions(args.with, opts, std::cerr)) return 2;
  opts.importKernels = interp::bindImportKernels(*c.program);  // 全体另给: scored over their --with files
  opts.onScoredRow = [&](const runtime::Batch &b, int64_t r) {
    cap.keyTexts.push_back(groupKeyTexts(c.program->desc, b, r));
    cap.origins.push_back(b.origins[static_cast<size_t>(r)]);
  };
  opts.onCheckFailed = [&](const runtime::RecordOrigin &at, const std::string &check, const std::string &detail) {
    report::VetoTrace failed;
    failed.reason = check;
    failed.condition = detail;
    cap.checksAcross[{at.source, at.row}].push_back(std::move(failed));
  };
  int rc = runtime::runScoring(c.program->desc, kernel, opts, std::cerr);
  rows = readJsonLines(opts.output);
  std::filesystem::remove(opts.output);
  return rc;
}

bool makeFolder(const std::string &path, Lang lang) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (!ec) return true;
  std::cerr << (lang == Lang::Zh ? "无法创建目录 " : "cannot create folder ") << path << "：" << ec.message() << "\n";
  return false;
}

// One explanation per wanted row: the one --id names (written and done), or
// every row into the --all folder. Output rows are the scored records in
// input order; a record the kernel rejected (division by zero …) has no row,
// so it is skipped in the captured frames too. Returns the exit status, or
// -1 when --id matched no row.
int writeExplanations(const Compiled &c, const ExplainArgs &args, Capture &cap, const std::vector<nlohmann::json> &rows,
                      int rc) {
  report::ExplainFormat format = args.format == "html"   ? report::ExplainFormat::Html
                                 : args.format == "json" ? report::ExplainFormat::Json
                                                         : report::ExplainFormat::Text;
  std::string ext = args.format == "html" ? ".html" : args.format == "json" ? ".json" : ".txt";
  report::SchemeHeader scheme = schemeHeader(*c.ast);
  std::string idKey = runtime::outputHeaders(c.program->desc, true).front();
  std::set<std::string> used;
  int written = 0;
  int64_t captured = 0;  // walks the captured records alongside the rows
  for (size_t i = 0; i < rows.size(); ++i) {
    const nlohmann::json &row = rows[i];
    rb_frame frame{};
    int64_t k = 0;
    std::vector<const void *> cols;
    std::vector<int64_t *> slots;
    bool found = cap.find(captured++, frame, k, cols, slots);
    while (found && frame.errors[k] != 0) found = cap.find(captured++, frame, k, cols, slots);
    if (!found) break;
    if (!row.is_object() || !row.contains(idKey)) continue;
    std::string id = cellText(row[idKey]);
    if (!args.all && id != args.id) continue;
    const report::GroupKeyTexts *keys = i < cap.keyTexts.size() ? &cap.keyTexts[i] : nullptr;
    report::Trace trace = report::buildTrace(*c.program, &frame, k, args.lang, keys);
    if (i < cap.origins.size()) {
      auto across = cap.checksAcross.find({cap.origins[i].source, cap.origins[i].row});
      if (across != cap.checksAcross.end())
        trace.failedChecks.insert(trace.failedChecks.end(), across->second.begin(), across->second.end());
    }
    std::string text = report::renderExplanation(trace, scheme, standingOf(row, id), format, args.lang);
    if (!args.all) return writeOut(text, args.output, args.lang);
    if (!writeFile((std::filesystem::path(args.output) / candidateFileName(id, ext, used)).string(), text, args.lang)) return 2;
    ++written;
  }
  if (!args.all) return -1;
  std::cerr << (args.lang == Lang::Zh ? fmt::format("已写出 {} 份得分说明到 {}\n", written, args.output)
                                      : fmt::format("wrote {} explanations to {}\n", written, args.output));
  return rc;
}

// --id matched no scored row: say which column holds the ids, and the
// closest id there is (or the first few), so a row number or a typo is easy
// to fix.
std::string unknownCandidate(const Compiled &c, const ExplainArgs &args, const std::vector<nlohmann::json> &rows) {
  std::string idKey = runtime::outputHeaders(c.program->desc, true).front();
  std::vector<std::string> ids;
  for (const auto &row : rows)
    if (row.is_object() && row.contains(idKey)) ids.push_back(cellText(row[idKey]));
  bool zh = args.lang == Lang::Zh;
  std::string out = zh ? "找不到“" + idKey + "”为“" + args.id + "”的候选对象（或该行被拒绝）"
                       : "no scored candidate whose '" + idKey + "' is '" + args.id + "' (or its row was rejected)";
  if (auto near = suggestName(args.id, ids)) return out + (zh ? "；您是否想写“" + *near + "”？\n" : "; did you mean '" + *near + "'?\n");
  if (ids.empty()) return out + "\n";
  std::string some;
  for (size_t i = 0; i < ids.size() && i < 3; ++i) some += (i ? (zh ? "、" : ", ") : "") + (zh ? "“" + ids[i] + "”" : "'" + ids[i] + "'");
  return out + (zh ? "；--id 写“" + idKey + "”列的值，例如 " + some + "\n"
                   : "; --id takes a value of the '" + idKey + "' column, e.g. " + some + "\n");
}

} // namespace

int runExplain(const ExplainArgs &args) {
  if (!explainTargetGiven(args)) return 2;
  int failStatus = 1;
  auto c = compileWithReadings(args.rubric, args.readings, args.lang, failStatus);
  if (!c) return failStatus;
  Capture cap;
  std::vector<nlohmann::json> rows;
  int rc = scoreCapturing(*c, args, cap, rows);
  if (args.all && !makeFolder(args.output, args.lang)) return 2;
  int status = writeExplanations(*c, args, cap, rows, rc);
  if (status >= 0) return status;
  std::cerr << unknownCandidate(*c, args, rows);
  return rc == 0 ? 1 : rc;
}

} // namespace rubric::driver
