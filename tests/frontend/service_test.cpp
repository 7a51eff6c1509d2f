// The language service (compiler/service): rubric diffs and formatting.
// The expected differences are read by hand from the two bundled files.
#include <string>

#include <catch2/catch.hpp>

#include "FrontendTestUtil.h"
#include "service/Formatter.h"
#include "service/RubricDiff.h"
#include "service/Service.h"

using namespace rubric;
using namespace rubric::service;

namespace {

const DiffEntry *findEntry(const RubricDiff &d, const std::string &subjectPart, DiffEntry::Kind kind) {
  for (const auto &s : d.sections)
    for (const auto &e : s.entries)
      if (e.kind == kind && e.subject.find(subjectPart) != std::string::npos) return &e;
  return nullptr;
}

bool hasDetail(const DiffEntry &e, const std::string &detail) {
  for (const auto &d : e.details)
    if (d == detail) return true;
  return false;
}

} // namespace

TEST_CASE("diff 2024 → 2025 巴南 个人: 实战练兵 31 → 25, renamed and moved items", "[service][diff]") {
  DiagnosticEngine diags;
  Analysis before = analyzeFile(std::string(RUBRICS_DIR) + "/2024/banan-individual.rubric", diags);
  Analysis after = analyzeFile(std::string(RUBRICS_DIR) + "/2025/banan-individual.rubric", diags);
  REQUIRE(before.ast);
  REQUIRE(after.ast);
  RubricDiff d = diffRubrics(*before.ast, *after.ast, Lang::Zh);
  std::string text = renderDiff(d, DiffFormat::Text, Lang::Zh);
  INFO(text);

  // 2024 line 140: 指标 三 "实战练兵" 31分; 2025 line 94: 指标 4 "实战练兵" 25分.
  const DiffEntry *practice = findEntry(d, "指标 4 “实战练兵”", DiffEntry::Kind::Changed);
  REQUIRE(practice);
  CHECK(hasDetail(*practice, "编号 指标 三 → 指标 4"));
  CHECK(hasDetail(*practice, "分值 31分 → 25分"));
  CHECK(text.find("  ~ 指标 4 “实战练兵”：编号 指标 三 → 指标 4；分值 31分 → 25分\n") != std::string::npos);

  // 2024 指标 一 "荣誉称号" 8分 (items 获得荣誉称号情况, 入选人才师资库, 参加执法稽查情况)
  // → 2025 指标 1 "专业素养" 20分 (shares 入选人才师资库): renamed.
  const DiffEntry *renamed = findEntry(d, "指标 1 “专业素养”", DiffEntry::Kind::Changed);
  REQUIRE(renamed);
  CHECK(hasDetail(*renamed, "名称 “荣誉称号” → “专业素养”"));
  CHECK(hasDetail(*renamed, "分值 8分 → 20分"));
  // 2024 指标 二 "案件办理" 50分 → 2025 指标 3 "案件查办" 25分 (案、件、办 shared).
  const DiffEntry *cases = findEntry(d, "指标 3 “案件查办”", DiffEntry::Kind::Changed);
  REQUIRE(cases);
  CHECK(hasDetail(*cases, "名称 “案件办理” → “案件查办”"));
  CHECK(hasDetail(*cases, "分值 50分 → 25分"));
  // 2024 指标 三 › 项 1 "大气监督帮扶" 28分 → 2025 指标 4 › 项 1 "现场监督帮扶" 25分.
  const DiffEntry *onsite = findEntry(d, "项 1 “现场监督帮扶”", DiffEntry::Kind::Changed);
  REQUIRE(onsite);
  CHECK(hasDetail(*onsite, "名称 “大气监督帮扶” → “现场监督帮扶”"));
  CHECK(hasDetail(*onsite, "分值 28分 → 25分"));

  // 2024 指标 二 › 项 3 "案卷质量" 35分 became 2025's 指标 2 "案卷质量" 30分: moved.
  const DiffEntry *moved = findEntry(d, "指标 2 “案卷质量”", DiffEntry::Kind::Moved);
  REQUIRE(moved);
  CHECK(hasDetail(*moved, "原位于 指标 二 “案件办理” › 项 3 “案卷质量”"));
  CHECK(hasDetail(*moved, "分值 35分 → 30分"));
  // 2024 指标 三 › 项 2 "技能比武" 3分 → 2025 指标 1 › 项 2 "技能比武" 3分.
  const DiffEntry *skills = findEntry(d, "项 2 “技能比武”", DiffEntry::Kind::Moved);
  REQUIRE(skills);
  CHECK(hasDetail(*skills, "原位于 指标 三 “实战练兵” › 项 2 “技能比武”"));

  // 2024 指标 四 "专业技能" 11分 has no counterpart.
  CHECK(findEntry(d, "指标 四 “专业技能”", DiffEntry::Kind::Removed));
  // The scheme's year: 年度 2024 → 2025.
  const DiffEntry *year = findEntry(d, "年度", DiffEntry::Kind::Changed);
  REQUIRE(year);
  CHECK(hasDetail(*year, "2024 → 2025"));

  // Markdown and HTML carry the same entries.
  std::string md = renderDiff(d, DiffFormat::Markdown, Lang::Zh);
  CHECK(md.find("| 修改 | 指标 4 “实战练兵” | 编号 指标 三 → 指标 4<br>分值 31分 → 25分 |") != std::string::npos);
  std::string html = renderDiff(d, DiffFormat::Html, Lang::Zh);
  CHECK(html.find("<td>指标 4 “实战练兵”</td>") != std::string::npos);
}

TEST_CASE("diff of a rubric with itself is empty, and a changed rule shows as sentences", "[service][diff]") {
  std::string a = "方案 甲 { }\n输入 { 单位: 文本 (标识); 达标: 是否 }\n指标 一 \"甲\" 3分 { 当 达标 得 3分 }\n";
  std::string b = "方案 甲 { }\n输入 { 单位: 文本 (标识); 达标: 是否 }\n指标 一 \"甲\" 3分 {\n  当 达标 得 2分\n}\n";
  DiagnosticEngine diags;
  Analysis x = analyze(std::make_shared<SourceFile>("a.rubric", a), diags);
  Analysis y = analyze(std::make_shared<SourceFile>("b.rubric", b), diags);
  REQUIRE(x.ast);
  REQUIRE(y.ast);
  CHECK(diffRubrics(*x.ast, *x.ast, Lang::Zh).empty());
  RubricDiff d = diffRubrics(*x.ast, *y.ast, Lang::Zh);
  const DiffEntry *e = findEntry(d, "指标 一 “甲”", DiffEntry::Kind::Changed);
  REQUIRE(e);
  REQUIRE(e->removedRules.size() == 1);
  REQUIRE(e->addedRules.size() == 1);
  // Rules read as the official table words them (report/Sentences.h).
  CHECK(e->removedRules[0] == "达标的，得3分");
  CHECK(e->addedRules[0] == "达标的，得2分");
}

TEST_CASE("fmt: indentation by braces, comments kept, accepted spellings written canonically", "[service][fmt]") {
  std::string text = "// 头注释\n方案 甲 {\n标题 \"甲\"\n}\n\n\n输入 {\n单位: 文本 (标识)   // 标识\n"
                     "数量: 件数\n}\n指标 一 \"甲\" 6分 {\n每件 数量 得 ２分，最高得6分。\n  }\n";
  DiagnosticEngine diags;
  auto out = formatRubric(std::make_shared<SourceFile>("t.rubric", text), diags);
  REQUIRE(out);
  // Two blank lines become one; ２ → 2; 最高得 → 最高; the 。 goes; the comment keeps its 3 spaces.
  CHECK(*out == "// 头注释\n方案 甲 {\n  标题 \"甲\"\n}\n\n输入 {\n  单位: 文本 (标识)   // 标识\n"
                "  数量: 件数\n}\n指标 一 \"甲\" 6分 {\n  每件 数量 得 2分，最高 6分\n}\n");
  DiagnosticEngine again;
  CHECK(*formatRubric(std::make_shared<SourceFile>("t.rubric", *out), again) == *out);
}

TEST_CASE("fmt: list elements align after their bracket, tiers are not continuations, 否则 and comment lines continue",
          "[service][fmt]") {
  std::string text = "方案 甲 {}\n输入 {\n单位: 文本 (标识)\n数量: 件数   // 一\n                 // 二\n"
                     "案卷: 列表 {得分率: 百分比}\n}\n"
                     "指标 一 \"甲\" 6分 {\n分档 数量 {\n超过 5: 6分\n达到 1 且 不超过 5: 3分\n否则: 0分\n}\n}\n"
                     "指标 二 \"乙\" 2分 {\n当 数量 达到 3 得 2分\n否则 当 个数(案卷) 达到 1 得 1分\n}\n"
                     "用例 \"例\" {\n输入 { 单位: \"甲单位\"; 数量: 3; 案卷: [{得分率: 90%},\n{得分率: 80%}] }\n"
                     "期望 { 总分: 5 }\n}\n";
  DiagnosticEngine diags;
  auto out = formatRubric(std::make_shared<SourceFile>("t.rubric", text), diags);
  REQUIRE(out);
  // "  输入 { 单位: \"甲单位\"; 数量: 3; 案卷: [" is 40 display columns wide (a CJK
  // character counts 2: 2 + 4 + 3 + 4 + 2 + 8 + 2 + 4 + 5 + 4 + 2 = 40), so the next
  // element starts at column 41, under the first; "// 二" stays under "// 一"
  // (column 2 + 4 + 2 + 4 + 3 = 15); a tier line is a tier, not a continuation of
  // the one above (4 spaces inside two braces); 否则 continues its 当 (one level more).
  CHECK(*out == "方案 甲 {}\n输入 {\n  单位: 文本 (标识)\n  数量: 件数   // 一\n" + std::string(15, ' ') +
                    "// 二\n  案卷: 列表 {得分率: 百分比}\n}\n"
                    "指标 一 \"甲\" 6分 {\n  分档 数量 {\n    超过 5: 6分\n    达到 1 且 不超过 5: 3分\n    否则: 0分\n  }\n}\n"
                    "指标 二 \"乙\" 2分 {\n  当 数量 达到 3 得 2分\n    否则 当 个数(案卷) 达到 1 得 1分\n}\n"
                    "用例 \"例\" {\n  输入 { 单位: \"甲单位\"; 数量: 3; 案卷: [{得分率: 90%},\n" +
                    std::string(41, ' ') + "{得分率: 80%}] }\n  期望 { 总分: 5 }\n}\n");
  DiagnosticEngine again;
  CHECK(*formatRubric(std::make_shared<SourceFile>("t.rubric", *out), again) == *out);
}

TEST_CASE("diff: readings, awards and input types read as sentences, not DSL", "[service][diff]") {
  std::string a = "方案 甲 { }\n"
                  "输入 { 单位: 文本 (标识); 级别: 枚举{县级, 市级}; 达标: 是否; 备用: 件数 }\n"
                  "读法 两种 \"两种以上\" {\n  含本数: \"达到2种\"\n  不含本数: \"超过2种\"\n  采用 含本数\n}\n"
                  "指标 一 \"甲\" 3分 { 当 达标 得 3分 }\n"
                  "奖项 \"优秀\" 当 级别 = 县级 名额 3 按 总分 降序 并列一并列入\n"
                  "奖项 \"旧奖\" 名额 1 按 总分 降序 并列时报告待定\n";
  std::string b = "方案 甲 { }\n"
                  "输入 { 单位: 文本 (标识); 级别: 枚举{县级, 市级}; 达标: 是否; 备用: 小数 }\n"
                  "读法 两种 \"两种以上\" {\n  含本数: \"达到2种（含2种）\"\n  不含本数: \"超过2种\"\n"
                  "  其他: \"另行认定\"\n  采用 不含本数\n  理由 \"2025年通知\"\n}\n"
                  "读法 新读法 \"原文一句\" {\n  甲: \"一种理解\"\n  乙: \"另一种理解\"\n  采用 甲\n}\n"
                  "指标 一 \"甲\" 3分 { 当 达标 得 3分 }\n"
                  "奖项 \"优秀\" 当 级别 = 市级 名额 5 按 总分 降序 并列时报告待定\n";
  DiagnosticEngine diags;
  Analysis x = analyze(std::make_shared<SourceFile>("a.rubric", a), diags);
  Analysis y = analyze(std::make_shared<SourceFile>("b.rubric", b), diags);
  REQUIRE(x.ast);
  REQUIRE(y.ast);
  RubricDiff d = diffRubrics(*x.ast, *y.ast, Lang::Zh);
  INFO(renderDiff(d, DiffFormat::Text, Lang::Zh));

  // 备用: 件数 → 小数.
  const DiffEntry *field = findEntry(d, "输入字段“备用”", DiffEntry::Kind::Changed);
  REQUIRE(field);
  CHECK(field->details == std::vector<std::string>{"类型 件数 → 小数"});

  // 优秀: each change named, and both official sentences (report::awardSentence) shown.
  const DiffEntry *award = findEntry(d, "奖项“优秀”", DiffEntry::Kind::Changed);
  REQUIRE(award);
  CHECK(award->details == std::vector<std::string>{"名额 3 → 5", "条件 “级别为县级” → “级别为市级”",
                                                   "并列 并列者一并列入 → 跨过名额的并列者报告待定"});
  CHECK(award->removedRules == std::vector<std::string>{"优秀：级别为县级的，按总分从高到低取前3名，并列者一并列入"});
  CHECK(award->addedRules ==
        std::vector<std::string>{"优秀：级别为市级的，按总分从高到低取前5名，跨过名额的并列者报告待定"});
  const DiffEntry *gone = findEntry(d, "奖项“旧奖”", DiffEntry::Kind::Removed);
  REQUIRE(gone);
  CHECK(gone->removedRules == std::vector<std::string>{"旧奖：按总分从高到低取前1名，跨过名额的并列者报告待定"});

  // 两种: a meaning changed, an option added, another 采用, a 理由 given.
  const DiffEntry *reading = findEntry(d, "读法“两种”", DiffEntry::Kind::Changed);
  REQUIRE(reading);
  CHECK(reading->details == std::vector<std::string>{"选项 含本数 “达到2种” → “达到2种（含2种）”", "新增选项 其他：另行认定",
                                                     "采用 含本数 → 不含本数", "理由 — → “2025年通知”"});
  const DiffEntry *added = findEntry(d, "读法“新读法”", DiffEntry::Kind::Added);
  REQUIRE(added);
  CHECK(added->details == std::vector<std::string>{"原文“原文一句”", "选项 甲：一种理解", "选项 乙：另一种理解", "采用 甲"});

  // Text: the entry line and the sentences under it.
  std::string text = renderDiff(d, DiffFormat::Text, Lang::Zh);
  CHECK(text.find("\n读法\n  ~ 读法“两种”：选项 含本数") != std::string::npos);
  CHECK(text.find("      + 规则：优秀：级别为市级的，按总分从高到低取前5名，跨过名额的并列者报告待定\n") != std::string::npos);
}
