#include "FakeKernel.h"

#include <algorithm>

#include "rubric_decimal.h"

namespace fake {

using namespace rubric::runtime;

bool fakeUseParam = false;

Program makeProgram(const Options &o) {
  Program p;
  p.schemeId = "测试方案";
  p.title = "测试评分";
  p.levels = {"县级", "市级"};
  auto col = [&](std::string name, ValueKind kind, int listId = -1, std::string elem = {}) {
    ColumnDesc c;
    c.name = std::move(name);
    c.kind = kind;
    c.listId = listId;
    c.elementField = std::move(elem);
    p.columns.push_back(c);
    return static_cast<int>(p.columns.size() - 1);
  };
  auto field = [&](std::string name, ValueKind kind, int column) {
    FieldDesc f;
    f.name = std::move(name);
    f.kind = kind;
    f.column = column;
    p.fields.push_back(f);
    return static_cast<int>(p.fields.size() - 1);
  };
  field("姓名", ValueKind::Text, col("姓名", ValueKind::Text));
  p.fields[0].isId = true;
  p.idField = 0;
  field("甲", ValueKind::Decimal, col("甲", ValueKind::Decimal));
  p.columns[1].optional = false;
  field("乙", ValueKind::Count, col("乙", ValueKind::Count));
  field("廉洁问题", ValueKind::Bool, col("廉洁问题", ValueKind::Bool));
  int lv = col("级别", ValueKind::Enum);
  p.columns[static_cast<size_t>(lv)].enumValues = p.levels;
  field("级别", ValueKind::Enum, lv);
  p.fields.back().enumValues = p.levels;
  p.levelColumn = lv;

  ListDesc list;
  list.name = "帮扶轮次";
  list.offsetsColumn = col("帮扶轮次[]", ValueKind::Count, 0);
  list.elementColumns = {col("帮扶轮次[].任务完成", ValueKind::Percent, 0, "任务完成"),
                         col("帮扶轮次[].发现问题", ValueKind::Percent, 0, "发现问题")};
  p.lists.push_back(list);
  FieldDesc lf;
  lf.name = "帮扶轮次";
  lf.isList = true;
  lf.listId = 0;
  p.fields.push_back(lf);

  int first = -1;
  for (int m = 1; m <= 12; ++m) {
    int c = col("数据质量[" + std::to_string(m) + "]", ValueKind::Percent);
    if (m == 1) first = c;
  }
  field("数据质量", ValueKind::Percent, first);
  p.fields.back().isMonthly = true;
  int div = col("除数", ValueKind::Decimal);
  p.columns[static_cast<size_t>(div)].defaultValue = RB_DEC_ONE;
  field("除数", ValueKind::Decimal, div);
  field("案卷号", ValueKind::Text, col("案卷号", ValueKind::Text));
  field("备用案卷号", ValueKind::Text, col("备用案卷号", ValueKind::Text));

  auto slot = [&](SlotKind k, std::string name, std::string path, int depth, int phase) {
    SlotDesc s;
    s.kind = k;
    s.name = std::move(name);
    s.path = std::move(path);
    s.depth = depth;
    s.phase = phase;
    p.slots.push_back(s);
  };
  slot(SlotKind::Node, "基础", "一", 0, 1);
  slot(SlotKind::Node, "帮扶", "二", 0, 1);
  slot(SlotKind::Node, "月度", "二.1", 1, 1);
  slot(SlotKind::Total, "总分", "", 0, 1);
  slot(SlotKind::VetoFlag, "廉洁纪律", "", 0, 1);
  slot(SlotKind::PopArg, "总分", "", 0, 1);
  slot(SlotKind::PopValue, "排名(总分)", "", 0, 2);
  slot(SlotKind::AwardCond, "优秀", "", 0, 2);
  slot(SlotKind::AwardRankKey, "前二名", "", 0, 2);
  slot(SlotKind::Node, "名次", "三", 0, 2);
  slot(SlotKind::PopValue, "级内排名(总分)", "", 0, 2);
  slot(SlotKind::Node, "级内名次", "四", 0, 2);
  slot(SlotKind::PopValue, "全体平均(总分)", "", 0, 2);
  slot(SlotKind::Node, "平均", "五", 0, 2);
  p.slots[0].points = "20";
  p.totalSlot = 3;

  if (o.population) {
    p.population.push_back({PopFunc::RankDesc, 5, 6, -1});
    p.population.push_back({PopFunc::LevelRankDesc, 5, 10, lv});
    p.population.push_back({PopFunc::Average, 5, 12, -1});
  }
  AwardDesc good;
  good.name = "优秀";
  good.condSlot = 7;
  p.awards.push_back(good);
  if (o.quotaAward) {
    AwardDesc top;
    top.name = "前二名";
    top.quota = 2;
    top.rankSlot = 8;
    top.ties = o.ties;
    p.awards.push_back(top);
  }
  if (o.validation) p.validations.push_back({"案卷不得重复使用", {"案卷号", "备用案卷号"}});
  if (o.param) {
    FieldDesc f;
    f.name = "加分";
    f.kind = ValueKind::Decimal;
    f.column = 0;
    p.params.push_back(f);
  }
  return p;
}

void fakeKernel(const rb_frame *f, int64_t begin, int64_t end, int32_t phase) {
  auto c = reinterpret_cast<const int64_t *const *>(f->cols);  // every column of fakeProgram is int64 wide
  int64_t *const *s = f->slots;
  for (int64_t r = begin; r < end; ++r) {
    int32_t err = 0;
    if (phase == 1) {
      int64_t base = rb_dec_div(rb_dec_add(c[1][r], c[2][r], &err), c[20][r], &err);
      if (fakeUseParam) base = rb_dec_add(base, f->params[0], &err);
      int64_t best = 0;
      for (int64_t e = c[5][r]; e < c[5][r + 1]; ++e)
        best = std::max(best, rb_dec_mul(rb_dec_add(c[6][e], c[7][e], &err), 10 * RB_DEC_ONE, &err));
      int64_t monthly = 0;
      for (int m = 0; m < 12; ++m) monthly = rb_dec_add(monthly, c[8 + m][r], &err);
      s[0][r] = base;
      s[1][r] = best;
      s[2][r] = monthly;
      s[3][r] = rb_dec_add(base, best, &err);
      s[4][r] = c[3][r];
      s[5][r] = s[3][r];
    } else {
      s[7][r] = s[3][r] >= 10 * RB_DEC_ONE;
      s[8][r] = s[3][r];
      s[9][r] = s[6][r];
      s[11][r] = s[10][r];
      s[13][r] = s[12][r];
    }
    if (err && !f->errors[r]) f->errors[r] = err;
  }
}

} // namespace fake
