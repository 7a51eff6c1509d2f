#include "report/Trace.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "interp/Interpreter.h"
#include "kernel_helpers.h"
#include "report/Sentences.h"
#include "rubric_decimal.h"
#include "runtime/scoring/Dates.h"
#include "runtime/scoring/YearSet.h"

namespace rubric::report {
namespace {

using ir::ExprId;
using ir::Op;
using runtime::SlotKind;
using runtime::ValueKind;

constexpr int64_t kAbsent = runtime::kNoValue;  // an optional field's empty cell

// How an expression is written out: names only (the rule in English), the
// values put in for the names (the arithmetic), or both (conditions:
// 非现场立案（5）≥ 3).
enum class Mode { Names, Values, Annotated };

std::string num(Rational v) { return v.toString(); }

// Formats expressions of the IR with the values the interpreter recorded.
class Formula {
public:
  Formula(const ir::Program &p, const rb_frame *f, int64_t r, Lang lang, const interp::Recording &rec)
      : p_(p), f_(f), r_(r), zh_(lang == Lang::Zh), rec_(rec) {}

  const char *t(const char *zh, const char *en) const { return zh_ ? zh : en; }
  template <class... A> std::string say(const char *zh, const char *en, A &&...args) const {
    return fmt::format(fmt::runtime(zh_ ? zh : en), std::forward<A>(args)...);
  }
  bool has(ExprId id, int64_t elem = -1) const { return rec_.value(id, elem) != nullptr; }
  Rational val(ExprId id, int64_t elem = -1) const {
    const Rational *v = rec_.value(id, elem);
    return v ? *v : Rational();
  }
  bool holds(ExprId id, int64_t elem = -1) const { return has(id, elem) && val(id, elem).num != 0; }
  std::string points(Rational v) const { return num(v) + t(" 分", " points"); }

  // Where the fields an expression reads go (with their values), and the
  // per-element lines of list aggregates.
  std::vector<TraceInput> *inputs = nullptr;
  std::vector<std::string> *elementLines = nullptr;
  // Where the values of 令 names a formula uses go: "基准比例 = (3 ÷ 30 + 0.5 ÷ 10) ÷ 2 = 0.075".
  std::vector<std::string> *namedLines = nullptr;
  // The texts of the record's group keys, if the caller has them.
  const GroupKeyTexts *keyTexts = nullptr;

  std::string show(ExprId id, int64_t elem, Mode m, int outer = 0) {
    if (auto named = p_.namedValues.find(id); named != p_.namedValues.end() && !expanding_.count(id))
      return namedValue(id, named->second, elem, m);
    const ir::Expr &e = p_.exprs[id];
    switch (e.op) {
    case Op::Const: return constant(id, e.imm);
    case Op::Column:
    case Op::Elem:
    case Op::Param:
    case Op::Slot:
    case Op::ListLen: return leaf(id, elem, m);
    case Op::YearRun: return yearRun(id, m);
    case Op::Add: return infix(e, elem, m, outer, " + ", 1);
    case Op::Sub: return infix(e, elem, m, outer, " − ", 1);
    case Op::Mul: return infix(e, elem, m, outer, " × ", 2);
    case Op::Div: return infix(e, elem, m, outer, " ÷ ", 2);
    case Op::Neg: return "−" + show(e.a, elem, m, 3);
    case Op::Min: return call(t("最小", "min"), {show(e.a, elem, m), show(e.b, elem, m)});
    case Op::Max: return call(t("最大", "max"), {show(e.a, elem, m), show(e.b, elem, m)});
    case Op::Round: return call(t("四舍五入", "round"), {show(e.a, elem, m), std::to_string(e.imm)});
    case Op::Floor: return call(t("向下取整", "floor"), {show(e.a, elem, m), std::to_string(e.imm)});
    case Op::Ceil: return call(t("向上取整", "ceil"), {show(e.a, elem, m), std::to_string(e.imm)});
    case Op::Cmp: return comparison(e, elem, m, outer);
    case Op::And:
      // 分档 builds each tier's test as 1 且 (≥ lo) 且 (≤ hi): the leading truth adds nothing.
      if (isTrueConst(e.a)) return show(e.b, elem, m, outer);
      return infix(e, elem, m, outer, t(" 且 ", " and "), -1);
    case Op::Or: return infix(e, elem, m, outer, t(" 或 ", " or "), -2);
    case Op::Not: return t("非 ", "not ") + show(e.a, elem, m, 3);
    case Op::Select: return choice(e, elem, m, outer);
    case Op::ListAgg:
    case Op::TopAvg: return aggregate(id, m);
    case Op::GroupAgg: return groupAggregate(id, m);
    }
    return "?";
  }

  // A value as its kind shows it: 是/否, an enum value, 85%, a number.
  std::string typed(ExprId id, int64_t elem) {
    const ir::Expr &e = p_.exprs[id];
    Rational v = val(id, elem);
    switch (e.op) {
    case Op::Cmp:
    case Op::And:
    case Op::Or:
    case Op::Not: return v.num ? t("是", "yes") : t("否", "no");
    case Op::Const: return constant(id, e.imm);
    case Op::Column:
    case Op::Elem: return ofKind(p_.desc.columns[static_cast<size_t>(e.index)].kind,
                                 p_.desc.columns[static_cast<size_t>(e.index)].enumValues, v);
    case Op::Param:
      if (const runtime::FieldDesc *d = param(e.index)) return ofKind(d->kind, d->enumValues, v);
      return num(v);
    default: return num(v);
    }
  }

  // The name an expression reads, when it reads one field or value (else "").
  std::string leafName(ExprId id) {
    const ir::Expr &e = p_.exprs[id];
    switch (e.op) {
    case Op::Column:
    case Op::Elem: {
      const auto &c = p_.desc.columns[static_cast<size_t>(e.index)];
      if (c.listId < 0) return c.name;
      return c.elementField.empty() ? p_.desc.lists[static_cast<size_t>(c.listId)].name : c.elementField;
    }
    case Op::Param:
      if (const runtime::FieldDesc *d = param(e.index)) return d->name;
      return "?";
    case Op::Slot: {
      const auto &s = p_.desc.slots[static_cast<size_t>(e.index)];
      return s.kind == SlotKind::Node ? (zh_ ? "【" + s.name + "】" : "[" + s.name + "]") : s.name;
    }
    case Op::ListLen: return call(t("个数", "count"), {p_.desc.lists[static_cast<size_t>(e.index)].name});
    case Op::YearRun:
      return call(t("连续年数", "consecutive_years"),
                  {p_.desc.columns[static_cast<size_t>(e.index)].name, t("截至 ", "through ") + std::to_string(e.imm)});
    default: return "";
    }
  }

  // The values shown with a formula's result: "= 25 × 85% = 21.25 分", or
  // the value alone when the formula is one number.
  std::string arithmetic(ExprId id) {
    std::string name = leafName(id);
    if (!name.empty()) return name + " = " + points(val(id));  // a field read as it is
    std::string written = show(id, -1, Mode::Values);
    std::string result = num(val(id));
    if (written == result) return points(val(id));
    return written + " = " + points(val(id));
  }

private:
  const ir::Program &p_;
  const rb_frame *f_;
  int64_t r_;
  bool zh_;
  const interp::Recording &rec_;
  std::set<ExprId> expanding_;   // 令 copies being written out (shown by their expression, not their name)

  // A 令 name in a formula: its name (or value), with its own arithmetic on a line of its own.
  std::string namedValue(ExprId id, const std::string &name, int64_t elem, Mode m) {
    if (m == Mode::Names || !has(id, elem)) return name;
    std::string value = typed(id, elem);
    if (namedLines) {
      expanding_.insert(id);
      std::string written = show(id, elem, Mode::Values);
      expanding_.erase(id);
      std::string line = name + " = " + (written == value ? value : written + " = " + value);
      if (std::find(namedLines->begin(), namedLines->end(), line) == namedLines->end()) namedLines->push_back(line);
    }
    return m == Mode::Values ? value : name + t("（", " (") + value + t("）", ")");
  }

  static std::string call(const std::string &name, const std::vector<std::string> &args) {
    std::string s = name + "(";
    for (size_t i = 0; i < args.size(); ++i) s += (i ? ", " : "") + args[i];
    return s + ")";
  }

  const runtime::FieldDesc *param(int column) const {
    for (const auto &d : p_.desc.params)
      if (d.column == column) return &d;
    return nullptr;
  }

  bool isTrueConst(ExprId id) const { return p_.exprs[id].op == Op::Const && p_.exprs[id].imm == 1 && !isPercentLiteral(id); }
  bool isPercentLiteral(ExprId id) const {
    return std::binary_search(p_.percentLiterals.begin(), p_.percentLiterals.end(), id);
  }
  std::string percent(Rational v) const {
    int32_t err = 0;
    Rational h;
    h.num = rb_rat_mul(v.num, v.den, 100 * RB_DEC_ONE, 1, &h.den, &err);
    return err ? num(v) : num(h) + "%";
  }
  std::string constant(ExprId id, int64_t raw) const {
    if (std::find(p_.dateLiterals.begin(), p_.dateLiterals.end(), id) != p_.dateLiterals.end())
      return runtime::formatDate(raw);
    return isPercentLiteral(id) ? percent(Rational::of(raw)) : num(Rational::of(raw));
  }
  std::string ofKind(ValueKind kind, const std::vector<std::string> &enumValues, Rational v) const {
    if (v.num == kAbsent && v.den == 1) return t("（空）", "(blank)");
    switch (kind) {
    case ValueKind::Bool: return v.num ? t("是", "yes") : t("否", "no");
    case ValueKind::Enum:
      if (v.num >= 0 && static_cast<size_t>(v.num) < enumValues.size()) return enumValues[static_cast<size_t>(v.num)];
      return std::to_string(v.num);
    case ValueKind::Percent: return percent(v);
    case ValueKind::Date: return runtime::formatDate(v.num);
    default: return num(v);
    }
  }

  std::string leaf(ExprId id, int64_t elem, Mode m) {
    const ir::Expr &e = p_.exprs[id];
    std::string name = leafName(id);
    if (e.op == Op::ListLen) {
      auto [b, en] = elements(e.index);
      std::string n = std::to_string(en - b);
      if (inputs) note(name, n);
      return m == Mode::Names ? name : m == Mode::Values ? n : name + t("（", " (") + n + t("）", ")");
    }
    if (m == Mode::Names) return name;
    std::string value = typed(id, elem);
    if (inputs && e.op != Op::Elem) note(name, value);
    if (m == Mode::Values) return value;
    return name + t("（", " (") + value + t("）", ")");
  }

  // 连续年数(获奖年份, 截至 2024)（3）; with values, the years it counted:
  // 1（获奖年份：2022、2024，截至 2024）.
  std::string yearRun(ExprId id, Mode m) {
    const ir::Expr &e = p_.exprs[id];
    const std::string &field = p_.desc.columns[static_cast<size_t>(e.index)].name;
    std::string years = runtime::formatYearSet(rb_column_value(f_->cols[e.index], p_.desc.columns[static_cast<size_t>(e.index)].width, r_));
    if (years.empty()) years = t("无", "none");
    if (inputs) note(field, years);
    std::string name = leafName(id);
    if (m == Mode::Names) return name;
    std::string n = num(val(id));
    if (m == Mode::Values)
      return n + t("（", " (") + field + t("：", ": ") + years + t("，截至 ", ", through ") + std::to_string(e.imm) +
             t("）", ")");
    return name + t("（", " (") + n + t("）", ")");
  }

  void note(const std::string &name, const std::string &value) {
    for (const auto &in : *inputs)
      if (in.name == name) return;
    inputs->push_back({name, value});
  }

  std::pair<int64_t, int64_t> elements(int listId) const {
    const auto *offsets = static_cast<const int64_t *>(f_->cols[p_.desc.lists[static_cast<size_t>(listId)].offsetsColumn]);
    return {offsets[r_], offsets[r_ + 1]};
  }

  std::string infix(const ir::Expr &e, int64_t elem, Mode m, int outer, const std::string &op, int prec) {
    // The right operand of − and ÷ needs brackets at equal precedence too.
    bool rightTight = e.op == Op::Sub || e.op == Op::Div;
    std::string s = show(e.a, elem, m, prec) + op + show(e.b, elem, m, rightTight ? prec + 1 : prec);
    return prec < outer ? "(" + s + ")" : s;
  }

  std::string comparison(const ir::Expr &e, int64_t elem, Mode m, int outer) {
    static const char *symbols[] = {" ≥ ", " > ", " ≤ ", " < ", " = ", " ≠ "};
    std::string a = show(e.a, elem, m, 1), b = show(e.b, elem, m, 1);
    // An enum compared with a constant: the constant is a value of that enum.
    const ir::Expr &lhs = p_.exprs[e.a], &rhs = p_.exprs[e.b];
    if ((lhs.op == Op::Column || lhs.op == Op::Elem) && rhs.op == Op::Const) {
      const auto &c = p_.desc.columns[static_cast<size_t>(lhs.index)];
      if (c.kind == ValueKind::Enum) b = ofKind(ValueKind::Enum, c.enumValues, Rational::of(rhs.imm));
      if (rhs.imm == kAbsent) b = t("（空）", "(blank)");
    }
    // 读法 X = 选项: "技能比武计分（取最高） = 累加", not two bare numbers.
    if (auto it = p_.readingConsts.find(e.a); it != p_.readingConsts.end() && rhs.op == Op::Const) {
      const std::vector<std::string> &names = it->second;
      auto option = [&](int64_t i) { return i >= 0 && i + 1 < static_cast<int64_t>(names.size()) ? names[static_cast<size_t>(i + 1)] : "?"; };
      a = t("读法 ", "reading ") + names[0] + "（" + option(lhs.imm) + "）";
      b = option(rhs.imm);
    }
    // 若无 列表: "帮扶轮次 没有记录" rather than "个数(帮扶轮次)（0） = 0".
    if (m == Mode::Annotated && lhs.op == Op::ListLen && rhs.op == Op::Const && rhs.imm == 0 && e.cmp == ir::CmpKind::Eq) {
      auto [from, to] = elements(lhs.index);
      const std::string &list = p_.desc.lists[static_cast<size_t>(lhs.index)].name;
      if (inputs) note(leafName(e.a), std::to_string(to - from));
      return from == to ? list + t(" 没有记录", " has no entries") : fmt::format(fmt::runtime(t("{} 有 {} 项", "{} has {} entries")), list, to - from);
    }
    std::string s = a + symbols[static_cast<int>(e.cmp)] + b;
    return 0 < outer ? "(" + s + ")" : s;
  }

  // A Select inside a formula (points by level, a guard): the arm that was taken.
  std::string choice(const ir::Expr &e, int64_t elem, Mode m, int outer) {
    if (m == Mode::Names || !has(e.a, elem)) return show(e.b, elem, m, outer);
    return show(holds(e.a, elem) ? e.b : e.c, elem, m, outer);
  }

  std::string aggregate(ExprId id, Mode m) {
    const ir::Expr &e = p_.exprs[id];
    static const char *zh[] = {"最好", "最差", "平均", "求和", "计数", "全部", "任一"};
    static const char *en[] = {"best", "worst", "average", "sum", "count", "all", "any"};
    std::string name = e.op == Op::TopAvg ? (zh_ ? "前" : "top ") + topText(e) + t("平均", " average")
                                          : (zh_ ? zh : en)[e.imm];
    const std::string &list = p_.desc.lists[static_cast<size_t>(e.index)].name;
    if (m == Mode::Names) return name + "(" + list + ": " + show(e.a, -1, Mode::Names) + ")";
    auto [b, en2] = elements(e.index);
    std::vector<std::string> values;
    bool leafBody = !leafName(e.a).empty();
    for (int64_t j = b; j < en2; ++j) {
      values.push_back(typed(e.a, j));
      if (elementLines && !leafBody)
        elementLines->push_back(fmt::format("{}[{}]：{} = {}", list, j - b + 1, show(e.a, j, Mode::Values), typed(e.a, j)));
    }
    std::string s = name + "(" + (values.empty() ? t("空列表", "empty list") : "") ;
    for (size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + values[i];
    s += ")";
    return m == Mode::Annotated ? s + t("（", " (") + typed(id, -1) + t("）", ")") : s;
  }

  // 前50%平均(选派人员 按 姓名: 平均(…)): each group's elements (by place in
  // the list), their values and the group's merged value, then the result.
  std::string groupAggregate(ExprId id, Mode m) {
    const ir::Expr &e = p_.exprs[id];
    static const char *zh[] = {"最好", "最差", "平均", "求和", "计数", "全部", "任一"};
    static const char *en[] = {"best", "worst", "average", "sum", "count", "all", "any"};
    int32_t outer = ir::groupOuter(e.imm2);
    std::string name = outer == ir::kGroupOuterTop
                           ? (zh_ ? "前" : "top ") + num(Rational::of(e.imm)) + (ir::groupPercent(e.imm2) ? "%" : "") +
                                 t("平均", " average")
                           : (zh_ ? zh : en)[outer];
    std::string merge = (zh_ ? zh : en)[ir::groupInner(e.imm2)];
    const std::string &list = p_.desc.lists[static_cast<size_t>(e.index)].name;
    std::string by = t(" 按 ", " by ") + leafName(e.b) + ": ";
    if (m == Mode::Names) return name + "(" + list + by + merge + "(" + show(e.a, -1, Mode::Names) + "))";
    auto [b, en2] = elements(e.index);
    std::vector<std::vector<int64_t>> groups;  // element places, groups in order of their first element
    std::vector<int64_t> keys;
    bool leafBody = !leafName(e.a).empty();
    for (int64_t j = b; j < en2; ++j) {
      if (elementLines && !leafBody)
        elementLines->push_back(fmt::format("{}[{}]：{} = {}", list, j - b + 1, show(e.a, j, Mode::Values), typed(e.a, j)));
      int64_t key = val(e.b, j).num;
      size_t g = std::find(keys.begin(), keys.end(), key) - keys.begin();
      if (g == keys.size()) { keys.push_back(key); groups.emplace_back(); }
      groups[g].push_back(j);
    }
    std::string s = name + "(" + list + by + (groups.empty() ? t("空列表", "empty list") : "");
    for (size_t g = 0; g < groups.size(); ++g) {
      std::string places, values;
      for (int64_t j : groups[g]) {
        places += (places.empty() ? "" : ",") + std::to_string(j - b + 1);
        values += (values.empty() ? "" : ", ") + typed(e.a, j);
      }
      s += (g ? t("；", "; ") : "") + groupName(e, keys[g] - b, list + "[" + places + "]") + " " + merge + "(" + values +
           ") = " + num(mergedGroup(e, groups[g]));
    }
    s += ")";
    return m == Mode::Annotated ? s + t("（", " (") + typed(id, -1) + t("）", ")") : s;
  }

  // A group by its key's text (“张三”（选派人员[1,3]）) when the caller gave
  // the texts, else by its elements' places (选派人员[1,3]).
  std::string groupName(const ir::Expr &e, int64_t firstPlace, const std::string &places) {
    const ir::Expr &key = p_.exprs[e.b];
    if (!keyTexts || (key.op != Op::Elem && key.op != Op::Column)) return places;
    auto texts = keyTexts->find(key.index);
    if (texts == keyTexts->end() || firstPlace < 0 || static_cast<size_t>(firstPlace) >= texts->second.size())
      return places;
    return t("“", "'") + texts->second[static_cast<size_t>(firstPlace)] + t("”（", "' (") + places + t("）", ")");
  }

  // One group's merged value, by the kernel's own merge (the group alone, summed).
  Rational mergedGroup(const ir::Expr &e, const std::vector<int64_t> &places) {
    std::vector<int64_t> nums, dens, keys(places.size(), 0), counts(places.size());
    for (int64_t j : places) {
      Rational v = val(e.a, j);
      nums.push_back(v.num);
      dens.push_back(v.den);
    }
    Rational out;
    int32_t err = 0;
    out.num = rb_kernel_group_aggregate(nums.data(), dens.data(), keys.data(), counts.data(),
                                        static_cast<int64_t>(places.size()), ir::groupInner(e.imm2),
                                        static_cast<int32_t>(ir::AggKind::Sum), 0, 0, &out.den, &err);
    return out;
  }

  std::string topText(const ir::Expr &e) const {
    return e.imm2 ? num(Rational::of(e.imm)) + "%" : num(Rational::of(e.imm));
  }
};

const char *englishKind(const std::string &zh) {
  if (zh == "指标") return "Indicator";
  if (zh == "二级") return "Sub-indicator";
  if (zh == "项") return "Item";
  if (zh == "子项") return "Sub-item";
  if (zh == "扣分") return "Deduction";
  if (zh == "加分") return "Bonus";
  return "Row";
}

class Builder {
public:
  Builder(const ir::Program &p, const rb_frame *f, int64_t r, Lang lang, const interp::Recording &rec,
          const GroupKeyTexts *keyTexts)
      : p_(p), zh_(lang == Lang::Zh), fx_(p, f, r, lang, rec) {
    fx_.keyTexts = keyTexts;
    assignedTo_.assign(p.desc.slots.size(), -1);
    for (const auto &a : p.assignments) assignedTo_[static_cast<size_t>(a.slot)] = a.value;
    stateOf_.assign(p.desc.slots.size(), -1);
    for (size_t s = 0; s < p.desc.slots.size(); ++s)
      if (p.desc.slots[s].kind == SlotKind::NodeState) stateOf_[static_cast<size_t>(p.desc.slots[s].node)] = static_cast<int>(s);
    children_.resize(p.desc.slots.size());
    for (size_t i = 0; i < p.nodes.size(); ++i) {
      const auto &n = p.nodes[i];
      if (n.depth < 0 || p.desc.slots[static_cast<size_t>(n.slot)].depth < 0) continue;  // an imported scheme's internals
      if (n.parentSlot < 0) roots_.push_back(i);
      else children_[static_cast<size_t>(n.parentSlot)].push_back(i);
    }
  }

  Trace build() {
    Trace tr;
    for (size_t i : roots_) tr.nodes.push_back(node(i, NodeStatus::Scored, ""));
    tr.total = slotValue(p_.desc.totalSlot);
    for (const auto &v : p_.vetoOrigins) {
      SlotKind kind = p_.desc.slots[static_cast<size_t>(v.slot)].kind;
      if (kind != SlotKind::VetoFlag && kind != SlotKind::CheckFlag) continue;
      if (!fx_.holds(assignedTo_[static_cast<size_t>(v.slot)])) continue;
      (kind == SlotKind::VetoFlag ? tr.vetoes : tr.failedChecks).push_back(veto(v));
    }
    tr.totalAccount = totalAccount(tr);
    return tr;
  }

private:
  const ir::Program &p_;
  bool zh_;
  Formula fx_;
  std::vector<ExprId> assignedTo_;
  std::vector<int> stateOf_;
  std::vector<std::vector<size_t>> children_;
  std::vector<size_t> roots_;

  const char *t(const char *zh, const char *en) const { return zh_ ? zh : en; }
  template <class... A> std::string say(const char *zh, const char *en, A &&...args) const {
    return fmt::format(fmt::runtime(zh_ ? zh : en), std::forward<A>(args)...);
  }
  Rational slotValue(int slot) const { return fx_.val(assignedTo_[static_cast<size_t>(slot)]); }

  VetoTrace veto(const ir::VetoOrigin &v) {
    VetoTrace out;
    out.reason = p_.desc.slots[static_cast<size_t>(v.slot)].name;
    out.text = v.text;
    out.line = v.span.line;
    out.condition = fx_.show(assignedTo_[static_cast<size_t>(v.slot)], -1, Mode::Annotated);
    out.meta = metaLine(v.meta, zh_ ? Lang::Zh : Lang::En);
    return out;
  }

  const ir::VetoOrigin *vetoOriginOf(int slot) const {
    for (const auto &v : p_.vetoOrigins)
      if (v.slot == slot) return &v;
    return nullptr;
  }

  // ───── rules ─────
  RuleTrace rule(const ir::Contribution &c) {
    RuleTrace out;
    out.deduct = c.deduct;
    out.points = fx_.val(c.value);
    out.text = c.text;
    out.line = c.span.line;
    fx_.inputs = &out.inputs;
    std::vector<std::string> named;
    fx_.namedLines = &named;
    if (c.origin >= 0) describe(p_.ruleOrigins[static_cast<size_t>(c.origin)], out);
    fx_.namedLines = nullptr;
    fx_.inputs = nullptr;
    out.steps.insert(out.steps.begin(), named.begin(), named.end());   // the names first, then the rule's arithmetic
    return out;
  }

  void describe(const ir::RuleOrigin &o, RuleTrace &out) {
    out.text = zh_ ? o.text : englishRule(o);
    out.line = o.span.line;
    if (!o.reading.empty()) out.reading = o.reading + " = " + o.readingOption;
    switch (o.shape) {
    case ir::RuleShape::When: when(o, out); break;
    case ir::RuleShape::PerUnit: perUnit(o, out); break;
    case ir::RuleShape::Choice:
    case ir::RuleShape::Tiers: branch(o, out); break;
    case ir::RuleShape::Plain: award(o, out); break;
    case ir::RuleShape::Monthly: monthly(o, out); break;
    }
  }

  // The award's arithmetic (with the per-element lines of any list in it), then the rule's cap.
  void award(const ir::RuleOrigin &o, RuleTrace &out) {
    std::vector<std::string> lines;
    std::vector<TraceInput> read;
    fx_.elementLines = &lines;
    fx_.inputs = &read;
    std::string arithmetic = fx_.arithmetic(o.uncapped);
    fx_.elementLines = nullptr;
    fx_.inputs = &out.inputs;
    // A formula over several values: name them, as the arithmetic shows only the numbers.
    std::string values;
    for (const auto &in : read) {
      values += (values.empty() ? "" : t("，", ", ")) + in.name + " = " + in.value;
      if (std::none_of(out.inputs.begin(), out.inputs.end(), [&](const TraceInput &x) { return x.name == in.name; }))
        out.inputs.push_back(in);
    }
    if (read.size() > 1) out.steps.push_back(t("取值：", "values: ") + values);
    out.steps.insert(out.steps.end(), lines.begin(), lines.end());
    out.steps.push_back(arithmetic);
    capStep(o, out);
  }

  void capStep(const ir::RuleOrigin &o, RuleTrace &out) {
    if (o.cap < 0 || !fx_.has(o.cap) || !(fx_.val(o.uncapped) > fx_.val(o.cap))) return;
    out.limit = say("最高 {} 分", "at most {} points", num(fx_.val(o.cap)));
    out.steps.back() += " → " + out.limit;
  }

  void when(const ir::RuleOrigin &o, RuleTrace &out) {
    std::string cond = fx_.show(o.cond, -1, Mode::Annotated);
    if (fx_.holds(o.cond)) {
      out.steps.push_back(say("条件成立：{}", "condition met: {}", cond));
      award(o, out);
      // A fixed award goes on the condition's line: 条件成立：新装备办案（是）→ 4 分.
      if (out.steps.size() == 2 && out.steps[1] == fx_.points(fx_.val(o.uncapped)))
        out.steps = {out.steps[0] + " → " + out.steps[1]};
      return;
    }
    if (o.elseRule < 0) {
      out.why = say("条件不成立：{}", "condition not met: {}", cond);
      return;
    }
    // The 否则 rule fired: it is the rule shown.
    out.steps.push_back(say("条件不成立：{}，按“否则”计分", "condition not met: {}; the otherwise rule applies", cond));
    const ir::RuleOrigin &other = p_.ruleOrigins[static_cast<size_t>(o.elseRule)];
    describe(other, out);
    out.text = (zh_ ? "否则 " : "otherwise: ") + out.text;
  }

  void perUnit(const ir::RuleOrigin &o, RuleTrace &out) {
    std::string name = fx_.leafName(o.subject);
    std::string count = fx_.show(o.subject, -1, Mode::Values, 3);
    std::string subject = name.empty() ? count : name + " " + count + (zh_ && !o.unitWord.empty() ? " " + o.unitWord : "");
    std::string unit = fx_.show(o.unit, -1, Mode::Values, 3);
    out.steps.push_back(say("{} × {} 分 = {}", "{} × {} points = {}", subject, unit,
                                    fx_.points(fx_.val(o.uncapped))));
    capStep(o, out);
  }

  // 按 and 分档: the first choice or tier that holds.
  void branch(const ir::RuleOrigin &o, RuleTrace &out) {
    std::string subject = fx_.show(o.subject, -1, Mode::Annotated);
    for (const auto &b : o.branches) {
      bool taken = b.cond >= 0 ? fx_.holds(b.cond) : fx_.has(b.value);
      if (!taken) continue;
      std::string which = zh_ ? "“" + b.text + "”" : branchEnglish(o, b);
      out.steps.push_back(say("{}：按{} → {}", "{}: {} → {}", subject, which, fx_.arithmetic(b.value)));
      capStep(o, out);
      return;
    }
    out.why = say("{}：不在所列任何一档", "{}: matches none of the listed cases", subject);
  }

  void monthly(const ir::RuleOrigin &o, RuleTrace &out) {
    std::string months;
    int count = 0;
    for (const auto &b : o.branches)
      if (fx_.holds(b.cond)) months += (count++ ? "、" : "") + b.text;
    if (count == 0) {
      out.why = t("没有符合条件的月份", "no month meets the condition");
      return;
    }
    out.steps.push_back(say("符合条件的月份：{}（{} 个月）→ {}", "months that meet it: {} ({} months) → {}",
                                    months, count, fx_.points(fx_.val(o.uncapped))));
    capStep(o, out);
  }

  std::string branchEnglish(const ir::RuleOrigin &o, const ir::RuleBranch &b) {
    if (b.cond < 0) return "otherwise";
    return fx_.show(b.cond, -1, Mode::Names) + (o.shape == ir::RuleShape::Choice ? "" : "");
  }

  // A rule in English, from its structure (the source text is Chinese).
  std::string englishRule(const ir::RuleOrigin &o) {
    auto names = [&](ExprId id) { return fx_.show(id, -1, Mode::Names); };
    std::string cap = o.cap >= 0 ? ", at most " + names(o.cap) + " points" : "";
    switch (o.shape) {
    case ir::RuleShape::When: return "when " + names(o.cond) + ": " + names(o.uncapped) + " points" + cap;
    case ir::RuleShape::PerUnit: return "per " + names(o.subject) + ": " + names(o.unit) + " points each" + cap;
    case ir::RuleShape::Choice:
    case ir::RuleShape::Tiers: {
      std::string s = (o.shape == ir::RuleShape::Choice ? "by " : "tiers of ") + names(o.subject) + ": ";
      for (size_t i = 0; i < o.branches.size(); ++i)
        s += (i ? "; " : "") + branchEnglish(o, o.branches[i]) + " → " + names(o.branches[i].value);
      return s + cap;
    }
    case ir::RuleShape::Plain: return names(o.uncapped) + " points" + cap;
    case ir::RuleShape::Monthly:
      return "each month when " + (o.branches.empty() ? std::string() : names(o.branches.front().cond)) + ": " +
             (o.branches.empty() ? std::string() : names(o.branches.front().value)) + " points" + cap;
    }
    return o.text;
  }

  // ───── nodes ─────
  NodeTrace node(size_t i, NodeStatus inherited, const std::string &parentPath) {
    const ir::NodeInfo &n = p_.nodes[i];
    NodeTrace out;
    out.kind = zh_ ? n.kindKeyword : englishKind(n.kindKeyword);
    out.path = n.path == parentPath ? "" : n.path;  // a row without a number of its own has none
    out.title = n.title;
    out.points = n.points;
    out.deduction = n.kindKeyword == "扣分";
    out.addedAfterParentLimit = n.limits.addedAfterParentLimit;
    out.clause = !n.original.empty() ? n.original : n.description;
    out.clauseIsOriginal = !n.original.empty();
    out.score = slotValue(n.slot);
    int64_t state = stateOf_[static_cast<size_t>(n.slot)] >= 0 ? slotValue(stateOf_[static_cast<size_t>(n.slot)]).num : 0;
    if (state >= 2) vetoed(n, static_cast<int>(state - 2), inherited, out);
    else if (state == 1) notApplicable(n, inherited, out);
    else scored(n, out);
    for (size_t c : children_[static_cast<size_t>(n.slot)]) out.children.push_back(node(c, out.status, n.path));
    if (out.status == NodeStatus::Scored) account(n, out);
    return out;
  }

  void vetoed(const ir::NodeInfo &n, int vetoSlot, NodeStatus inherited, NodeTrace &out) {
    out.status = NodeStatus::Vetoed;
    out.score = Rational();
    const std::string &reason = p_.desc.slots[static_cast<size_t>(vetoSlot)].name;
    out.statusReason = say("否决：{}", "veto: {}", reason);
    if (inherited == NodeStatus::Vetoed && n.parentSlot >= 0) return;  // the row above says why
    std::string cond = fx_.show(assignedTo_[static_cast<size_t>(vetoSlot)], -1, Mode::Annotated);
    out.statusDetail = say("条件成立：{}，本项及下级不得分", "it holds: {}; this row and those below get 0", cond);
    if (const ir::VetoOrigin *origin = vetoOriginOf(vetoSlot)) out.statusMeta = metaLine(origin->meta, zh_ ? Lang::Zh : Lang::En);
  }

  void notApplicable(const ir::NodeInfo &n, NodeStatus inherited, NodeTrace &out) {
    out.status = NodeStatus::NotApplicable;
    if (const ir::NaOrigin *na = naThatHeld(n)) {
      out.statusReason = say("不适用：{}（{}）", "not applicable: {} ({})", na->text,
                                     fx_.show(na->cond, -1, Mode::Annotated));
      return;
    }
    if (inherited != NodeStatus::Scored)
      out.statusReason = t("不适用：上级不适用", "not applicable: the row above does not apply");
  }

  const ir::NaOrigin *naThatHeld(const ir::NodeInfo &n) {
    for (const auto &na : n.limits.na)
      if (fx_.holds(na.cond)) return &na;
    return nullptr;
  }

  void scored(const ir::NodeInfo &n, NodeTrace &out) {
    for (const auto &c : n.contributions) {
      if (!fx_.has(c.value)) continue;                      // under an N/A or a move: did not count
      if (c.levelGuard >= 0 && !fx_.holds(c.levelGuard)) continue;  // another level's rule
      out.rules.push_back(rule(c));
      if (!c.level.empty()) out.rules.back().steps.insert(out.rules.back().steps.begin(),
                                                         say("级别：{}", "level: {}", c.level));
    }
  }

  // Σ, floor, cap, bonus, move, N/A policy — each line only when it changed something.
  void account(const ir::NodeInfo &n, NodeTrace &out) {
    const ir::NodeLimits &l = n.limits;
    if (const ir::NaOrigin *na = naThatHeld(n)) {
      const char *zh = na->policy == 0 ? "{}（{}）：得满分 {} 分" : "{}（{}）：不得分";
      const char *en = na->policy == 0 ? "{} ({}): full points, {}" : "{} ({}): no points";
      out.account.push_back(fmt::format(fmt::runtime(t(zh, en)), na->text, fx_.show(na->cond, -1, Mode::Annotated), out.points));
      return;
    }
    if (l.raw < 0 || !fx_.has(l.raw)) return;
    sumLine(n, out);
    Rational raw = fx_.val(l.raw), before = raw;
    if (l.floored >= 0 && raw.num < 0) {
      before = fx_.val(l.floored);
      out.boundBy = t("不低于 0 分", "not below 0");
      out.account.push_back(say("合计 {} 分，不低于 0 分 → 0 分", "sum {}, not below 0 → 0", num(raw)));
    }
    if (l.capped >= 0 && before > fx_.val(l.capped)) {
      std::string limit = out.deduction ? say("最多扣 {} 分", "at most {} points taken", l.limit)
                          : l.limitIsPoints ? say("本项分值 {} 分", "this row's {} points", l.limit)
                                            : say("本项最高 {} 分", "this row's cap of {} points", l.limit);
      out.boundBy = limit;
      out.account.push_back(say("合计 {} 分，超过{} → {} 分", "sum {} exceeds {} → {}", num(before),
                                        limit, l.limit));
    }
    if (l.bonus >= 0 && fx_.val(l.bonus).num != 0)
      out.account.push_back(say("加上不受上限的加分 {} 分", "plus uncapped bonus {}", num(fx_.val(l.bonus))));
    for (const auto &m : l.moves)
      if (fx_.holds(m.cond) && !m.scaledFrom.empty())
        out.account.push_back(say("“{}”不适用，其 {} 分计入本项，其余 {} 分按 {} 分折算：{} × {} ÷ {} = {} 分",
                                  "'{}' does not apply: its {} points move here; the other {} are rescaled to {}: {} × {} ÷ {} = {}",
                                  m.from, m.moved, m.scaledFrom, m.newMax, num(fx_.val(m.before)), m.newMax,
                                  m.scaledFrom, num(out.score)));
      else if (fx_.holds(m.cond))
        out.account.push_back(say("“{}”不适用，其 {} 分计入本项，按 {} 分折算：{} × {} ÷ {} = {} 分",
                                  "'{}' does not apply: its {} points move here, rescaled to {}: {} × {} ÷ {} = {}",
                                  m.from, m.moved, m.newMax, num(fx_.val(m.before)), m.newMax, out.points, num(out.score)));
  }

  // "合计：3 + 2 + 6 = 11" when more than one part made the sum.
  void sumLine(const ir::NodeInfo &n, NodeTrace &out) {
    std::vector<std::pair<bool, Rational>> parts;  // (taken, amount)
    for (const auto &r : out.rules)
      if (r.points.num != 0) parts.push_back({r.deduct, r.points});
    for (const auto &c : out.children) {
      if (c.status != NodeStatus::Scored || c.addedAfterParentLimit) continue;
      parts.push_back({c.deduction, c.score});
    }
    if (parts.size() < 2) return;
    std::string s;
    for (size_t i = 0; i < parts.size(); ++i) {
      bool minus = parts[i].first != out.deduction;  // a deduction row adds up what it takes
      s += i == 0 ? (minus ? "−" : "") + num(parts[i].second) : (minus ? " − " : " + ") + num(parts[i].second);
    }
    out.account.push_back(say("合计：{} = {} 分", "sum: {} = {}", s, num(fx_.val(n.limits.raw))));
  }

  std::string totalAccount(const Trace &tr) {
    Rational sum;
    int32_t err = 0;
    for (const auto &nt : tr.nodes) {
      Rational v = nt.status == NodeStatus::NotApplicable ? Rational() : nt.score;
      if (nt.deduction) v.num = -v.num;
      Rational next;
      next.num = rb_rat_add(sum.num, sum.den, v.num, v.den, &next.den, &err);
      sum = next;
    }
    return say("各指标合计 {}，总分 {}{}", "indicators sum to {}, total {}{}", num(sum), num(tr.total),
                       sum == tr.total ? "" : t("（总分不低于 0 分）", " (the total is not below 0)"));
  }
};

void collectLimits(const NodeTrace &n, bool zh, std::vector<std::string> &out) {
  for (const auto &c : n.children) collectLimits(c, zh, out);
  std::string where = (n.path.empty() ? "" : n.path + " ") + n.title;
  for (const auto &r : n.rules)
    if (!r.limit.empty()) out.push_back(fmt::format("{}{}{}{}", where, zh ? "：" : ": ", r.text, zh ? "（" + r.limit + "）" : " (" + r.limit + ")"));
  if (!n.boundBy.empty()) out.push_back(where + (zh ? "：" : ": ") + n.boundBy);
}

} // namespace

Trace buildTrace(const ir::Program &program, const rb_frame *frame, int64_t record, Lang lang,
                 const GroupKeyTexts *keyTexts) {
  interp::Recording rec(program.exprs.size());
  int32_t error = interp::recordEvaluation(program, frame, record, rec);
  Trace tr = Builder(program, frame, record, lang, rec, keyTexts).build();
  tr.error = error;
  return tr;
}

std::vector<std::string> limitsThatBound(const NodeTrace &node, Lang lang) {
  std::vector<std::string> out;
  collectLimits(node, lang == Lang::Zh, out);
  return out;
}

const NodeTrace *findNode(const std::vector<NodeTrace> &nodes, const std::string &key) {
  for (const auto &n : nodes) {
    if (n.title == key || (!n.path.empty() && n.path == key)) return &n;
    if (const NodeTrace *c = findNode(n.children, key)) return c;
  }
  return nullptr;
}

} // namespace rubric::report
