// rubricc: the rubric compiler driver.
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "driver/Commands.h"

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

  driver::TableArgs table;
  auto *tableCmd = app.add_subcommand("table", "render the scheme as the official table (md|html|csv)");
  tableCmd->add_option("file", table.file, "rubric file")->required()->check(CLI::ExistingFile);
  tableCmd->add_option("--format", table.format, "md | html | csv")->check(CLI::IsMember({"md", "html", "csv"}));
  tableCmd->add_option("-o,--output", table.output, "output file (default: stdout)");

  driver::TemplateArgs tmpl;
  auto *templateCmd = app.add_subcommand("template", "an input template (CSV) with the declared column headers");
  templateCmd->add_option("file", tmpl.file, "rubric file")->required()->check(CLI::ExistingFile);
  templateCmd->add_option("-o,--output", tmpl.output, "output file (default: stdout)");
  templateCmd->add_option("--list-slots", tmpl.listSlots, "indexed columns per list (default 3)");

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
  if (tableCmd->parsed()) {
    table.lang = l;
    return driver::runTable(table);
  }
  if (templateCmd->parsed()) {
    tmpl.lang = l;
    return driver::runTemplate(tmpl);
  }
  return 2;
}
