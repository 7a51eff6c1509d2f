// rubricc diff OLD NEW: what changed between two rubrics (service/RubricDiff.h),
// as text, md or html. Exit 0 either way (like `table`, it reports); 1 when a
// rubric has errors, 2 when one cannot be read.
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "driver/Commands.h"
#include "service/RubricDiff.h"
#include "service/Service.h"

namespace rubric::driver {

int runDiff(const DiffArgs &args) {
  DiagnosticEngine diags;
  service::Analysis before = service::analyzeFile(args.oldFile, diags);
  service::Analysis after = service::analyzeFile(args.newFile, diags);
  if (diags.errorCount() > 0) {
    std::cerr << renderDiagnostics(diags.all(), DiagFormat::Text, args.lang);
    return before.unreadable() || after.unreadable() ? 2 : 1;
  }
  service::DiffFormat format = args.format == "md"     ? service::DiffFormat::Markdown
                               : args.format == "html" ? service::DiffFormat::Html
                                                       : service::DiffFormat::Text;
  std::string out = service::renderDiff(service::diffRubrics(*before.ast, *after.ast, args.lang), format, args.lang);
  if (args.output.empty()) {
    std::cout << out;
    return 0;
  }
  std::ofstream file(args.output, std::ios::binary | std::ios::trunc);
  file << out;
  if (!file) {
    std::cerr << (args.lang == Lang::Zh ? fmt::format("无法写入文件：{}\n", args.output)
                                        : fmt::format("cannot write file: {}\n", args.output));
    return 2;
  }
  return 0;
}

} // namespace rubric::driver
