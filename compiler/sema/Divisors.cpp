#include "sema/Divisors.h"

#include <algorithm>
#include <map>

#include "rubric_decimal.h"

namespace rubric::sema {
namespace {

// A bound of a range: a finite exact decimal, or −∞ / +∞.
struct Ext {
  int inf = 0;  // -1: −∞, +1: +∞, 0: finite `v`
  rb_dec v = 0;
};
bool operator<(Ext a, Ext b) { return a.inf != b.inf ? a.inf < b.inf : a.inf == 0 && a.v < b.v; }
bool operator==(Ext a, Ext b) { return a.inf == b.inf && (a.inf != 0 || a.v == b.v); }
int sign(Ext a) { return a.inf ? a.inf : (a.v > 0) - (a.v < 0); }
Ext finite(rb_dec v) { return Ext{0, v}; }

Ext addExt(Ext a, Ext b) {
  if (a.inf || b.inf) return Ext{a.inf ? a.inf : b.inf, 0};
  int32_t err = 0;
  rb_dec v = rb_dec_add(a.v, b.v, &err);
  return err ? Ext{a.v > 0 ? 1 : -1, 0} : finite(v);
}
Ext negExt(Ext a) {
  if (a.inf) return Ext{-a.inf, 0};
  int32_t err = 0;
  rb_dec v = rb_dec_neg(a.v, &err);
  return err ? Ext{1, 0} : finite(v);
}
Ext mulExt(Ext a, Ext b) {
  if (sign(a) == 0 || sign(b) == 0) return finite(0);
  if (a.inf || b.inf) return Ext{sign(a) * sign(b), 0};
  int32_t err = 0;
  rb_dec v = rb_dec_mul(a.v, b.v, &err);
  return err ? Ext{sign(a) * sign(b), 0} : finite(v);
}

// The values an expression can take: [lo, hi], each end open or closed.
// `literal`: computed from literals alone, so the value is exactly lo.
struct Range {
  Ext lo{-1, 0}, hi{1, 0};
  bool loOpen = false, hiOpen = false, literal = false;

  static Range point(rb_dec v, bool literal = false) {
    Range r;
    r.lo = r.hi = finite(v);
    r.literal = literal;
    return r;
  }
  static Range between(Ext lo, Ext hi) {
    Range r;
    r.lo = lo;
    r.hi = hi;
    return r;
  }
  static Range unknown() { return Range{}; }
  static Range flag() { return between(finite(0), finite(RB_DEC_ONE)); }
  static Range nonNegative() { return between(finite(0), Ext{1, 0}); }

  bool containsZero() const {
    bool below = lo.inf < 0 || (lo.inf == 0 && (lo.v < 0 || (lo.v == 0 && !loOpen)));
    bool above = hi.inf > 0 || (hi.inf == 0 && (hi.v > 0 || (hi.v == 0 && !hiOpen)));
    return below && above;
  }
};

Range add(const Range &a, const Range &b) {
  Range r = Range::between(addExt(a.lo, b.lo), addExt(a.hi, b.hi));
  r.loOpen = a.loOpen || b.loOpen;
  r.hiOpen = a.hiOpen || b.hiOpen;
  return r;
}
Range negate(const Range &a) {
  Range r = Range::between(negExt(a.hi), negExt(a.lo));
  r.loOpen = a.hiOpen;
  r.hiOpen = a.loOpen;
  return r;
}
Range multiply(const Range &a, const Range &b) {
  Ext p[4] = {mulExt(a.lo, b.lo), mulExt(a.lo, b.hi), mulExt(a.hi, b.lo), mulExt(a.hi, b.hi)};
  return Range::between(*std::min_element(p, p + 4), *std::max_element(p, p + 4));
}
Range hull(const Range &a, const Range &b) {
  return Range::between(std::min(a.lo, b.lo), std::max(a.hi, b.hi));
}

std::string boundText(Ext e) {
  if (e.inf) return e.inf < 0 ? "-∞" : "+∞";
  char buf[RB_DEC_FORMAT_CAP];
  return std::string(buf, rb_dec_format(e.v, buf, sizeof buf));
}
std::string rangeText(const Range &r) {
  return std::string(r.loOpen || r.lo.inf ? "(" : "[") + boundText(r.lo) + ", " + boundText(r.hi) +
         (r.hiOpen || r.hi.inf ? ")" : "]");
}

using Env = std::map<const ast::FieldDecl *, Range>;

class DivisionChecker {
public:
  DivisionChecker(const ast::File &file, const CheckedFile &checked, DiagnosticEngine &diags)
      : file_(file), checked_(checked), diags_(diags) {}

  void run() {
    std::vector<const ast::Node *> todo;
    for (const auto &n : file_.indicators) todo.push_back(n.get());
    while (!todo.empty()) {
      const ast::Node *n = todo.back();
      todo.pop_back();
      for (const auto &r : n->rules) rule(r, Env{});
      for (const auto &na : n->naRules) evalIf(na.condition, Env{});
      for (const auto &v : n->vetoes) evalIf(v.condition, Env{});
      for (const auto &c : n->children) todo.push_back(c.get());
    }
    for (const auto &v : file_.vetoes) evalIf(v.condition, Env{});
    for (const auto &a : file_.awards) {
      evalIf(a.condition, Env{});
      evalIf(a.rankBy, Env{});
    }
    for (const auto &v : file_.validations) {
      evalIf(v.condition, Env{});
      evalIf(v.groupCondition, Env{});
    }
  }

private:
  const ast::File &file_;
  const CheckedFile &checked_;
  DiagnosticEngine &diags_;

  void evalIf(const ast::ExprPtr &e, const Env &env) {
    if (e) eval(*e, env);
  }
  void points(const ast::PointsValue &pv, const Env &env) {
    evalIf(pv.expr, env);
    for (const auto &lp : pv.byLevel) evalIf(lp.points, env);
  }

  // The points of a “当 条件 得 …” rule are only computed when the condition
  // holds, so they are checked with the inputs narrowed by it.
  void rule(const ast::Rule &r, const Env &env) {
    evalIf(r.subject, env);
    Env inner = env;
    if (r.subject && (r.kind == ast::RuleKind::When || r.kind == ast::RuleKind::Monthly)) narrow(*r.subject, inner);
    points(r.award, inner);
    evalIf(r.stepSize, env);
    evalIf(r.stepPoints, inner);
    evalIf(r.cap, inner);
    for (const auto &c : r.choices) evalIf(c.points, env);
    for (const auto &t : r.tiers) {
      if (t.lo) evalIf(t.lo->value, env);
      if (t.hi) evalIf(t.hi->value, env);
      evalIf(t.points, env);
    }
    for (const auto *blocks : {&r.levels, &r.readingBlocks})
      for (const auto &block : *blocks) {
        for (const auto &br : block.rules) rule(br, env);
        for (const auto &na : block.naRules) evalIf(na.condition, env);
      }
    if (r.elseRule) rule(*r.elseRule, env);
  }

  // A 令 name stands for its expression (checked where it is used: its divisors
  // are reported at the declaration, once per use).
  const ast::Expr *localNameValue(const ast::Expr &e) const {
    auto it = checked_.names.find(&e);
    if (it == checked_.names.end() || it->second.kind != Resolution::LocalName || !it->second.local) return nullptr;
    const LocalNameInfo &info = *it->second.local;
    if (info.state != LocalNameInfo::State::Checked || info.broken || info.type.tag == TypeTag::Unknown) return nullptr;
    if (namedBudget_ < info.expandedSize) return nullptr;   // enough looked at: the rest reads as unknown
    namedBudget_ -= info.expandedSize;
    return info.decl->value.get();
  }
  mutable int64_t namedBudget_ = 2000000;   // sub-expressions of names looked into, over the whole file

  const ast::FieldDecl *scalarField(const ast::Expr &e) const {
    if (e.kind != ast::ExprKind::Name) return nullptr;
    auto it = checked_.names.find(&e);
    if (it == checked_.names.end()) return nullptr;
    auto k = it->second.kind;
    bool field = k == Resolution::Field || k == Resolution::Param || k == Resolution::ElementField;
    return field ? it->second.field : nullptr;
  }
  static const ast::Type &valueType(const ast::FieldDecl &f) {
    bool wrapped = (f.type.kind == ast::TypeKind::Monthly || f.type.kind == ast::TypeKind::ValueList) && f.type.element;
    return wrapped ? *f.type.element : f.type;
  }

  // Narrows `env` by a condition that holds: comparisons of an input with a
  // literal, joined by 且.
  void narrow(const ast::Expr &cond, Env &env) {
    if (cond.kind == ast::ExprKind::Binary && cond.binOp == ast::BinOp::And) {
      narrow(*cond.args[0], env);
      narrow(*cond.args[1], env);
      return;
    }
    if (cond.kind != ast::ExprKind::Compare || cond.args.size() != 2) return;
    ast::CmpOp op = cond.cmpOp;
    const ast::FieldDecl *f = scalarField(*cond.args[0]);
    const ast::Expr *other = cond.args[1].get();
    if (!f) {
      static const std::map<ast::CmpOp, ast::CmpOp> flip = {{ast::CmpOp::Ge, ast::CmpOp::Le}, {ast::CmpOp::Gt, ast::CmpOp::Lt},
                                                            {ast::CmpOp::Le, ast::CmpOp::Ge}, {ast::CmpOp::Lt, ast::CmpOp::Gt},
                                                            {ast::CmpOp::Eq, ast::CmpOp::Eq}, {ast::CmpOp::Ne, ast::CmpOp::Ne}};
      f = scalarField(*cond.args[1]);
      other = cond.args[0].get();
      op = flip.at(op);
    }
    if (!f) return;
    Range c = literalRange(*other);  // not eval(): its divisions are reported where they are evaluated
    if (!c.literal) return;
    Range &r = env.try_emplace(f, declared(*f)).first->second;
    bool whole = valueType(*f).kind == ast::TypeKind::Count;
    rb_dec v = c.lo.v;
    auto raiseLo = [&](rb_dec lo, bool open) {
      if (r.lo < finite(lo) || (r.lo == finite(lo) && open)) { r.lo = finite(lo); r.loOpen = open; }
    };
    auto lowerHi = [&](rb_dec hi, bool open) {
      if (finite(hi) < r.hi || (r.hi == finite(hi) && open)) { r.hi = finite(hi); r.hiOpen = open; }
    };
    int32_t err = 0;
    switch (op) {
    case ast::CmpOp::Ge: raiseLo(whole ? rb_dec_ceil(v, 0, &err) : v, false); break;
    case ast::CmpOp::Gt: whole ? raiseLo(rb_dec_add(rb_dec_floor(v, 0, &err), RB_DEC_ONE, &err), false) : raiseLo(v, true); break;
    case ast::CmpOp::Le: lowerHi(whole ? rb_dec_floor(v, 0, &err) : v, false); break;
    case ast::CmpOp::Lt: whole ? lowerHi(rb_dec_sub(rb_dec_ceil(v, 0, &err), RB_DEC_ONE, &err), false) : lowerHi(v, true); break;
    case ast::CmpOp::Eq: raiseLo(v, false); lowerHi(v, false); break;
    case ast::CmpOp::Ne:
      if (r.lo == finite(v)) raiseLo(whole ? v + RB_DEC_ONE : v, !whole);
      if (r.hi == finite(v)) lowerHi(whole ? v - RB_DEC_ONE : v, !whole);
      break;
    }
    if (err) env.erase(f);  // a bound out of range: keep the declared range
  }

  // The range a declared input can take: its 范围 when it has one, else what
  // the records contract admits by default (counts and decimals ≥ 0,
  // percentages 0–100%), so a warning never names a value the reader refuses.
  static Range declared(const ast::FieldDecl &f) {
    if (f.rangeLow && f.rangeHigh) {
      auto lo = boundValue(*f.rangeLow), hi = boundValue(*f.rangeHigh);
      if (lo && hi) return Range::between(finite(*lo), finite(*hi));
    }
    switch (valueType(f).kind) {
    case ast::TypeKind::Count:
    case ast::TypeKind::Decimal: return Range::nonNegative();
    case ast::TypeKind::Percent: return Range::between(finite(0), finite(RB_DEC_ONE));
    case ast::TypeKind::Bool: return Range::flag();
    default: return Range::unknown();
    }
  }

  // A 范围 bound as written in canonical form: "-5", "2.5", "150%".
  static std::optional<rb_dec> boundValue(const std::string &text) {
    bool percent = !text.empty() && text.back() == '%';
    std::string digits = percent ? text.substr(0, text.size() - 1) : text;
    rb_dec v = 0;
    if (rb_dec_parse(digits.data(), digits.size(), &v) != 0) return std::nullopt;
    int32_t err = 0;
    if (percent) v = rb_dec_div(v, 100 * RB_DEC_ONE, &err);
    return err ? std::nullopt : std::optional<rb_dec>(v);
  }

  static std::optional<rb_dec> literalValue(const ast::Expr &e) {
    rb_dec v = 0;
    if (rb_dec_parse(e.text.data(), e.text.size(), &v) != 0) return std::nullopt;
    if (e.kind == ast::ExprKind::Percent) {
      int32_t err = 0;
      v = rb_dec_div(v, 100 * RB_DEC_ONE, &err);
      if (err) return std::nullopt;
    }
    return v;
  }

  static Range literalRange(const ast::Expr &e) {
    if (e.kind == ast::ExprKind::Unary && e.unOp == ast::UnOp::Neg && !e.args.empty()) {
      Range r = literalRange(*e.args[0]);
      return r.literal ? Range::point(-r.lo.v, true) : r;
    }
    if (e.kind != ast::ExprKind::Number && e.kind != ast::ExprKind::Percent) return Range::unknown();
    auto v = literalValue(e);
    return v ? Range::point(*v, true) : Range::unknown();
  }

  // The divisor as written: a call's span is its name, so it is widened to the
  // end of the division (without the closing brackets of an enclosing group).
  std::string divisorText(const ast::Expr &div) const {
    Span d = div.args[1]->span;
    if (div.args[1]->kind == ast::ExprKind::Call && div.span.line == d.line && div.span.endCol > d.endCol)
      d.endCol = div.span.endCol;
    std::string text(spanText(*file_.source, d));
    auto count = [&](const char *s) {
      size_t n = 0;
      for (size_t at = text.find(s); at != std::string::npos; at = text.find(s, at + 1)) ++n;
      return n;
    };
    while (!text.empty() && text.back() == ')' && count(")") > count("(")) text.pop_back();
    return text;
  }

  Range eval(const ast::Expr &e, const Env &env) {
    using K = ast::ExprKind;
    switch (e.kind) {
    case K::Number:
    case K::Percent: {
      auto v = literalValue(e);
      return v ? Range::point(*v, true) : Range::unknown();
    }
    case K::Bool: return Range::point(e.text == "是" ? RB_DEC_ONE : 0, true);
    case K::Name: {
      if (const ast::Expr *named = localNameValue(e)) return eval(*named, env);
      const ast::FieldDecl *f = scalarField(e);
      if (!f) return Range::unknown();
      auto it = env.find(f);
      return it != env.end() ? it->second : declared(*f);
    }
    case K::NodeRef: return nodeRef(e);
    case K::Unary: {
      Range a = eval(*e.args[0], env);
      if (e.unOp == ast::UnOp::Not) return Range::flag();
      Range r = negate(a);
      r.literal = a.literal && r.lo.inf == 0;
      return r;
    }
    case K::Binary: return binary(e, env);
    case K::Compare:
    case K::Range:
    case K::EachIndicator:
      for (const auto &a : e.args) eval(*a, env);
      return Range::flag();
    case K::Call: return call(e, env);
    case K::ListAgg:
    case K::TopAverage: return aggregate(e, env);
    case K::Conditional:
      eval(*e.args[0], env);
      return hull(eval(*e.args[1], env), eval(*e.args[2], env));
    default:
      for (const auto &a : e.args) eval(*a, env);
      return Range::unknown();
    }
  }

  // An expression with a part Sema could not type (an undefined name, a type
  // error) was reported there: a range read from it would only repeat that as W0820.
  bool typeError(const ast::Expr &e) const {
    auto it = checked_.types.find(&e);
    if (it != checked_.types.end() && it->second.tag == TypeTag::Unknown) return true;
    for (const auto &a : e.args)
      if (a && typeError(*a)) return true;
    return false;
  }

  Range nodeRef(const ast::Expr &e) {
    auto it = checked_.nodeRefs.find(&e);
    if (it == checked_.nodeRefs.end() || !it->second->points) return Range::unknown();
    rb_dec points = 0;
    if (rb_dec_parse(it->second->points->data(), it->second->points->size(), &points) != 0) return Range::unknown();
    if (e.member == "分值") return Range::point(points);
    if (it->second->mayGoNegative) return Range::unknown();
    return Range::between(finite(0), finite(points));  // a node's score is clamped to [0, its points]
  }

  Range binary(const ast::Expr &e, const Env &env) {
    Range a = eval(*e.args[0], env), b = eval(*e.args[1], env);
    bool literal = a.literal && b.literal;
    switch (e.binOp) {
    case ast::BinOp::And:
    case ast::BinOp::Or: return Range::flag();
    case ast::BinOp::Add: return literal ? fold(e, rb_dec_add, a, b) : add(a, b);
    case ast::BinOp::Sub: return literal ? fold(e, rb_dec_sub, a, b) : add(a, negate(b));
    case ast::BinOp::Mul: return literal ? fold(e, rb_dec_mul, a, b) : multiply(a, b);
    case ast::BinOp::Div: {
      std::string divisor = divisorText(e);
      if (b.literal && b.lo == finite(0)) {
        diags_.report(DiagId::ConstDivByZero, file_.source, e.args[1]->span, {divisor});
        return Range::unknown();
      }
      if (b.containsZero() && !typeError(*e.args[1])) {
        diags_.report(DiagId::DivisorMayBeZero, file_.source, e.args[1]->span, {divisor, rangeText(b)});
        return Range::unknown();
      }
      return literal ? fold(e, rb_dec_div, a, b) : Range::unknown();
    }
    }
    return Range::unknown();
  }

  // Constant arithmetic, evaluated exactly as a scorer would: an overflow is
  // an error in the rubric, not a surprise on every row.
  Range fold(const ast::Expr &e, rb_dec (*op)(rb_dec, rb_dec, int32_t *), const Range &a, const Range &b) {
    int32_t err = 0;
    rb_dec v = op(a.lo.v, b.lo.v, &err);
    if (err == RB_DEC_ERR_OVERFLOW) {
      diags_.report(DiagId::ConstOverflow, file_.source, e.span, {std::string(spanText(*file_.source, e.span))});
      return Range::unknown();
    }
    return err ? Range::unknown() : Range::point(v, true);
  }

  Range call(const ast::Expr &e, const Env &env) {
    std::vector<Range> args;
    for (const auto &a : e.args) args.push_back(eval(*a, env));
    const std::string &f = e.text;
    if (f == "排名" || f == "级内排名" || f == "候选数" || f == "级内候选数") return Range::between(finite(RB_DEC_ONE), Ext{1, 0});
    if (f == "个数") return Range::nonNegative();
    if ((f == "最大" || f == "最小") && !args.empty()) {
      Range r = args[0];
      for (size_t i = 1; i < args.size(); ++i)
        r = f == "最大" ? Range::between(std::max(r.lo, args[i].lo), std::max(r.hi, args[i].hi))
                        : Range::between(std::min(r.lo, args[i].lo), std::min(r.hi, args[i].hi));
      r.literal = false;
      return r;
    }
    if ((f == "四舍五入" || f == "向下取整" || f == "向上取整") && !args.empty()) {
      // Rounding can move a value to the nearest whole step either way.
      int32_t digits = args.size() > 1 && args[1].literal ? static_cast<int32_t>(args[1].lo.v / RB_DEC_ONE) : 0;
      int32_t err = 0;
      Range r = args[0];
      if (r.lo.inf == 0) r.lo = finite(rb_dec_floor(r.lo.v, digits, &err));
      if (r.hi.inf == 0) r.hi = finite(rb_dec_ceil(r.hi.v, digits, &err));
      r.loOpen = r.hiOpen = r.literal = false;
      return err ? Range::unknown() : r;
    }
    return Range::unknown();
  }

  Range aggregate(const ast::Expr &e, const Env &env) {
    Range body = e.args.size() > 1 ? eval(*e.args[1], env) : Range::unknown();
    // 前50%平均(人员 按 姓名: 平均(成绩)): each group's value is its merge's, over a nonempty group.
    if (e.perGroup && e.args.size() > 1 && e.args[1]->args.size() == 1) {
      Range values = eval(*e.args[1]->args[0], env);
      body = combined(e.args[1]->text, values, values);
    }
    if (e.kind == ast::ExprKind::TopAverage) return hull(body, Range::point(0));
    return combined(e.text, body, Range::point(0));
  }

  // An aggregate `f` of values in `body`; `zero` is its value over no element.
  Range combined(const std::string &f, const Range &body, const Range &zero) {
    if (f == "计数") return Range::nonNegative();
    if (f == "全部" || f == "任一") return Range::flag();
    if (f == "求和") {
      if (!(body.lo < finite(0))) return Range::nonNegative();
      if (!(finite(0) < body.hi)) return Range::between(Ext{-1, 0}, finite(0));
      return Range::unknown();
    }
    return hull(body, zero);  // 最好, 最差, 平均
  }
};

} // namespace

void checkDivisions(const ast::File &file, const CheckedFile &checked, DiagnosticEngine &diags) {
  DivisionChecker(file, checked, diags).run();
}

} // namespace rubric::sema
