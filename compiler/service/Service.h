// The language service: the one front-end entry point that `check`, `fmt`,
// `diff` (and an editor's language server) share. Depends on parse and sema;
// the driver depends on it, never the other way.
#pragma once

#include <memory>
#include <string>

#include "ast/Ast.h"
#include "diagnostics/Diagnostic.h"
#include "sema/Sema.h"

namespace rubric::service {

// One rubric carried through parsing and checking.
struct Analysis {
  std::shared_ptr<const SourceFile> source;      // null when the file could not be read
  std::unique_ptr<ast::File> ast;                // null when it does not parse
  std::unique_ptr<sema::CheckedFile> checked;    // null when it does not parse
  bool unreadable() const { return source == nullptr; }
};

// Parses and checks text already in memory (an editor buffer, a test).
Analysis analyze(std::shared_ptr<const SourceFile> source, DiagnosticEngine &diags,
                 const sema::CheckOptions &options = {});

// Reads `path` (E0001 / E0110 / E0111 when it cannot), then analyze().
Analysis analyzeFile(const std::string &path, DiagnosticEngine &diags, const sema::CheckOptions &options = {});

} // namespace rubric::service
