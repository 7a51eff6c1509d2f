// Division checks over the declared input domain (after name resolution).
#pragma once

#include "ast/Ast.h"
#include "diagnostics/Diagnostic.h"
#include "sema/Sema.h"

namespace rubric::sema {

// Works out the range of values each expression can take from the declared
// types of the inputs it reads (件数 ≥ 0, 是否 ∈ [0, 1], 排名 ≥ 1, a node's
// score ∈ [0, its points], …), narrowed by the condition of a “当 … 得” rule
// for the points that rule gives. Reports a divisor that is always 0
// (E0710), constant arithmetic that overflows (E0711), and a divisor whose
// range includes 0 (W0820): such a record would be rejected at run time.
void checkDivisions(const ast::File &file, const CheckedFile &checked, DiagnosticEngine &diags);

} // namespace rubric::sema
