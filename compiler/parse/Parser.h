// Source text → AST. Wraps the ANTLR-generated parser; nothing ANTLR leaks out.
#pragma once

#include <memory>

#include "ast/Ast.h"
#include "diagnostics/Diagnostic.h"

namespace rubric::parse {

// Parses one rubric file. Returns null (with diagnostics) when the text is not
// valid UTF-8 or has syntax errors; the AST is only built from a clean parse.
std::unique_ptr<ast::File> parseFile(std::shared_ptr<const SourceFile> source,
                                     DiagnosticEngine &diags);

} // namespace rubric::parse
