// rubricc: the rubric compiler driver.
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "driver/Commands.h"
#include "driver/RunCommands.h"
#include "runtime/scoring/UsageErrors.h"

int main(int argc, char **argv) {
  using namespace rubric;
  CLI::App app{"rubricc — 评审细则编译器 / compiler for scoring rubrics"};
  app.require_subcommand(1);
  app.fallthrough(); // --lang may follow the subcommand
  std::string lang = "zh";
  app.add_option("--lang", lang, "message language: zh (default) or en")->check(CLI::IsMember({"zh", "en"}));

  driver::CheckArgs check;
  std::string format = "text";
  auto *checkCmd = app.add_subcommand("check", "parse and check rubric files; exit 0 clean, 1 on errors");
  checkCmd->add_option("files", check.files, "rubric files")->required();
  checkCmd->add_flag("--werror", check.werror, "treat warnings as errors");
  checkCmd->add_option("--format", format, "text | json | sarif")->check(CLI::IsMember({"text", "json", "sarif"}));
  checkCmd->add_option("--emit", check.emit, "also print: ast")->check(CLI::IsMember({"ast"}));
  checkCmd->add_flag("-q,--quiet", check.quiet, "no summary line");

  driver::FmtArgs fmtArgs;
  auto *fmtCmd = app.add_subcommand("fmt", "print rubric files in the canonical layout; -w rewrites, --check lists unformatted");
  fmtCmd->add_option("files", fmtArgs.files, "rubric files")->required();
  fmtCmd->add_flag("-w,--write", fmtArgs.write, "rewrite the files in place");
  fmtCmd->add_flag("--check", fmtArgs.check, "list files that are not formatted; exit 1 if any");

  driver::DiffArgs diffArgs;
  auto *diffCmd = app.add_subcommand("diff", "what changed between two rubrics (last year's and this year's)");
  diffCmd->add_option("old", diffArgs.oldFile, "the earlier rubric")->required();
  diffCmd->add_option("new", diffArgs.newFile, "the later rubric")->required();
  diffCmd->add_option("--format", diffArgs.format, "text | md | html")->check(CLI::IsMember({"text", "md", "html"}));
  diffCmd->add_option("-o,--output", diffArgs.output, "output file (default: stdout)");
  diffCmd->add_option("--data", diffArgs.data, "score this input under both rubrics and list who changes total, rank or award");
  diffCmd->add_option("--old-params", diffArgs.oldParams, "run-level parameters of the earlier rubric (with --data)");
  diffCmd->add_option("--new-params", diffArgs.newParams, "run-level parameters of the later rubric (with --data)");
  diffCmd->add_option("--encoding", diffArgs.encoding, "CSV encoding of --data: auto, utf-8, gb18030, gbk");
  diffCmd->add_option("--sheet", diffArgs.sheet, "the .xlsx sheet of --data to read");

  driver::LspArgs lspArgs;
  auto *lspCmd = app.add_subcommand("lsp", "the language server for editors (Language Server Protocol on stdin/stdout)");

  driver::TableArgs table;
  auto *tableCmd = app.add_subcommand("table", "render the scheme as the official table (md|html|csv|xlsx)");
  tableCmd->add_option("file", table.file, "rubric file")->required()->check(CLI::ExistingFile);
  tableCmd->add_option("--format", table.format, "md | html | csv | xlsx (default: from the -o extension, else md)")
      ->check(CLI::IsMember({"md", "html", "csv", "xlsx"}));
  tableCmd->add_option("-o,--output", table.output, "output file (default: stdout; xlsx needs one)");

  driver::TemplateArgs tmpl;
  auto *templateCmd = app.add_subcommand("template", "an input template (CSV) with the declared column headers");
  templateCmd->add_option("file", tmpl.file, "rubric file")->required()->check(CLI::ExistingFile);
  templateCmd->add_option("-o,--output", tmpl.output, "output file (default: stdout)");
  templateCmd->add_option("--list-slots", tmpl.listSlots, "indexed columns per list (default 3)");
  templateCmd->add_flag("--cases", tmpl.cases, "one row per 用例 of the rubric (bundled examples)");

  driver::ScoreArgs score;
  auto *scoreCmd = app.add_subcommand("score", "JIT-compile a rubric and score candidate records");
  scoreCmd->add_option("rubric", score.rubric, "rubric file")->required();
  scoreCmd->add_option("inputs", score.inputs, "input files (.csv, .jsonl, .xlsx; GBK CSV detected)")->required();
  scoreCmd->add_option("-o,--output", score.output, "output file (.csv, .jsonl or .xlsx; default: CSV on stdout)");
  scoreCmd->add_option("--encoding", score.encoding, "CSV encoding: auto (UTF-8 or GB18030), utf-8, gb18030, gbk");
  scoreCmd->add_option("--sheet", score.sheet, "the .xlsx sheet to read (default: the first)");
  scoreCmd->add_option("--params", score.params, "run-level parameters (JSON object or name,value CSV)");
  scoreCmd->add_flag("--items", score.items, "every item, not only the indicators");
  scoreCmd->add_flag("--strict", score.strict, "stop at the first rejected row");
  scoreCmd->add_option("--with", score.with, "another scheme's records for the rubric's 不共用 checks: 名=文件 (repeatable)");
  scoreCmd->add_option("--sort", score.sort, "row order: 排名|rank or 输入|input (default: rank for .xlsx, input otherwise)")
      ->check(CLI::IsMember({"排名", "rank", "输入", "input"}));
  scoreCmd->add_option("--threads", score.threads, "threads to read and score with (default 0: every core)")
      ->check(CLI::Range(0, 1024));
  scoreCmd->add_flag("--interp", score.interp, "use the reference interpreter instead of the JIT");
  scoreCmd->add_option("-O", score.optLevel, "JIT optimisation level 0-3 (default 0: fastest compile)");
  scoreCmd->add_flag("--timing", score.timing, "print the JIT compile time");
  const char *readingHelp = "use OPTION of reading NAME instead of the rubric's 采用 (NAME=OPTION, repeatable)";
  scoreCmd->add_option("--reading", score.readings, readingHelp)->allow_extra_args(false);

  driver::BuildArgs build;
  auto *buildCmd = app.add_subcommand("build", "emit a standalone scorer executable");
  buildCmd->add_option("rubric", build.rubric, "rubric file")->required();
  buildCmd->add_option("-o,--output", build.output, "output file")->required();
  buildCmd->add_option("--emit", build.emit, "exe (default) | obj | llvm | ir")->check(CLI::IsMember({"exe", "obj", "llvm", "ir"}));
  buildCmd->add_option("-O", build.optLevel, "optimisation level 0-3 (default 2)");
  buildCmd->add_option("--reading", build.readings, readingHelp)->allow_extra_args(false);

  driver::ExplainArgs explain;
  auto *explainCmd = app.add_subcommand("explain", "every point of a candidate: the clause, the values, the arithmetic (text|html|json)");
  explainCmd->add_option("rubric", explain.rubric, "rubric file")->required();
  explainCmd->add_option("input", explain.input, "input file")->required();
  explainCmd->add_option("--id", explain.id, "the candidate's id (or row number)");
  explainCmd->add_flag("--all", explain.all, "every candidate, one file each in the folder given by -o");
  explainCmd->add_option("--format", explain.format, "text (default) | html | json")->check(CLI::IsMember({"text", "html", "json"}));
  explainCmd->add_option("-o,--output", explain.output, "output file (default: stdout); with --all, a folder");
  explainCmd->add_option("--params", explain.params, "run-level parameters");
  explainCmd->add_option("--encoding", explain.encoding, "CSV encoding: auto, utf-8, gb18030, gbk");
  explainCmd->add_option("--sheet", explain.sheet, "the .xlsx sheet to read");
  explainCmd->add_option("--reading", explain.readings, readingHelp)->allow_extra_args(false);

  driver::TestArgs test;
  auto *testCmd = app.add_subcommand("test", "run the rubric's own test cases (用例) and report every mismatch");
  testCmd->add_option("rubrics", test.rubrics, "rubric files")->required();
  testCmd->add_option("--reading", test.readings, readingHelp)->allow_extra_args(false);

  driver::ReadingsArgs readings;
  auto *readingsCmd = app.add_subcommand("readings", "the rubric's readings (读法) of ambiguous sentences; --impact: who changes under each other reading");
  readingsCmd->add_option("rubric", readings.file, "rubric file")->required();
  readingsCmd->add_option("--format", readings.format, "text (default) | json")->check(CLI::IsMember({"text", "json"}));
  readingsCmd->add_option("--impact", readings.impact, "score this input under each other reading and list who changes");
  readingsCmd->add_option("--params", readings.params, "run-level parameters (with --impact)");
  readingsCmd->add_option("--encoding", readings.encoding, "CSV encoding: auto, utf-8, gb18030, gbk");
  readingsCmd->add_option("--sheet", readings.sheet, "the .xlsx sheet to read");
  readingsCmd->add_option("--reading", readings.readings, readingHelp)->allow_extra_args(false);

  runtime::Lang usageLang = runtime::usageLang(argc, argv);
  runtime::useTranslatedUsageErrors(app, usageLang, "rubricc");
  // The translated "a subcommand is required" lists the subcommands this rubricc has.
  app.failure_message([usageLang](const CLI::App *a, const CLI::Error &e) {
    std::string text = runtime::usageErrorText(e, usageLang, "rubricc");
    if (usageLang != runtime::Lang::Zh || std::string(e.what()).find("subcommand is required") == std::string::npos)
      return text;
    std::string names;
    for (const CLI::App *sub : a->get_subcommands({})) names += (names.empty() ? "" : "、") + sub->get_name();
    return "用法错误：需要一个子命令（" + names + "）\n运行 rubricc --help 查看用法\n";
  });
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;  // usage error (docs/cli.md, 限制与退出状态)
  }
  Lang l = lang == "en" ? Lang::En : Lang::Zh;
  if (checkCmd->parsed()) {
    check.lang = l;
    check.format = format == "json" ? DiagFormat::Json : format == "sarif" ? DiagFormat::Sarif : DiagFormat::Text;
    check.color = isatty(2);
    return driver::runCheck(check);
  }
  if (fmtCmd->parsed()) {
    fmtArgs.lang = l;
    return driver::runFmt(fmtArgs);
  }
  if (diffCmd->parsed()) {
    diffArgs.lang = l;
    return driver::runDiff(diffArgs);
  }
  if (lspCmd->parsed()) {
    lspArgs.lang = l;
    return driver::runLsp(lspArgs);
  }
  if (scoreCmd->parsed()) {
    score.lang = l;
    return driver::runScore(score);
  }
  if (buildCmd->parsed()) {
    build.lang = l;
    return driver::runBuild(build);
  }
  if (explainCmd->parsed()) {
    explain.lang = l;
    return driver::runExplain(explain);
  }
  if (testCmd->parsed()) {
    test.lang = l;
    return driver::runTest(test);
  }
  if (tableCmd->parsed()) {
    table.lang = l;
    return driver::runTable(table);
  }
  if (readingsCmd->parsed()) {
    readings.lang = l;
    return driver::runReadings(readings);
  }
  if (templateCmd->parsed()) {
    tmpl.lang = l;
    return driver::runTemplate(tmpl);
  }
  return 2;
}
