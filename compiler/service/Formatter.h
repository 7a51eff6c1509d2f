// `rubricc fmt`: the canonical layout of a rubric.
//
// The layout is decided from the tokens, never by re-printing the AST, so
// comments, 用例 and every spelling stay as written. What changes is white
// space: two spaces of indentation per open `{` (one more level for a line
// that continues a statement or an open bracket), one space between tokens
// that were apart and none between tokens that touched, a space before `{` and
// after an ASCII , or ;, at most one blank line, no trailing spaces, one final
// newline; plus the accepted spellings written canonically (ASCII digits for
// ６, no trailing 。, 最高 for 最高得). A comment after code keeps its distance
// so aligned comments stay aligned, and a comment line its author pushed under
// it goes exactly under it. Inside a ( [ or a record in a list whose line goes
// on after the bracket, lines align one display column after the bracket (CJK
// characters are two columns wide), as authors align the elements of a 用例's
// list. A line starting with 否则 continues its rule; inside a 分档 block a line
// starting with a comparison is the next tier, not a continuation.
#pragma once

#include <optional>
#include <string>

#include "diagnostics/Diagnostic.h"

namespace rubric::service {

// The formatted text, or nullopt when the file does not parse (the syntax
// errors are in `diags`; a file is only formatted when its meaning is known).
std::optional<std::string> formatRubric(std::shared_ptr<const SourceFile> source, DiagnosticEngine &diags);

} // namespace rubric::service
