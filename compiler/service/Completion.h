// Completion for the language server: what may be typed at a cursor, read
// from the text before it on its line and the rubric's declarations.
//   after an unclosed 【        the items' titles (【】 references)
//   after `字段 =` / `读法 =`   the enum field's values / the reading's options
//   elsewhere                   input and parameter fields, readings, keywords
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ast/Ast.h"
#include "diagnostics/Diagnostic.h"

namespace rubric::service {

struct CompletionItem {
  enum class Kind { Field = 5, Variable = 6, Keyword = 14, Reference = 18, EnumMember = 20 };   // LSP CompletionItemKind
  std::string label, detail;
  Kind kind = Kind::Keyword;
};

// `linePrefix`: the cursor's line up to the cursor. `file` may be null (the
// document never parsed): then only keywords are offered.
std::vector<CompletionItem> completeAt(const ast::File *file, std::string_view linePrefix, Lang lang);

} // namespace rubric::service
