#include "ast/AstPrinter.h"

#include <fmt/format.h>

namespace rubric::ast {
namespace {

const char *binOpText(BinOp op) {
  switch (op) {
  case BinOp::Add: return "+";
  case BinOp::Sub: return "-";
  case BinOp::Mul: return "×";
  case BinOp::Div: return "÷";
  case BinOp::And: return "且";
  case BinOp::Or: return "或";
  }
  return "?";
}

std::string typeText(const Type &t) {
  switch (t.kind) {
  case TypeKind::Bool: return "是否";
  case TypeKind::Count: return "件数";
  case TypeKind::Decimal: return "小数";
  case TypeKind::Percent: return "百分比";
  case TypeKind::Text: return "文本";
  case TypeKind::Enum: {
    std::string s = "枚举{";
    for (size_t i = 0; i < t.enumValues.size(); ++i) s += (i ? "," : "") + t.enumValues[i];
    return s + "}";
  }
  case TypeKind::RecordList: {
    std::string s = "列表{";
    for (const auto &f : t.recordFields) s += f.name + ":" + typeText(f.type) + ";";
    return s + "}";
  }
  case TypeKind::ValueList: return "列表<" + typeText(*t.element) + ">";
  case TypeKind::Monthly: return "月度<" + typeText(*t.element) + ">";
  case TypeKind::YearSet: return "年份集";
  }
  return "?";
}

class Printer {
public:
  std::string out;

  void line(int depth, const std::string &s) { out += std::string(depth * 2, ' ') + s + "\n"; }

  void field(int depth, const char *what, const FieldDecl &f) {
    line(depth, fmt::format("{} {}: {}{}{}{}{}", what, f.name, typeText(f.type), f.isId ? " (标识)" : "",
                            f.defaultText ? " 缺省 " + *f.defaultText : "",
                            f.rangeLow ? " 范围 " + *f.rangeLow + " 至 " + *f.rangeHigh : "",
                            f.note.empty() ? "" : " 说明 \"" + f.note + "\""));
  }

  std::string points(const PointsValue &pv) {
    if (pv.expr) return printExpr(*pv.expr);
    std::string s = "{";
    for (size_t i = 0; i < pv.byLevel.size(); ++i)
      s += (i ? ", " : "") + pv.byLevel[i].level + ": " + printExpr(*pv.byLevel[i].points);
    return s + "}";
  }

  void rule(int depth, const Rule &r) {
    std::string verb = r.deduct ? "扣" : "得";
    std::string cap = r.cap ? " 最高 " + printExpr(*r.cap) : "";
    switch (r.kind) {
    case RuleKind::When:
      line(depth, fmt::format("当 {} {} {}{}{}", printExpr(*r.subject), verb, points(r.award),
                              r.stepSize ? " 每增加 " + printExpr(*r.stepSize) + " 多得 " +
                                               printExpr(*r.stepPoints)
                                         : "",
                              cap));
      if (r.elseRule) {
        line(depth, "否则");
        rule(depth + 1, *r.elseRule);
      }
      break;
    case RuleKind::Choice:
      line(depth, "按 " + printExpr(*r.subject) + cap);
      for (const auto &c : r.choices)
        line(depth + 1, c.value + (c.andAbove ? "以上" : "") + ": " + printExpr(*c.points));
      break;
    case RuleKind::PerUnit:
      line(depth, fmt::format("{} {} {} {}{}", r.unitWord, printExpr(*r.subject), verb,
                              points(r.award), cap));
      break;
    case RuleKind::Tiers:
      line(depth, "分档 " + printExpr(*r.subject));
      for (const auto &t : r.tiers) {
        std::string s = t.isElse ? "否则" : "";
        if (t.lo) s += std::string(t.lo->inclusive ? "[" : "(") + printExpr(*t.lo->value);
        else if (!t.isElse) s += "(-∞";
        if (!t.isElse) s += ", ";
        if (t.hi) s += printExpr(*t.hi->value) + (t.hi->inclusive ? "]" : ")");
        else if (!t.isElse) s += "+∞)";
        line(depth + 1, s + ": " + printExpr(*t.points));
      }
      break;
    case RuleKind::Plain:
      line(depth, verb + " " + points(r.award) + cap);
      break;
    case RuleKind::Monthly:
      line(depth, fmt::format("每月 {} {} {}{}", printExpr(*r.subject), verb, points(r.award), cap));
      break;
    case RuleKind::ByLevel:
      line(depth, "分级");
      for (const auto &b : r.levels) {
        line(depth + 1, b.level);
        for (const auto &rr : b.rules) rule(depth + 2, rr);
        for (const auto &na : b.naRules) naRule(depth + 2, na);
      }
      break;
    case RuleKind::ByReading:
      line(depth, "按读法 " + r.reading);
      for (const auto &b : r.readingBlocks) {
        line(depth + 1, b.level);
        for (const auto &rr : b.rules) rule(depth + 2, rr);
        for (const auto &na : b.naRules) naRule(depth + 2, na);
      }
      break;
    }
  }

  void naRule(int depth, const NaRule &na) {
    std::string policy;
    switch (na.policy.kind) {
    case NaPolicyKind::FullMarks: policy = "满分"; break;
    case NaPolicyKind::Zero: policy = "不得分"; break;
    case NaPolicyKind::Excluded: policy = "不参与"; break;
    case NaPolicyKind::MoveTo: policy = "计入【" + na.policy.target + "】"; break;
    }
    std::string when = na.condition ? printExpr(*na.condition) : na.level;
    line(depth, fmt::format("不适用{} {} => {}", na.ifNone ? "(若无)" : "", when, policy));
  }

  void veto(int depth, const Veto &v) {
    line(depth, fmt::format("否决 \"{}\" 当 {} => {}", v.reason, printExpr(*v.condition),
                            v.effect == VetoEffectKind::Disqualify
                                ? "取消资格"
                                : (v.target.empty() ? "" : "【" + v.target + "】") + "不得分"));
    for (const auto &m : v.meta) line(depth + 1, m.key + " \"" + m.value + "\"");
  }

  void node(int depth, const Node &n) {
    std::string mods;
    if (n.cap) mods += " 最高 " + *n.cap;
    if (n.bonusCap == BonusCap::Capped) mods += " 受上限";
    if (n.bonusCap == BonusCap::Uncapped) mods += " 可超出上限";
    if (n.mayGoNegative) mods += " 可为负";
    if (n.noOwnLimit) mods += " 不设上限";
    line(depth, fmt::format("{} {} \"{}\" {}{}", nodeKindKeyword(n.kind), n.label, n.title,
                            n.points ? *n.points + "分" : "-", mods));
    for (const auto &m : n.meta) line(depth + 1, m.key + " \"" + m.value + "\"");
    if (n.ack) line(depth + 1, "原文合计 " + n.ack->total + " \"" + n.ack->note + "\"");
    localNames(depth + 1, n.names);
    for (const auto &r : n.rules) rule(depth + 1, r);
    for (const auto &na : n.naRules) naRule(depth + 1, na);
    for (const auto &v : n.vetoes) veto(depth + 1, v);
    for (const auto &c : n.children) node(depth + 1, *c);
  }

  void localNames(int depth, const std::vector<LocalName> &names) {
    for (const auto &ln : names) line(depth, "令 " + ln.name + " = " + printExpr(*ln.value));
  }

  void caseValues(int depth, const std::vector<CaseValue> &values) {
    for (const auto &v : values) {
      std::string key = v.isNodeRef ? "【" + v.key + "】" : v.key;
      if (!v.isList) {
        line(depth, key + ": " + v.literal);
        continue;
      }
      line(depth, key + ": [");
      for (const auto &e : v.elements) {
        if (e.literal) line(depth + 1, *e.literal);
        else {
          line(depth + 1, "{");
          caseValues(depth + 2, e.fields);
          line(depth + 1, "}");
        }
      }
      line(depth, "]");
    }
  }
};

} // namespace

std::string printExpr(const Expr &e) {
  auto arg = [&](size_t i) { return printExpr(*e.args[i]); };
  switch (e.kind) {
  case ExprKind::Number: return e.text + (e.isPoints ? "分" : "");
  case ExprKind::Percent: return e.text + "%";
  case ExprKind::Bool: return e.text;
  case ExprKind::String: return "\"" + e.text + "\"";
  case ExprKind::Date: return e.text;
  case ExprKind::Name: return e.text;
  case ExprKind::Member: return e.text + "." + e.member;
  case ExprKind::NodeRef: return "【" + e.text + "】" + (e.member.empty() ? "" : "." + e.member);
  case ExprKind::Unary: return std::string(e.unOp == UnOp::Not ? "非 " : "-") + arg(0);
  case ExprKind::Binary: return "(" + arg(0) + " " + binOpText(e.binOp) + " " + arg(1) + ")";
  case ExprKind::Compare: return "(" + arg(0) + " " + cmpOpSymbol(e.cmpOp) + " " + arg(1) + ")";
  case ExprKind::Range: return "(" + arg(0) + " 在 " + arg(1) + " 至 " + arg(2) + ")";
  case ExprKind::Call: {
    std::string s = e.text + "(";
    for (size_t i = 0; i < e.args.size(); ++i)
      s += (i ? ", " : "") + std::string(e.through && i + 1 == e.args.size() ? "截至 " : "") + arg(i);
    return s + ")";
  }
  case ExprKind::ListAgg:
    if (e.perGroup) return e.text + "(" + arg(0) + " 按 " + arg(2) + ": " + arg(1) + ")";
    return e.text + "(" + arg(0) + ": " + arg(1) + (e.args.size() > 2 ? " 按 " + arg(2) : "") + ")";
  case ExprKind::TopAverage:
    return "前" + e.topFraction + (e.topIsPercent ? "%" : "") + "平均(" + arg(0) +
           (e.perGroup ? " 按 " + arg(2) : "") + ": " + arg(1) + ")";
  case ExprKind::EachIndicator: return "各指标: " + arg(0);
  case ExprKind::Conditional: return "(若 " + arg(0) + " 则 " + arg(1) + " 否则 " + arg(2) + ")";
  }
  return "?";
}


std::string printType(const Type &t) { return typeText(t); }

namespace {
void printScheme(Printer &p, const Scheme &s) {
  p.line(0, "方案 " + s.id);
  for (const auto &e : s.entries) p.line(1, e.key + " " + e.value);
  if (s.periodFrom) p.line(1, "期间 " + *s.periodFrom + " 至 " + *s.periodTo);
  if (!s.levels.empty()) {
    std::string lv;
    for (const auto &l : s.levels) lv += (lv.empty() ? "" : ",") + l;
    p.line(1, "级别 " + lv);
  }
}

// " 并列一并列入", " 并列时按 k1 降序，再按 k2 升序" …, then each 若无 … 不参与.
std::string tieText(const Award &a) {
  std::string ties;
  switch (a.ties) {
  case ast::TiePolicy::Unstated: break;
  case ast::TiePolicy::IncludeAll: ties = " 并列一并列入"; break;
  case ast::TiePolicy::ExcludeAll: ties = " 并列时均不列入"; break;
  case ast::TiePolicy::Pending: ties = " 并列时报告待定"; break;
  case ast::TiePolicy::BreakByKeys:
    for (const auto &k : a.tieKeys)
      ties += fmt::format("{} {} {}", ties.empty() ? " 并列时按" : "，再按", printExpr(*k.key), k.descending ? "降序" : "升序");
    break;
  }
  for (const auto &[name, span] : a.ifNone) ties += " 若无 " + name + " 不参与";
  return ties;
}

void printAward(Printer &p, const Award &a) {
  std::string ties = tieText(a);
  p.line(0, fmt::format("奖项 \"{}\"{}{}", a.name, a.condition ? " 当 " + printExpr(*a.condition) : "",
                        a.quota ? fmt::format(" 名额 {} 按 {} {}{}", *a.quota, printExpr(*a.rankBy),
                                              a.descending ? "降序" : "升序", ties)
                                : ties));
}

void printValidation(Printer &p, const Validation &v) {
  std::string what;
  for (const auto &u : v.uniqueFields) what += (what.empty() ? "" : ",") + u;
  if (!v.otherScheme.empty()) {  // 不共用(本方字段; 另一方: 其列)
    std::string other;
    for (const auto &o : v.otherFields) other += (other.empty() ? "" : ",") + o;
    p.line(0, fmt::format("校验 \"{}\" 不共用({}; {}: {})", v.message, what, v.otherScheme, other));
  } else if (!v.groupField.empty()) {  // 按 字段 计数(条件) 在 低 至 高
    p.line(0, fmt::format("校验 \"{}\" 按 {} {}({}) 在 {} 至 {}", v.message, v.groupField, v.groupFunction,
                          v.groupCondition ? printExpr(*v.groupCondition) : "", v.groupMin, v.groupMax));
  } else {
    p.line(0, fmt::format("校验 \"{}\" {}", v.message,
                          v.condition ? "当 " + printExpr(*v.condition) : "唯一(" + what + ")"));
  }
}

void printReadingsAndCases(Printer &p, const File &f) {
  for (const auto &rd : f.readings) {
    p.line(0, "读法 " + rd.name + " \"" + rd.text + "\"");
    for (const auto &o : rd.options) p.line(1, o.name + ": \"" + o.meaning + "\"");
    for (const auto &[a, span] : rd.adopted) p.line(1, "采用 " + a);
    if (rd.reason) p.line(1, "理由 \"" + *rd.reason + "\"");
  }
  for (const auto &c : f.cases) {
    std::string readings;
    for (const auto &cr : c.readings) readings += (readings.empty() ? " 读法 " : ", ") + cr.reading + " = " + cr.option;
    p.line(0, "用例 \"" + c.name + "\"" + readings);
    p.line(1, "输入");
    p.caseValues(2, c.inputs);
    p.line(1, "期望");
    p.caseValues(2, c.expected);
  }
}
} // namespace

std::string printAst(const File &f) {
  Printer p;
  printScheme(p, f.scheme);
  for (const auto &fd : f.inputs) p.field(0, "输入", fd);
  for (const auto &fd : f.params) p.field(0, "参数", fd);
  for (const auto &im : f.imports)
    p.line(0, "引用 \"" + im.path + "\" 为 " + im.alias + (im.wholePopulation ? " 全体另给" : "") +
                  (im.matchField.empty() ? "" : " 按 " + im.matchField));
  p.localNames(0, f.names);
  for (const auto &v : f.vetoes) p.veto(0, v);
  for (const auto &n : f.indicators) p.node(0, *n);
  for (const auto &a : f.awards) printAward(p, a);
  for (const auto &v : f.validations) printValidation(p, v);
  printReadingsAndCases(p, f);
  return p.out;
}

} // namespace rubric::ast
