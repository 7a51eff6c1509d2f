// The rubricc subcommands. Each returns the process exit code.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "diagnostics/Diagnostic.h"

namespace rubric::driver {

struct CheckArgs {
  std::vector<std::string> files;
  bool werror = false;
  DiagFormat format = DiagFormat::Text;
  Lang lang = Lang::Zh;
  bool color = false;
  std::string emit;   // "" | "ast"
  bool quiet = false;
};
int runCheck(const CheckArgs &args);

struct FmtArgs {
  std::vector<std::string> files;
  bool write = false;   // -w: rewrite the files in place
  bool check = false;   // --check: list files not formatted, exit 1
  Lang lang = Lang::Zh;
};
int runFmt(const FmtArgs &args);

struct DiffArgs {
  std::string oldFile, newFile, format = "text", output;
  // --data: an input both years' rubrics read, scored under each (with its own --old-params / --new-params).
  std::string data, oldParams, newParams, encoding = "auto", sheet;
  // --with 名=文件 (with --data): given to each year whose rubric names that scheme.
  std::vector<std::string> with;
  Lang lang = Lang::Zh;
};
int runDiff(const DiffArgs &args);

struct LspArgs {
  Lang lang = Lang::Zh;
};
int runLsp(const LspArgs &args);

} // namespace rubric::driver

namespace rubric::driver {

// The readings to use instead of their 采用: reading name → option.
using ReadingChoices = std::map<std::string, std::string>;
// Parses the --reading NAME=OPTION arguments; false (after printing E0127 or
// E0126 to stderr) when one is malformed or names a reading twice.
bool parseReadingArgs(const std::vector<std::string> &args, Lang lang, ReadingChoices &out);

// Loads, parses, checks and lowers a rubric under `readings`, printing
// diagnostics to stderr. Returns null when it has errors, and then stores the
// exit status in *failStatus: 2 when the file cannot be read or a reading
// choice names no reading or option of the file (a usage error), 1 for diagnostics.
struct Compiled;
std::unique_ptr<Compiled> compileForRun(const std::string &path, Lang lang, int *failStatus = nullptr,
                                        const ReadingChoices &readings = {});

struct TableArgs {
  std::string file, format, output;  // format "" = from the output's extension, else md
  Lang lang = Lang::Zh;
};
int runTable(const TableArgs &args);

struct TemplateArgs {
  std::string file, output;
  int listSlots = 3;
  bool cases = false;  // emit the rubric's 用例 as rows (bundled examples)
  Lang lang = Lang::Zh;
};
int runTemplate(const TemplateArgs &args);

struct ReadingsArgs {
  std::string file, format = "text";
  std::string impact, params, encoding = "auto", sheet;   // --impact INPUT and how to read it
  std::vector<std::string> readings;                      // --reading NAME=OPTION: the baseline
  std::vector<std::string> with;                          // --with 名=文件 (with --impact)
  Lang lang = Lang::Zh;
};
int runReadings(const ReadingsArgs &args);

} // namespace rubric::driver
