// The runner end to end, with the fake kernel: exact output bytes, exact
// messages, ranks, awards, validations, params, strict mode.
#include <catch2/catch.hpp>
#include <algorithm>
#include <filesystem>

#include "TestUtil.h"
#include "rubric_decimal.h"
#include "runtime/scoring/Population.h"

using namespace rubric::runtime;
using rubric::Rational;
using testutil::lines;
using testutil::run;
using testutil::write;

using testutil::kFive;

namespace {

void checkInvariant(const testutil::Result &r) {
  CHECK(r.stats.rowsScored + r.stats.rowsRejected == r.stats.rowsRead);
}

// Captures list offsets and element values the kernel sees.
std::vector<int64_t> gOffsets, gDone, gFound;
void captureKernel(const rb_frame *f, int64_t begin, int64_t end, int32_t phase) {
  if (phase == 1) {
    auto c = reinterpret_cast<const int64_t *const *>(f->cols);  // fakeProgram's columns are int64 wide
    gOffsets.assign(c[5], c[5] + end + 1);
    gDone.assign(c[6], c[6] + c[5][end]);
    gFound.assign(c[7], c[7] + c[5][end]);
  }
  fake::fakeKernel(f, begin, end, phase);
}

} // namespace

TEST_CASE("streaming run: output rows, veto keeps its breakdown, competition ranks 1,2,2,4, level ranks") {
  Program p = fake::makeProgram({});
  REQUIRE_FALSE(needsPopulationPass(p));
  auto in = write("five.csv", kFive);
  auto r = run(p, {in});
  CHECK(r.rc == 0);
  checkInvariant(r);
  CHECK(r.stats.rowsRead == 5);
  CHECK_FALSE(r.stats.populationMode);
  CHECK(r.output.rfind(testutil::kBom, 0) == 0);  // Excel needs the BOM
  CHECK(lines(r.output) == std::vector<std::string>{
                               "姓名,状态,总分,一 基础,二 帮扶,三 名次,四 级内名次,五 平均,排名,级内排名,奖项",
                               "张三,有效,5,5,0,0,0,0,2,1,",
                               "李四,有效,10.5,10.5,0,0,0,0,1,1,优秀",
                               "王五,取消资格：廉洁纪律,11,11,0,0,0,0,,,",
                               "赵六,有效,5,5,0,0,0,0,2,2,",
                               "钱七,有效,1,1,0,0,0,0,4,2,",
                           });
  CHECK(r.diag == "读取 5 行，评分 5 行，拒绝 0 行\n");
}

TEST_CASE("population run: rank / level rank / average into PopValue slots, quota awards with ties included") {
  fake::Options o;
  o.population = o.quotaAward = true;
  Program p = fake::makeProgram(o);
  REQUIRE(needsPopulationPass(p));
  auto in = write("five.csv", kFive);
  auto r = run(p, {in});
  CHECK(r.rc == 0);
  checkInvariant(r);
  CHECK(r.stats.populationMode);
  CHECK(lines(r.output) == std::vector<std::string>{
                               "姓名,状态,总分,一 基础,二 帮扶,三 名次,四 级内名次,五 平均,排名,级内排名,奖项",
                               "张三,有效,5,5,0,2,1,5.375,2,1,前二名",
                               "李四,有效,10.5,10.5,0,1,1,5.375,1,1,优秀、前二名",
                               "王五,取消资格：廉洁纪律,11,11,0,5,3,5.375,,,",  // vetoed: ranks after the 4 ranked (5) and after the 2 ranked of its level (3)
                               "赵六,有效,5,5,0,2,2,5.375,2,2,前二名",
                               "钱七,有效,1,1,0,4,2,5.375,4,2,",
                           });
  CHECK(r.diag ==
        "提示: 奖项“前二名”名额 2 个，第 2 名起有 2 个并列（跨过第 2 名）：一并列入\n"
        "读取 5 行，评分 5 行，拒绝 0 行\n");
}

// 前二名 by total: 李四 10.5 is 1st; 张三 5 and 赵六 5 tie for 2nd (王五 11 is vetoed,
// 钱七 1 is last). The tie straddles the 2nd place, so the stated policy decides it,
// and the row order does not: the same result with 赵六 read before 张三.
// 排名(甲) and 全体平均(乙) with 甲 and 乙 input columns: the steps read the
// columns themselves (no PopArg slot). 甲 of the four not vetoed: 李四 8.5,
// 赵六 5, 张三 3, 钱七 1 → ranks 1, 2, 3, 4; 王五 (vetoed, 10) after them: 5.
// 乙: 2 + 2 + 0 + 0 (钱七's blank reads as the default 0) over 4 = 1.
// The 级内排名 step, the award and the output's 排名 column still go by the total:
// 排名 is the standard competition rank of 总分 (docs/cli.md), so 张三 and 赵六,
// both 5, share 2nd — whatever 三 名次 (by 甲) says.
TEST_CASE("population steps over an input column read the column — a bad argument is refused") {
  fake::Options o;
  o.population = o.quotaAward = true;
  Program p = fake::makeProgram(o);
  p.population[0].argSlot = -1;
  p.population[0].argColumn = 1;  // 甲
  p.population[2].argSlot = -1;
  p.population[2].argColumn = 2;  // 乙
  auto in = write("five.csv", kFive);
  auto r = run(p, {in});
  CHECK(r.rc == 0);
  checkInvariant(r);
  CHECK(lines(r.output) == std::vector<std::string>{
                               "姓名,状态,总分,一 基础,二 帮扶,三 名次,四 级内名次,五 平均,排名,级内排名,奖项",
                               "张三,有效,5,5,0,3,1,1,2,1,前二名",
                               "李四,有效,10.5,10.5,0,1,1,1,1,1,优秀、前二名",
                               "王五,取消资格：廉洁纪律,11,11,0,5,3,1,,,",
                               "赵六,有效,5,5,0,2,2,1,2,2,前二名",
                               "钱七,有效,1,1,0,4,2,1,4,2,",
                           });

  struct Bad {
    int argSlot, argColumn;
  };
  const int listColumn = p.lists[0].elementColumns[0];
  for (Bad b : {Bad{5, 1}, Bad{-1, -1}, Bad{-1, listColumn}, Bad{-1, static_cast<int>(p.columns.size())}}) {
    Program q = p;
    q.population[0].argSlot = b.argSlot;
    q.population[0].argColumn = b.argColumn;
    CAPTURE(b.argSlot, b.argColumn);
    auto bad = run(q, {in});
    CHECK(bad.rc == kExitFatal);
    CHECK(bad.diag.find("population step: argument") != std::string::npos);
  }
}

TEST_CASE("quota awards: a tie at the edge follows the stated policy, whatever the row order") {
  const char *shuffled =
      "姓名,甲,乙,廉洁问题,级别\n"
      "钱七,1,,否,县级\n"
      "赵六,5,0,否,市级\n"
      "王五,10,1,是,县级\n"
      "李四,8.5,2,,市级\n"
      "张三,3,2,否,县级\n";
  struct Expect {
    TiePolicy ties;
    const char *tied;  // the 奖项 cell of 张三 and 赵六
    const char *note;
  };
  for (const Expect &e : {Expect{TiePolicy::Pending, "前二名（并列待定）", "reported as pending (not awarded; to be decided)"},
                          Expect{TiePolicy::ExcludeAll, "", "none of them is awarded"},
                          Expect{TiePolicy::IncludeAll, "前二名", "all are awarded"}}) {
    fake::Options o;
    o.population = o.quotaAward = true;
    o.ties = e.ties;
    for (const char *csv : {kFive, shuffled}) {
      auto in = write("five.csv", csv);
      RunOptions opts;
      opts.lang = Lang::En;
      auto r = run(fake::makeProgram(o), {in}, opts);
      CHECK(r.rc == 0);
      auto ls = lines(r.output);
      REQUIRE(ls.size() == 6);
      std::sort(ls.begin() + 1, ls.end());
      CHECK(ls[1] == "张三,有效,5,5,0,2,1,5.375,2,1," + std::string(e.tied));
      CHECK(ls[2] == "李四,有效,10.5,10.5,0,1,1,5.375,1,1,优秀、前二名");
      CHECK(ls[4] == "赵六,有效,5,5,0,2,2,5.375,2,2," + std::string(e.tied));
      CHECK(ls[5] == "钱七,有效,1,1,0,4,2,5.375,4,2,");
      CHECK(r.diag == "note: award \"前二名\" has 2 places; 2 candidates tie from place 2 across place 2: " +
                          std::string(e.note) + "\nread 5 rows, scored 5 rows, rejected 0 rows\n");
    }
  }
}

TEST_CASE("population functions: competition ranks exclude vetoed records — groups — aggregates") {
  auto Rs = [](std::initializer_list<int64_t> raw) {
    std::vector<Rational> v;
    for (int64_t x : raw) v.push_back(Rational::of(x));
    return v;
  };
  std::vector<Rational> keys = Rs({50, 80, 80, 70, 90, 80});
  std::vector<uint8_t> inc{1, 1, 1, 1, 0, 1};
  CHECK(competitionRanks(keys, inc, true) == std::vector<int64_t>{5, 1, 1, 4, 0, 1});
  CHECK(competitionRanks(keys, inc, false) == std::vector<int64_t>{1, 3, 3, 2, 0, 3});
  std::vector<int64_t> groups{0, 1, 0, 1, 0, 0};
  CHECK(groupCompetitionRanks(keys, inc, groups, true) == std::vector<int64_t>{3, 1, 1, 2, 0, 1});
  // 并列不跳号 (dense): 80, 80, 80 share 1st; 70 is the next rank, 2nd (not 4th); 50 3rd (not 5th).
  CHECK(competitionRanks(keys, inc, true, true) == std::vector<int64_t>{3, 1, 1, 2, 0, 1});
  // ascending, 60 70 70 80 80: competition 1, 2, 2, 4, 4; dense 1, 2, 2, 3, 3
  std::vector<Rational> pairs = Rs({80, 80, 70, 70, 60});
  std::vector<uint8_t> five{1, 1, 1, 1, 1};
  CHECK(competitionRanks(pairs, five, false) == std::vector<int64_t>{4, 4, 2, 2, 1});
  CHECK(competitionRanks(pairs, five, false, true) == std::vector<int64_t>{3, 3, 2, 2, 1});
  // group 0 holds 50, 80, 80 (the 90 is not included): dense 2, 1, 1; group 1 holds 80, 70: 1, 2
  CHECK(groupCompetitionRanks(keys, inc, groups, true, true) == std::vector<int64_t>{2, 1, 1, 2, 0, 1});
  int32_t err = 0;
  CHECK(populationAggregate(PopFunc::Sum, keys, inc, &err) == Rational::of(360));
  CHECK(populationAggregate(PopFunc::Max, keys, inc, &err) == Rational::of(80));
  CHECK(populationAggregate(PopFunc::Min, keys, inc, &err) == Rational::of(50));
  CHECK(populationAggregate(PopFunc::Count, keys, inc, &err) == Rational::of(5'000'000));
  std::vector<Rational> dec = Rs({1'000'000, 2'000'000, 2'000'000});
  std::vector<uint8_t> all{1, 1, 1};
  // (1 + 2 + 2) / 3 = 5/3 exactly: 5'000'000 / 3 in raw units (shown as 1.666667)
  CHECK(populationAggregate(PopFunc::Average, dec, all, &err) == Rational{5'000'000, 3});
  CHECK(err == 0);
  CHECK(populationAggregate(PopFunc::Average, dec, {0, 0, 0}, &err) == Rational{});
  CHECK(populationAggregate(PopFunc::Sum, Rs({INT64_MAX, 1}), {1, 1}, &err) == Rational{});
  CHECK(err == 1);
  RankHistogram h;
  for (int64_t k : {5, 10, 5, 1}) h.add(Rational::of(k));
  h.finish();
  CHECK(h.rank(Rational::of(10)) == 1);
  CHECK(h.rank(Rational::of(5)) == 2);
  CHECK(h.rank(Rational::of(1)) == 4);
  {
    // Sorted ahead (on another thread in a run), counts changed before the ranks: a key's rows taken out, one
    // more row of a known key. Keys 10 ×1, 5 ×3, 1 ×1 → 10 is 1st, 5 is 2nd (three tied), 1 is 5th; 7 gone.
    RankHistogram g;
    for (int64_t k : {5, 10, 5, 7, 1}) g.add(Rational::of(k));
    g.sortKeys(true);
    g.add(Rational::of(7), -1);
    g.add(Rational::of(5), 1);
    g.assignRanks();
    CHECK(g.rank(Rational::of(10)) == 1);
    CHECK(g.rank(Rational::of(5)) == 2);
    CHECK(g.rank(Rational::of(1)) == 5);
    CHECK(g.rank(Rational::of(7)) == 0);
    // A key added after the sort (and the table grown: 200 keys) is ranked too: it makes assignRanks sort again.
    RankHistogram n;
    n.add(Rational::of(3));
    n.sortKeys(true);
    for (int64_t k = 100; k < 300; ++k) n.add(Rational::of(k));
    n.assignRanks();
    CHECK(n.rank(Rational::of(299)) == 1);
    CHECK(n.rank(Rational::of(100)) == 200);
    CHECK(n.rank(Rational::of(3)) == 201);
  }
  // Keys that 6 decimals could not tell apart: 1/3 ranks below 0.333334 and above 0.333333.
  std::vector<Rational> close{Rational{1'000'000, 3}, Rational::of(333'334), Rational::of(333'333)};
  CHECK(competitionRanks(close, all, true) == std::vector<int64_t>{2, 1, 3});
}

TEST_CASE("bad cells reject the row with file, row, column, cell and expected type") {
  auto in = write("bad.csv",
                  "姓名,甲,乙,廉洁问题,级别\n"
                  "张三,3,2,否,县级\n"
                  "李四,8.5,三,,市级\n"
                  "王五,x,1,也许,省级\n"
                  "赵六,,0,否,市级\n");
  auto r = run(fake::makeProgram({}), {in});
  CHECK(r.rc == 1);
  checkInvariant(r);
  CHECK(r.stats.rowsRead == 4);
  // Row 5's blank 甲 claims nothing: it reads as 0 (the records contract:
  // a blank cell of a present column is the field's empty value).
  CHECK(r.stats.rowsScored == 2);
  CHECK(r.diag == in + ":3: 错误: 列“乙”：“三”不是有效的件数（非负整数）；该行未评分\n" +
                      in + ":4: 错误: 列“甲”：“x”不是有效的小数（如 12.5）；该行未评分\n" +
                      in + ":4: 错误: 列“廉洁问题”：“也许”不是有效的是否值（是/否）；该行未评分\n" +
                      in + ":4: 错误: 列“级别”：“省级”不是有效的选项（县级、市级 之一）；该行未评分\n" +
                      "读取 4 行，评分 2 行，拒绝 2 行\n" +
                      // ... and not silently: 赵六's blank 甲 is counted (李四's blank 廉洁问题 is in a rejected row).
                      "注意: 必填字段有 1 个空格子，已按“没有可申报的”计（0、否、0%、枚举的第一个值、空文本），第一处在 " + in +
                      ":5 列“甲”；如空格子另有含义，请填写，或给字段写“缺省”\n");
  CHECK(lines(r.output).size() == 3);

  RunOptions en;
  en.lang = Lang::En;
  auto e = run(fake::makeProgram({}), {in}, en);
  CHECK(e.diag.find(in + ":3: error: column \"乙\": \"三\" is not a valid count (a whole number, 0 or more); row not scored\n") !=
        std::string::npos);
  CHECK(e.diag.find(in + ":5:") == std::string::npos);
  CHECK(e.diag.find("read 4 rows, scored 2 rows, rejected 2 rows\n") != std::string::npos);
}

TEST_CASE("percent cells: a bare 85 is rejected with the reason") {
  auto in = write("pct.csv", "姓名,甲,帮扶轮次[1].任务完成\nA,1,85\n");
  auto r = run(fake::makeProgram({}), {in});
  CHECK(r.rc == 1);
  CHECK(r.diag == in + ":2: 错误: 列“帮扶轮次[1].任务完成”：“85”不是有效的百分比（如 85% 或 0.85）：不带 % 的百分比应在 -1 到 1 "
                       "之间，85% 请写作 85% 或 0.85；该行未评分\n读取 1 行，评分 0 行，拒绝 1 行\n");
}

TEST_CASE("unknown and missing columns are reported once, with did-you-mean — a missing required column is fatal") {
  auto in = write("cols.csv", "姓名,甲1,乙乙,廉洁问题\nA,1,2,否\nB,1,2,否\n");
  auto r = run(fake::makeProgram({}), {in});
  CHECK(r.rc == 2);  // the file is unusable: no row is read, nothing is written
  checkInvariant(r);
  CHECK(r.stats.rowsRead == 0);
  CHECK(r.diag == in + ": 警告: 未知的列“甲1”，已忽略（您是否想写“甲”？）\n" +
                      in + ": 警告: 未知的列“乙乙”，已忽略（您是否想写“乙”？）\n" +
                      in + ": 错误: 缺少必填的列“甲”（表头中的“甲1”是否就是它？）；请补上这一列（字段声明了“缺省”才可以不写）\n" +
                      in + ": 错误: 该文件的列与细则不符，没有评分任何一行\n");

  auto in2 = write("cols2.csv", "姓名,甲,帮扶论次[2].任务完成\nA,1,\n");
  auto r2 = run(fake::makeProgram({}), {in2});
  CHECK(r2.rc == 0);
  CHECK(r2.diag.find("未知的列“帮扶论次[2].任务完成”，已忽略（您是否想写“帮扶轮次[2].任务完成”？）") != std::string::npos);
}

TEST_CASE("lists via indexed CSV columns: length = highest index with a non-empty cell — monthly columns") {
  auto in = write("lists.csv",
                  "姓名,甲,帮扶轮次[1].任务完成,帮扶轮次[1].发现问题,帮扶轮次[2].任务完成,帮扶轮次［3］．发现问题,"
                  "数据质量[1],数据质量[12]\n"
                  "A,1,80%,50%,90%,,50%,0.25\n"
                  "B,1,,,,0.5,,\n"
                  "C,1,,,,,,\n");
  RunOptions o;
  o.items = true;
  auto r = run(fake::makeProgram({}), {in}, o, "out.csv", &captureKernel);
  CHECK(r.rc == 0);
  CHECK(gOffsets == std::vector<int64_t>{0, 2, 5, 5});
  CHECK(gDone == std::vector<int64_t>{800'000, 900'000, 0, 0, 0});
  CHECK(gFound == std::vector<int64_t>{500'000, 0, 0, 0, 500'000});
  CHECK(lines(r.output) == std::vector<std::string>{
                               "姓名,状态,总分,一 基础,二 帮扶,二.1 月度,三 名次,四 级内名次,五 平均,排名,级内排名,奖项",
                               "A,有效,14,1,13,0.75,0,0,0,1,1,优秀",
                               "B,有效,6,1,5,0,0,0,0,2,2,",
                               "C,有效,1,1,0,0,0,0,0,3,3,",
                           });
}

TEST_CASE("JSON Lines in and out: lists as arrays of objects, monthly as arrays, explicit empty elements count") {
  auto in = write("in.jsonl",
                  "{\"姓名\":\"A\",\"甲\":1,\"帮扶轮次\":[{\"任务完成\":\"80%\",\"发现问题\":0.5},{\"任务完成\":0.9}],"
                  "\"数据质量\":[0.5,0,0,0,0,0,0,0,0,0,0,0.25]}\n"
                  "{\"姓名\":\"B\",\"甲\":\"1\",\"帮扶轮次\":[{},{},{\"发现问题\":\"50%\"}]}\n"
                  "\n"
                  "{\"姓名\":\"C\",\"甲\":1,\"帮扶轮次\":[{},{}],\"廉洁问题\":true}\n"
                  "{\"姓名\":\"D\",\"甲\":1,\"帮扶轮次\":\"很多\"}\n"
                  "{\"姓名\":\"E\",\"甲\":1,\"帮扶轮次\":[{\"任务完成\":\"很好\"}]}\n");
  auto r = run(fake::makeProgram({}), {in}, {}, "out.jsonl", &captureKernel);
  CHECK(r.rc == 1);
  checkInvariant(r);
  CHECK(gOffsets == std::vector<int64_t>{0, 2, 5, 7});
  CHECK(r.output ==
        "{\"姓名\":\"A\",\"状态\":\"有效\",\"总分\":14,\"一 基础\":1,\"二 帮扶\":13,\"三 名次\":0,\"四 级内名次\":0,"
        "\"五 平均\":0,\"排名\":1,\"级内排名\":1,\"奖项\":[\"优秀\"]}\n"
        "{\"姓名\":\"B\",\"状态\":\"有效\",\"总分\":6,\"一 基础\":1,\"二 帮扶\":5,\"三 名次\":0,\"四 级内名次\":0,"
        "\"五 平均\":0,\"排名\":2,\"级内排名\":2,\"奖项\":[]}\n"
        "{\"姓名\":\"C\",\"状态\":\"取消资格：廉洁纪律\",\"总分\":1,\"一 基础\":1,\"二 帮扶\":0,\"三 名次\":0,"
        "\"四 级内名次\":0,\"五 平均\":0,\"排名\":null,\"级内排名\":null,\"奖项\":[]}\n");
  CHECK(r.diag == in + ":5: 错误: 列“帮扶轮次”是列表，不能写在一个单元格里；请用“帮扶轮次[1].任务完成”这样的列（JSON Lines "
                       "中用数组）；该行未评分\n" +
                      in + ":6: 错误: 列“帮扶轮次[1].任务完成”：“很好”不是有效的百分比（如 85% 或 0.85）；该行未评分\n" +
                      "读取 5 行，评分 3 行，拒绝 2 行\n" +
                      // The elements' missing keys read as 0%, and are counted: A's 帮扶轮次[2] lacks 发现问题 (1),
                      // B's three elements lack 5 of their 6 fields, C's two {} lack 4: 1 + 5 + 4 = 10.
                      "注意: 必填字段有 10 个空格子，已按“没有可申报的”计（0、否、0%、枚举的第一个值、空文本），第一处在 " + in +
                      ":1 列“帮扶轮次[2].发现问题”；如空格子另有含义，请填写，或给字段写“缺省”\n");
}

TEST_CASE("CSV input edge cases end to end: BOM, quotes, embedded newline, CRLF") {
  auto in = write("edge.csv", testutil::kBom +
                                  "姓名,甲,乙\r\n"
                                  "\"张,三\",\"1,000\",2\r\n"
                                  "\"李\r\n四\",\"2\",\"\"\r\n"
                                  "\"王\"\"五\",３,1\r\n");
  auto r = run(fake::makeProgram({}), {in});
  CHECK(r.rc == 0);
  CHECK(r.output == testutil::kBom +
                        "姓名,状态,总分,一 基础,二 帮扶,三 名次,四 级内名次,五 平均,排名,级内排名,奖项\n"
                        "\"张,三\",有效,1002,1002,0,0,0,0,1,1,优秀\n"
                        "\"李\r\n四\",有效,2,2,0,0,0,0,3,3,\n"
                        "\"王\"\"五\",有效,4,4,0,0,0,0,2,2,\n");
}

TEST_CASE("kernel errors reject the record with the error and the row") {
  auto in = write("div.csv", "姓名,甲,除数\n张三,1,0\n李四,1,2\n");
  auto r = run(fake::makeProgram({}), {in});
  CHECK(r.rc == 1);
  checkInvariant(r);
  CHECK(r.diag == in + ":2: 错误: 计算得分时除数为零；该行未评分\n读取 2 行，评分 1 行，拒绝 1 行\n");
  CHECK(lines(r.output)[1] == "李四,有效,0.5,0.5,0,0,0,0,1,1,");

  // In population mode an errored record is excluded from ranks too.
  fake::Options o;
  o.population = true;
  auto p = run(fake::makeProgram(o), {in});
  CHECK(p.rc == 1);
  CHECK(lines(p.output)[1] == "李四,有效,0.5,0.5,0,1,1,0.5,1,1,");
}

TEST_CASE("uniqueness validations name both rows — the records are still scored") {
  fake::Options o;
  o.validation = true;
  auto in = write("dup.csv",
                  "姓名,甲,案卷号,备用案卷号\n"
                  "A,1,AJ-1,\n"
                  "B,1,AJ-2,AJ-3\n"
                  "C,1,AJ-9, AJ-1\n"
                  "D,1,AJ-4,AJ-4\n");
  auto r = run(fake::makeProgram(o), {in});
  CHECK(r.rc == 1);
  CHECK(r.stats.rowsScored == 4);
  CHECK(r.stats.validationErrors == 1);
  CHECK(r.diag == in + ":4: 错误: 案卷不得重复使用：值“AJ-1”（列“备用案卷号”）与 " + in +
                      ":2（列“案卷号”）重复\n读取 4 行，评分 4 行，拒绝 0 行，校验错误 1 处\n");
  CHECK(lines(r.output).size() == 5);

  // Across files too.
  auto in2 = write("dup2.csv", "姓名,甲,案卷号\nE,1,AJ-2\n");
  auto r2 = run(fake::makeProgram(o), {in, in2});
  CHECK(r2.stats.validationErrors == 2);
  CHECK(r2.diag.find(in2 + ":2: 错误: 案卷不得重复使用：值“AJ-2”（列“案卷号”）与 " + in + ":3（列“案卷号”）重复") !=
        std::string::npos);
}

TEST_CASE("params file: a JSON object or a name,value CSV — unknown and missing parameters are fatal") {
  fake::Options o;
  o.param = true;
  Program p = fake::makeProgram(o);
  fake::fakeUseParam = true;
  auto in = write("p.csv", "姓名,甲\nA,1\n");

  RunOptions opts;
  opts.paramsFile = write("params.json", "{\"加分\": 1.5}");
  auto r = run(p, {in}, opts);
  CHECK(r.rc == 0);
  CHECK(lines(r.output)[1].rfind("A,有效,2.5,2.5,", 0) == 0);

  opts.paramsFile = write("params.csv", testutil::kBom + "参数,值\r\n加分,\"0.25\"\r\n");
  r = run(p, {in}, opts);
  CHECK(r.rc == 0);
  CHECK(lines(r.output)[1].rfind("A,有效,1.25,1.25,", 0) == 0);

  opts.paramsFile = write("headerless.csv", "加分,2\n");
  r = run(p, {in}, opts);
  CHECK(lines(r.output)[1].rfind("A,有效,3,3,", 0) == 0);

  opts.paramsFile = write("bad.json", "{\"加分\": 1, \"减分\": 2}");
  r = run(p, {in}, opts);
  CHECK(r.rc == kExitFatal);
  CHECK(r.diag == opts.paramsFile + ": 错误: 未知的参数“减分”（您是否想写“加分”？）\n");
  CHECK(r.output.empty());

  opts.paramsFile = write("badval.json", "{\"加分\": \"很多\"}");
  r = run(p, {in}, opts);
  CHECK(r.rc == kExitFatal);
  CHECK(r.diag == opts.paramsFile + ": 错误: 参数“加分”：“很多”不是有效的小数（如 12.5）\n");

  opts.paramsFile.clear();
  r = run(p, {in}, opts);
  CHECK(r.rc == kExitFatal);
  CHECK(r.diag == "错误: 缺少参数“加分”；请在 --params 文件中给出\n");
  fake::fakeUseParam = false;
}

TEST_CASE("strict mode: stop at the first rejected row and write nothing") {
  auto in = write("strict.csv", "姓名,甲\nA,1\nB,x\nC,3\n");
  RunOptions o;
  o.strict = true;
  auto r = run(fake::makeProgram({}), {in}, o);
  CHECK(r.rc == 1);
  checkInvariant(r);
  CHECK(r.stats.rowsRead == 2);
  CHECK_FALSE(r.stats.outputWritten);
  CHECK_FALSE(std::filesystem::exists(testutil::path("out.csv")));
  CHECK(r.diag == in + ":3: 错误: 列“甲”：“x”不是有效的小数（如 12.5）；该行未评分\n"
                       "读取 2 行，评分 1 行，拒绝 1 行\n"
                       "严格模式（--strict）：有错误，未写出结果\n");
}

TEST_CASE("several inputs, no id column, files that cannot be read") {
  auto a = write("a.csv", "甲\n1\n2\n");
  auto b = write("b.jsonl", "{\"甲\": 3}\n");
  auto r = run(fake::makeProgram({}), {a, b});
  CHECK(r.rc == 0);
  CHECK(r.stats.rowsRead == 3);
  auto ls = lines(r.output);
  REQUIRE(ls.size() == 4);
  CHECK(ls[1].rfind(a + ":2,有效,1,", 0) == 0);  // no id text: file:row
  CHECK(ls[3].rfind(b + ":1,有效,3,", 0) == 0);

  auto missing = testutil::path("missing.csv");
  auto m = run(fake::makeProgram({}), {missing});
  CHECK(m.rc == kExitFatal);
  CHECK(m.diag.rfind(missing + ": 错误: 文件不存在；请检查路径与文件名\n", 0) == 0);
  RunOptions en;
  en.lang = Lang::En;
  CHECK(run(fake::makeProgram({}), {missing}, en).diag.rfind(missing + ": error: no such file; check the path and the file name\n", 0) == 0);

  auto gbk = write("gbk.csv", "\xFF\xFF,\xBC\xD7\n");  // neither UTF-8 nor GB18030 (GBK: encoding_test.cpp)
  auto g = run(fake::makeProgram({}), {gbk});
  CHECK(g.rc == kExitFatal);
  CHECK(g.diag.find("不是有效的 UTF-8 或 GB18030/GBK 编码") != std::string::npos);

  RunOptions o;
  auto x = run(fake::makeProgram({}), {a}, o, "out.xls");
  CHECK(x.rc == kExitFatal);

  // A bad output path fails before any work; an input is never overwritten.
  RunOptions bad;
  bad.inputs = {a};
  bad.output = testutil::path("no/such/dir/out.csv");
  std::ostringstream diag;
  CHECK(runScoring(fake::makeProgram({}), &fake::fakeKernel, bad, diag) == kExitFatal);
  CHECK(diag.str() == bad.output + ": 错误: 无法写入输出文件：所在的文件夹不存在；请先建好文件夹或换一个路径\n");
  bad.output = a;
  std::string before = testutil::read(a);
  CHECK(runScoring(fake::makeProgram({}), &fake::fakeKernel, bad, diag) == kExitFatal);
  CHECK(testutil::read(a) == before);

  // A fatal input error leaves no half-written output behind.
  auto f = run(fake::makeProgram({}), {a, missing});
  CHECK(f.rc == kExitFatal);
  CHECK_FALSE(std::filesystem::exists(testutil::path("out.csv")));
}

TEST_CASE("malformed rows of a reader are rejected and counted") {
  auto in = write("bad.jsonl", "{\"甲\":1}\n{\"甲\":\n[1]\n");
  auto r = run(fake::makeProgram({}), {in});
  CHECK(r.rc == 1);
  checkInvariant(r);
  CHECK(r.stats.rowsRead == 3);
  CHECK(r.diag.find(in + ":2: 错误: 不是有效的 JSON（") != std::string::npos);
  CHECK(r.diag.find(in + ":3: 错误: 不是 JSON 对象；该行未评分") != std::string::npos);

  auto q = write("quote.csv", "姓名,甲\nA,1\nB,\"2\n");
  auto rq = run(fake::makeProgram({}), {q});
  CHECK(rq.diag == q + ":3: 错误: 引号没有闭合（一直到文件末尾）；该行未评分\n读取 2 行，评分 1 行，拒绝 1 行\n");
}

TEST_CASE("batches: results do not depend on the batch size") {
  fake::Options o;
  o.population = o.quotaAward = true;
  auto in = write("five.csv", kFive);
  auto whole = run(fake::makeProgram(o), {in});
  for (int64_t bs : {1, 2, 3}) {
    RunOptions opts;
    opts.batchSize = bs;
    auto r = run(fake::makeProgram(o), {in}, opts);
    CHECK(r.output == whole.output);
    auto s = run(fake::makeProgram({}), {in}, opts);
    CHECK(s.output == run(fake::makeProgram({}), {in}).output);
  }
}

namespace {

// A value list 得分: 列表{小数}; total = the sum of its elements.
Program valueListProgram() {
  Program p;
  ColumnDesc id;
  id.name = "编号";
  id.kind = ValueKind::Text;
  p.columns.push_back(id);
  ColumnDesc off;
  off.name = "得分[]";
  off.kind = ValueKind::Count;
  off.listId = 0;
  p.columns.push_back(off);
  ColumnDesc el;
  el.name = "得分[].值";
  el.listId = 0;
  p.columns.push_back(el);
  p.lists.push_back({"得分", 1, {2}});
  FieldDesc f;
  f.name = "编号";
  f.kind = ValueKind::Text;
  f.isId = true;
  f.column = 0;
  p.fields.push_back(f);
  FieldDesc l;
  l.name = "得分";
  l.isList = true;
  l.listId = 0;
  p.fields.push_back(l);
  p.idField = 0;
  SlotDesc t;
  t.kind = SlotKind::Total;
  t.name = "总分";
  p.slots.push_back(t);
  p.totalSlot = 0;
  return p;
}

void sumKernel(const rb_frame *f, int64_t begin, int64_t end, int32_t phase) {
  if (phase != 1) return;
  for (int64_t r = begin; r < end; ++r) {
    int64_t s = 0;
    auto offsets = static_cast<const int64_t *>(f->cols[1]), values = static_cast<const int64_t *>(f->cols[2]);
    for (int64_t e = offsets[r]; e < offsets[r + 1]; ++e) s = rb_dec_add(s, values[e], &f->errors[r]);
    f->slots[0][r] = s;
  }
}

} // namespace

TEST_CASE("value lists: L[k] or L[k].值 in CSV, an array of numbers in JSON Lines") {
  Program p = valueListProgram();
  auto c = write("vl.csv", "编号,得分[1],得分[3].值\nA,1.5,2\nB,,\n");
  auto r = run(p, {c}, {}, "out.csv", &sumKernel);
  CHECK(r.rc == 0);
  CHECK(lines(r.output) == std::vector<std::string>{"编号,状态,总分,排名", "A,有效,3.5,1", "B,有效,0,2"});
  auto j = write("vl.jsonl", "{\"编号\":\"A\",\"得分\":[1.5,null,\"2\"]}\n{\"编号\":\"B\",\"得分\":[]}\n");
  auto rj = run(p, {j}, {}, "out.csv", &sumKernel);
  CHECK(rj.rc == 0);
  CHECK(rj.output == r.output);
}

namespace {

// The fake kernel and a second veto, 甲超标 (slot 14: 甲 ≥ 8); slots past 14 (more vetoes) are never set.
void twoVetoKernel(const rb_frame *f, int64_t begin, int64_t end, int32_t phase) {
  fake::fakeKernel(f, begin, end, phase);
  if (phase != 1) return;
  auto jia = static_cast<const int64_t *>(f->cols[1]);
  for (int64_t r = begin; r < end; ++r) f->slots[14][r] = jia[r] >= 8 * RB_DEC_ONE;
}

// The fake program with 甲超标 and `unused` more veto slots after it.
Program vetoProgram(int unused) {
  Program p = fake::makeProgram({});
  for (int k = 0; k <= unused; ++k) {
    SlotDesc s;
    s.kind = SlotKind::VetoFlag;
    s.name = k == 0 ? "甲超标" : "否决" + std::to_string(k);
    s.phase = 1;
    p.slots.push_back(s);
  }
  return p;
}

} // namespace

// Spill records name the 状态 cell by the veto set's bits (at most 64 veto
// slots; the last pass writes it) or hold it (more): the same rows either way.
TEST_CASE("状态 of one and two vetoes: by veto set (2 and 64 veto slots) and held in the record (65), any order") {
  auto in = write("five.csv", kFive);
  // By hand: 李四 (甲 8.5) and 王五 (甲 10, 廉洁问题 是) are vetoed, in veto-slot order, and left unranked;
  // 张三 5, 赵六 5, 钱七 1 rank 1, 1, 3; 县级 张三 1, 钱七 2; 市级 赵六 1.
  const std::vector<std::string> inputOrder = {
      "姓名,状态,总分,一 基础,二 帮扶,三 名次,四 级内名次,五 平均,排名,级内排名,奖项",
      "张三,有效,5,5,0,0,0,0,1,1,",
      "李四,取消资格：甲超标,10.5,10.5,0,0,0,0,,,",
      "王五,取消资格：廉洁纪律；甲超标,11,11,0,0,0,0,,,",
      "赵六,有效,5,5,0,0,0,0,1,1,",
      "钱七,有效,1,1,0,0,0,0,3,2,",
  };
  const std::vector<std::string> rankOrder = {inputOrder[0], inputOrder[1], inputOrder[4],
                                              inputOrder[5], inputOrder[2], inputOrder[3]};
  for (int unused : {0, 62, 63}) {  // 2, 64 and 65 veto slots
    CAPTURE(unused);
    auto r = run(vetoProgram(unused), {in}, {}, "out.csv", &twoVetoKernel);
    CHECK(r.rc == 0);
    CHECK(lines(r.output) == inputOrder);
    RunOptions ranked;
    ranked.order = RowOrder::Rank;
    CHECK(lines(run(vetoProgram(unused), {in}, ranked, "out.csv", &twoVetoKernel).output) == rankOrder);
    auto j = run(vetoProgram(unused), {in}, {}, "out.jsonl", &twoVetoKernel);
    CHECK(lines(j.output)[2].rfind("{\"姓名\":\"王五\",\"状态\":\"取消资格：廉洁纪律；甲超标\",\"总分\":11,", 0) == 0);
  }
}
