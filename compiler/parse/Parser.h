// Source text → AST. Wraps the ANTLR-generated parser; nothing ANTLR leaks out.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ast/Ast.h"
#include "diagnostics/Diagnostic.h"

namespace rubric::parse {

// Parses one rubric file. Returns null (with diagnostics) when the text is not
// valid UTF-8 or has syntax errors; the AST is only built from a clean parse.
std::unique_ptr<ast::File> parseFile(std::shared_ptr<const SourceFile> source,
                                     DiagnosticEngine &diags);

// A token as tools (formatter, language server) see it: the lexer's token
// after the accepted spellings of SyntaxHelp.h, with comments and white space.
struct ToolToken {
  std::string symbol;       // the grammar's token name: "LBRACE", "K_WHEN", "LINE_COMMENT", "WS", "EOF"
  std::string text;         // as lexed (full-width digits already ASCII)
  uint32_t line = 0, col = 0;       // 1-based; col in code points
  size_t start = 0, stop = 0;       // code-point offsets in the file, stop inclusive
  bool visible = false;     // on the parser's channel
  bool dropped = false;     // accepted but meaningless: a trailing 。, the 得 of 最高得
  bool isComment() const { return symbol == "LINE_COMMENT" || symbol == "BLOCK_COMMENT"; }
};
// Every token of the file in order, EOF last. The file must be valid UTF-8.
std::vector<ToolToken> lexTokens(const SourceFile &source);

} // namespace rubric::parse
