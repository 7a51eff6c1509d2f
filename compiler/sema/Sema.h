// Semantic analysis: everything a careful reviewer checks before a rubric is
// used. Names, types, levels, points arithmetic, tier coverage, N/A and veto
// targets, dependency phases. The AST is not modified; facts are returned in
// CheckedFile for the stages after this one.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "ast/Ast.h"
#include "diagnostics/Diagnostic.h"
#include "sema/Types.h"

namespace rubric::sema {

// A declared reading (读法) as this compilation sees it.
struct ReadingInfo {
  const ast::Reading *decl = nullptr;
  int adopted = -1;          // the option the rubric adopts (采用), index into decl->options
  int chosen = -1;           // the option in force: 采用, or the one --reading / a 用例 asks for
  ast::Type options;         // the options as an enum, for `X = 选项` and `按 X { … }`
  struct Use {
    const ast::Node *node;   // the item whose rule uses it (null: an award, veto or check at top level)
    Span span;
  };
  std::vector<Use> uses;     // in the order sema meets them
  const std::string &name() const { return decl->name; }
  const std::string &chosenName() const { return decl->options[static_cast<size_t>(chosen)].name; }
};

// A 令 (local name) as this compilation sees it.
struct LocalNameInfo {
  const ast::LocalName *decl = nullptr;
  const ast::Node *owner = nullptr;          // the node whose braces declare it (null: top level)
  ValueType type;                            // the type of its expression
  std::vector<const ast::Node *> nodeRefs;   // nodes its expression reads, through other names too
  bool population = false;                   // it reads a whole-population function (排名 …)
  std::vector<ReadingInfo *> readings;       // readings its expression reads (each use is a use of them)
  int uses = 0;
  int64_t expandedSize = 0;                  // sub-expressions once every name in it is written out
  bool broken = false;                       // in a 令 cycle or too large (reported; its type is unknown)
  enum class State { Unchecked, Checking, Checked } state = State::Unchecked;
  const std::string &name() const { return decl->name; }
};

// Where a name in an expression points.
struct Resolution {
  enum Kind { Field, Param, ElementField, EnumValue, Level, Total, IndicatorScore, IndicatorPoints, Reading, LocalName, Unknown };
  Kind kind = Unknown;
  const ast::FieldDecl *field = nullptr;   // Field / Param / ElementField
  int enumIndex = -1;                      // EnumValue / Level: position in the ordered values
  const ReadingInfo *reading = nullptr;    // Reading: its value is the chosen option's index
  const LocalNameInfo *local = nullptr;    // LocalName: the 令 it names (its expression stands in)
};

struct CheckedFile {
  const ast::File *file = nullptr;
  std::vector<std::unique_ptr<ast::File>> imports;            // parsed imported schemes, by index
  std::map<std::string, const ast::File *> importByAlias;
  // Imports scored over their own full population (引用 … 全体另给): alias →
  // the field of this scheme naming the imported candidate (its 标识 unless 按 字段).
  std::map<std::string, const ast::FieldDecl *> wholePopulationMatch;
  bool isWholePopulation(const std::string &alias) const { return wholePopulationMatch.count(alias) > 0; }
  std::unordered_map<const ast::Expr *, ValueType> types;      // type of every checked expression
  std::unordered_map<const ast::Expr *, Resolution> names;     // Name expressions
  std::unordered_map<const ast::Expr *, const ast::Node *> nodeRefs;  // NodeRef expressions
  std::unordered_map<const ast::NaRule *, const ast::Node *> moveTargets;
  std::unordered_map<const ast::Veto *, const ast::Node *> vetoTargets;
  std::set<const ast::Node *> populationNodes;  // nodes whose score needs the whole run
  bool needsPopulation = false;                 // any population rule, award quota or uniqueness check
  std::vector<const ast::Node *> evaluationOrder; // nodes, dependencies first
  std::unique_ptr<ast::FieldDecl> implicitLevel;  // 级别, when the header declares levels
  std::vector<std::unique_ptr<ReadingInfo>> readings;  // in declaration order
  // --reading choices for an imported scheme's readings (别名.读法, or a name only
  // that import declares): alias → (reading name inside the import → option).
  std::map<std::string, std::map<std::string, std::string>> importReadings;
  std::vector<std::unique_ptr<LocalNameInfo>> localNames;  // top level first, then nodes in source order
  // 连续年数(字段[, 截至 年]) calls: the year the run ends at (截至, or the header's 年度 − 1).
  std::unordered_map<const ast::Expr *, int64_t> throughYears;
  const ReadingInfo *findReading(const std::string &name) const;
};

struct CheckOptions {
  // Reads an imported rubric; defaults to the file system relative to the importer.
  std::function<std::shared_ptr<SourceFile>(const std::string &path, std::string *error)> loadFile;
  // Readings to use instead of their 采用 (--reading 名称=选项, a 用例's 读法): name → option.
  std::map<std::string, std::string> readings;
};

// Checks one parsed file. Errors and warnings go to `diags`; the result is
// usable by later stages only when diags has no errors.
std::unique_ptr<CheckedFile> check(const ast::File &file, DiagnosticEngine &diags,
                                   const CheckOptions &options = {});

// Known metadata keys of a row (数据来源, 指导处室, …).
const std::vector<std::string> &knownMetaKeys();
// Built-in function names and whether each needs the whole population.
bool isPopulationFunction(const std::string &name);

} // namespace rubric::sema
