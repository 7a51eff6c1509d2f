// rubricc: the rubric compiler driver. Each subcommand declares its options
// and how it runs in one function below; main parses and runs the one given.
#include <unistd.h>

#include <functional>
#include <memory>
#include <vector>

#include <CLI/CLI.hpp>

#include "driver/Commands.h"
#include "driver/RunCommands.h"
#include "runtime/scoring/UsageErrors.h"

namespace {

using namespace rubric;

// A subcommand: its CLI11 node and what runs when it was given.
struct Command {
  CLI::App *cli;
  std::function<int(Lang)> run;
};

// Options held by the closure that runs the command (CLI11 writes into them while parsing).
template <class Args, class Run>
Command command(CLI::App *cli, std::shared_ptr<Args> args, Run run) {
  return {cli, [args, run](Lang l) {
            args->lang = l;
            return run(*args);
          }};
}

const char *const kReadingHelp = "use OPTION of reading NAME instead of the rubric's 采用 (NAME=OPTION, repeatable)";

Command addCheck(CLI::App &app) {
  auto a = std::make_shared<driver::CheckArgs>();
  auto format = std::make_shared<std::string>("text");
  auto *c = app.add_subcommand("check", "parse and check rubric files; exit 0 clean, 1 on errors");
  c->add_option("files", a->files, "rubric files")->required();
  c->add_flag("--werror", a->werror, "treat warnings as errors");
  c->add_option("--format", *format, "text | json | sarif")->check(CLI::IsMember({"text", "json", "sarif"}));
  c->add_option("--emit", a->emit, "also print: ast")->check(CLI::IsMember({"ast"}));
  c->add_flag("-q,--quiet", a->quiet, "no summary line");
  return command(c, a, [format](driver::CheckArgs &args) {
    args.format = *format == "json" ? DiagFormat::Json : *format == "sarif" ? DiagFormat::Sarif : DiagFormat::Text;
    args.color = isatty(2);
    return driver::runCheck(args);
  });
}

Command addFmt(CLI::App &app) {
  auto a = std::make_shared<driver::FmtArgs>();
  auto *c = app.add_subcommand("fmt", "print rubric files in the canonical layout; -w rewrites, --check lists unformatted");
  c->add_option("files", a->files, "rubric files")->required();
  c->add_flag("-w,--write", a->write, "rewrite the files in place");
  c->add_flag("--check", a->check, "list files that are not formatted; exit 1 if any");
  return command(c, a, driver::runFmt);
}

Command addDiff(CLI::App &app) {
  auto a = std::make_shared<driver::DiffArgs>();
  auto *c = app.add_subcommand("diff", "what changed between two rubrics (last year's and this year's)");
  c->add_option("old", a->oldFile, "the earlier rubric")->required();
  c->add_option("new", a->newFile, "the later rubric")->required();
  c->add_option("--format", a->format, "text | md | html")->check(CLI::IsMember({"text", "md", "html"}));
  c->add_option("-o,--output", a->output, "output file (default: stdout)");
  c->add_option("--data", a->data, "score this input under both rubrics and list who changes total, rank or award");
  c->add_option("--old-params", a->oldParams, "run-level parameters of the earlier rubric (with --data)");
  c->add_option("--new-params", a->newParams, "run-level parameters of the later rubric (with --data)");
  c->add_option("--encoding", a->encoding, "CSV encoding of --data: auto, utf-8, gb18030, gbk");
  c->add_option("--sheet", a->sheet, "the .xlsx sheet of --data to read");
  c->add_option("--with", a->with,
                "with --data: a 全体另给 import's records (or a 不共用 check's other scheme), given to each year whose "
                "rubric names it: 名=文件 (repeatable)");
  return command(c, a, driver::runDiff);
}

Command addLsp(CLI::App &app) {
  auto *c = app.add_subcommand("lsp", "the language server for editors (Language Server Protocol on stdin/stdout)");
  return command(c, std::make_shared<driver::LspArgs>(), driver::runLsp);
}

Command addTable(CLI::App &app) {
  auto a = std::make_shared<driver::TableArgs>();
  auto *c = app.add_subcommand("table", "render the scheme as the official table (md|html|csv|xlsx)");
  c->add_option("file", a->file, "rubric file")->required()->check(CLI::ExistingFile);
  c->add_option("--format", a->format, "md | html | csv | xlsx (default: from the -o extension, else md)")
      ->check(CLI::IsMember({"md", "html", "csv", "xlsx"}));
  c->add_option("-o,--output", a->output, "output file (default: stdout; xlsx needs one)");
  return command(c, a, driver::runTable);
}

Command addTemplate(CLI::App &app) {
  auto a = std::make_shared<driver::TemplateArgs>();
  auto *c = app.add_subcommand("template", "an input template (CSV) with the declared column headers");
  c->add_option("file", a->file, "rubric file")->required()->check(CLI::ExistingFile);
  c->add_option("-o,--output", a->output, "output file (default: stdout)");
  c->add_option("--list-slots", a->listSlots, "indexed columns per list (default 3)");
  c->add_flag("--cases", a->cases, "one row per 用例 of the rubric (bundled examples)");
  return command(c, a, driver::runTemplate);
}

Command addScore(CLI::App &app) {
  auto a = std::make_shared<driver::ScoreArgs>();
  auto *c = app.add_subcommand("score", "JIT-compile a rubric and score candidate records");
  c->add_option("rubric", a->rubric, "rubric file")->required();
  c->add_option("inputs", a->inputs, "input files (.csv, .jsonl, .xlsx; GBK CSV detected)")->required();
  c->add_option("-o,--output", a->output, "output file (.csv, .jsonl or .xlsx; default: CSV on stdout)");
  c->add_option("--encoding", a->encoding, "CSV encoding: auto (UTF-8 or GB18030), utf-8, gb18030, gbk");
  c->add_option("--sheet", a->sheet, "the .xlsx sheet to read (default: the first)");
  c->add_option("--params", a->params, "run-level parameters (JSON object or name,value CSV)");
  c->add_flag("--items", a->items, "every item, not only the indicators");
  c->add_flag("--strict", a->strict, "stop at the first rejected row");
  c->add_option("--with", a->with, "another scheme's records for the rubric's 不共用 checks: 名=文件 (repeatable)");
  c->add_option("--sort", a->sort, "row order: 排名|rank or 输入|input (default: rank for .xlsx, input otherwise)")
      ->check(CLI::IsMember({"排名", "rank", "输入", "input"}));
  c->add_option("--threads", a->threads, "threads to read and score with (default 0: every core)")
      ->check(CLI::Range(0, 1024));
  c->add_flag("--interp", a->interp, "use the reference interpreter instead of the JIT");
  c->add_option("-O", a->optLevel, "JIT optimisation level 0-3 (default 0: fastest compile)");
  c->add_flag("--timing", a->timing, "print the JIT compile time");
  c->add_option("--reading", a->readings, kReadingHelp)->allow_extra_args(false);
  return command(c, a, driver::runScore);
}

Command addBuild(CLI::App &app) {
  auto a = std::make_shared<driver::BuildArgs>();
  auto *c = app.add_subcommand("build", "emit a standalone scorer executable");
  c->add_option("rubric", a->rubric, "rubric file")->required();
  c->add_option("-o,--output", a->output, "output file")->required();
  c->add_option("--emit", a->emit, "exe (default) | obj | llvm | ir")->check(CLI::IsMember({"exe", "obj", "llvm", "ir"}));
  c->add_option("-O", a->optLevel, "optimisation level 0-3 (default 2)");
  c->add_option("--reading", a->readings, kReadingHelp)->allow_extra_args(false);
  return command(c, a, driver::runBuild);
}

Command addExplain(CLI::App &app) {
  auto a = std::make_shared<driver::ExplainArgs>();
  auto *c = app.add_subcommand("explain", "every point of a candidate: the clause, the values, the arithmetic (text|html|json)");
  c->add_option("rubric", a->rubric, "rubric file")->required();
  c->add_option("input", a->input, "input file")->required();
  c->add_option("--id", a->id, "the candidate's id (its row number when the rubric has no id field)");
  c->add_flag("--all", a->all, "every candidate, one file each in the folder given by -o");
  c->add_option("--format", a->format, "text (default) | html | json")->check(CLI::IsMember({"text", "html", "json"}));
  c->add_option("-o,--output", a->output, "output file (default: stdout); with --all, a folder");
  c->add_option("--params", a->params, "run-level parameters");
  c->add_option("--encoding", a->encoding, "CSV encoding: auto, utf-8, gb18030, gbk");
  c->add_option("--sheet", a->sheet, "the .xlsx sheet to read");
  c->add_option("--reading", a->readings, kReadingHelp)->allow_extra_args(false);
  c->add_option("--with", a->with, "the records of a 全体另给 import (or a 不共用 check's other scheme): 名=文件 (repeatable)");
  return command(c, a, driver::runExplain);
}

Command addTest(CLI::App &app) {
  auto a = std::make_shared<driver::TestArgs>();
  auto *c = app.add_subcommand("test", "run the rubric's own test cases (用例) and report every mismatch");
  c->add_option("rubrics", a->rubrics, "rubric files")->required();
  c->add_option("--reading", a->readings, kReadingHelp)->allow_extra_args(false);
  return command(c, a, driver::runTest);
}

Command addReadings(CLI::App &app) {
  auto a = std::make_shared<driver::ReadingsArgs>();
  auto *c = app.add_subcommand("readings", "the rubric's readings (读法) of ambiguous sentences; --impact: who changes under each other reading");
  c->add_option("rubric", a->file, "rubric file")->required();
  c->add_option("--format", a->format, "text (default) | json")->check(CLI::IsMember({"text", "json"}));
  c->add_option("--impact", a->impact, "score this input under each other reading and list who changes");
  c->add_option("--params", a->params, "run-level parameters (with --impact)");
  c->add_option("--encoding", a->encoding, "CSV encoding: auto, utf-8, gb18030, gbk");
  c->add_option("--sheet", a->sheet, "the .xlsx sheet to read");
  c->add_option("--with", a->with, "the records of a 全体另给 import (or a 不共用 check's other scheme), with --impact: 名=文件 (repeatable)");
  c->add_option("--reading", a->readings, kReadingHelp)->allow_extra_args(false);
  return command(c, a, driver::runReadings);
}

// Usage errors in the message language; the translated "a subcommand is
// required" lists the subcommands this rubricc has.
void translateUsageErrors(CLI::App &app, int argc, char **argv) {
  runtime::Lang usageLang = runtime::usageLang(argc, argv);
  runtime::useTranslatedUsageErrors(app, usageLang, "rubricc");
  app.failure_message([usageLang](const CLI::App *a, const CLI::Error &e) {
    std::string text = runtime::usageErrorText(e, usageLang, "rubricc");
    if (usageLang != runtime::Lang::Zh || std::string(e.what()).find("subcommand is required") == std::string::npos)
      return text;
    std::string names;
    for (const CLI::App *sub : a->get_subcommands({})) names += (names.empty() ? "" : "、") + sub->get_name();
    return "用法错误：需要一个子命令（" + names + "）\n运行 rubricc --help 查看用法\n";
  });
}

} // namespace

int main(int argc, char **argv) {
  CLI::App app{"rubricc — 评审细则编译器 / compiler for scoring rubrics"};
  app.require_subcommand(1);
  app.fallthrough(); // --lang may follow the subcommand
  std::string lang = "zh";
  app.add_option("--lang", lang, "message language: zh (default) or en")->check(CLI::IsMember({"zh", "en"}));
  // In the order `rubricc --help` lists them.
  std::vector<Command> commands = {addCheck(app), addFmt(app),      addDiff(app),  addLsp(app),
                                   addTable(app), addTemplate(app), addScore(app), addBuild(app),
                                   addExplain(app), addTest(app),   addReadings(app)};
  translateUsageErrors(app, argc, argv);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;  // usage error (docs/cli.md, 限制与退出状态)
  }
  Lang l = lang == "en" ? Lang::En : Lang::Zh;
  for (const Command &c : commands)
    if (c.cli->parsed()) return c.run(l);
  return 2;
}
