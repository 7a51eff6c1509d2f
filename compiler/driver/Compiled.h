// A rubric carried through every front-end stage, for the commands that run it.
#pragma once

#include <memory>

#include "ast/Ast.h"
#include "ir/Ir.h"
#include "sema/Sema.h"

namespace rubric::driver {

struct Compiled {
  std::shared_ptr<SourceFile> source;
  std::unique_ptr<ast::File> ast;
  std::unique_ptr<sema::CheckedFile> checked;
  std::unique_ptr<ir::Program> program;
};

} // namespace rubric::driver
