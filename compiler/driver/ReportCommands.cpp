// rubricc table / template, and the shared "compile for a run" step.
#include <fstream>
#include <iostream>

#include "driver/Commands.h"
#include "driver/Compiled.h"
#include "ir/FromSema.h"
#include "parse/Parser.h"
#include "report/Readings.h"
#include "report/Table.h"

namespace rubric::driver {

bool parseReadingArgs(const std::vector<std::string> &args, Lang lang, ReadingChoices &out) {
  DiagnosticEngine diags;
  for (const auto &arg : args) {
    size_t eq = arg.find('=');
    std::string name = arg.substr(0, eq), option = eq == std::string::npos ? "" : arg.substr(eq + 1);
    if (name.empty() || option.empty()) diags.report(DiagId::BadReadingArg, nullptr, Span{}, {arg});
    else if (!out.emplace(name, option).second) diags.report(DiagId::DuplicateReadingUse, nullptr, Span{}, {"--reading", name});
  }
  std::cerr << renderDiagnostics(diags.all(), DiagFormat::Text, lang);
  return diags.errorCount() == 0;
}

std::unique_ptr<Compiled> compileForRun(const std::string &path, Lang lang, int *failStatus,
                                        const ReadingChoices &readings) {
  auto c = std::make_unique<Compiled>();
  DiagnosticEngine diags;
  std::string err;
  c->source = SourceFile::load(path, &err);
  if (failStatus) *failStatus = c->source ? 1 : 2;
  if (!c->source) {
    reportLoadFailure(diags, path, err);
  } else if ((c->ast = parse::parseFile(c->source, diags))) {
    sema::CheckOptions options;
    options.readings = readings;
    c->checked = sema::check(*c->ast, diags, options);
    if (diags.errorCount() == 0) c->program = ir::fromSema(*c->checked, diags);
  }
  // Warnings were the author's business at `check` time; a run shows errors only.
  std::vector<Diagnostic> errors;
  for (const auto &d : diags.all())
    if (d.severity == Severity::Error) errors.push_back(d);
  // A --reading that names no reading or option of this file is a usage error.
  for (const auto &d : errors)
    if (failStatus && (d.id == DiagId::UnknownReadingArg || d.id == DiagId::UnknownReadingArgOption ||
                                     d.id == DiagId::AmbiguousImportReadingArg)) *failStatus = 2;
  std::cerr << renderDiagnostics(errors, DiagFormat::Text, lang);
  if (!errors.empty() || !c->program) return nullptr;
  return c;
}

static int writeOut(const std::string &text, const std::string &output) {
  if (output.empty() || output == "-") {
    std::cout << text;
    return 0;
  }
  std::ofstream out(output, std::ios::binary);
  if (!out) {
    std::cerr << "无法写入 " << output << "\n";
    return 2;
  }
  out << text;
  return 0;
}

// --format, or else the output file's extension, or else md.
static std::string tableFormat(const TableArgs &args) {
  if (!args.format.empty()) return args.format;
  for (const char *ext : {"html", "csv", "xlsx", "md"}) {
    std::string tail = std::string(".") + ext;
    if (args.output.size() > tail.size() && args.output.compare(args.output.size() - tail.size(), tail.size(), tail) == 0)
      return ext;
  }
  return "md";
}

int runTable(const TableArgs &args) {
  DiagnosticEngine diags;
  std::string err;
  auto source = SourceFile::load(args.file, &err);
  if (!source) {
    reportLoadFailure(diags, args.file, err);
    std::cerr << renderDiagnostics(diags.all(), DiagFormat::Text, args.lang);
    return 2;
  }
  auto file = parse::parseFile(source, diags);
  if (!file) {
    std::cerr << renderDiagnostics(diags.all(), DiagFormat::Text, args.lang);
    return 1;
  }
  std::string format = tableFormat(args);
  if (format == "xlsx") {
    if (args.output.empty() || args.output == "-") {
      std::cerr << (args.lang == Lang::Zh ? "xlsx 格式需要用 -o 指定输出文件（如 -o 细则.xlsx）\n"
                                          : "the xlsx format needs an output file: -o table.xlsx\n");
      return 2;
    }
    std::string error;
    if (!report::writeTableXlsx(*file, args.lang, args.output, &error)) {
      std::cerr << error << "\n";
      return 2;
    }
    return 0;
  }
  report::TableFormat f = format == "html" ? report::TableFormat::Html
                          : format == "csv" ? report::TableFormat::Csv
                                            : report::TableFormat::Markdown;
  return writeOut(report::renderTable(*file, f, args.lang), args.output);
}

// The cases that fix readings: their rows of the case sheet are expected under
// those readings, so the sheet alone would score them under 采用 without a
// word. Written beside the sheet as NAME.readings.csv, and said on stderr.
static int writeCaseReadings(const Compiled &c, const TemplateArgs &args) {
  const auto &p = c.program->desc;
  std::string idName = p.idField >= 0 ? p.fields[static_cast<size_t>(p.idField)].name : "";
  std::string text = report::renderCaseReadingsCsv(*c.ast, idName);
  if (text.empty()) return 0;
  bool toFile = !args.output.empty() && args.output != "-";
  std::string path = toFile ? args.output.substr(0, args.output.rfind('.')) + ".readings.csv" : "";
  for (const auto &tc : c.ast->cases) {
    std::string readings;
    for (const auto &cr : tc.readings) readings += std::string(readings.empty() ? "" : " ") + "--reading " + cr.reading + "=" + cr.option;
    if (readings.empty()) continue;
    std::cerr << (args.lang == Lang::Zh ? "提示: 用例“" + tc.name + "”的期望按另一读法：评分时加 " + readings + "\n"
                                        : "note: case '" + tc.name + "' is expected under other readings: score with " + readings + "\n");
  }
  return toFile ? writeOut(text, path) : 0;
}

static bool isXlsxPath(const std::string &path) {
  return path.size() > 5 && path.compare(path.size() - 5, 5, ".xlsx") == 0;
}

static int writeTemplateWorkbook(const runtime::Program &p, int listSlots, const std::string &path,
                                 const std::vector<std::vector<std::string>> *rows) {
  std::string error;
  if (report::writeTemplateXlsx(p, listSlots, path, &error, rows)) return 0;
  std::cerr << error << "\n";
  return 2;
}

// Parameters no case sets take their declared default (or 0, as in `rubricc
// test`); beside the sheet as NAME.params.csv.
static int writeCaseParams(const Compiled &c, std::vector<std::pair<std::string, std::string>> params,
                           const std::string &output) {
  for (const auto &prm : c.ast->params) {
    bool given = false;
    for (const auto &[k, v] : params) given |= k == prm.name;
    if (!given) params.push_back({prm.name, prm.defaultText ? *prm.defaultText : "0"});
  }
  if (params.empty() || output.empty() || output == "-") return 0;
  std::string text = "\xEF\xBB\xBF名称,值\r\n";
  for (const auto &[k, v] : params) text += k + "," + v + "\r\n";
  return writeOut(text, output.substr(0, output.rfind('.')) + ".params.csv");
}

// --cases: the rubric's 用例 as input rows — a workbook for -o *.xlsx, else CSV.
static int writeCases(const Compiled &c, const TemplateArgs &args) {
  std::vector<std::pair<std::string, std::string>> params;
  const auto &p = c.program->desc;
  int rc;
  if (isXlsxPath(args.output)) {
    report::CaseRows cases = report::caseRows(*c.ast, p, &params);
    rc = writeTemplateWorkbook(p, cases.listSlots, args.output, &cases.rows);
  } else {
    rc = writeOut(report::renderCasesCsv(*c.ast, p, &params), args.output);
  }
  if (!rc) rc = writeCaseParams(c, std::move(params), args.output);
  return rc ? rc : writeCaseReadings(c, args);
}

int runTemplate(const TemplateArgs &args) {
  int failStatus = 1;
  auto c = compileForRun(args.file, args.lang, &failStatus);
  if (!c) return failStatus;
  if (args.cases) return writeCases(*c, args);
  if (isXlsxPath(args.output)) return writeTemplateWorkbook(c->program->desc, args.listSlots, args.output, nullptr);
  int rc = writeOut(report::renderTemplateCsv(c->program->desc, args.listSlots), args.output);
  if (!args.output.empty() && args.output != "-") std::cerr << report::renderTemplateNotes(c->program->desc);
  return rc;
}

} // namespace rubric::driver
