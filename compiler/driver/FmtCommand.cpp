// rubricc fmt FILE...: the canonical layout (service/Formatter.h) on stdout;
// -w rewrites the files, --check lists those not formatted and exits 1.
// Exit 2 when a file cannot be read, 1 when one does not parse.
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "driver/Commands.h"
#include "service/Formatter.h"

namespace rubric::driver {

namespace {

bool writeFile(const std::string &path, const std::string &text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

} // namespace

int runFmt(const FmtArgs &args) {
  int status = 0;
  bool zh = args.lang == Lang::Zh;
  for (const auto &path : args.files) {
    DiagnosticEngine diags;
    std::string err;
    auto source = SourceFile::load(path, &err);
    if (!source) {
      reportLoadFailure(diags, path, err);
      std::cerr << renderDiagnostics(diags.all(), DiagFormat::Text, args.lang);
      status = 2;
      continue;
    }
    auto formatted = service::formatRubric(source, diags);
    if (!formatted) {
      std::cerr << renderDiagnostics(diags.all(), DiagFormat::Text, args.lang);
      std::cerr << (zh ? fmt::format("{}：有语法错误，未格式化\n", path)
                       : fmt::format("{}: has syntax errors; not formatted\n", path));
      status = std::max(status, 1);
      continue;
    }
    bool changed = *formatted != source->text();
    if (args.check) {
      if (changed) {
        std::cout << (zh ? fmt::format("需要格式化：{}\n", path) : fmt::format("not formatted: {}\n", path));
        status = std::max(status, 1);
      }
    } else if (args.write) {
      if (changed && !writeFile(path, *formatted)) {
        std::cerr << (zh ? fmt::format("无法写入文件：{}\n", path) : fmt::format("cannot write file: {}\n", path));
        status = 2;
      }
    } else {
      std::cout << *formatted;
    }
  }
  return status;
}

} // namespace rubric::driver
