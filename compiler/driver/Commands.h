// The rubricc subcommands. Each returns the process exit code.
#pragma once
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

} // namespace rubric::driver
