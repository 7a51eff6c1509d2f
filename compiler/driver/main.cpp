// rubricc: the rubric compiler driver.
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "driver/Commands.h"

int main(int argc, char **argv) {
  using namespace rubric;
  CLI::App app{"rubricc — 评审细则编译器 / compiler for scoring rubrics"};
  app.require_subcommand(1);
  std::string lang = "zh";
  app.add_option("--lang", lang, "message language: zh (default) or en")->check(CLI::IsMember({"zh", "en"}));

  driver::CheckArgs check;
  std::string format = "text";
  auto *checkCmd = app.add_subcommand("check", "parse and check rubric files; exit 0 clean, 1 on errors");
  checkCmd->add_option("files", check.files, "rubric files")->required()->check(CLI::ExistingFile);
  checkCmd->add_flag("--werror", check.werror, "treat warnings as errors");
  checkCmd->add_option("--format", format, "text | json | sarif")->check(CLI::IsMember({"text", "json", "sarif"}));
  checkCmd->add_option("--emit", check.emit, "also print: ast")->check(CLI::IsMember({"ast"}));
  checkCmd->add_flag("-q,--quiet", check.quiet, "no summary line");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  Lang l = lang == "en" ? Lang::En : Lang::Zh;
  if (checkCmd->parsed()) {
    check.lang = l;
    check.format = format == "json" ? DiagFormat::Json : format == "sarif" ? DiagFormat::Sarif : DiagFormat::Text;
    check.color = isatty(2);
    return driver::runCheck(check);
  }
  return 2;
}
