// `rubricc diff OLD NEW`: what changed between two years' rubrics.
//
// Indicators and items are matched level by level: first by title (so a
// renumbered item is the same item), then the rest by likeness (a shared
// child, a similar title, the same number — so a renamed item is found), and
// an item that left one parent and appears under another is reported as moved.
// Rules are compared as sentences (report/Sentences.h), so layout changes are not
// changes.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ast/Ast.h"
#include "diagnostics/Diagnostic.h"

namespace rubric::service {

struct DiffEntry {
  enum class Kind { Added, Removed, Changed, Moved };
  Kind kind = Kind::Changed;
  std::string subject;                 // 指标 4 “实战练兵” › 项 1 “现场监督帮扶”, 输入字段“姓名”, …
  std::vector<std::string> details;    // 分值 31分 → 25分, 名称 “…” → “…”, 编号 三 → 4
  std::vector<std::string> removedRules, addedRules;   // as sentences
};

struct DiffSection {
  std::string title;                   // 方案, 输入, 指标与评分项, 否决, 奖项, 校验, 用例
  std::vector<DiffEntry> entries;
};

struct RubricDiff {
  std::string oldName, newName;        // path（方案名）
  std::vector<DiffSection> sections;   // only sections with changes
  bool empty() const { return sections.empty(); }
};

RubricDiff diffRubrics(const ast::File &oldFile, const ast::File &newFile, Lang lang);

// The differences inside each scheme both years import under the same alias,
// as sections titled "引用 别名 › 读法" … (the importing text may be the same
// while the imported rubric changed). One level: an import's own imports are
// not followed.
void addImportedDiffs(RubricDiff &diff, const std::map<std::string, const ast::File *> &oldImports,
                      const std::map<std::string, const ast::File *> &newImports, Lang lang);

enum class DiffFormat { Text, Markdown, Html };
std::string renderDiff(const RubricDiff &diff, DiffFormat format, Lang lang);

} // namespace rubric::service
