// Issue 11 remainder (helper readrest), front end: --reading reaching an
// imported scheme's readings (别名.读法, the bare name, E0150), 唯一 within a
// record (E0151, E0152), and the per-level population functions in sema.
// The runs themselves are tested by tests/e2e/readings_rest_test.sh.
#include <string>

#include <catch2/catch.hpp>

#include "FrontendTestUtil.h"

using namespace rubric;
using namespace rubric::test;

namespace {

const std::string kSub =
    "方案 子 { }\n输入 { 姓名: 文本 (标识); 天数: 件数 }\n"
    "读法 出勤计分 \"全年出勤满20天的，得10分\" {\n"
    "  满勤: \"满20天得10分\"\n  按天: \"每天0.5分\"\n  采用 满勤\n}\n"
    "指标 一 \"出勤\" 10分 { 按读法 出勤计分 { 满勤 { 当 天数 ≥ 20 得 10分 } 按天 { 每件 天数 得 0.5分 } } }\n";

// A main rubric importing sub.rubric (and sub2.rubric, same text) from memory.
std::unique_ptr<Compiled> compileMain(const std::string &imports, std::map<std::string, std::string> readings) {
  auto c = std::make_unique<Compiled>();
  std::string text = "方案 主 { }\n输入 { 姓名: 文本 (标识) }\n" + imports +
                     "指标 一 \"折算\" 5分 { 分档 子.总分 { 10 至 10: 5分; 否则: 0分 } }\n";
  c->source = std::make_shared<SourceFile>("main.rubric", text);
  c->file = parse::parseFile(c->source, c->diags);
  if (!c->file) return c;
  sema::CheckOptions options;
  options.readings = std::move(readings);
  options.loadFile = [](const std::string &path, std::string *) {
    return std::make_shared<SourceFile>(path, kSub);
  };
  c->checked = sema::check(*c->file, c->diags, options);
  return c;
}

const std::string kOneImport = "引用 \"sub.rubric\" 为 子\n";
const std::string kTwoImports = "引用 \"sub.rubric\" 为 子\n引用 \"sub2.rubric\" 为 子二\n";

} // namespace

TEST_CASE("an override 别名.读法 reaches the imported scheme's reading", "[readings]") {
  auto c = compileMain(kOneImport, {{"子.出勤计分", "按天"}});
  INFO(c->rendered());
  REQUIRE(c->errors() == 0);
  CHECK(c->checked->importReadings == std::map<std::string, std::map<std::string, std::string>>{{"子", {{"出勤计分", "按天"}}}});
  CHECK(c->checked->readings.empty());   // the main rubric declares none of its own
}

TEST_CASE("the bare name reaches the only import that declares it", "[readings]") {
  auto c = compileMain(kOneImport, {{"出勤计分", "按天"}});
  INFO(c->rendered());
  REQUIRE(c->errors() == 0);
  CHECK(c->checked->importReadings.at("子").at("出勤计分") == "按天");
}

TEST_CASE("imported readings: E0128, E0129, E0150", "[readings][diag]") {
  auto noReading = compileMain(kOneImport, {{"子.出勤", "按天"}});
  CHECK(noReading->codes() == "E0128");
  CHECK(noReading->rendered().find("细则中没有名为“子.出勤”的读法（本细则的读法：子.出勤计分）") != std::string::npos);
  auto noOption = compileMain(kOneImport, {{"子.出勤计分", "每天"}});
  CHECK(noOption->codes().rfind("E0129", 0) == 0);
  CHECK(noOption->rendered().find("“每天”不是读法“子.出勤计分”的选项（可选：满勤、按天）") != std::string::npos);
  auto ambiguous = compileMain(kTwoImports, {{"出勤计分", "按天"}});
  CHECK(ambiguous->codes() == "E0150");
  CHECK(ambiguous->rendered() ==
        "错误[E0150]: --reading 出勤计分：被引用的方案 子、子二 都有名为“出勤计分”的读法；请写成 别名.出勤计分\n");
  auto qualified = compileMain(kTwoImports, {{"子二.出勤计分", "按天"}});
  CHECK(qualified->errors() == 0);
  CHECK(qualified->checked->importReadings.at("子二").at("出勤计分") == "按天");
  CHECK(qualified->checked->importReadings.count("子") == 0);
}

TEST_CASE("唯一(列表.字段, …) checks within a record: E0151, E0152", "[diag]") {
  const std::string head = "方案 甲 { }\n输入 { 单位: 文本 (标识); 推选: 列表{编号: 文本; 得分率: 百分比}; "
                           "抽选: 列表{编号: 文本; 得分率: 百分比} }\n"
                           "指标 一 \"案卷\" 10分 { 得 求和(推选: 5分 × 得分率) + 求和(抽选: 5分 × 得分率) }\n";
  auto good = compile(head + "校验 \"两类不得重复\" 唯一(推选.编号, 抽选.编号)\n");
  INFO(good->rendered());
  CHECK(good->errors() == 0);
  REQUIRE(good->file->validations.size() == 1);
  CHECK(good->file->validations[0].withinRecord);
  CHECK(good->file->validations[0].uniqueFields == std::vector<std::string>{"推选.编号", "抽选.编号"});
  CHECK_FALSE(good->checked->needsPopulation);   // one record at a time: no population pass

  auto across = compile(head + "校验 \"不同单位不得重复\" 唯一(单位)\n");
  CHECK_FALSE(across->file->validations[0].withinRecord);

  auto notList = compile(head + "校验 \"x\" 唯一(单位.编号)\n");
  CHECK(notList->codes() == "E0151");
  CHECK(notList->rendered().find("“单位”不是记录列表") != std::string::npos);
  auto noField = compile(head + "校验 \"x\" 唯一(推选.案卷号)\n");
  CHECK(noField->codes() == "E0152");
  CHECK(noField->rendered().find("列表“推选”没有字段“案卷号”（它的字段：编号、得分率）") != std::string::npos);
  auto unknown = compile(head + "校验 \"x\" 唯一(推荐.编号)\n");
  CHECK(unknown->codes().rfind("E0101", 0) == 0);
}

TEST_CASE("级内候选数() and 级内最大(e) are population functions", "[readings]") {
  auto c = compile("方案 甲 { 级别 {县级, 地州市级} }\n输入 { 单位: 文本 (标识); 得票数: 件数 }\n"
                   "指标 一 \"满意度\" 10分 { 得 10分 × (级内候选数() - 级内排名(得票数)) ÷ 最大(级内候选数() - 1, 1) "
                   "+ 得票数 ÷ 最大(级内最大(得票数), 1) }\n");
  INFO(c->rendered());
  CHECK(c->errors() == 0);
  CHECK(c->checked->needsPopulation);
  auto wrongArity = compile("方案 甲 { }\n输入 { 单位: 文本 (标识); 得票数: 件数 }\n"
                            "指标 一 \"满意度\" 10分 { 得 级内候选数(得票数) }\n");
  CHECK(wrongArity->errors() >= 1);
}

// 有值(可缺字段): a yes/no, and `若 有值(x) 则 … x … 否则 …` (2019 新疆 突出进步单位,
// 读法 无上年名次). Sema refuses an argument that is not an optional input field;
// the guard of the then-arm is checked in lowering (tests/e2e/readings_rest_test.sh §7).
TEST_CASE("有值(可缺字段) is a yes/no of optional fields only: E0165", "[readings][diag]") {
  const std::string head = "方案 甲 { }\n输入 { 单位: 文本 (标识); 得分: 小数; 上年排名: 整数 (可缺) }\n"
                           "指标 一 \"评分\" 100分 { 得 得分 }\n奖项 \"进步\" 名额 1 按 上年排名 - 排名(总分) 降序 "
                           "并列一并列入 若无 上年排名 不参与\n";
  auto good = compile(head + "令 上年名次 = 若 有值(上年排名) 则 上年排名 否则 全体最大(上年排名) + 1\n"
                             "奖项 \"进步2\" 名额 1 按 上年名次 - 排名(总分) 降序 并列一并列入\n"
                             "奖项 \"参评\" 当 has_value(上年排名)\n");
  INFO(good->rendered());
  CHECK(good->errors() == 0);
  auto notOptional = compile(head + "奖项 \"x\" 当 有值(得分)\n");
  CHECK(notOptional->codes() == "E0165");
  CHECK(notOptional->rendered().find("test.rubric:5:13: 错误[E0165]: 有值(…) 的参数须是声明为（可缺）的输入字段，“得分”不是") !=
        std::string::npos);
  auto notAField = compile(head + "奖项 \"x\" 当 有值(得分 + 1)\n");
  CHECK(notAField->codes() == "E0165");
  auto notBool = compile(head + "奖项 \"x\" 当 有值(上年排名) > 1\n");
  CHECK(notBool->errors() >= 1);   // a yes/no is not compared with a number
  auto arity = compile(head + "奖项 \"x\" 当 有值(上年排名, 得分)\n");
  CHECK(arity->codes() == "E0203");
}
