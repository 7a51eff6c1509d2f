#include "report/Sentences.h"

#include <algorithm>

#include "decimal.hpp"

namespace rubric::report {
namespace {

using ast::CmpOp;
using ast::Expr;
using ast::ExprKind;

// ───────────── words ─────────────

bool zh(const RenderContext &ctx) { return ctx.lang() == Lang::Zh; }
std::string pick(const RenderContext &ctx, const char *zhText, const char *enText) {
  return zh(ctx) ? zhText : enText;
}

std::string join(const std::vector<std::string> &parts, const std::string &sep) {
  std::string s;
  for (const auto &p : parts) s += (s.empty() ? "" : sep) + p;
  return s;
}

bool endsWith(const std::string &s, const std::string &tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

std::string stripFinalStop(std::string s) {
  for (const char *stop : {"。", "；", ".", ";"})
    if (endsWith(s, stop)) s.resize(s.size() - std::string(stop).size());
  return s;
}

// Boundary words a reader knows from the documents (民法典 第一千二百五十九条);
// the word the author wrote is kept when it is one of them.
bool isBoundaryWord(const std::string &w) {
  static const char *words[] = {"达到", "不少于", "不低于", "超过", "高于", "多于",
                                "不足", "低于",   "少于",   "未达到", "不超过", "不高于"};
  return std::any_of(std::begin(words), std::end(words), [&](const char *x) { return w == x; });
}

std::string cmpWord(CmpOp op, const RenderContext &ctx) {
  if (!zh(ctx)) return std::string(" ") + ast::cmpOpSymbol(op) + " ";
  switch (op) {
  case CmpOp::Ge: return "达到";
  case CmpOp::Gt: return "超过";
  case CmpOp::Lt: return "不足";
  case CmpOp::Le: return "不超过";
  case CmpOp::Eq: return "为";
  case CmpOp::Ne: return "不为";
  }
  return "?";
}

CmpOp negated(CmpOp op) {
  switch (op) {
  case CmpOp::Ge: return CmpOp::Lt;
  case CmpOp::Gt: return CmpOp::Le;
  case CmpOp::Lt: return CmpOp::Ge;
  case CmpOp::Le: return CmpOp::Gt;
  case CmpOp::Eq: return CmpOp::Ne;
  case CmpOp::Ne: return CmpOp::Eq;
  }
  return op;
}

// ───────────── expressions ─────────────

// Binding strength, loosest first: a child binding looser than its context is bracketed.
enum Prec { kOr = 1, kAnd, kNot, kCmp, kAdd, kMul, kNeg, kAtom };

int precOf(const Expr &e) {
  switch (e.kind) {
  case ExprKind::Binary:
    switch (e.binOp) {
    case ast::BinOp::Or: return kOr;
    case ast::BinOp::And: return kAnd;
    case ast::BinOp::Add:
    case ast::BinOp::Sub: return kAdd;
    case ast::BinOp::Mul:
    case ast::BinOp::Div: return kMul;
    }
    return kAtom;
  case ExprKind::Unary: return e.unOp == ast::UnOp::Not ? kNot : kNeg;
  case ExprKind::Compare:
  case ExprKind::Range: return kCmp;
  default: return kAtom;
  }
}

bool isZeroLiteral(const Expr &e) {
  if (e.kind != ExprKind::Number && e.kind != ExprKind::Percent) return false;
  auto d = Decimal::parse(e.text);
  return d && d->raw() == 0;
}

class ExprWriter {
public:
  explicit ExprWriter(const RenderContext &ctx) : ctx_(ctx) {}

  std::string text(const Expr &e, int context = 0) {
    std::string s = bare(e);
    if (precOf(e) >= context) return s;
    return zh(ctx_) ? "（" + s + "）" : "(" + s + ")";
  }

private:
  const RenderContext &ctx_;

  std::string arg(const Expr &e, size_t i, int context = 0) { return text(*e.args[i], context); }

  std::string bare(const Expr &e) {
    switch (e.kind) {
    case ExprKind::Number: return e.text + (e.isPoints ? pick(ctx_, "分", " pts") : "");
    case ExprKind::Percent: return e.text + "%";
    case ExprKind::Bool: return zh(ctx_) ? e.text : (e.text == "是" ? "yes" : e.text == "否" ? "no" : e.text);
    case ExprKind::String: return zh(ctx_) ? "“" + e.text + "”" : "\"" + e.text + "\"";
    case ExprKind::Date:
    case ExprKind::Name: return e.text;
    case ExprKind::Member: return e.text + pick(ctx_, "的", ".") + e.member;
    case ExprKind::NodeRef: return nodeRef(e);
    case ExprKind::Unary: return unary(e);
    case ExprKind::Binary: return binary(e);
    case ExprKind::Compare: return compare(e, e.cmpOp, e.cmpWord);
    case ExprKind::Range:
      return zh(ctx_) ? arg(e, 0, kAdd) + "为" + arg(e, 1, kAdd) + "至" + arg(e, 2, kAdd)
                      : arg(e, 0, kAdd) + " from " + arg(e, 1, kAdd) + " to " + arg(e, 2, kAdd);
    case ExprKind::Call: return call(e);
    case ExprKind::ListAgg: return listAggregate(e);
    case ExprKind::TopAverage: return topAverage(e);
    case ExprKind::EachIndicator: return pick(ctx_, "各一级指标均", "every indicator: ") + arg(e, 0);
    case ExprKind::Conditional: return conditional(e);
    }
    return e.text;
  }

  // 若 未在门户网站公开 则 0% 否则 得分率 → （未在门户网站公开的，为0%，否则为得分率）: always
  // bracketed, so it reads as one value inside a formula or a list's 各…的平均值.
  std::string conditional(const Expr &e) {
    if (zh(ctx_)) return "（" + arg(e, 0, kOr) + "的，为" + arg(e, 1, kOr) + "，否则为" + arg(e, 2, kOr) + "）";
    return "(if " + arg(e, 0, kOr) + " then " + arg(e, 1, kOr) + " else " + arg(e, 2, kOr) + ")";
  }

  std::string nodeRef(const Expr &e) {
    std::string title = ctx_.nodeTitle(e.text);
    bool declared = e.member == "分值";
    if (zh(ctx_)) return "“" + title + "”" + (declared ? "分值" : "得分");
    return (declared ? "points of \"" : "score of \"") + title + "\"";
  }

  std::string unary(const Expr &e) {
    const Expr &x = *e.args[0];
    if (e.unOp == ast::UnOp::Neg) return "-" + text(x, kNeg);
    if (!zh(ctx_)) return "not " + text(x, kNot);
    if (x.kind == ExprKind::Name) return negatedName(x.text);
    if (x.kind == ExprKind::Compare) return compare(x, negated(x.cmpOp), "");
    return "并非" + text(x, kAtom);
  }

  // 非 开展普法 → 未开展普法; a name already negative (未纳入…) → 并非未纳入….
  static std::string negatedName(const std::string &name) {
    for (const char *neg : {"未", "无", "不", "非", "没"})
      if (name.rfind(neg, 0) == 0) return "并非" + name;
    return "未" + name;
  }

  std::string binary(const Expr &e) {
    int p = precOf(e);
    std::string op;
    switch (e.binOp) {
    case ast::BinOp::Add: op = zh(ctx_) ? "+" : " + "; break;
    case ast::BinOp::Sub: op = zh(ctx_) ? "−" : " − "; break;
    case ast::BinOp::Mul: op = zh(ctx_) ? "×" : " × "; break;
    case ast::BinOp::Div: op = zh(ctx_) ? "÷" : " ÷ "; break;
    case ast::BinOp::And: op = zh(ctx_) ? "且" : " and "; break;
    case ast::BinOp::Or: op = zh(ctx_) ? "或" : " or "; break;
    }
    // − and ÷ do not associate: a right operand of the same strength keeps its brackets.
    bool rightStricter = e.binOp == ast::BinOp::Sub || e.binOp == ast::BinOp::Div;
    return arg(e, 0, p) + op + arg(e, 1, rightStricter ? p + 1 : p);
  }

  // `written` is the boundary word of the source, kept when it is a Chinese one.
  std::string compare(const Expr &e, CmpOp op, const std::string &written) {
    const Expr &rhs = *e.args[1];
    std::string lhs = text(*e.args[0], kAdd);
    if (rhs.kind == ExprKind::Bool && (op == CmpOp::Eq || op == CmpOp::Ne)) {
      bool yes = (rhs.text == "是") == (op == CmpOp::Eq);  // X = 是, X ≠ 否 → X
      if (yes) return lhs;
      return zh(ctx_) ? negatedName(lhs) : "not " + lhs;
    }
    std::string word = zh(ctx_) && isBoundaryWord(written) ? written : cmpWord(op, ctx_);
    return lhs + word + text(rhs, kAdd);
  }

  std::string call(const Expr &e) {
    const std::string &f = e.text;
    auto all = [&](const char *sep) {
      std::vector<std::string> a;
      for (size_t i = 0; i < e.args.size(); ++i) a.push_back(arg(e, i));
      return join(a, sep);
    };
    if (f == "连续年数" && !e.args.empty()) return yearRun(e);
    if (!zh(ctx_)) return englishCall(e, all(", "));
    size_t n = e.args.size();
    if (f == "四舍五入" && n == 2)
      return arg(e, 0, kAtom) + (isZeroLiteral(*e.args[1]) ? "（四舍五入取整）" : "（四舍五入保留" + arg(e, 1) + "位小数）");
    if ((f == "向下取整" || f == "向上取整") && n >= 1)
      return arg(e, 0, kAtom) + "（" + f + (n == 2 ? "保留" + arg(e, 1) + "位小数" : "") + "）";
    if ((f == "最大" || f == "最小") && n >= 1) return all("、") + (f == "最大" ? "中的最大值" : "中的最小值");
    if (f == "个数" && n == 1) return arg(e, 0) + "的个数";
    if ((f == "排名" || f == "级内排名") && n >= 1) return rankSentence(e);
    if (f == "全体求和" && n == 1) return "全体候选对象" + arg(e, 0, kAtom) + "之和";
    if (f == "全体平均" && n == 1) return "全体候选对象" + arg(e, 0, kAtom) + "的平均值";
    if (f == "全体最大" && n == 1) return "全体候选对象" + arg(e, 0, kAtom) + "的最高值";
    if (f == "全体最小" && n == 1) return "全体候选对象" + arg(e, 0, kAtom) + "的最低值";
    if (f == "候选数" && n == 0) return "候选对象总数";
    if (f == "级内候选数" && n == 0) return "本级候选对象数";
    if (f == "级内最大" && n == 1) return "本级候选对象" + arg(e, 0, kAtom) + "的最高值";
    if (f == "有值" && n == 1) return arg(e, 0, kAtom) + "有值";
    return f + "（" + all("，") + "）";
  }

  // 连续年数(获奖年份, 截至 2024) → “获奖年份中截至2024年的连续年数”; without 截至 the
  // run ends at the year before the scheme's 年度.
  std::string yearRun(const Expr &e) {
    bool through = e.through && e.args.size() == 2;
    if (!zh(ctx_))
      return "consecutive years of " + arg(e, 0) + " through " + (through ? e.args[1]->text : "the year before 年度");
    return arg(e, 0, kAtom) + "中截至" + (through ? e.args[1]->text + "年" : "上一年度") + "的连续年数";
  }

  // 排名(总分, 升序, 并列不跳号) → “总分的名次（从低到高，并列不跳号）”: the words after
  // the key change the number, so the sentence says them.
  std::string rankSentence(const Expr &e) {
    std::string notes;
    for (size_t i = 1; i < e.args.size(); ++i) {
      const std::string &w = e.args[i]->text;
      if (w == "降序") continue;  // the default, said by “名次”
      notes += (notes.empty() ? "" : "，") + (w == "升序" ? std::string("从低到高") : w);
    }
    return arg(e, 0, kAtom) + (e.text == "排名" ? "的名次" : "的级内名次") + (notes.empty() ? "" : "（" + notes + "）");
  }

  std::string englishCall(const Expr &e, const std::string &args) {
    static const std::map<std::string, std::string> names = {
        {"四舍五入", "round"}, {"向下取整", "floor"}, {"向上取整", "ceil"}, {"最大", "max"}, {"最小", "min"},
        {"个数", "count"}, {"排名", "rank"}, {"级内排名", "rank within level"}, {"全体求和", "sum over all candidates"},
        {"全体平均", "mean over all candidates"}, {"全体最大", "max over all candidates"},
        {"全体最小", "min over all candidates"}, {"候选数", "number of candidates"},
        {"级内候选数", "number of candidates of the level"}, {"级内最大", "max within level"},
        {"有值", "has_value"}};
    auto it = names.find(e.text);
    return (it == names.end() ? e.text : it->second) + "(" + args + ")";
  }

  bool isMonthly(const Expr &list) {
    const ast::Type *t = list.kind == ExprKind::Name ? ctx_.fieldType(list.text) : nullptr;
    return t && t->kind == ast::TypeKind::Monthly;
  }

  // 前50%平均(选派人员 按 姓名: 平均(成绩)): the merge of each group, then the outer aggregate.
  std::string perGroup(const Expr &e) {
    const Expr &merge = *e.args[1];
    std::string list = arg(e, 0), key = arg(e, 2), body = merge.args.empty() ? "" : arg(merge, 0);
    std::string top = e.topFraction + (e.topIsPercent ? "%" : "");
    static const std::map<std::string, std::pair<std::string, std::string>> words = {
        {"最好", {"的最高值", "best"}}, {"最差", {"的最低值", "worst"}}, {"平均", {"的平均值", "average"}},
        {"求和", {"之和", "sum"}}, {"计数", {"满足的个数", "count"}}, {"全部", {"是否全部满足", "all"}},
        {"任一", {"是否任一满足", "any"}}};
    auto word = [&](const std::string &f, bool english) {
      auto it = words.find(f);
      return it == words.end() ? f : english ? it->second.second : it->second.first;
    };
    bool top_ = e.kind == ExprKind::TopAverage;
    if (!zh(ctx_))
      return (top_ ? "mean of the top " + top : word(e.text, true)) + " over the " + key + " groups of " + list +
             " (each group: " + word(merge.text, true) + " of (" + body + "))";
    std::string groups = list + "按" + key + "合并（同一" + key + "取" + body + word(merge.text, false) + "）";
    return groups + "，" + (top_ ? "排名前" + top + (e.topIsPercent ? "" : "名") + "的平均值" : "各组" + word(e.text, false));
  }

  std::string listAggregate(const Expr &e) {
    if (e.perGroup) return perGroup(e);
    std::string list = arg(e, 0), body = arg(e, 1);
    const std::string &f = e.text;
    if (!zh(ctx_)) {
      static const std::map<std::string, std::string> en = {{"最好", "best"},  {"最差", "worst"}, {"平均", "average"},
                                                            {"求和", "sum"},   {"计数", "count"}, {"全部", "all"},
                                                            {"任一", "any"}};
      if (f == "全部" || f == "任一") return (f == "全部" ? "every " : "some ") + list + " meets (" + body + ")";
      if (f == "计数") return "the number of " + list + " meeting (" + body + ")";
      auto it = en.find(f);
      return (it == en.end() ? f : it->second) + " over " + list + " of (" + body + ")";
    }
    std::string each = isMonthly(*e.args[0]) ? "各月" : "各" + list;
    if (f == "最好") return each + "中" + body + "的最高值";
    if (f == "最差") return each + "中" + body + "的最低值";
    if (f == "平均") return each + body + "的平均值";
    if (f == "求和") return each + body + "之和";
    if (f == "计数") return (isMonthly(*e.args[0]) ? "满足“" + body + "”的月数" : list + "中满足“" + body + "”的个数");
    if (f == "全部") return (isMonthly(*e.args[0]) ? "每月" : "每个" + list) + "均满足“" + body + "”";
    if (f == "任一") return (isMonthly(*e.args[0]) ? "任一月" : "任一" + list) + "满足“" + body + "”";
    return f + "（" + list + "：" + body + "）";
  }

  std::string topAverage(const Expr &e) {
    if (e.perGroup) return perGroup(e);
    std::string list = arg(e, 0), body = arg(e, 1);
    std::string top = e.topFraction + (e.topIsPercent ? "%" : "");
    if (!zh(ctx_)) return "mean of the top " + top + " of " + list + " by (" + body + ")";
    return "各" + list + body + "中排名前" + top + (e.topIsPercent ? "" : "名") + "的平均值";
  }
};

// ───────────── points ─────────────

bool deducts(const ast::Rule &r, const RenderContext &ctx) { return r.deduct || ctx.inDeduction(); }

// Whether an expression carries its own unit (3分 × 得分率) or needs 分 after it.
bool mentionsPoints(const Expr &e) {
  bool found = false;
  ast::forEachSubExpr(e, [&](const Expr &x) { found |= x.kind == ExprKind::Number && x.isPoints; });
  return found;
}

std::string pointsAmount(const Expr &e, const RenderContext &ctx) {
  if (e.kind == ExprKind::Number) return e.text + pick(ctx, "分", e.text == "1" ? " pt" : " pts");
  std::string s = exprText(e, ctx);
  if (mentionsPoints(e)) return s;
  return zh(ctx) ? s + "分" : s + " pts";
}

// "得3分" / "每件扣0.5分" / "不得分" / "3 pts each" for one amount.
std::string award(const Expr &points, bool deduct, const std::string &unit, const RenderContext &ctx) {
  if (isZeroLiteral(points)) return pick(ctx, deduct ? "不扣分" : "不得分", "0 pts");
  if (zh(ctx)) return unit + (deduct ? "扣" : "得") + pointsAmount(points, ctx);
  return (deduct ? "minus " : "") + pointsAmount(points, ctx) + (unit.empty() ? "" : " " + unit);
}

std::string award(const ast::PointsValue &pv, bool deduct, const std::string &unit, const RenderContext &ctx) {
  if (pv.expr) return award(*pv.expr, deduct, unit, ctx);
  std::vector<std::string> parts;  // 市级每件得2分，县级每件得3.5分
  for (const auto &lp : pv.byLevel)
    parts.push_back(lp.level + (zh(ctx) ? "" : " ") + award(*lp.points, deduct, unit, ctx));
  return join(parts, pick(ctx, "，", ", "));
}

std::string capClause(const ast::Rule &r, const RenderContext &ctx) {
  if (!r.cap) return "";
  std::string amount = pointsAmount(*r.cap, ctx);
  if (zh(ctx)) return (deducts(r, ctx) ? "，最多扣" : "，最高得") + amount;
  return ", at most " + amount;
}

std::string stepClause(const ast::Rule &r, const RenderContext &ctx) {
  if (!r.stepSize || !r.stepPoints) return "";
  std::string step = exprText(*r.stepSize, ctx), more = pointsAmount(*r.stepPoints, ctx);
  if (zh(ctx)) return "，每增加" + step + (deducts(r, ctx) ? "多扣" : "多得") + more;
  return ", plus " + more + " for each further " + step;
}

std::string unitPhrase(const ast::Rule &r, const RenderContext &ctx) {
  return zh(ctx) ? r.unitWord : "per unit";
}

// ───────────── rules ─────────────

std::string tierBound(const ast::Tier &t, const RenderContext &ctx) {
  if (t.isElse) return pick(ctx, "其他情况", "otherwise");
  auto v = [&](const ast::Bound &b) { return exprText(*b.value, ctx); };
  bool en = !zh(ctx);
  if (t.lo && t.hi) {
    std::string lo = v(*t.lo), hi = v(*t.hi);
    if (t.lo->inclusive && t.hi->inclusive)
      return lo == hi ? (en ? "= " + lo : "为" + lo) : (en ? lo + " to " + hi : lo + "至" + hi);
    std::string low = en ? (t.lo->inclusive ? "≥ " : "> ") + lo : (t.lo->inclusive ? "达到" : "超过") + lo;
    std::string high = en ? (t.hi->inclusive ? "≤ " : "< ") + hi : (t.hi->inclusive ? "不超过" : "不足") + hi;
    return low + (en ? " and " : "且") + high;
  }
  if (t.lo) return en ? (t.lo->inclusive ? "≥ " : "> ") + v(*t.lo) : (t.lo->inclusive ? "达到" : "超过") + v(*t.lo);
  if (t.hi) return en ? (t.hi->inclusive ? "≤ " : "< ") + v(*t.hi) : (t.hi->inclusive ? "不超过" : "不足") + v(*t.hi);
  return pick(ctx, "任意值", "any value");
}

std::string tiersSentence(const ast::Rule &r, const RenderContext &ctx) {
  std::string subject = exprText(*r.subject, ctx);
  std::vector<std::string> parts;
  for (size_t i = 0; i < r.tiers.size(); ++i) {
    const auto &t = r.tiers[i];
    std::string points = award(*t.points, deducts(r, ctx), "", ctx);
    if (!zh(ctx)) {
      parts.push_back(tierBound(t, ctx) + " → " + points);
    } else {
      std::string bound = tierBound(t, ctx);
      // The first tier names the value (学时达到40的); the rest read on from it.
      if (i == 0 && !t.isElse) bound = subject + bound;
      parts.push_back(bound + (t.isElse ? "，" : "的，") + points);
    }
  }
  if (!zh(ctx)) return subject + ": " + join(parts, "; ");
  std::string s = join(parts, "；");
  return !r.tiers.empty() && r.tiers[0].isElse ? subject + "：" + s : s;
}

std::string choiceSentence(const ast::Rule &r, const RenderContext &ctx) {
  std::vector<std::string> parts;
  for (const auto &c : r.choices) {
    std::string value = c.value + (c.andAbove ? pick(ctx, "以上", " or higher") : "");
    std::string points = award(*c.points, deducts(r, ctx), "", ctx);
    parts.push_back(zh(ctx) ? value + "的，" + points : value + " → " + points);
  }
  std::string subject = exprText(*r.subject, ctx);
  if (zh(ctx)) return "按" + subject + "：" + join(parts, "；") + capClause(r, ctx);
  return "By " + subject + ": " + join(parts, "; ") + capClause(r, ctx);
}

std::string whenSentence(const ast::Rule &r, const RenderContext &ctx) {
  std::string cond = exprText(*r.subject, ctx);
  std::string s = (zh(ctx) ? cond + "的，" : "If " + cond + ": ") + award(r.award, deducts(r, ctx), "", ctx) +
                  stepClause(r, ctx) + capClause(r, ctx);
  if (r.elseRule) {
    std::string other = ruleSentence(*r.elseRule, ctx);
    if (!zh(ctx) && !other.empty() && other[0] >= 'A' && other[0] <= 'Z') other[0] += 'a' - 'A';  // "; otherwise if …"
    s += pick(ctx, "；否则，", "; otherwise ") + other;
  }
  return s;
}

std::string perUnitSentence(const ast::Rule &r, const RenderContext &ctx) {
  std::string subject = exprText(*r.subject, ctx);
  return subject + pick(ctx, "，", ": ") + award(r.award, deducts(r, ctx), unitPhrase(r, ctx), ctx) + capClause(r, ctx);
}

std::string plainSentence(const ast::Rule &r, const RenderContext &ctx) {
  bool deduct = deducts(r, ctx);
  bool literal = r.award.expr && r.award.expr->kind == ExprKind::Number;
  if (!r.award.expr || literal) return award(r.award, deduct, "", ctx) + capClause(r, ctx);
  std::string formula = exprText(*r.award.expr, ctx);
  if (zh(ctx)) return (deduct ? "扣分＝" : "得分＝") + formula + capClause(r, ctx);
  return (deduct ? "Deduction = " : "Score = ") + formula + capClause(r, ctx);
}

std::string monthlySentence(const ast::Rule &r, const RenderContext &ctx) {
  std::string cond = exprText(*r.subject, ctx);
  std::string points = award(r.award, deducts(r, ctx), "", ctx) + capClause(r, ctx);
  return zh(ctx) ? "每月" + cond + "的，" + points : "Each month where " + cond + ": " + points;
}

std::string levelLine(const ast::LevelBlock &b, const RenderContext &ctx) {
  std::vector<std::string> parts;
  for (const auto &r : b.rules) parts.push_back(ruleSentence(r, ctx));
  for (const auto &na : b.naRules) parts.push_back(naSentence(na, ctx));
  if (parts.empty()) parts.push_back(pick(ctx, "无评分规则，不得分", "no rule, 0 pts"));
  return b.level + pick(ctx, "：", ": ") + join(parts, pick(ctx, "；", "; "));
}

bool isAdopted(const std::string &reading, const std::string &option, const RenderContext &ctx) {
  if (!ctx.file()) return false;
  for (const auto &r : ctx.file()->readings)
    if (r.name == reading)
      for (const auto &[name, span] : r.adopted)
        if (name == option) return true;
  return false;
}

// 按读法 X { A {…} B {…} }: one line per option, the adopted one marked, so a
// reader sees what each reading would score.
std::string readingLine(const ast::Rule &rule, const ast::LevelBlock &b, const RenderContext &ctx) {
  std::string head = zh(ctx) ? "读法“" + rule.reading + "”为“" + b.level + "”" : "reading \"" + rule.reading + "\" = \"" + b.level + "\"";
  if (isAdopted(rule.reading, b.level, ctx)) head += pick(ctx, "（采用）", " (adopted)");
  std::string line = levelLine(b, ctx);
  return head + line.substr(b.level.size());
}

// ───────────── 扣分 rows: the most they can take ─────────────

std::optional<Decimal> literalPoints(const Expr *e) {
  if (!e || e->kind != ExprKind::Number) return std::nullopt;
  return Decimal::parse(e->text);
}

// The most one rule can deduct, when its literals say so.
std::optional<Decimal> ruleMaximum(const ast::Rule &r) {
  if (auto cap = literalPoints(r.cap.get())) return cap;
  switch (r.kind) {
  case ast::RuleKind::When: {
    if (r.stepSize || !r.award.expr) return std::nullopt;
    auto most = literalPoints(r.award.expr.get());
    if (!most || !r.elseRule) return most;
    auto other = ruleMaximum(*r.elseRule);
    if (!other) return std::nullopt;
    return Decimal::max(*most, *other);
  }
  case ast::RuleKind::Plain: return r.award.expr ? literalPoints(r.award.expr.get()) : std::nullopt;
  case ast::RuleKind::Choice:
  case ast::RuleKind::Tiers: {
    std::optional<Decimal> most = Decimal::fromInt(0);
    auto consider = [&](const Expr &points) {
      auto v = literalPoints(&points);
      most = v && most ? std::optional<Decimal>(Decimal::max(*most, *v)) : std::nullopt;
    };
    for (const auto &c : r.choices) consider(*c.points);
    for (const auto &t : r.tiers) consider(*t.points);
    return most;
  }
  default: return std::nullopt;
  }
}

std::optional<Decimal> deductionMaximum(const ast::Node &n) {
  if (n.cap) return Decimal::parse(*n.cap);
  if (n.points) return Decimal::parse(*n.points);
  if (n.rules.empty() || !n.children.empty()) return std::nullopt;
  Decimal sum = Decimal::fromInt(0);
  try {
    for (const auto &r : n.rules) {
      auto m = ruleMaximum(r);
      if (!m) return std::nullopt;
      sum = sum + *m;
    }
  } catch (const DecimalError &) {  // literals too large to add: say nothing rather than something wrong
    return std::nullopt;
  }
  return sum;
}

} // namespace

// ───────────── context ─────────────

namespace {
void indexFields(const std::vector<ast::FieldDecl> &fields, std::map<std::string, const ast::Type *> &out) {
  for (const auto &f : fields) {
    out.emplace(f.name, &f.type);
    indexFields(f.type.recordFields, out);
  }
}
void indexNodes(const ast::Node &n, const std::string &path, std::map<std::string, std::string> &out) {
  std::string here = n.label.empty() ? path : (path.empty() ? n.label : path + "." + n.label);
  out.emplace(n.title, n.title);
  if (!here.empty()) out.emplace(here, n.title);
  for (const auto &c : n.children) indexNodes(*c, here, out);
}
} // namespace

RenderContext::RenderContext(const ast::File *file, Lang lang) : file_(file), lang_(lang) {
  if (!file) return;
  indexFields(file->inputs, fields_);
  indexFields(file->params, fields_);
  for (const auto &n : file->indicators) indexNodes(*n, "", refTitles_);
}

RenderContext RenderContext::deducting(bool on) const {
  RenderContext c = *this;
  c.inDeduction_ = on;
  return c;
}

const ast::Type *RenderContext::fieldType(const std::string &name) const {
  auto it = fields_.find(name);
  return it == fields_.end() ? nullptr : it->second;
}

std::string RenderContext::nodeTitle(const std::string &ref) const {
  auto it = refTitles_.find(ref);
  return it == refTitles_.end() ? ref : it->second;
}

// ───────────── public ─────────────

std::string exprText(const ast::Expr &e, const RenderContext &ctx) { return ExprWriter(ctx).text(e); }

std::string ruleSentence(const ast::Rule &rule, const RenderContext &ctx) {
  switch (rule.kind) {
  case ast::RuleKind::When: return whenSentence(rule, ctx);
  case ast::RuleKind::Choice: return choiceSentence(rule, ctx);
  case ast::RuleKind::PerUnit: return perUnitSentence(rule, ctx);
  case ast::RuleKind::Tiers: return tiersSentence(rule, ctx);
  case ast::RuleKind::Plain: return plainSentence(rule, ctx);
  case ast::RuleKind::Monthly: return monthlySentence(rule, ctx);
  case ast::RuleKind::ByLevel:
  case ast::RuleKind::ByReading: return join(ruleLines(rule, ctx), pick(ctx, "。", ". "));
  }
  return "";
}

std::vector<std::string> ruleLines(const ast::Rule &rule, const RenderContext &ctx) {
  std::vector<std::string> lines;
  if (rule.kind == ast::RuleKind::ByLevel)
    for (const auto &b : rule.levels) lines.push_back(levelLine(b, ctx));
  else if (rule.kind == ast::RuleKind::ByReading)
    for (const auto &b : rule.readingBlocks) lines.push_back(readingLine(rule, b, ctx));
  else
    lines.push_back(ruleSentence(rule, ctx));
  return lines;
}

namespace {
std::string naPolicyText(const ast::NaPolicy &p, const RenderContext &ctx) {
  switch (p.kind) {
  case ast::NaPolicyKind::FullMarks: return pick(ctx, "不作要求，按满分计", "this item is not required (full marks)");
  case ast::NaPolicyKind::Zero: return pick(ctx, "不得分", "this item scores 0");
  case ast::NaPolicyKind::Excluded:
    return pick(ctx, "不参与评分（不计入满分）", "this item is not scored (left out of the full mark)");
  case ast::NaPolicyKind::MoveTo:
    return zh(ctx) ? "相应分值计入“" + ctx.nodeTitle(p.target) + "”"
                   : "this item's points move to \"" + ctx.nodeTitle(p.target) + "\"";
  }
  return "";
}
} // namespace

std::string naSentence(const ast::NaRule &na, const RenderContext &ctx) {
  std::string policy = naPolicyText(na.policy, ctx);
  if (!na.condition) {  // 县级 不作要求 / 县级 不参与 / 不适用 县级 => …
    if (zh(ctx) && na.policy.kind == ast::NaPolicyKind::Excluded) return na.level + "不参与本项评分（不计入满分）";
    if (zh(ctx) && na.policy.kind == ast::NaPolicyKind::FullMarks) return na.level + "不作要求，本项按满分计";
    return zh(ctx) ? na.level + "：本项" + policy : "For " + na.level + ": " + policy;
  }
  std::string cond = exprText(*na.condition, ctx);
  if (na.ifNone) cond = zh(ctx) ? "无" + cond : "no " + cond;
  return zh(ctx) ? cond + "的，本项" + policy : "If " + cond + ": " + policy;
}

std::string vetoSentence(const ast::Veto &v, const RenderContext &ctx) {
  std::string effect;
  if (v.effect == ast::VetoEffectKind::Disqualify) effect = pick(ctx, "取消评审资格", "disqualified");
  else if (v.target.empty()) effect = pick(ctx, "本项不得分", "this item scores 0");
  else effect = zh(ctx) ? "“" + ctx.nodeTitle(v.target) + "”不得分" : "\"" + ctx.nodeTitle(v.target) + "\" scores 0";
  std::string cond = exprText(*v.condition, ctx);
  if (!zh(ctx)) return "Veto" + (v.reason.empty() ? "" : " \"" + v.reason + "\"") + ": if " + cond + ", " + effect + vetoMetaText(v, ctx);
  if (v.reason.empty()) return cond + "的，" + effect + vetoMetaText(v, ctx);
  std::string reason = stripFinalStop(v.reason);
  // A reason that is already a whole sentence (……的，不再推荐……) is not given another 的.
  std::string s = reason.find("，") != std::string::npos ? reason + "（" + effect + "）" : reason + "的，" + effect;
  // The field that decides, when the reason does not already name it.
  if (reason.find(cond) == std::string::npos) s += "〔判定：" + cond + "〕";
  return s + vetoMetaText(v, ctx);
}

// A veto row's 栏目 after its sentence, as the official table has them beside the row.
std::string vetoMetaText(const ast::Veto &v, const RenderContext &ctx) {
  std::vector<std::pair<std::string, std::string>> meta;
  for (const auto &m : v.meta) meta.emplace_back(m.key, m.value);
  std::string s = metaLine(meta, ctx.lang());
  return s.empty() ? "" : zh(ctx) ? "（" + s + "）" : " (" + s + ")";
}

std::string metaLine(const std::vector<std::pair<std::string, std::string>> &meta, Lang lang) {
  bool zh = lang == Lang::Zh;
  std::string s;
  for (const auto &[key, value] : meta) s += (s.empty() ? "" : zh ? "；" : "; ") + key + (zh ? "：" : ": ") + stripFinalStop(value);
  return s;
}

std::string ackSentence(const ast::Ack &ack, const RenderContext &ctx) {
  if (!zh(ctx)) return "Source total " + ack.total + " pts" + (ack.note.empty() ? "" : ": " + ack.note);
  return "原文合计" + ack.total + "分" + (ack.note.empty() ? "" : "：" + ack.note);
}

// 按 所属地州市 计数(级别 = 县级) 在 1 至 2 → “每个所属地州市中级别为县级的候选对象须有 1 至 2 个”.
static std::string groupCountSentence(const ast::Validation &v, const std::string &message, const RenderContext &ctx) {
  std::string range = std::to_string(v.groupMin) + pick(ctx, " 至 ", " to ") + std::to_string(v.groupMax);
  std::string cond = v.groupCondition ? exprText(*v.groupCondition, ctx) : "";
  if (!zh(ctx))
    return "Check " + message + ": for each value of " + v.groupField + ", the candidates" +
           (cond.empty() ? "" : " with " + cond) + " must number " + range + " (reported, scores unchanged)";
  return message + (message.empty() ? "" : "：") + "每个" + v.groupField + "中" + (cond.empty() ? "" : cond + "的") +
         "候选对象须有 " + range + " 个，否则报告校验不通过（不改变得分）";
}

std::string validationSentence(const ast::Validation &v, const RenderContext &ctx) {
  // The section heading says 校验; the message is the document's own sentence.
  std::string message = zh(ctx) ? stripFinalStop(v.message) : v.message.empty() ? "" : "\"" + v.message + "\"";
  if (!v.groupField.empty()) return groupCountSentence(v, message, ctx);
  if (v.condition) {
    std::string cond = exprText(*v.condition, ctx);
    if (!zh(ctx)) return "Check " + message + ": reported when " + cond + " (scores unchanged)";
    return message + (message.empty() ? "" : "：") + cond + "的，报告校验不通过（不改变得分）";
  }
  std::string fields = join(v.uniqueFields, pick(ctx, "、", ", "));
  if (v.withinRecord && !zh(ctx)) return "Check " + message + ": values of " + fields + " must not repeat within one candidate";
  if (v.withinRecord) return message + (message.empty() ? "" : "：") + fields + "的值在同一候选对象内不得重复";
  if (!v.otherScheme.empty()) {
    std::string other = join(v.otherFields, pick(ctx, "、", ", "));
    if (!zh(ctx))
      return "Check " + message + ": no value of " + fields + " may appear in " + v.otherScheme + "'s " + other +
             " (the records given with --with " + v.otherScheme + "=FILE)";
    return message + (message.empty() ? "" : "：") + fields + "的值不得出现在" + v.otherScheme + "的" + other +
           "中（评分时以 --with " + v.otherScheme + "=文件 提供" + v.otherScheme + "的记录）";
  }
  if (!zh(ctx)) return "Check " + message + ": values of " + fields + " must not repeat across candidates";
  return message + (message.empty() ? "" : "：") + fields + "的值在不同候选对象之间不得重复";
}

namespace {
std::string orderWord(bool descending, const RenderContext &ctx) {
  return descending ? pick(ctx, "从高到低", " descending") : pick(ctx, "从低到高", " ascending");
}

std::string tieText(const ast::Award &a, const RenderContext &ctx) {
  switch (a.ties) {
  case ast::TiePolicy::Unstated: return "";
  case ast::TiePolicy::IncludeAll: return pick(ctx, "，并列者一并列入", ", ties all included");
  case ast::TiePolicy::ExcludeAll: return pick(ctx, "，跨过名额的并列者均不列入", ", ties across the quota excluded");
  case ast::TiePolicy::Pending: return pick(ctx, "，跨过名额的并列者报告待定", ", ties across the quota left pending");
  case ast::TiePolicy::BreakByKeys: {
    std::vector<std::string> keys;
    for (const auto &k : a.tieKeys) keys.push_back(exprText(*k.key, ctx) + orderWord(k.descending, ctx));
    return zh(ctx) ? "，并列时按" + join(keys, "，再按") : ", ties broken by " + join(keys, ", then ");
  }
  }
  return "";
}
} // namespace

std::string awardSentence(const ast::Award &a, const RenderContext &ctx) {
  std::string s = a.name + pick(ctx, "：", ": ");
  if (a.condition) s += exprText(*a.condition, ctx) + pick(ctx, "的", "");
  if (a.quota) {
    std::string n = std::to_string(*a.quota);
    std::string by = exprText(*a.rankBy, ctx);
    s += zh(ctx) ? std::string(a.condition ? "，" : "") + "按" + by + orderWord(a.descending, ctx) + "取前" + n + "名"
                 : std::string(a.condition ? ", " : "") + "top " + n + " by " + by + orderWord(a.descending, ctx);
    s += tieText(a, ctx);
  } else if (zh(ctx) && a.condition) {
    s += "，授予该称号";
  }
  for (const auto &[field, span] : a.ifNone) s += zh(ctx) ? "；无" + field + "的不参与" : "; without " + field + ": not considered";
  return s;
}

std::string awardTiePolicy(const ast::Award &a, const RenderContext &ctx) {
  std::string s = tieText(a, ctx);   // starts with the comma that joins it to awardSentence
  std::string comma = pick(ctx, "，", ", ");
  if (s.compare(0, comma.size(), comma) == 0) s = s.substr(comma.size());
  return s.empty() ? pick(ctx, "未说明", "unstated") : s;
}

std::vector<std::string> nodeSentences(const ast::Node &node, const RenderContext &outer) {
  RenderContext ctx = outer.deducting(node.kind == ast::NodeKind::Deduction || outer.inDeduction());
  std::vector<std::string> lines;
  for (const auto &r : node.rules)
    for (auto &l : ruleLines(r, ctx)) lines.push_back(std::move(l));
  for (const auto &ln : node.names) lines.push_back(localNameSentence(ln, ctx));
  for (const auto &na : node.naRules) lines.push_back(naSentence(na, ctx));
  for (const auto &v : node.vetoes) lines.push_back(vetoSentence(v, ctx));
  if (node.ack) lines.push_back(ackSentence(*node.ack, ctx));
  if (node.kind != ast::NodeKind::Deduction && node.cap)
    lines.push_back(zh(ctx) ? "本项最高得" + *node.cap + "分" : "This item scores at most " + *node.cap + " pts");
  if (node.kind == ast::NodeKind::Bonus && node.bonusCap != ast::BonusCap::Unstated) {
    bool capped = node.bonusCap == ast::BonusCap::Capped;
    lines.push_back(zh(ctx) ? (capped ? "加分后不超过上级分值" : "加分可超出上级分值")
                            : (capped ? "The bonus cannot lift the parent above its points"
                                      : "The bonus may lift the parent above its points"));
  }
  if (node.mayGoNegative) lines.push_back(pick(ctx, "扣分可使上级得分低于0分", "Deductions may take the parent below 0"));
  return lines;
}

std::string localNameSentence(const ast::LocalName &ln, const RenderContext &ctx) {
  return pick(ctx, "其中 ", "where ") + ln.name + " = " + exprText(*ln.value, ctx);
}

std::string nodePointsText(const ast::Node &node, const RenderContext &ctx) {
  if (node.kind == ast::NodeKind::Bonus && node.noOwnLimit) return pick(ctx, "不设上限", "no own limit");
  if (node.kind != ast::NodeKind::Deduction) return node.points ? *node.points : "";
  if (auto most = deductionMaximum(node))
    return zh(ctx) ? "最多扣" + most->toString() + "分" : "up to −" + most->toString();
  return pick(ctx, "扣完为止", "until 0");
}

namespace {
// The parser keeps "1" for both `项 1` and `子项 (1)`; the source line between
// the keyword and the title tells which the author wrote.
bool labelInBrackets(const ast::Node &node, const ast::File *file) {
  if (!file || !file->source || node.titleSpan.line != node.span.line || node.titleSpan.col <= node.span.endCol)
    return false;
  std::string_view line = file->source->lineText(node.span.line);
  size_t from = byteOffsetOfCodePoint(line, node.span.endCol - 1);
  size_t to = byteOffsetOfCodePoint(line, node.titleSpan.col - 1);
  if (from >= to || to > line.size()) return false;
  std::string_view between = line.substr(from, to - from);
  return between.find('(') != std::string_view::npos || between.find("（") != std::string_view::npos;
}
} // namespace

std::string nodeLabel(const ast::Node &node, const RenderContext &ctx) {
  const std::string &label = node.label;
  if (label.empty()) return "";
  if (labelInBrackets(node, ctx.file())) return zh(ctx) ? "（" + label + "）" : "(" + label + ")";
  bool digits = std::all_of(label.begin(), label.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits) return label + ".";
  return label + pick(ctx, "、", ".");
}

} // namespace rubric::report
