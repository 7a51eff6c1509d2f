// What a Chinese IME types must mean what its ASCII twin means: a rubric
// written with full-width punctuation （）：；，【】“”｛｝ ＋－×÷≥≤ and U+3000
// spaces prints exactly the same AST as the ASCII one; so does a rubric
// written with the English keyword aliases.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "FrontendTestUtil.h"

using namespace rubric;
using namespace rubric::test;

namespace {

// Parses and checks; requires no diagnostic but W0820 (the seed's rank formula
// ÷ (总组数 − 1) can divide by 0, issue 8); returns the printed AST.
std::string printed(const std::string &text) {
  auto c = compile(text);
  INFO(c->rendered());
  REQUIRE(c->file);
  for (const auto &d : c->diags.all()) CHECK(std::string(d.code()) == "W0820");
  return ast::printAst(*c->file);
}

const char *kAscii = R"(方案 全角 {
  标题 "全角标点"
  期间 2024-01 至 2024-12
  对象 集体
  级别 {市级, 县级}
}
输入 {
  单位: 文本 (标识);
  比武: 枚举{无, 市级, 省级};
  传输率: 百分比;
  立案数: 件数;
  轮次: 列表{任务完成: 百分比; 发现问题: 百分比};
  总组数: 件数;
  排名: 件数;
  问题: 是否;
  推荐案卷号: 文本;
}
否决 "廉政纪律" 当 问题 => 取消资格
指标 一 "综合" 20分 {
  项 1 "传输率" 2分 { 当 传输率 >= 90% 得 1分, 每增加 1% 多得 0.2分, 最高 2分 }
  项 2 "比武" 3分 { 按 比武 { 省级: 3分; 市级: 2分; 无: 0分 } }
  项 3 "立案" 2分 { 每件 立案数 得 {市级: 0.2分, 县级: 0.5分}, 最高 2分 }
  项 4 "帮扶" 5分 { 得 最好(轮次: 5分 * (40% * 任务完成 + 60% * 发现问题)) }
  项 5 "比武成绩" 6分 { 得 四舍五入(6 * (总组数 - 排名) / (总组数 - 1), 1) }
  项 6 "档次" 2分 { 分档 立案数 { >= 6: 2分; >= 3 且 <= 5: 1分; < 3: 0分 } }
}
奖项 "优秀" 当 [一] >= 18 且 [一.1] <= 2
校验 "案卷不得共用" 唯一(推荐案卷号)
用例 "样例" {
  输入 { 单位: "甲"; 比武: 省级; 传输率: 0.95; 立案数: 4; 轮次: [{任务完成: 0.9; 发现问题: 0.8}]; 总组数: 5; 排名: 2; 问题: 否; 推荐案卷号: "A1" }
  期望 { 总分: 15; [一.2]: 3 }
}
)";

// The same rubric as typed with a Chinese IME: full-width punctuation, 、 as the
// list separator, ideographic spaces (U+3000) for indentation and between words.
const char *kFullWidth = R"(方案　全角　｛
　　标题　“全角标点”
　　期间　2024-01　至　2024-12
　　对象　集体
　　级别　｛市级，县级｝
｝
输入　｛
　　单位：文本　（标识）；
　　比武：枚举｛无、市级、省级｝；
　　传输率：百分比；
　　立案数：件数；
　　轮次：列表｛任务完成：百分比；发现问题：百分比｝；
　　总组数：件数；
　　排名：件数；
　　问题：是否；
　　推荐案卷号：文本；
｝
否决　“廉政纪律”　当　问题　→　取消资格
指标　一　“综合”　20分　｛
　　项　1　“传输率”　2分　｛　当　传输率　≥　90％　得　1分，每增加　1％　多得　0.2分，最高　2分　｝
　　项　2　“比武”　3分　｛　按　比武　｛　省级：3分；市级：2分；无：0分　｝　｝
　　项　3　“立案”　2分　｛　每件　立案数　得　｛市级：0.2分，县级：0.5分｝，最高　2分　｝
　　项　4　“帮扶”　5分　｛　得　最好（轮次：5分　×　（40％　×　任务完成　＋　60％　×　发现问题））　｝
　　项　5　“比武成绩”　6分　｛　得　四舍五入（6　×　（总组数　－　排名）　÷　（总组数　－　1），1）　｝
　　项　6　“档次”　2分　｛　分档　立案数　｛　≥　6：2分；≥　3　且　≤　5：1分；＜　3：0分　｝　｝
｝
奖项　“优秀”　当　【一】　≥　18　且　【一．1】　≤　2
校验　“案卷不得共用”　唯一（推荐案卷号）
用例　“样例”　｛
　　输入　｛　单位：“甲”；比武：省级；传输率：0.95；立案数：4；轮次：【｛任务完成：0.9；发现问题：0.8｝】；总组数：5；排名：2；问题：否；推荐案卷号：“A1”　｝
　　期望　｛　总分：15；【一．2】：3　｝
｝
)";

} // namespace

TEST_CASE("full-width punctuation and U+3000 spaces parse to the same AST as ASCII", "[fullwidth]") {
  // The full-width text really uses every character under test, and the ASCII
  // text uses none of them.
  const std::vector<std::string> fw = {"（", "）", "：", "；", "，", "【", "】", "“", "”", "｛", "｝",
                                       "＋", "－", "×", "÷", "≥", "≤", "、", "％", "．", "＜", "\u3000"};
  std::string full = kFullWidth, ascii = kAscii;
  for (const auto &ch : fw) {
    INFO("character " << ch);
    CHECK(full.find(ch) != std::string::npos);
    CHECK(ascii.find(ch) == std::string::npos);
  }
  for (char ch : std::string("(){}[]:;,\"+*/<>=%")) {
    INFO("ASCII character " << ch);
    CHECK(full.find(ch) == std::string::npos);
  }

  std::string a = printed(kAscii);
  std::string f = printed(kFullWidth);
  CHECK(a == f);
  // and the dump is not trivially equal: it shows the content
  CHECK(a.find("项 5 \"比武成绩\" 6分") != std::string::npos);
  CHECK(a.find("得 四舍五入(((6 × (总组数 - 排名)) ÷ (总组数 - 1)), 1)") != std::string::npos);
  CHECK(a.find("奖项 \"优秀\" 当 ((【一】 ≥ 18) 且 (【一.1】 ≤ 2))") != std::string::npos);
}

TEST_CASE("full-width twin: a changed number is not the same AST", "[fullwidth]") {
  // Guards the comparison above: the dump does see a one-character difference.
  std::string changed = kFullWidth;
  changed.replace(changed.find("0.2分，最高"), 3, "0.3");
  CHECK(printed(kAscii) != printed(changed));
}

TEST_CASE("full-width: spans and carets count full-width punctuation as two columns", "[fullwidth]") {
  // “未定义” inside a full-width line: col counts code points; the caret uses display width.
  auto c = compile("方案　甲　｛｝\n输入　｛单位：文本（标识）；达标：是否｝\n指标　一　“统一标识”　1分　｛　当　达到标准　得　1分　｝\n");
  REQUIRE(c->first("E0101"));
  const Diagnostic &d = *c->first("E0101");
  CHECK(d.span.line == 3);
  CHECK(d.span.col == 20); // 指标　一　“统一标识”　1分　｛　当　 is 19 code points
  std::string r = renderText(d, Lang::Zh);
  INFO(r);
  // lead: 指标4 U+3000 2 一2 U+3000 2 “统一标识”(“ and ” are ambiguous-width: 1 each)10 U+3000 2
  //       1分3 U+3000 2 ｛2 U+3000 2 当2 U+3000 2 = 35; 达到标准 8 wide
  CHECK(r.find("\n   | " + std::string(35, ' ') + std::string(8, '^') + "\n") != std::string::npos);
}

// 用例 values keep a literal's text as written, so a full-width percent stays
// "95％" (and would reach the case runner so) where an expression's 95％ is the
// number 95 with a percent sign like 95%.
TEST_CASE("full-width: a percent in a test case value means the same as ASCII %", "[fullwidth]") {
  std::string head = "方案 甲 { }\n输入 { 单位: 文本 (标识); 传输率: 百分比 }\n"
                     "指标 一 \"传输率\" 2分 { 当 传输率 达到 90% 得 2分 }\n";
  CHECK(printed(head + "用例 \"样例\" { 输入 { 传输率: 95% } 期望 { 总分: 2 } }\n") ==
        printed(head + "用例 \"样例\" { 输入 { 传输率: 95％ } 期望 { 总分: 2 } }\n"));
}

// ───────────────────────────── English keywords ─────────────────────────────

namespace {

const char *kChinese = R"(方案 英文别名 {
  标题 "别名测试"
  期间 2024-01 至 2024-12
  对象 集体
  级别 {市级, 县级}
}
参数 { 基数: 件数 }
输入 {
  单位: 文本 (标识)
  比武: 枚举{无, 市级, 省级}
  传输率: 百分比
  立案数: 整数 缺省 0 说明 "立案件数"
  轮次: 列表{成绩: 小数}
  月报: 月度<百分比>
  问题: 是否
  闭环: 是否
  着装问题: 次数
  推荐案卷号: 文本
}
否决 "廉政纪律" 当 问题 => 取消资格
否决 "零分案卷" 当 非 闭环 或 立案数 在 1 至 2 => 【一.2】 不得分
指标 一 "综合" 14分 最高 15分 {
  项 1 "传输率" 2分 {
    当 传输率 达到 90% 得 1分，每增加 1% 多得 0.2分，最高 2分 否则 当 传输率 超过 80% 且 传输率 低于 90% 得 0.5分
  }
  项 2 "比武" 3分 { 按 比武 { 省级 以上: 3分; 市级: 2分 } }
  项 3 "档次" 2分 {
    分档 立案数 { 6 及以上: 2分; 不少于 3 且 不超过 5: 1分; 未达到 3: 0分 }
    不适用 当 基数 = 0 => 不参与
  }
  项 4 "帮扶" 4分 {
    得 前50%平均(轮次: 成绩)
    若无 轮次 计入 【档次】
  }
  项 5 "月报" 3分 {
    县级 不作要求
    分级 { 市级 { 当 全部(月报: 月报 达到 80%) 得 3分 } 县级 { 当 是 得 3分 } }
  }
  扣分 "着装" 最多扣 2分 可为负 { 当 着装问题 > 0 扣 1分 }
  加分 "一体化" 1分 可超出上限 { 当 闭环 得 1分 }
}
奖项 "优秀" 当 (各指标: 得分 不低于 60% × 分值) 且 总分 高于 12 且 非 问题
奖项 "前三" 名额 3 按 总分 降序 并列一并列入
校验 "案卷不得共用" 唯一(推荐案卷号)
用例 "样例" {
  输入 { 单位: "甲"; 比武: 省级; 立案数: 4 }
  期望 { 总分: 5; 【一.2】: 3 }
}
)";

const char *kEnglish = R"(scheme 英文别名 {
  标题 "别名测试"
  period 2024-01 to 2024-12
  target 集体
  levels {市级, 县级}
}
params { 基数: count }
input {
  单位: text (id)
  比武: enum{无, 市级, 省级}
  传输率: percent
  立案数: int default 0 note "立案件数"
  轮次: list{成绩: decimal}
  月报: monthly<percent>
  问题: bool
  闭环: bool
  着装问题: count
  推荐案卷号: text
}
veto "廉政纪律" when 问题 => disqualify
veto "零分案卷" when not 闭环 or 立案数 in 1 to 2 => [一.2] zero
indicator 一 "综合" 14pt max 15pt {
  item 1 "传输率" 2pt {
    when 传输率 reaches 90% get 1pt, each_step 1% add 0.2pt, max 2pt else when 传输率 exceeds 80% and 传输率 below 90% get 0.5pt
  }
  item 2 "比武" 3pt { by 比武 { 省级 and_above: 3pt; 市级: 2pt } }
  item 3 "档次" 2pt {
    tiers 立案数 { 6 or_more: 2pt; at_least 3 and at_most 5: 1pt; not_reaching 3: 0pt }
    not_applicable when 基数 = 0 => excluded
  }
  item 4 "帮扶" 4pt {
    get top 50% average(轮次: 成绩)
    if_none 轮次 move_to [档次]
  }
  item 5 "月报" 3pt {
    县级 not_required
    by_level { 市级 { when 全部(月报: 月报 reaches 80%) get 3pt } 县级 { when true get 3pt } }
  }
  deduction "着装" max 2pt may_go_negative { when 着装问题 > 0 deduct 1pt }
  bonus "一体化" 1pt uncapped { when 闭环 get 1pt }
}
award "优秀" when (each_indicator: 得分 at_least 60% * 分值) and 总分 exceeds 12 and not 问题
award "前三" quota 3 by 总分 desc ties_included
validate "案卷不得共用" unique(推荐案卷号)
case "样例" {
  input { 单位: "甲"; 比武: 省级; 立案数: 4 }
  expect { 总分: 5; [一.2]: 3 }
}
)";

// The words under test really are in the English text.
const std::vector<std::string> kEnglishWords = {
    "scheme ", "period ", " to ", "target ", "levels ", "params ", "input ", "text ", "(id)", "enum", "percent",
    "int ", "default ", "note ", "list{", "decimal", "monthly<", "bool", "count", "veto ", "when ", "disqualify",
    "not ", " or ", " in ", "zero", "indicator ", "pt", "max ", "item ", "reaches ", "get ", "each_step ", "add ",
    "else ", "exceeds ", " and ", "below ", "by ", "and_above", "tiers ", "or_more", "at_least ", "at_most ",
    "not_reaching ", "not_applicable ", "excluded", "top ", "average(", "if_none ", "move_to ", "not_required",
    "by_level ", "true", "deduction ", "may_go_negative", "deduct ", "bonus ", "uncapped", "award ",
    "each_indicator:", "quota ", "desc ", "ties_included", "validate ", "unique(", "case ", "expect "};

} // namespace

TEST_CASE("English keyword aliases parse to the same AST as the Chinese keywords", "[fullwidth][english]") {
  std::string en = kEnglish;
  for (const auto &w : kEnglishWords) {
    INFO("keyword " << w);
    CHECK(en.find(w) != std::string::npos);
  }
  std::string zh = printed(kChinese);
  std::string e = printed(kEnglish);
  CHECK(zh == e);
  CHECK(zh.find("否决 \"零分案卷\" 当 (非 闭环 或 (立案数 在 1 至 2)) => 【一.2】不得分") != std::string::npos);
  CHECK(zh.find("得 前50%平均(轮次: 成绩)") != std::string::npos);
}

// The brief's per-unit words have one English alias, `per`; the AST keeps the
// word as written and printAst prints it, so `per x get 1pt` and `每件 x 得 1分`
// (which mean the same) print differently — against AstPrinter.h's contract.
TEST_CASE("English: `per` prints like 每件", "[fullwidth][english]") {
  std::string zh = printed("方案 甲 { }\n输入 { 单位: 文本 (标识); 立案数: 件数 }\n"
                           "指标 一 \"立案\" 2分 { 每件 立案数 得 1分，最高 2分 }\n");
  std::string en = printed("scheme 甲 { }\ninput { 单位: text (id); 立案数: count }\n"
                           "indicator 一 \"立案\" 2pt { per 立案数 get 1pt, max 2pt }\n");
  CHECK(zh == en);
}

// `note` is the English alias of 说明 (K_NOTE), but as a header field or row
// metadata key it stays "note": W0803 / W0802 and a different AST.
TEST_CASE("English: `note` as a header field and row metadata means 说明", "[fullwidth][english]") {
  std::string zh = printed("方案 甲 { 说明 \"方案说明\" }\n输入 { 单位: 文本 (标识); 达标: 是否 }\n"
                           "指标 一 \"统一标识\" 1分 { 当 达标 得 1分\n 说明 \"行说明\" }\n");
  std::string en = printed("scheme 甲 { note \"方案说明\" }\ninput { 单位: text (id); 达标: bool }\n"
                           "indicator 一 \"统一标识\" 1pt { when 达标 get 1pt\n note \"行说明\" }\n");
  CHECK(zh == en);
}

// `average` is the alias of 平均 (K_AVERAGE) and works in `top 50% average(…)`,
// but `average(L: e)` as a list aggregate is E0106 未知的函数“average”.
TEST_CASE("English: `average(list: expr)` is the 平均 aggregate", "[fullwidth][english]") {
  std::string zh = printed("方案 甲 { }\n输入 { 单位: 文本 (标识); 轮次: 列表{成绩: 小数} }\n"
                           "指标 一 \"帮扶\" 4分 { 得 平均(轮次: 成绩) }\n");
  std::string en = printed("scheme 甲 { }\ninput { 单位: text (id); 轮次: list{成绩: decimal} }\n"
                           "indicator 一 \"帮扶\" 4pt { get average(轮次: 成绩) }\n");
  CHECK(zh == en);
}

// Boolean literals are normalised to 是/否 in expressions but kept as written
// (true/false) in 用例 values.
TEST_CASE("English: true/false in a test case mean 是/否", "[fullwidth][english]") {
  std::string zh = printed("方案 甲 { }\n输入 { 单位: 文本 (标识); 达标: 是否 }\n"
                           "指标 一 \"统一标识\" 1分 { 当 达标 得 1分 }\n"
                           "用例 \"样例\" { 输入 { 达标: 是 } 期望 { 总分: 1 } }\n");
  std::string en = printed("scheme 甲 { }\ninput { 单位: text (id); 达标: bool }\n"
                           "indicator 一 \"统一标识\" 1pt { when 达标 get 1pt }\n"
                           "case \"样例\" { input { 达标: true } expect { 总分: 1 } }\n");
  CHECK(zh == en);
}

// A Chinese IME in Chinese-punctuation mode types 》《 for > <, 。 for . and
// ＝＞ / =》 for =>; these mean the same as their ASCII twins.
TEST_CASE("full-width: Chinese-punctuation-mode 》《。 and =》 mean > < . =>", "[fullwidth]") {
  const std::string head = "方案 甲 { }\n输入 { 单位: 文本 (标识); 数: 件数; 问题: 是否 }\n";
  std::string ascii = head + "否决 \"问题\" 当 问题 => 取消资格\n指标 一 \"甲\" 4分 {\n  项 1 \"乙\" 2分 { 当 数 > 3 且 数 < 9 得 2分 }\n"
                             "  项 2 \"丙\" 2分 { 当 数 >= 1 得 【一.1】 }\n}\n";
  std::string ime = head + "否决 \"问题\" 当 问题 =》 取消资格\n指标 一 \"甲\" 4分 {\n  项 1 \"乙\" 2分 { 当 数 》 3 且 数 《 9 得 2分 }\n"
                           "  项 2 \"丙\" 2分 { 当 数 》= 1 得 【一。1】 }\n}\n";
  CHECK(printed(ascii) == printed(ime));
  CHECK(printed(ime).find("(数 > 3)") != std::string::npos);
}
