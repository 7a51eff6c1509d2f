// Checked AST → scoring IR. Desugars every rule into arithmetic, lays out
// input columns and output slots, and assigns each slot its phase.
#pragma once

#include <memory>

#include "diagnostics/Diagnostic.h"
#include "ir/Ir.h"
#include "sema/Sema.h"

namespace rubric::ir {

// Returns null (with diagnostics) if something cannot be lowered.
std::unique_ptr<Program> fromSema(const sema::CheckedFile &checked, DiagnosticEngine &diags);

// Parse + check + lower in one step, for the driver and tests.
std::unique_ptr<Program> compileFile(std::shared_ptr<const SourceFile> source, DiagnosticEngine &diags);

} // namespace rubric::ir
