// main() of a generated scorer executable. The compiler's object file
// provides the kernel and the embedded program description; this file and
// the runtime libraries provide the rest (no LLVM, no compiler code).
//
//   BIN INPUT... -o OUT [--params FILE] [--items] [--strict] [--sort 排名|输入] [--lang zh|en] [--threads N]
#include <CLI/CLI.hpp>
#include <iostream>
#include <stdexcept>

#include "runtime/scoring/CrossCheck.h"
#include "runtime/scoring/Kernel.h"
#include "runtime/scoring/Program.h"
#include "runtime/scoring/Runner.h"
#include "runtime/scoring/UsageErrors.h"

extern "C" void rubric_kernel(const rb_frame *frame, int64_t begin, int64_t end, int32_t phase);
extern "C" const char rubric_program_json[];
// The kernels of whole-population imports (引用 … 全体另给), null-terminated;
// absent (weak) in an object built without the table.
extern "C" __attribute__((weak)) const rb_kernel_fn rubric_import_kernels[];

int main(int argc, char **argv) {
  using namespace rubric::runtime;

  Program program;
  try {
    program = Program::fromJson(rubric_program_json);
  } catch (const std::exception &e) {
    std::cerr << "error: embedded program description is invalid: " << e.what() << '\n';
    return kExitFatal;
  }

  std::string title = program.title.empty() ? program.schemeId : program.title;
  CLI::App app{title.empty() ? "rubric scorer" : title + " — 评分程序 (rubricc)"};
  RunOptions options;
  std::string lang = "zh";
  app.add_option("inputs", options.inputs, "候选记录 / candidate records (.csv .tsv .jsonl .xlsx; - = stdin CSV)")->required();
  app.add_option("-o,--output", options.output, "结果文件 / results (.csv .jsonl .xlsx; - = stdout CSV)")->required();
  app.add_option("--encoding", options.encoding, "CSV 编码 / CSV encoding: auto (UTF-8 or GB18030), utf-8, gb18030, gbk");
  app.add_option("--sheet", options.sheet, "XLSX 工作表 / the .xlsx sheet to read (default: the first)");
  app.add_option("--params", options.paramsFile, "参数文件 / run parameters (JSON object or name,value CSV)");
  app.add_flag("--items", options.items, "输出每一项的得分 / every item, not only the indicators");
  app.add_flag("--strict", options.strict, "遇到错误即停止，不写出结果 / stop at the first bad row, write nothing");
  std::string sort;
  std::vector<std::string> with;
  app.add_option("--with", with, "另一方案的记录 / another scheme's records (不共用 checks, 全体另给 imports): 名=文件 (repeatable)");
  app.add_option("--sort", sort, "行的顺序 / row order: 排名|rank, 输入|input (缺省：.xlsx 按排名，其余按输入)")
      ->check(CLI::IsMember({"排名", "rank", "输入", "input"}));
  app.add_option("--lang", lang, "消息语言 / message language")->check(CLI::IsMember({"zh", "en"}));
  app.add_option("--threads", options.threads, "线程数（0 = 全部核心）/ threads (0 = every core)")
      ->check(CLI::Range(0, 1024));
  app.add_option("--batch-size", options.batchSize, "每批记录数 / records per kernel call")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 24));
  useTranslatedUsageErrors(app, usageLang(argc, argv), argc > 0 ? argv[0] : "scorer");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp &e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion &e) {
    return app.exit(e);
  } catch (const CLI::ParseError &e) {
    app.exit(e);
    return kExitFatal;
  }
  options.lang = parseLang(lang).value_or(Lang::Zh);
  options.order = parseRowOrder(sort).value_or(RowOrder::Default);
  if (!addWithOptions(with, options, std::cerr)) return kExitFatal;
  if (rubric_import_kernels)
    for (const rb_kernel_fn *k = rubric_import_kernels; *k; ++k) options.importKernels.push_back(*k);
  return runScoring(program, &rubric_kernel, options, std::cerr);
}
