#include "service/Service.h"

#include "parse/Parser.h"

namespace rubric::service {

Analysis analyze(std::shared_ptr<const SourceFile> source, DiagnosticEngine &diags,
                 const sema::CheckOptions &options) {
  Analysis a;
  a.source = std::move(source);
  a.ast = parse::parseFile(a.source, diags);
  if (a.ast) a.checked = sema::check(*a.ast, diags, options);
  return a;
}

Analysis analyzeFile(const std::string &path, DiagnosticEngine &diags, const sema::CheckOptions &options) {
  std::string err;
  auto source = SourceFile::load(path, &err);
  if (!source) {
    reportLoadFailure(diags, path, err);
    return {};
  }
  return analyze(std::move(source), diags, options);
}

} // namespace rubric::service
