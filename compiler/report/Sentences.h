// Rules rendered back as the sentences of an official table:
//   每件 非现场立案 得 3分，最高 6分   →  非现场立案，每件得3分，最高得6分
//   分档 学时 { 达到 40: 3分; … }      →  学时达到40的，得3分；…；不足20的，不得分
// Works on the AST alone (the field types and node titles it needs are read
// from the same file), so it also serves rubrics that do not check clean.
// No table formatting here: `table`, `diff` and `explain` each lay the
// sentences out their own way.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ast/Ast.h"
#include "diagnostics/Diagnostic.h"

namespace rubric::report {

// What a sentence needs to know besides the rule itself.
class RenderContext {
public:
  // `file` may be null: sentences then use names as written.
  explicit RenderContext(const ast::File *file, Lang lang = Lang::Zh);

  Lang lang() const { return lang_; }
  const ast::File *file() const { return file_; }
  // Rules inside a 扣分 row deduct whether they say 得 or 扣 (language.md §4.7).
  bool inDeduction() const { return inDeduction_; }
  RenderContext deducting(bool on) const;

  // The declared type of an input/parameter field (record fields of lists
  // included); null when the name is not a field.
  const ast::Type *fieldType(const std::string &name) const;
  // A node reference (title or label path such as 一.1) as the title a reader
  // knows; the reference text itself when it names no node.
  std::string nodeTitle(const std::string &ref) const;

private:
  const ast::File *file_;
  Lang lang_;
  bool inDeduction_ = false;
  std::map<std::string, const ast::Type *> fields_;
  std::map<std::string, std::string> refTitles_;
};

// An expression in words: "培训覆盖率达到50%", "15分×（40%×任务完成＋…）".
std::string exprText(const ast::Expr &e, const RenderContext &ctx);

// One rule as one sentence, every branch included (否则, each tier, each level,
// each option of a 按读法 block with the adopted one marked).
std::string ruleSentence(const ast::Rule &rule, const RenderContext &ctx);
// The same rule as lines: one per level for 分级 (市级：…；… / 县级：…),
// else a single line.
std::vector<std::string> ruleLines(const ast::Rule &rule, const RenderContext &ctx);

std::string naSentence(const ast::NaRule &na, const RenderContext &ctx);
std::string vetoSentence(const ast::Veto &veto, const RenderContext &ctx);   // with its 栏目, if any
std::string vetoMetaText(const ast::Veto &veto, const RenderContext &ctx);
// 栏目 on one line, as table and explain show a veto row's: 指标说明：…；数据来源：… (a value's final 。 dropped).
std::string metaLine(const std::vector<std::pair<std::string, std::string>> &meta, Lang lang);
std::string ackSentence(const ast::Ack &ack, const RenderContext &ctx);
std::string validationSentence(const ast::Validation &v, const RenderContext &ctx);
std::string awardSentence(const ast::Award &a, const RenderContext &ctx);
// How an award's ties across the quota are settled, alone ("并列者一并列入",
// "并列时按…"); "未说明" when the rubric does not say (for `diff`).
std::string awardTiePolicy(const ast::Award &a, const RenderContext &ctx);

// 令 基准比例 = … → "其中 基准比例 = …" ("where 基准比例 = …").
std::string localNameSentence(const ast::LocalName &ln, const RenderContext &ctx);

// Everything a node itself says (not its children): its rules, not-applicable
// policies, vetoes and 原文合计, one line each (a 分级 rule gives one line per
// level). Rules of a 扣分 row are worded as deductions.
std::vector<std::string> nodeSentences(const ast::Node &node, const RenderContext &ctx);

// The 分值 cell of a node: "5", "最多扣3分", "加1分（受上限）", "" when undeclared.
std::string nodePointsText(const ast::Node &node, const RenderContext &ctx);

// A node's label as the document writes it: 一 → "一、", 1 → "1.", (1) → "（1）"
// (the brackets are read from the source line); "" for an unlabelled node.
std::string nodeLabel(const ast::Node &node, const RenderContext &ctx);

} // namespace rubric::report
