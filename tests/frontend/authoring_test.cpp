// The mistakes staff really type (issue 12): each gets one diagnostic that
// says what to do, with the fix written out as a fix-it, and no knock-on
// errors; spellings that are unambiguous (最高得 3分, ６, a trailing 。) are
// accepted. Columns are code points, counted by hand in the comments.
#include <string>

#include <catch2/catch.hpp>

#include "FrontendTestUtil.h"

using namespace rubric;
using namespace rubric::test;

namespace {

const std::string kHead = "方案 甲 { }\n输入 { 单位: 文本 (标识); 达标: 是否; 数量: 件数 }\n";

std::string fixes(const Diagnostic &d, Lang lang = Lang::Zh) {
  std::string s;
  for (const auto &f : d.fixits) s += describeFixIt(d, f, lang) + "\n";
  return s;
}

} // namespace

TEST_CASE("missing }: reported at the { whose block is unclosed, found by indentation", "[authoring]") {
  // Line 4 opens 项 1 and never closes it; the } on line 8 closes 项 2 and the
  // } on line 9 (indent 0) closes 项 1 (indent 2), so 指标 一 is left open.
  std::string text = kHead +
                     "指标 一 \"甲\" 2分 {\n"      // 3
                     "  项 1 \"乙\" 1分 {\n"       // 4: { at col 14 = 2 spaces + 项␠1␠"乙"␠1分␠ (12) + 1
                     "    当 达标 得 1分\n"        // 5
                     "  项 2 \"丙\" 1分 {\n"       // 6: the first line back at indent 2
                     "    当 达标 得 1分\n"        // 7
                     "  }\n"                        // 8
                     "}\n";                         // 9
  auto c = compile(text);
  INFO(c->rendered());
  CHECK(c->codes() == "E0009");
  const Diagnostic *d = c->first("E0009");
  REQUIRE(d);
  CHECK(d->span.line == 4);
  CHECK(d->span.col == 14);
  CHECK(d->message(Lang::Zh) == "“{”没有配对的“}”：“项 1 \"乙\" 1分” 的块到文件结尾仍未结束；请在该块末尾补上“}”");
  CHECK(d->message(Lang::En) ==
        "'{' is never closed: the block of “项 1 \"乙\" 1分” is still open at the end of the file; add '}' where the block ends");
  REQUIRE(d->fixits.size() == 1);
  CHECK(d->fixits[0].span.line == 6);
  CHECK(d->fixits[0].replacement == "  }\n");   // the indentation of line 4
  CHECK(fixes(*d) == "在第 6 行第 1 列插入“  }⏎”\n");
  REQUIRE(d->notes.size() == 1);
  CHECK(d->notes[0].code() == std::string("N0010"));
  CHECK(d->notes[0].span.line == 6);
}

TEST_CASE("missing } at the end of the file: the open block, with } to append", "[authoring]") {
  auto c = compile(kHead + "指标 一 \"甲\" 1分 {\n  当 达标 得 1分\n");
  INFO(c->rendered());
  CHECK(c->codes() == "E0009");   // not “此处不应出现 文件结尾，应为 其他写法”
  const Diagnostic *d = c->first("E0009");
  REQUIRE(d);
  CHECK(d->span.line == 3);
  CHECK(d->span.col == 13);   // 指标␠一␠"甲"␠1分␠ = 2+1+1+1+3+1+2+1 = 12 → the { is col 13
  REQUIRE(d->fixits.size() == 1);
  CHECK(d->fixits[0].replacement == "\n}");
}

TEST_CASE("extra }: reported where it is, with a fix-it deleting it", "[authoring]") {
  auto c = compile(kHead + "指标 一 \"甲\" 1分 { 当 达标 得 1分 }\n}\n");
  INFO(c->rendered());
  CHECK(c->codes() == "E0010");
  const Diagnostic *d = c->first("E0010");
  REQUIRE(d);
  CHECK(d->span.line == 4);
  CHECK(d->message(Lang::Zh) == "多余的“}”：前面没有与之配对的“{”；请删去它，或补上缺少的“{”");
  CHECK(fixes(*d) == "删去第 4 行的“}”\n");
}

TEST_CASE("a name with digits outside 「」: one message with the 「」 spelling, no knock-on errors", "[authoring]") {
  std::string text = "方案 甲 { }\n"
                     "输入 { 单位: 文本 (标识); 「案卷1」: 是否\n"
                     "  2025年获表现突出: 是否 }\n"                   // 3: col 3
                     "指标 一 \"甲\" 2分 {\n"
                     "  项 1 \"乙\" 1分 { 当 案卷1 得 1分 }\n"          // 5: 案卷1 at col 18
                     "  项 2 \"丙\" 1分 { 当 2025年获表现突出 得 1分 }\n"
                     "}\n";
  auto c = compile(text);
  INFO(c->rendered());
  CHECK(c->codes() == "E0011 E0011 E0011");
  const auto &all = c->diags.all();
  CHECK(all[0].span.line == 3);
  CHECK(all[0].span.col == 3);
  CHECK(all[0].message(Lang::Zh) == "名称“2025年获表现突出”含数字，名称含数字请写在「」里：「2025年获表现突出」");
  CHECK(fixes(all[0]) == "将第 3 行的“2025年获表现突出”改为“「2025年获表现突出」”\n");
  // 2 spaces + 项␠1␠"乙"␠1分␠{␠当␠ = 2+1+1+1+1+3+1+2+1+1+1+1+1 = 17 → col 18
  CHECK(all[1].span.line == 5);
  CHECK(all[1].span.col == 18);
  CHECK(all[1].span.endCol == 21);   // 案 卷 1
  REQUIRE(all[1].fixits.size() == 1);
  CHECK(all[1].fixits[0].replacement == "「案卷1」");
}

TEST_CASE("a keyword written as a field name (件数: 件数) is named as a keyword, with the 「」 fix", "[authoring]") {
  // 输入␠{␠ = 2+1+1+1 = 5 → the first 件数 at col 6, two code points.
  auto c = compile("方案 甲 { }\n输入 { 件数: 件数 }\n指标 一 \"甲\" 1分 { 每件 「件数」 得 1分 }\n");
  INFO(c->rendered());
  const Diagnostic *d = c->first("E0004");
  REQUIRE(d);
  CHECK(d->span.line == 2);
  CHECK(d->span.col == 6);
  REQUIRE(d->notes.size() >= 1);
  CHECK(d->notes.back().message(Lang::Zh) == "“件数”是关键字，不能直接作名称；请换一个名称，或写在「」里：「件数」");
  CHECK(fixes(*d) == "将第 2 行的“件数”改为“「件数」”\n");
  // Following the fix gives a clean rubric.
  CHECK(compile("方案 甲 { }\n输入 { 「件数」: 件数 }\n指标 一 \"甲\" 1分 { 每件 「件数」 得 1分 }\n")->errors() == 0);
}

TEST_CASE("digits after a comparison are a number, not a name (达到 3次 is not called a name)", "[authoring]") {
  auto c = compile(kHead + "指标 一 \"甲\" 1分 { 当 数量 达到 3次 得 1分 }\n");
  INFO(c->rendered());
  CHECK(c->count("E0011") == 0);
  CHECK(c->errors() > 0);
}

TEST_CASE("以上 inside a 且/或 condition: say where 以上 may go, and delete it", "[authoring]") {
  // 指标␠一␠"甲"␠1分␠{␠当␠数量␠达到␠90␠ = 2+1+1+1+3+1+2+1+1+1+1+1+2+1+2+1+2+1 = 25 → 以上 at col 26.
  auto c = compile(kHead + "指标 一 \"甲\" 1分 { 当 数量 达到 90 以上 且 达标 得 1分 }\n");
  INFO(c->rendered());
  CHECK(c->codes() == "E0012");   // not “应为 “得”、“扣””
  const Diagnostic *d = c->first("E0012");
  REQUIRE(d);
  CHECK(d->span.col == 26);
  CHECK(d->span.endCol == 28);
  CHECK(fixes(*d) == "删去第 3 行的“以上”\n");
  // Following the fix gives a clean rubric.
  CHECK(compile(kHead + "指标 一 \"甲\" 1分 { 当 数量 达到 90 且 达标 得 1分 }\n")->errors() == 0);
}

TEST_CASE("“，最高得3分” (the seeds' wording) means “，最高 3分”", "[authoring]") {
  DiagnosticEngine d1, d2;
  auto a = parseOnly(kHead + "指标 一 \"甲\" 6分 { 每件 数量 得 2分，最高得3分 }\n", d1);
  auto b = parseOnly(kHead + "指标 一 \"甲\" 6分 { 每件 数量 得 2分，最高 3分 }\n", d2);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(d1.errorCount() == 0);
  CHECK(ast::printAst(*a) == ast::printAst(*b));
  REQUIRE(a->indicators[0]->rules.size() == 1);
  CHECK(expr(a->indicators[0]->rules[0].cap) == expr(b->indicators[0]->rules[0].cap));
}

TEST_CASE("full-width digits in the source mean ASCII digits (as they do in cells)", "[authoring]") {
  DiagnosticEngine d1, d2;
  auto a = parseOnly(kHead + "指标 一 \"甲\" ６分 { 当 数量 达到 １０ 得 ６分 }  // ６ in a comment stays\n", d1);
  auto b = parseOnly(kHead + "指标 一 \"甲\" 6分 { 当 数量 达到 10 得 6分 }\n", d2);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(ast::printAst(*a) == ast::printAst(*b));
  // Inside a title the text is kept as written.
  DiagnosticEngine d3;
  auto t = parseOnly(kHead + "指标 一 \"第６项\" 6分 { 得 6分 }\n", d3);
  REQUIRE(t);
  CHECK(t->indicators[0]->title == "第６项");
}

TEST_CASE("a trailing 。 after a rule or a column entry is accepted — 【一。1】 is still a path", "[authoring]") {
  DiagnosticEngine d1, d2;
  auto a = parseOnly(kHead + "指标 一 \"甲\" 2分 {\n  当 达标 得 1分。\n  每件 数量 得 1分，最高 1分。\n"
                             "  数据来源 \"台账\"。\n}\n",
                     d1);
  auto b = parseOnly(kHead + "指标 一 \"甲\" 2分 {\n  当 达标 得 1分\n  每件 数量 得 1分，最高 1分\n"
                             "  数据来源 \"台账\"\n}\n",
                     d2);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(ast::printAst(*a) == ast::printAst(*b));
}

TEST_CASE("an English or Chinese comma between the values of 按 and of an enum", "[authoring]") {
  std::string head = "方案 甲 { }\n输入 { 单位: 文本 (标识); 级别: 枚举{无,市级,省级} }\n";
  auto c = compile(head + "指标 一 \"甲\" 3分 { 按 级别 { 省级: 3分, 市级: 2分, 无: 0分 } }\n");
  INFO(c->rendered());
  CHECK(c->errors() == 0);
  auto d = compile(head + "指标 一 \"甲\" 3分 { 按 级别 { 省级: 3分，市级: 2分；无: 0分 } }\n");
  INFO(d->rendered());
  CHECK(d->errors() == 0);
}

TEST_CASE("平均(列表) suggests the list form 平均(列表: 每项的值), not 全体平均", "[authoring]") {
  auto c = compile("方案 甲 { }\n输入 { 单位: 文本 (标识); 远程帮扶轮次: 列表{成绩: 百分比} }\n"
                   "指标 一 \"甲\" 3分 { 得 3分 × 平均(远程帮扶轮次) }\n");
  INFO(c->rendered());
  CHECK(c->codes() == "E0013");   // not E0106 “未知的函数“平均”，您是否想写“全体平均””
  const Diagnostic *d = c->first("E0013");
  REQUIRE(d);
  CHECK(d->message(Lang::Zh) ==
        "“平均”是对列表逐项计算，需写出每项的值：平均(远程帮扶轮次: 成绩)（“全体平均”是对全体候选对象计算，不是同一个函数）");
  REQUIRE(d->fixits.size() == 1);
  CHECK(d->fixits[0].replacement == "平均(远程帮扶轮次: 成绩)");
  // The fix checks clean.
  CHECK(compile("方案 甲 { }\n输入 { 单位: 文本 (标识); 远程帮扶轮次: 列表{成绩: 百分比} }\n"
                "指标 一 \"甲\" 3分 { 得 3分 × 平均(远程帮扶轮次: 成绩) }\n")
            ->errors() == 0);
}

TEST_CASE("E0004 names the real alternatives instead of 其他写法", "[authoring]") {
  auto c = compile(kHead + "指标 一 \"甲\" 1分 { ） }\n");
  INFO(c->rendered());
  REQUIRE(c->errors() >= 1);
  const Diagnostic &d = c->diags.all().front();
  std::string zh = d.message(Lang::Zh), en = d.message(Lang::En);
  CHECK(zh.find("其他写法") == std::string::npos);
  CHECK(zh.find("规则（“当”") != std::string::npos);
  CHECK(zh.find("“}”") != std::string::npos);
  CHECK(en.find("其他写法") == std::string::npos);
  CHECK(en.find("a rule (“当”") != std::string::npos);
}

TEST_CASE("English messages: end of file and token kinds are English", "[authoring]") {
  auto c = compile("");
  REQUIRE(c->codes() == "E0004");
  const Diagnostic &d = c->diags.all().front();
  CHECK(d.message(Lang::Zh) == "此处不应出现 文件结尾，应为 “方案”");
  CHECK(d.message(Lang::En) == "unexpected end of file, expected “方案”");
  auto e = compile("方案 甲 { 年度 }\n");
  REQUIRE(e->errors() >= 1);
  std::string en = e->diags.all().front().message(Lang::En);
  CHECK(en.find("文件结尾") == std::string::npos);
  CHECK(en.find("其他写法") == std::string::npos);
}

TEST_CASE("【】 reference with a typo: did you mean, with the fix-it", "[authoring]") {
  auto c = compile(kHead + "指标 一 \"队伍建设\" 2分 {\n  项 1 \"纪律作风\" 1分 { 当 达标 得 1分 }\n"
                           "  项 2 \"学习\" 1分 { 不适用 当 达标 => 计入 【纪律做风】 }\n}\n");
  INFO(c->rendered());
  CHECK(c->codes() == "E0104 W0801");   // W0801: 数量 of kHead is not used here
  const Diagnostic *d = c->first("E0104");
  REQUIRE(d);
  REQUIRE(d->notes.size() == 1);
  CHECK(d->notes[0].message(Lang::Zh) == "您是否想写“纪律作风”？");
  REQUIRE(d->fixits.size() == 1);
  CHECK(d->fixits[0].replacement == "【纪律作风】");
}

TEST_CASE("an undeclared field: fix-it adding it to 输入", "[authoring]") {
  std::string text = "方案 甲 { }\n输入 {\n  单位: 文本 (标识)\n}\n指标 一 \"甲\" 1分 { 当 入选省级人才库 得 1分 }\n";
  auto c = compile(text);
  INFO(c->rendered());
  CHECK(c->codes() == "E0101");
  const Diagnostic *d = c->first("E0101");
  REQUIRE(d);
  REQUIRE(d->notes.size() == 1);
  CHECK(d->notes[0].message(Lang::Zh) == "若“入选省级人才库”是输入字段，请在“输入”中声明：入选省级人才库: 是否");
  REQUIRE(d->fixits.size() == 1);
  CHECK(d->fixits[0].span.line == 3);
  CHECK(d->fixits[0].replacement == "  入选省级人才库: 是否\n");
  // Applying the fix-it gives a rubric that checks clean.
  auto fixed = compile("方案 甲 { }\n输入 {\n  入选省级人才库: 是否\n  单位: 文本 (标识)\n}\n"
                       "指标 一 \"甲\" 1分 { 当 入选省级人才库 得 1分 }\n");
  CHECK(fixed->errors() == 0);
}

TEST_CASE("a misspelt field: the did-you-mean spelling is the fix-it", "[authoring]") {
  auto c = compile(kHead + "指标 一 \"甲\" 1分 { 当 达表 得 1分 }\n");
  INFO(c->rendered());
  CHECK(c->codes() == "E0101 W0801 W0801");   // 达标 and 数量 unused while misspelt
  const Diagnostic *d = c->first("E0101");
  REQUIRE(d);
  REQUIRE(d->fixits.size() == 1);
  CHECK(d->fixits[0].replacement == "达标");
  CHECK(renderText(*d, Lang::Zh).find("  = 修改: 将第 3 行的“达表”改为“达标”\n") != std::string::npos);
}
