// Readings (读法): the declaration, its uses in rules (`X = 选项`, 按读法),
// a 用例's 读法 list, overrides (what --reading passes to sema), and every
// readings diagnostic (E0120–E0126, E0128, E0129, W0120; E0127 is the
// driver's, tested by tests/e2e/readings_test.sh).
#include <string>

#include <catch2/catch.hpp>

#include "FrontendTestUtil.h"

using namespace rubric;
using namespace rubric::test;

namespace {

const std::string kHead = "方案 甲 { }\n输入 { 姓名: 文本 (标识); 省级: 是否; 市级: 是否 }\n";
const std::string kHeadOne = "方案 甲 { }\n输入 { 姓名: 文本 (标识); 省级: 是否 }\n";   // for rubrics that read 省级 only

const std::string kReading =
    "读法 技能比武计分 \"获得省级比武先进个人的，得2分，获得市级比武先进个人的，得1分\" {\n"
    "  累加: \"省级、市级分别计分\"\n"
    "  取最高: \"只按最高一级计分\"\n"
    "  采用 累加\n"
    "  理由 \"该项满分3分\"\n"
    "}\n";

const std::string kRules =
    "指标 一 \"技能比武\" 3分 {\n"
    "  按读法 技能比武计分 {\n"
    "    累加 { 当 省级 得 2分  当 市级 得 1分 }\n"
    "    取最高 { 当 省级 得 2分 否则 当 市级 得 1分 }\n"
    "  }\n"
    "}\n"
    "指标 二 \"其他\" 1分 { 当 技能比武计分 = 取最高 且 市级 得 1分 }\n";

// Parse + check with reading overrides (what `--reading` hands to sema).
std::unique_ptr<Compiled> compileWith(const std::string &text, std::map<std::string, std::string> readings) {
  auto c = std::make_unique<Compiled>();
  c->source = std::make_shared<SourceFile>("test.rubric", text);
  c->file = parse::parseFile(c->source, c->diags);
  if (!c->file) return c;
  sema::CheckOptions options;
  options.readings = std::move(readings);
  c->checked = sema::check(*c->file, c->diags, options);
  return c;
}

} // namespace

TEST_CASE("a reading declaration parses into name, sentence, options, choice and reason", "[readings]") {
  auto c = compile(kHead + kReading + kRules);
  INFO(c->rendered());
  REQUIRE(c->errors() == 0);
  CHECK(c->warnings() == 0);
  REQUIRE(c->file->readings.size() == 1);
  const ast::Reading &r = c->file->readings[0];
  CHECK(r.name == "技能比武计分");
  CHECK(r.text == "获得省级比武先进个人的，得2分，获得市级比武先进个人的，得1分");
  REQUIRE(r.options.size() == 2);
  CHECK(r.options[0].name == "累加");
  CHECK(r.options[0].meaning == "省级、市级分别计分");
  CHECK(r.options[1].name == "取最高");
  REQUIRE(r.adopted.size() == 1);
  CHECK(r.adopted[0].first == "累加");
  CHECK(r.reason.value_or("") == "该项满分3分");
  const sema::ReadingInfo *info = c->checked->findReading("技能比武计分");
  REQUIRE(info);
  CHECK(info->adopted == 0);
  CHECK(info->chosen == 0);
  // Used twice: the 按读法 block in 一 and the expression in 二.
  REQUIRE(info->uses.size() == 2);
  CHECK(info->uses[0].node->title == "技能比武");
  CHECK(info->uses[1].node->title == "其他");
  // The 按读法 rule keeps both blocks, in order.
  const ast::Node *one = findNode(*c->file, "技能比武");
  REQUIRE(one->rules.size() == 1);
  CHECK(one->rules[0].kind == ast::RuleKind::ByReading);
  REQUIRE(one->rules[0].readingBlocks.size() == 2);
  CHECK(one->rules[0].readingBlocks[0].rules.size() == 2);
  CHECK(one->rules[0].readingBlocks[1].level == "取最高");
}

TEST_CASE("English aliases: reading, adopt, because, by_reading", "[readings]") {
  auto c = compile(kHead +
                   "reading 计分 \"…\" { 甲种: \"a\" 乙种: \"b\" adopt 乙种 because \"why\" }\n"
                   "指标 一 \"x\" 2分 { by_reading 计分 { 甲种 { 当 省级 得 2分 } 乙种 { 当 市级 得 1分 } } }\n"
                   "指标 二 \"y\" 1分 { 当 市级 或 省级 得 1分 }\n");
  INFO(c->rendered());
  CHECK(c->errors() == 0);
  REQUIRE(c->file->readings.size() == 1);
  CHECK(c->file->readings[0].adopted[0].first == "乙种");
  CHECK(c->file->readings[0].reason.value_or("") == "why");
}

TEST_CASE("a 用例 lists the readings it runs under", "[readings]") {
  auto c = compile(kHead + kReading + kRules +
                   "用例 \"取最高\" 读法 技能比武计分 = 取最高 { 输入 { 省级: 是 } 期望 { 总分: 2 } }\n");
  INFO(c->rendered());
  CHECK(c->errors() == 0);
  REQUIRE(c->file->cases.size() == 1);
  REQUIRE(c->file->cases[0].readings.size() == 1);
  CHECK(c->file->cases[0].readings[0].reading == "技能比武计分");
  CHECK(c->file->cases[0].readings[0].option == "取最高");
}

TEST_CASE("an override chooses another option — a bad one is E0128 / E0129", "[readings]") {
  auto c = compileWith(kHead + kReading + kRules, {{"技能比武计分", "取最高"}});
  INFO(c->rendered());
  CHECK(c->errors() == 0);
  CHECK(c->checked->findReading("技能比武计分")->chosen == 1);
  CHECK(c->checked->findReading("技能比武计分")->adopted == 0);

  auto noSuchReading = compileWith(kHead + kReading + kRules, {{"技能比武记分", "累加"}});
  CHECK(noSuchReading->codes() == "E0128");
  CHECK(noSuchReading->rendered() ==
        "错误[E0128]: --reading：细则中没有名为“技能比武记分”的读法（本细则的读法：技能比武计分）\n"
        "  = 提示[N0001]: 您是否想写“技能比武计分”？\n");
  auto noSuchOption = compileWith(kHead + kReading + kRules, {{"技能比武计分", "最高"}});
  CHECK(noSuchOption->codes() == "E0129");
  CHECK(noSuchOption->rendered().find("“最高”不是读法“技能比武计分”的选项（可选：累加、取最高）") != std::string::npos);
}

TEST_CASE("readings diagnostics", "[readings][diag]") {
  SECTION("E0120 unknown reading in 按读法, with a suggestion") {
    auto c = compile(kHeadOne + kReading +
                     "指标 一 \"x\" 3分 { 按读法 技能比武记分 { 累加 { 当 省级 得 3分 } } }\n"
                     "指标 二 \"y\" 0分 { 当 技能比武计分 = 累加 得 0分 }\n");
    CHECK(c->codes() == "E0120");
    CHECK(c->rendered().find("未定义的读法“技能比武记分”（本细则的读法：技能比武计分）") != std::string::npos);
    CHECK(c->rendered().find("您是否想写“技能比武计分”") != std::string::npos);
  }
  SECTION("E0120 unknown reading in a 用例") {
    auto c = compile(kHead + kReading + kRules + "用例 \"a\" 读法 别的 = 累加 { 输入 { } 期望 { 总分: 0 } }\n");
    CHECK(c->codes() == "E0120");
  }
  SECTION("E0121 a reading named like a field, or twice") {
    auto field = compile(kHeadOne + "读法 省级 \"…\" { 甲: \"a\" 乙: \"b\" 采用 甲 }\n指标 一 \"x\" 1分 { 当 省级 得 1分 }\n");
    CHECK(field->codes() == "E0121");
    auto twice = compile(kHead + kReading + kReading + kRules);
    CHECK(twice->codes() == "E0121");
  }
  SECTION("E0122 fewer than two options") {
    auto c = compile(kHeadOne + "读法 计分 \"…\" { 甲: \"a\" 采用 甲 }\n指标 一 \"x\" 1分 { 当 计分 = 甲 且 省级 得 1分 }\n");
    CHECK(c->codes() == "E0122");
    CHECK(c->rendered().find("读法“计分”只列出 1 种理解") != std::string::npos);
  }
  SECTION("E0123 an option listed twice") {
    auto c = compile(kHeadOne + "读法 计分 \"…\" { 甲: \"a\" 甲: \"b\" 采用 甲 }\n指标 一 \"x\" 1分 { 当 计分 = 甲 且 省级 得 1分 }\n");
    CHECK(c->codes() == "E0123");
  }
  SECTION("E0124 no 采用, or two") {
    auto none = compile(kHeadOne + "读法 计分 \"…\" { 甲: \"a\" 乙: \"b\" }\n指标 一 \"x\" 1分 { 当 计分 = 甲 且 省级 得 1分 }\n");
    CHECK(none->codes() == "E0124");
    CHECK(none->rendered().find("读法“计分”须写且只写一次“采用 选项”（现有 0 处）") != std::string::npos);
    auto two = compile(kHeadOne + "读法 计分 \"…\" { 甲: \"a\" 乙: \"b\" 采用 甲 采用 乙 }\n指标 一 \"x\" 1分 { 当 计分 = 甲 且 省级 得 1分 }\n");
    CHECK(two->codes() == "E0124");
  }
  SECTION("E0125 an unknown option: in 采用, a block, an expression, a 用例") {
    auto adopt = compile(kHeadOne + "读法 计分 \"…\" { 累加: \"a\" 取最高: \"b\" 采用 累計 }\n指标 一 \"x\" 1分 { 当 计分 = 累加 且 省级 得 1分 }\n");
    CHECK(adopt->codes() == "E0125");
    auto block = compile(kHeadOne + kReading + "指标 一 \"x\" 3分 { 按读法 技能比武计分 { 累計 { 当 省级 得 3分 } } }\n");
    CHECK(block->codes() == "E0125");
    CHECK(block->rendered().find("“累計”不是读法“技能比武计分”的选项（可选：累加、取最高）") != std::string::npos);
    auto expr = compile(kHeadOne + kReading + "指标 一 \"x\" 3分 { 当 技能比武计分 = 取最低 且 省级 得 3分 }\n");
    CHECK(expr->codes() == "E0125");
    CHECK(expr->rendered().find("您是否想写“取最高”") != std::string::npos);
    auto kase = compile(kHead + kReading + kRules + "用例 \"a\" 读法 技能比武计分 = 取最低 { 输入 { } 期望 { 总分: 0 } }\n");
    CHECK(kase->codes() == "E0125");
  }
  SECTION("E0126 an option's block twice, a reading twice in one 用例") {
    auto block = compile(kHead + kReading +
                         "指标 一 \"x\" 3分 { 按读法 技能比武计分 { 累加 { 当 省级 得 3分 } 累加 { 当 市级 得 1分 } } }\n");
    CHECK(block->codes() == "E0126");
    auto kase = compile(kHead + kReading + kRules +
                        "用例 \"a\" 读法 技能比武计分 = 累加, 技能比武计分 = 取最高 { 输入 { } 期望 { 总分: 0 } }\n");
    CHECK(kase->codes() == "E0126");
  }
  SECTION("W0120 a reading no rule uses") {
    auto c = compile(kHead + kReading + "指标 一 \"x\" 3分 { 当 省级 得 3分 }\n指标 二 \"y\" 0分 { 当 市级 得 0分 }\n");
    CHECK(c->codes() == "W0120");
    CHECK(c->rendered().find("读法“技能比武计分”已声明，但没有规则用到它") != std::string::npos);
  }
  SECTION("a reading in an expression is an enum: comparing it with a number is a type error") {
    auto c = compile(kHead + kReading + kRules + "指标 三 \"z\" 1分 { 当 技能比武计分 > 1 得 1分 }\n");
    CHECK(c->codes() == "E0201");
  }
}

TEST_CASE("计入 may name the parent — a grandparent is E0601", "[readings]") {
  const std::string head = "方案 甲 { }\n输入 { 单位: 文本 (标识); 综合执法: 是否; 培训: 是否 }\n";
  auto parent = compile(head + "指标 1 \"队伍建设\" 10分 {\n  二级 1 \"建设\" 10分 {\n"
                               "    项 1 \"规范化\" 5分 { 当 培训 得 5分  不适用 当 综合执法 => 计入 【建设】 }\n"
                               "    项 2 \"培训\" 5分 { 当 培训 得 5分 }\n  }\n}\n");
  INFO(parent->rendered());
  CHECK(parent->errors() == 0);
  auto grandparent = compile(head + "指标 1 \"队伍建设\" 10分 {\n  二级 1 \"建设\" 10分 {\n"
                                    "    项 1 \"规范化\" 5分 { 当 培训 得 5分  不适用 当 综合执法 => 计入 【队伍建设】 }\n"
                                    "    项 2 \"培训\" 5分 { 当 培训 得 5分 }\n  }\n}\n");
  CHECK(grandparent->codes() == "E0601");
}

TEST_CASE("分组最高 needs 按 and an enum or yes/no key — no other aggregate takes 按", "[readings]") {
  const std::string head = "方案 甲 { }\n输入 { 单位: 文本 (标识); 工作: 列表{ 类别: 枚举{甲类, 乙类}; 名称: 文本; 分值: 小数 } }\n";
  auto good = compile(head + "指标 一 \"x\" 5分 { 得 分组最高(工作: 分值 按 类别) }\n");
  INFO(good->rendered());
  CHECK(good->codes() == "");
  CHECK(compile(head + "指标 一 \"x\" 5分 { 得 group_max(工作: 分值 按 类别) }\n")->codes() == "");
  CHECK(compile(head + "指标 一 \"x\" 5分 { 得 分组最高(工作: 分值) + 0 × 个数(名称) }\n")->count("E0203") == 1);
  CHECK(compile(head + "指标 一 \"x\" 5分 { 得 最好(工作: 分值 按 类别) }\n")->count("E0203") == 1);
  CHECK(compile(head + "指标 一 \"x\" 5分 { 得 分组最高(工作: 分值 按 名称) }\n")->count("E0206") == 1);
}
