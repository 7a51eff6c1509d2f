#include "ir/FromSema.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "ast/AstPrinter.h"
#include "parse/Parser.h"
#include "rubric_decimal.h"
#include "runtime/scoring/Dates.h"

namespace rubric::ir {
namespace {

using runtime::ColumnDesc;
using runtime::FieldDesc;
using runtime::SlotDesc;
using runtime::SlotKind;
using runtime::ValueKind;

ValueKind valueKind(ast::TypeKind k) {
  switch (k) {
  case ast::TypeKind::Bool: return ValueKind::Bool;
  case ast::TypeKind::Count: return ValueKind::Count;
  case ast::TypeKind::Percent: return ValueKind::Percent;
  case ast::TypeKind::Enum: return ValueKind::Enum;
  case ast::TypeKind::Text: return ValueKind::Text;
  case ast::TypeKind::YearSet: return ValueKind::YearSet;
  case ast::TypeKind::Date: return ValueKind::Date;
  default: return ValueKind::Decimal;
  }
}

std::string formatDec(rb_dec v) {
  char buf[RB_DEC_FORMAT_CAP];
  rb_dec_format(v, buf, sizeof buf);
  return buf;
}

// Lowers one file (the main one, or an imported scheme sharing its columns).
class Lowerer {
public:
  Lowerer(Program &prog, DiagnosticEngine &diags, const sema::CheckedFile &checked,
          std::map<std::string, int> &fieldByName)
      : p_(prog), diags_(diags), checked_(checked), file_(*checked.file), fieldByName_(fieldByName) {}

  // Returns the total slot of this scheme, or -1 on error.
  int run(bool isMain) {
    src_ = file_.source;
    if (isMain) describeScheme();
    layoutFields();
    if (!lowerImports()) return -1;
    allocateNodeSlots(isMain);
    // Moves (计入) are collected first: the receiver's expression needs them.
    collectMoves();
    for (const ast::Node *n : checked_.evaluationOrder) lowerNode(*n);
    if (isMain)
      for (const auto &n : file_.indicators) lowerNodeState(*n, -1);
    int totalSlot = lowerTotal(isMain);
    totalSlot_ = totalSlot;
    if (isMain) p_.desc.totalSlot = totalSlot;
    for (const auto &v : file_.vetoes) lowerTopVeto(v);
    if (isMain) {
      for (const auto &a : file_.awards) lowerAward(a);
      for (const auto &v : file_.validations) lowerValidation(v);
    }
    return failed_ ? -1 : totalSlot;
  }

  // 标题, 文号, period and levels, for the outputs' headers.
  void describeScheme() {
    p_.desc.schemeId = file_.scheme.id;
    for (const auto &e : file_.scheme.entries) {
      if (e.key == "标题") p_.desc.title = e.value;
      if (e.key == "文号") p_.desc.documentNumber = e.value;
    }
    if (file_.scheme.periodFrom && file_.scheme.periodTo)
      p_.desc.period = *file_.scheme.periodFrom + " 至 " + *file_.scheme.periodTo;
    p_.desc.levels = file_.scheme.levels;
  }

  void allocateNodeSlots(bool isMain) {
    // Every node gets its slot first, so references in rules resolve in any order.
    std::function<void(const ast::Node &, int, int)> allocate = [&](const ast::Node &n, int depth, int parentSlot) {
      SlotDesc s;
      s.kind = SlotKind::Node;
      s.name = isMain ? n.title : file_.scheme.id + "." + n.title;
      s.depth = isMain ? depth : -1; // an imported scheme's nodes are internal
      s.points = n.points ? *n.points : "";
      s.marks = n.points ? *n.points + "分"
                : n.cap  ? (n.kind == ast::NodeKind::Deduction ? "最多扣" : "最高") + *n.cap + "分"
                         : "";
      int slot = addSlot(s);
      slotOf_[&n] = slot;
      NodeInfo info;
      info.slot = slot;
      info.title = n.title;
      info.kindKeyword = ast::nodeKindKeyword(n.kind);
      info.points = s.points;
      info.depth = depth;
      info.parentSlot = parentSlot;
      info.span = n.titleSpan;
      for (const auto &m : n.meta) {
        if (m.key == "原文") info.original = m.value;
        if (m.key == "指标说明") info.description = m.value;
      }
      nodeInfo_[&n] = p_.nodes.size();
      p_.nodes.push_back(info);
      for (const auto &c : n.children) allocate(*c, depth + 1, slot);
    };
    for (const auto &n : file_.indicators) allocate(*n, 0, -1);
    // Paths (一.1) for headers and explain.
    std::function<void(const ast::Node &, const std::string &)> paths = [&](const ast::Node &n, const std::string &prefix) {
      std::string path = n.label.empty() ? prefix : (prefix.empty() ? n.label : prefix + "." + n.label);
      p_.desc.slots[slotOf_[&n]].path = path;
      p_.nodes[nodeInfo_[&n]].path = path;
      for (const auto &c : n.children) paths(*c, path);
    };
    for (const auto &n : file_.indicators) paths(*n, "");
  }

  // The total: indicators, top-level deductions and bonuses; never below 0, no cap.
  int lowerTotal(bool isMain) {
    SlotDesc ts;
    ts.kind = isMain ? SlotKind::Total : SlotKind::Node;
    ts.depth = isMain ? 0 : -1;
    ts.name = isMain ? "总分" : file_.scheme.id + ".总分";
    for (const auto &e : file_.scheme.entries)
      if (isMain && e.key == "总分") ts.marks = e.value + "分";
    int totalSlot = addSlot(ts);
    std::vector<ExprId> posTerms, negTerms, uncappedTerms;
    for (const auto &n : file_.indicators) {
      ExprId v = slot(slotOf_.at(n.get()));
      if (n->kind == ast::NodeKind::Deduction) negTerms.push_back(v);
      else if (n->kind == ast::NodeKind::Bonus && n->bonusCap == ast::BonusCap::Uncapped) {
        uncappedTerms.push_back(v);
        p_.nodes[nodeInfo_.at(n.get())].limits.addedAfterParentLimit = true;
      } else posTerms.push_back(v);
    }
    ExprId pos = sumOf(posTerms), neg = sumOf(negTerms), uncapped = sumOf(uncappedTerms);
    ExprId total = bin(Op::Add, bin(Op::Max, bin(Op::Sub, pos, neg), konst(0)), uncapped);
    assign(totalSlot, total);
    return totalSlot;
  }

  // A 校验: uniqueness and cross-scheme checks for the runtime, a 当 rule as a
  // check flag, a group count.
  void lowerValidation(const ast::Validation &v) {
    if (!v.uniqueFields.empty())
      p_.desc.validations.push_back({v.message, v.uniqueFields, v.withinRecord, v.otherScheme, v.otherFields});
    // A failed 校验 … 当 rule is reported with the record (the 校验 column, exit
    // status 1); it never changes a score, the status, ranks or awards. Rules
    // that exclude a candidate are written as 否决 … => 取消资格.
    if (v.condition) {
      SlotDesc s;
      s.kind = SlotKind::CheckFlag;
      s.name = v.message.empty() ? std::string("校验规则（第 ") + std::to_string(v.span.line) + " 行）" : v.message;
      int checkSlot = addSlot(s);
      assign(checkSlot, expr(*v.condition, Ctx{}));
      p_.vetoOrigins.push_back({checkSlot, ruleText(v.span), v.span, {}});
    }
    if (!v.groupField.empty()) lowerGroupCount(v);
  }

private:
  Program &p_;
  DiagnosticEngine &diags_;
  const sema::CheckedFile &checked_;
  const ast::File &file_;
  std::map<std::string, int> &fieldByName_;   // field name → index in desc.fields (shared with imports)
  std::shared_ptr<const SourceFile> src_;
  bool failed_ = false;
  int totalSlot_ = -1;

  std::map<const ast::Node *, int> slotOf_;
  std::map<const ast::Node *, size_t> nodeInfo_;
  std::map<int, int> slotPhase_;
  std::map<std::string, int> importTotals_;
  std::map<std::string, int> importOverride_;
  static constexpr int64_t kAbsent = runtime::kNoValue;
  struct Move {
    const ast::Node *from;
    ExprId cond;
  };
  std::map<const ast::Node *, std::vector<Move>> movesInto_;
  struct ZeroVeto {
    ExprId cond;
    const ast::Veto *decl;
  };
  std::map<const ast::Node *, std::vector<ZeroVeto>> zeroVetoes_;
  // What the node-state slots (SlotKind::NodeState) are built from, per node.
  struct StateParts {
    ExprId shownNa = -1;            // 不参与 / 计入: the node itself shows 不适用
    ExprId hiddenNa = -1;           // 不作要求 / 满分 / 不得分: the node shows its points, its children 不适用
    std::vector<int> vetoSlots;     // ZeroVeto slots that zero this node
  };
  std::map<const ast::Node *, StateParts> stateParts_;
  std::vector<std::string> optionalRead_;   // optional fields read inside a population argument

  // Context while lowering expressions.
  struct Ctx {
    int listId = -1;                         // inside a list aggregate body
    int month = -1;                          // inside a 每月 rule / monthly aggregate: which month (0-based)
    const ast::Node *indicator = nullptr;    // inside 各指标
    std::set<std::string> guarded;           // optional fields whose absence a 若无 here handles
    bool inPopulation = false;               // inside a population argument (absent values are left out)
  };

  void fail(Span span, const std::string &what) {
    diags_.report(DiagId::LowerUnsupported, src_, span, {what});
    failed_ = true;
  }

  // ───── building blocks ─────
  ExprId konst(int64_t v) { return p_.add(Expr{Op::Const, CmpKind::Eq, -1, v}); }
  ExprId slot(int s) { return p_.add(Expr{Op::Slot, CmpKind::Eq, s}); }
  ExprId bin(Op op, ExprId a, ExprId b) {
    Expr e;
    e.op = op;
    e.a = a;
    e.b = b;
    return p_.add(e);
  }
  // op over every term, as a balanced tree: a sum over 100,000 indicators is
  // 17 levels deep, not 100,000, so every later walk over it (the
  // interpreter, codegen) stays shallow. `empty` when there are no terms.
  // Used for associative ops only (Add, Max, Min, And, Or).
  ExprId balanced(Op op, std::vector<ExprId> terms, ExprId empty) {
    if (terms.empty()) return empty;
    while (terms.size() > 1) {
      std::vector<ExprId> next;
      for (size_t i = 0; i + 1 < terms.size(); i += 2) next.push_back(bin(op, terms[i], terms[i + 1]));
      if (terms.size() % 2) next.push_back(terms.back());
      terms = std::move(next);
    }
    return terms.front();
  }
  // A sum of many terms, through internal partial-sum slots of at most
  // kTermsPerSlot terms each: no single assignment then reads 20,000 slots
  // (which made one generated function too large for register allocation),
  // and the sum's tree stays shallow. Up to kTermsPerSlot terms: one tree.
  static constexpr size_t kTermsPerSlot = 64;
  ExprId sumOf(std::vector<ExprId> terms) {
    while (terms.size() > kTermsPerSlot) {
      std::vector<ExprId> partials;
      for (size_t from = 0; from < terms.size(); from += kTermsPerSlot) {
        std::vector<ExprId> group(terms.begin() + static_cast<std::ptrdiff_t>(from),
                                  terms.begin() + static_cast<std::ptrdiff_t>(std::min(terms.size(), from + kTermsPerSlot)));
        SlotDesc s;
        s.kind = SlotKind::Node;
        s.depth = -1;  // internal: not an output column
        s.name = "部分和";
        int partial = addSlot(s);
        assign(partial, balanced(Op::Add, group, konst(0)));
        partials.push_back(slot(partial));
      }
      terms = std::move(partials);
    }
    return balanced(Op::Add, terms, konst(0));
  }
  ExprId un(Op op, ExprId a, int64_t imm = 0) {
    Expr e;
    e.op = op;
    e.a = a;
    e.imm = imm;
    return p_.add(e);
  }
  ExprId cmp(CmpKind k, ExprId a, ExprId b) {
    Expr e;
    e.op = Op::Cmp;
    e.cmp = k;
    e.a = a;
    e.b = b;
    return p_.add(e);
  }
  ExprId select(ExprId c, ExprId t, ExprId f) {
    Expr e;
    e.op = Op::Select;
    e.a = c;
    e.b = t;
    e.c = f;
    return p_.add(e);
  }
  int addSlot(const SlotDesc &s) {
    p_.desc.slots.push_back(s);
    return static_cast<int>(p_.desc.slots.size() - 1);
  }

  // The phase of an expression: 2 if it reads any phase-2 slot. An explicit
  // stack and a visited mark: expressions share operands (a DAG), and a
  // recursive walk would be as deep as the longest chain in the rubric.
  int phaseOf(ExprId root) {
    visitedMark_.resize(p_.exprs.size(), 0);
    ++visitGeneration_;
    int ph = 1;
    std::vector<ExprId> todo = {root};
    while (!todo.empty()) {
      ExprId id = todo.back();
      todo.pop_back();
      if (id < 0 || visitedMark_[id] == visitGeneration_) continue;
      visitedMark_[id] = visitGeneration_;
      const Expr &e = p_.exprs[id];
      if (e.op == Op::Slot)
        if (auto it = slotPhase_.find(e.index); it != slotPhase_.end()) ph = std::max(ph, it->second);
      todo.insert(todo.end(), {e.a, e.b, e.c});
    }
    return ph;
  }
  std::vector<uint32_t> visitedMark_;
  uint32_t visitGeneration_ = 0;

  // Whether two expressions are the same tree of operations on the same
  // operands (ids differ: equal subtrees are not shared). Gives up (false)
  // on a very large tree, as a DAG walked as a tree can blow up.
  bool sameExpr(ExprId x, ExprId y) const {
    std::vector<std::pair<ExprId, ExprId>> todo = {{x, y}};
    for (int budget = 4096; !todo.empty(); --budget) {
      auto [a, b] = todo.back();
      todo.pop_back();
      if (a == b) continue;
      if (a < 0 || b < 0 || budget == 0) return false;
      const Expr &ea = p_.exprs[static_cast<size_t>(a)], &eb = p_.exprs[static_cast<size_t>(b)];
      if (ea.op != eb.op || ea.cmp != eb.cmp || ea.index != eb.index || ea.imm != eb.imm || ea.imm2 != eb.imm2)
        return false;
      todo.insert(todo.end(), {{ea.a, eb.a}, {ea.b, eb.b}, {ea.c, eb.c}});
    }
    return true;
  }

  // Whether evaluating an expression can never set a record error: it only
  // reads, compares, chooses and combines truth values (no arithmetic).
  bool cannotFail(ExprId root) const {
    std::vector<ExprId> todo = {root};
    while (!todo.empty()) {
      ExprId id = todo.back();
      todo.pop_back();
      if (id < 0) continue;
      const Expr &e = p_.exprs[static_cast<size_t>(id)];
      switch (e.op) {
      case Op::Const: case Op::Column: case Op::Param: case Op::Slot: case Op::Elem:
      case Op::Cmp: case Op::And: case Op::Or: case Op::Not: case Op::Select: case Op::Min: case Op::Max:
        break;
      default: return false;
      }
      todo.insert(todo.end(), {e.a, e.b, e.c});
    }
    return true;
  }

  // An award condition with its parts known at compile time worked out (a
  // 读法 option compared with the adopted one: `名额并列处理 = 报告待定`), so
  // that a condition that always holds needs no slot and the ones that never
  // do share one. A part that could fail is never dropped (its error counts).
  ExprId foldCondition(ExprId id, int depth = 0) {
    const Expr e = p_.exprs[static_cast<size_t>(id)];
    auto known = [&](ExprId x) { return p_.exprs[static_cast<size_t>(x)].op == Op::Const; };
    auto truth = [&](ExprId x) { return p_.exprs[static_cast<size_t>(x)].imm != 0; };
    auto boolean = [&](ExprId x) {
      Op op = p_.exprs[static_cast<size_t>(x)].op;
      return op == Op::Cmp || op == Op::And || op == Op::Or || op == Op::Not;
    };
    if (depth > 32) return id;
    if (e.op == Op::Cmp && known(e.a) && known(e.b)) {
      int64_t a = p_.exprs[static_cast<size_t>(e.a)].imm, b = p_.exprs[static_cast<size_t>(e.b)].imm;
      bool r = (e.cmp == CmpKind::Ge && a >= b) || (e.cmp == CmpKind::Gt && a > b) || (e.cmp == CmpKind::Le && a <= b) ||
               (e.cmp == CmpKind::Lt && a < b) || (e.cmp == CmpKind::Eq && a == b) || (e.cmp == CmpKind::Ne && a != b);
      return konst(r ? 1 : 0);
    }
    if (e.op != Op::And && e.op != Op::Or) return id;
    ExprId x = foldCondition(e.a, depth + 1), y = foldCondition(e.b, depth + 1);
    bool absorbing = e.op == Op::Or;  // the value that decides: Or's true, And's false
    for (auto [k, other] : {std::pair{x, y}, std::pair{y, x}}) {
      if (!known(k)) continue;
      if (truth(k) == absorbing && cannotFail(other)) return konst(absorbing ? 1 : 0);
      if (truth(k) != absorbing && (boolean(other) || known(other)))
        return known(other) ? konst(truth(other) ? 1 : 0) : other;
    }
    return x == e.a && y == e.b ? id : bin(e.op, x, y);
  }

  // An earlier slot of `kind` assigned the same expression: the same values
  // for every record, and the same error (with the same item name, or none
  // can occur). Reusing it spares an array the kernel would write per record
  // (2019 新疆: one award condition per reading option, three 候选数() PopArgs).
  // -1: none.
  int sameAssignedSlot(SlotKind kind, const std::string &name, ExprId value) const {
    for (const Assignment &a : p_.assignments) {
      const SlotDesc &s = p_.desc.slots[static_cast<size_t>(a.slot)];
      if (s.kind == kind && sameExpr(a.value, value) && (s.name == name || cannotFail(value))) return a.slot;
    }
    return -1;
  }
  void assign(int s, ExprId value, int minPhase = 1) {
    int ph = std::max(minPhase, phaseOf(value));
    slotPhase_[s] = ph;
    p_.desc.slots[s].phase = ph;
    p_.assignments.push_back({s, value, ph});
  }

  // ───── inputs ─────
  int addColumn(ColumnDesc c) {
    p_.desc.columns.push_back(std::move(c));
    return static_cast<int>(p_.desc.columns.size() - 1);
  }

  void addField(const ast::FieldDecl &f, bool isParam) {
    FieldDesc d;
    d.name = f.name;
    d.isId = f.isId;
    d.note = f.note;
    const ast::Type &t = f.type;
    d.kind = valueKind(t.kind == ast::TypeKind::Monthly || t.kind == ast::TypeKind::ValueList ? t.element->kind : t.kind);
    if (t.kind == ast::TypeKind::Enum) d.enumValues = t.enumValues;
    if (isParam) {
      addParam(f, d);
      return;
    }
    if (fieldByName_.count(f.name)) return; // shared with an importing scheme
    int64_t def = 0;
    if (f.defaultText) def = defaultValue(*f.defaultText, d, f.span);
    d.optional = f.defaultText.has_value();
    if (f.defaultText) d.defaultText = *f.defaultText;
    if (t.kind != ast::TypeKind::RecordList) d.rangeText = rangeText(f, d.kind);  // elements have their own
    if (t.kind == ast::TypeKind::Monthly) addMonthlyColumns(f, d, def);
    else if (t.kind == ast::TypeKind::RecordList || t.kind == ast::TypeKind::ValueList) addListColumns(f, d, def);
    else addPlainColumn(f, d, def);
    fieldByName_[f.name] = static_cast<int>(p_.desc.fields.size());
    p_.desc.fields.push_back(d);
    if (f.isId && p_.desc.idField < 0) p_.desc.idField = fieldByName_[f.name];
  }

  // A parameter: no column; it obeys the same 范围 / default range as an input.
  void addParam(const ast::FieldDecl &f, FieldDesc &d) {
    ColumnDesc range;
    range.kind = d.kind;
    applyContract(range, f, d);
    d.minValue = range.minValue, d.maxValue = range.maxValue;
    d.rangeText = rangeText(f, d.kind);
    d.column = static_cast<int>(p_.desc.params.size());
    p_.desc.params.push_back(d);
    paramIndex_[f.name] = d.column;
  }

  // 按月: twelve columns name[1] … name[12]; the field names the first.
  void addMonthlyColumns(const ast::FieldDecl &f, FieldDesc &d, int64_t def) {
    d.isMonthly = true;
    for (int m = 1; m <= 12; ++m) {
      ColumnDesc c;
      c.name = f.name + "[" + std::to_string(m) + "]";
      c.kind = d.kind;
      c.defaultValue = def;
      applyContract(c, f, d);
      int col = addColumn(c);
      if (m == 1) d.column = col;
    }
  }

  // A list: an offsets column name[], then one column per element field
  // (name[].字段), or name[].值 for a list of values.
  void addListColumns(const ast::FieldDecl &f, FieldDesc &d, int64_t def) {
    d.isList = true;
    runtime::ListDesc list;
    list.name = f.name;
    int listId = static_cast<int>(p_.desc.lists.size());
    ColumnDesc offsets;
    offsets.name = f.name + "[]";
    offsets.kind = ValueKind::Count;
    offsets.listId = listId;
    list.offsetsColumn = addColumn(offsets);
    if (f.type.kind == ast::TypeKind::RecordList) {
      for (const auto &ef : f.type.recordFields) list.elementColumns.push_back(addElementColumn(f, ef, listId));
    } else {
      ColumnDesc c;
      c.name = f.name + "[].值";
      c.kind = d.kind;
      c.listId = listId;
      c.elementField = "";
      c.defaultValue = def;
      applyContract(c, f, d);
      int col = addColumn(c);
      list.elementColumns.push_back(col);
      elemColumn_[&f] = col; // inside an aggregate the list's own name is the element
    }
    d.listId = listId;
    p_.desc.lists.push_back(list);
  }

  // One element field of a list of records: its own kind, 缺省 and 范围.
  int addElementColumn(const ast::FieldDecl &f, const ast::FieldDecl &ef, int listId) {
    ColumnDesc c;
    c.name = f.name + "[]." + ef.name;
    c.kind = valueKind(ef.type.kind);
    if (ef.type.kind == ast::TypeKind::Enum) c.enumValues = ef.type.enumValues;
    c.listId = listId;
    c.elementField = ef.name;
    FieldDesc ed;
    ed.kind = c.kind;
    ed.enumValues = c.enumValues;
    if (ef.defaultText) c.defaultValue = defaultValue(*ef.defaultText, ed, ef.span);
    applyContract(c, ef, ed);
    int col = addColumn(c);
    elemColumn_[&ef] = col;
    return col;
  }

  void addPlainColumn(const ast::FieldDecl &f, FieldDesc &d, int64_t def) {
    ColumnDesc c;
    c.name = f.name;
    c.kind = d.kind;
    c.enumValues = d.enumValues;
    c.defaultValue = f.optional ? kAbsent : def;   // (可缺): an empty cell is "no value"
    applyContract(c, f, d);
    d.column = addColumn(c);
  }

  // The records contract (docs/cli.md "记录约定"): a field is required
  // unless it has 缺省; its values lie in its 范围, or in the kind's default
  // range — a percentage 0%–100%, a count or a decimal ≥ 0 (every amount in
  // the source tables is a quantity; a field that can go below zero, such as
  // a change, says so with 范围).
  void applyContract(ColumnDesc &c, const ast::FieldDecl &f, const FieldDesc &d) {
    c.optional = f.defaultText.has_value();
    switch (d.kind) {
    case ValueKind::Percent: c.minValue = 0, c.maxValue = RB_DEC_ONE; break;
    case ValueKind::Decimal:
    case ValueKind::Count: c.minValue = 0; break;
    default: return;
    }
    if (!f.rangeLow || !f.rangeHigh) return;
    c.minValue = defaultValue(*f.rangeLow, d, f.rangeSpan);
    c.maxValue = defaultValue(*f.rangeHigh, d, f.rangeSpan);
  }
  static std::string rangeText(const ast::FieldDecl &f, ValueKind kind) {
    if (f.rangeLow && f.rangeHigh) return *f.rangeLow + " 至 " + *f.rangeHigh;
    if (kind == ValueKind::Percent) return "0% 至 100%";
    if (kind == ValueKind::Decimal || kind == ValueKind::Count) return "≥ 0";
    return "";
  }

  // 缺省 values as the runtime stores them: 是/否 → 1/0, enum value → index,
  // 100% → 1 (exact), numbers as rb_dec.
  int64_t defaultValue(const std::string &text, const FieldDesc &d, Span span) {
    if (d.kind == ValueKind::Bool) return text == "是" ? 1 : 0;
    if (d.kind == ValueKind::Enum) {
      for (size_t i = 0; i < d.enumValues.size(); ++i)
        if (d.enumValues[i] == text) return static_cast<int64_t>(i);
      fail(span, "缺省值“" + text + "”不是可选值");
      return 0;
    }
    std::string t = text;
    bool percent = !t.empty() && t.back() == '%';
    if (percent) t.pop_back();
    rb_dec v = 0;
    if (rb_dec_parse(t.data(), t.size(), &v) != 0) {
      fail(span, "缺省值“" + text + "”不是数值");
      return 0;
    }
    int32_t err = 0;
    return percent ? rb_dec_div(v, 100 * RB_DEC_ONE, &err) : v;
  }

  std::map<std::string, int> paramIndex_;
  std::map<const ast::FieldDecl *, int> elemColumn_;

  void layoutFields() {
    for (const auto &f : file_.inputs) addField(f, false);
    if (!file_.scheme.levels.empty() && !fieldByName_.count("级别")) {
      ast::FieldDecl level;
      level.name = "级别";
      level.type.kind = ast::TypeKind::Enum;
      level.type.enumValues = file_.scheme.levels;
      addField(level, false);
      p_.desc.fields.back().note = "候选对象的级别";
    }
    if (fieldByName_.count("级别")) p_.desc.levelColumn = p_.desc.fields[fieldByName_["级别"]].column;
    for (const auto &f : file_.params) addField(f, true);
  }

  const FieldDesc &fieldDesc(const std::string &name) { return p_.desc.fields[fieldByName_.at(name)]; }

  bool lowerImports() {
    for (const auto &[alias, importedFile] : checked_.importByAlias) {
      DiagnosticEngine sub;
      sema::CheckOptions options;  // --reading 别名.读法 reaches the import's own readings
      if (auto it = checked_.importReadings.find(alias); it != checked_.importReadings.end()) options.readings = it->second;
      auto checked = sema::check(*importedFile, sub, options);
      if (sub.errorCount() > 0) {
        for (const auto &d : sub.all())
          if (d.severity == Severity::Error) diags_.report(d.id, d.file, d.span, d.args);
        failed_ = true;
        return false;
      }
      if (checked_.isWholePopulation(alias)) {
        if (!lowerWholePopulationImport(alias, *checked)) return false;
        keepAlive_.push_back(std::move(checked));
        continue;
      }
      Lowerer inner(p_, diags_, *checked, fieldByName_);
      int total = inner.run(false);
      if (total < 0) {
        failed_ = true;
        return false;
      }
      importTotals_[alias] = total;
      // An evaluator may supply the imported scheme's total directly (column 装备.总分):
      // an empty cell reads as the sentinel and the computed total is used.
      ColumnDesc override;
      override.name = alias + ".总分";
      override.kind = ValueKind::Decimal;
      override.defaultValue = kAbsent;
      importOverride_[alias] = addColumn(override);
      importIndicatorSlots_[alias] = inner.indicatorSlots();
      keepAlive_.push_back(std::move(checked));
    }
    return true;
  }
  std::map<std::string, std::map<std::string, int>> importIndicatorSlots_;
  std::vector<std::unique_ptr<sema::CheckedFile>> keepAlive_;

  // 引用 … 全体另给: the import is compiled on its own (its own kernel, scored by
  // the runtime over the --with file, ImportRun.h); here it is only columns the
  // runtime fills per record: its total and indicators (a fraction as numerator
  // ÷ denominator), and whether it was disqualified. Its parameters are this
  // program's too, so --params gives them.
  bool lowerWholePopulationImport(const std::string &alias, const sema::CheckedFile &imported) {
    auto sub = fromSema(imported, diags_);
    if (!sub) {
      failed_ = true;
      return false;
    }
    for (const auto &f : imported.file->params)
      if (!paramIndex_.count(f.name)) addField(f, true);
    runtime::ImportedScheme d;
    d.alias = alias;
    d.matchColumn = fieldDesc(checked_.wholePopulationMatch.at(alias)->name).column;
    auto resultColumn = [&](const std::string &name, ValueKind kind, int64_t def) {
      ColumnDesc c;
      c.name = alias + "." + name;
      c.kind = kind;
      c.defaultValue = def;
      c.minValue = kind == ValueKind::Bool ? 0 : INT64_MIN + 1;
      c.maxValue = kind == ValueKind::Bool ? 1 : INT64_MAX;
      return addColumn(c);
    };
    auto addResult = [&](const std::string &name, int slot) {
      runtime::ImportResult r{name, slot, resultColumn(name, ValueKind::Decimal, 0), -1};
      if (sub->desc.slots[static_cast<size_t>(slot)].rational)
        r.denColumn = resultColumn(name + "（分母）", ValueKind::Decimal, 1000000);
      wholePopValues_[alias][name] = r;
      d.results.push_back(r);
    };
    addResult("总分", sub->desc.totalSlot);
    for (size_t s = 0; s < sub->desc.slots.size(); ++s) {
      const SlotDesc &slot = sub->desc.slots[s];
      if (slot.kind == SlotKind::Node && slot.depth == 0) addResult(slot.name, static_cast<int>(s));
    }
    d.disqualifiedColumn = resultColumn("被取消资格", ValueKind::Bool, 0);
    wholePopDisqualified_[alias] = d.disqualifiedColumn;
    d.program.push_back(sub->desc);
    p_.desc.imports.push_back(std::move(d));
    p_.imports.push_back({alias, std::shared_ptr<const Program>(std::move(sub))});
    return true;
  }
  std::map<std::string, std::map<std::string, runtime::ImportResult>> wholePopValues_;
  std::map<std::string, int> wholePopDisqualified_;

  // 别名.总分 / 别名.指标 / 别名.被取消资格 of a whole-population import: its columns.
  ExprId wholePopulationMember(const ast::Expr &e) {
    auto column = [&](int c) { return p_.add(Expr{Op::Column, CmpKind::Eq, c}); };
    if (e.member == "被取消资格") return column(wholePopDisqualified_.at(e.text));
    auto &values = wholePopValues_.at(e.text);
    auto it = values.find(e.member);
    if (it == values.end()) {
      fail(e.span, "引用方案中没有“" + e.member + "”");
      return konst(0);
    }
    ExprId num = column(it->second.column);
    return it->second.denColumn < 0 ? num : bin(Op::Div, num, column(it->second.denColumn));
  }

public:
  std::map<std::string, int> indicatorSlots() const {
    std::map<std::string, int> out;
    for (const auto &n : file_.indicators) out[n->title] = slotOf_.at(n.get());
    return out;
  }

private:
  // ───── expressions ─────
  ExprId levelIs(const std::string &level) {
    const auto &levels = p_.desc.levels.empty() ? file_.scheme.levels : p_.desc.levels;
    int idx = -1;
    for (size_t i = 0; i < levels.size(); ++i)
      if (levels[i] == level) idx = static_cast<int>(i);
    if (p_.desc.levelColumn < 0 || idx < 0) return konst(0);
    return cmp(CmpKind::Eq, p_.add(Expr{Op::Column, CmpKind::Eq, p_.desc.levelColumn}), konst(idx));
  }

  std::optional<rb_dec> constant(const ast::Expr &e) {
    rb_dec v;
    if (e.kind == ast::ExprKind::Number && rb_dec_parse(e.text.data(), e.text.size(), &v) == 0) return v;
    if (e.kind == ast::ExprKind::Percent && rb_dec_parse(e.text.data(), e.text.size(), &v) == 0) {
      int32_t err = 0;
      return rb_dec_div(v, 100 * RB_DEC_ONE, &err);
    }
    if (e.kind == ast::ExprKind::Unary && e.unOp == ast::UnOp::Neg)
      if (auto inner = constant(*e.args[0])) return -*inner;
    return std::nullopt;
  }

  int intConstant(const ast::Expr &e, const char *what) {
    auto v = constant(e);
    if (!v || *v % RB_DEC_ONE != 0) {
      diags_.report(DiagId::NotConstant, src_, e.span, {what});
      failed_ = true;
      return 0;
    }
    return static_cast<int>(*v / RB_DEC_ONE);
  }

  ExprId columnOf(const ast::FieldDecl *f, const Ctx &ctx) {
    const FieldDesc &d = fieldDesc(f->name);
    int col = d.column;
    if (d.isMonthly) {
      if (ctx.month >= 0) col += ctx.month;
      else return konst(0); // a monthly field outside a monthly context has no single value (sema rejects)
    }
    return p_.add(Expr{Op::Column, CmpKind::Eq, col});
  }

  // A date constant (不晚于 2021-12-31) is the integer yyyymmdd a 日期 column
  // holds (runtime/scoring/Dates.h): the kernel compares the two as integers.
  ExprId dateConstant(const ast::Expr &e) {
    int64_t v = 0;
    runtime::DateIssue issue = runtime::parseDate(e.text, v);
    if (issue != runtime::DateIssue::None) {
      std::string why = runtime::dateIssueText(issue, true);
      fail(e.span, "日期“" + e.text + "”：" + (why.empty() ? "不是有效的日期（如 2021-12-31）" : why));
      return konst(0);
    }
    ExprId id = konst(v);
    p_.dateLiterals.push_back(id);  // explain shows it as a date
    return id;
  }

  // 校验 "…" 按 字段 计数(条件) 在 低 至 高: the runtime counts each group's
  // records after phase 2 (runtime/scoring/GroupCounts.cpp); the condition is a slot.
  void lowerGroupCount(const ast::Validation &v) {
    runtime::ValidationDesc d;
    d.message = v.message;
    d.groupColumn = fieldDesc(v.groupField).column;
    d.groupMin = v.groupMin;
    d.groupMax = v.groupMax;
    if (v.groupCondition) {
      SlotDesc s;
      s.kind = SlotKind::GroupCond;
      s.name = v.message;
      d.groupCondSlot = addSlot(s);
      assign(d.groupCondSlot, expr(*v.groupCondition, Ctx{}));
    }
    p_.desc.validations.push_back(std::move(d));
  }

  // Whether 排名(e, …)'s words after the key include `word` (升序, 并列不跳号).
  static bool rankOption(const ast::Expr &e, const char *word) {
    for (size_t i = 1; i < e.args.size(); ++i)
      if (e.args[i]->kind == ast::ExprKind::Name && e.args[i]->text == word) return true;
    return false;
  }

  // Where a population function reads its per-record argument: a record-level
  // input column as it is (排名(得票数)), or a slot already computed in phase 1
  // (排名(总分)) — a PopArg copy would be one more array the kernel writes and
  // the interpreter assigns for every record, with the same value. Otherwise a
  // PopArg slot gets the argument. Neither (reported) when it needs phase 2.
  struct PopArgument {
    int slot = -1, column = -1;
    bool valid() const { return slot >= 0 || column >= 0; }
  };
  PopArgument populationArgument(ExprId arg, const ast::Expr &e) {
    const Expr &x = p_.exprs[static_cast<size_t>(arg)];
    if (x.op == Op::Column && p_.desc.columns[static_cast<size_t>(x.index)].listId < 0) return {-1, x.index};
    if (x.op == Op::Slot)
      if (auto it = slotPhase_.find(x.index); it != slotPhase_.end() && it->second == 1) return {x.index, -1};
    SlotDesc argSlot;
    argSlot.kind = SlotKind::PopArg;
    argSlot.name = ast::printExpr(e);
    if (int same = sameAssignedSlot(SlotKind::PopArg, argSlot.name, arg); same >= 0) return {same, -1};
    int a = addSlot(argSlot);
    assign(a, arg);
    if (slotPhase_[a] != 1) {
      fail(e.span, "全体计算（排名等）的参数不能依赖另一个全体计算");
      return {};
    }
    return {a, -1};
  }

  ExprId population(runtime::PopFunc func, ExprId arg, const ast::Expr &e, bool dense = false) {
    PopArgument a = populationArgument(arg, e);
    if (!a.valid()) return konst(0);
    // The same function of the same argument (排名(总分) again where a 令 is written out at each use): one step.
    for (const runtime::PopulationStep &st : p_.desc.population)
      if (st.func == func && st.argSlot == a.slot && st.argColumn == a.column && st.dense == dense &&
          st.levelColumn == p_.desc.levelColumn)
        return slot(st.outSlot);
    SlotDesc outSlot;
    outSlot.kind = SlotKind::PopValue;
    outSlot.name = ast::printExpr(e);
    outSlot.phase = 2;
    int o = addSlot(outSlot);
    slotPhase_[o] = 2;
    runtime::PopulationStep step;
    step.func = func;
    step.argSlot = a.slot;
    step.argColumn = a.column;
    step.outSlot = o;
    step.levelColumn = p_.desc.levelColumn;
    step.dense = dense;
    p_.desc.population.push_back(step);
    return slot(o);
  }

  // A name as Sema resolved it: a field, parameter, list element, enum value,
  // reading, 令 name, 总分 or the current indicator's score or points.
  ExprId nameExpr(const ast::Expr &e, const Ctx &ctx) {
    auto it = checked_.names.find(&e);
    if (it == checked_.names.end()) { fail(e.span, "未解析的名称“" + e.text + "”"); return konst(0); }
    const sema::Resolution &r = it->second;
    switch (r.kind) {
    case sema::Resolution::Field: {
      const FieldDesc &d = fieldDesc(r.field->name);
      if (d.isList) { fail(e.span, "列表“" + e.text + "”需要用聚合函数（最好、平均、计数…）取值"); return konst(0); }
      if (d.kind == ValueKind::Text) { fail(e.span, "文本字段“" + e.text + "”不能参与计分"); return konst(0); }
      if (d.kind == ValueKind::YearSet) { fail(e.span, "年份集“" + e.text + "”只能用于 连续年数(…)"); return konst(0); }
      if (r.field->optional && !ctx.guarded.count(r.field->name)) {
        if (!ctx.inPopulation) {
          diags_.report(DiagId::OptionalUnguarded, src_, e.span, {r.field->name});
          failed_ = true;
        }
        optionalRead_.push_back(r.field->name);
      }
      return columnOf(r.field, ctx);
    }
    case sema::Resolution::Param: return p_.add(Expr{Op::Param, CmpKind::Eq, paramIndex_.at(r.field->name)});
    case sema::Resolution::ElementField: return p_.add(Expr{Op::Elem, CmpKind::Eq, elemColumn_.at(r.field)});
    case sema::Resolution::EnumValue: return konst(r.enumIndex);
    case sema::Resolution::Reading: {  // fixed for this compilation
      ExprId c = konst(r.reading->chosen);
      std::vector<std::string> &names = p_.readingConsts[c];
      names.push_back(r.reading->name());
      for (const auto &o : r.reading->decl->options) names.push_back(o.name);
      return c;
    }
    case sema::Resolution::LocalName: return namedValue(*r.local, ctx);
    case sema::Resolution::Total: return slot(totalSlot_ >= 0 ? totalSlot_ : p_.desc.totalSlot);
    case sema::Resolution::IndicatorScore:
      if (ctx.indicator) return slot(slotOf_.at(ctx.indicator));
      return konst(0);
    case sema::Resolution::IndicatorPoints: {
      rb_dec v = 0;
      if (ctx.indicator && ctx.indicator->points) rb_dec_parse(ctx.indicator->points->data(), ctx.indicator->points->size(), &v);
      return konst(v);
    }
    default: fail(e.span, "未解析的名称“" + e.text + "”"); return konst(0);
    }
  }

  // 别名.总分 / 别名.指标 of an imported scheme (or its whole population).
  ExprId memberExpr(const ast::Expr &e) {
    if (wholePopValues_.count(e.text)) return wholePopulationMember(e);
    auto it = importTotals_.find(e.text);
    if (it == importTotals_.end()) { fail(e.span, "未知的引用“" + e.text + "”"); return konst(0); }
    if (e.member == "总分") {
      ExprId given = p_.add(Expr{Op::Column, CmpKind::Eq, importOverride_.at(e.text)});
      return select(cmp(CmpKind::Ne, given, konst(kAbsent)), given, slot(it->second));
    }
    auto &ind = importIndicatorSlots_[e.text];
    if (ind.count(e.member)) return slot(ind[e.member]);
    fail(e.span, "引用方案中没有“" + e.member + "”");
    return konst(0);
  }

  // A reference to another node: its 分值 (a constant) or its score's slot.
  ExprId nodeRefExpr(const ast::Expr &e) {
    auto it = checked_.nodeRefs.find(&e);
    if (it == checked_.nodeRefs.end()) { fail(e.span, "未解析的引用"); return konst(0); }
    if (e.member == "分值") {
      rb_dec v = 0;
      if (it->second->points) rb_dec_parse(it->second->points->data(), it->second->points->size(), &v);
      return konst(v);
    }
    return slot(slotOf_.at(it->second));
  }

  // 各指标: 条件: the condition for every scored indicator, and-ed.
  ExprId eachIndicatorExpr(const ast::Expr &e, const Ctx &ctx) {
    std::vector<ExprId> each;
    for (const auto &n : file_.indicators) {
      if (n->kind == ast::NodeKind::Bonus || n->kind == ast::NodeKind::Deduction) continue;
      Ctx inner = ctx;
      inner.indicator = n.get();
      each.push_back(expr(*e.args[0], inner));
    }
    return balanced(Op::And, each, konst(1));
  }

  ExprId expr(const ast::Expr &e, const Ctx &ctx) {
    using K = ast::ExprKind;
    auto sub = [&](size_t i) { return expr(*e.args[i], ctx); };
    switch (e.kind) {
    case K::Number:
    case K::Percent: {
      auto v = constant(e);
      ExprId id = konst(v ? *v : 0);
      if (e.kind == K::Percent) p_.percentLiterals.push_back(id);  // explain shows it as written
      return id;
    }
    case K::Bool: return konst(e.text == "是" ? 1 : 0);
    case K::Date: return dateConstant(e);
    case K::String: fail(e.span, "文本不能参与计分"); return konst(0);
    case K::Name: return nameExpr(e, ctx);
    case K::Member: return memberExpr(e);
    case K::NodeRef: return nodeRefExpr(e);
    case K::Unary: return un(e.unOp == ast::UnOp::Not ? Op::Not : Op::Neg, sub(0));
    case K::Binary: {
      static const std::map<ast::BinOp, Op> ops = {{ast::BinOp::Add, Op::Add}, {ast::BinOp::Sub, Op::Sub},
                                                   {ast::BinOp::Mul, Op::Mul}, {ast::BinOp::Div, Op::Div},
                                                   {ast::BinOp::And, Op::And}, {ast::BinOp::Or, Op::Or}};
      return bin(ops.at(e.binOp), sub(0), sub(1));
    }
    case K::Compare: return cmp(static_cast<CmpKind>(e.cmpOp), sub(0), sub(1));
    case K::Range: {
      ExprId x = sub(0);
      return bin(Op::And, cmp(CmpKind::Ge, x, sub(1)), cmp(CmpKind::Le, x, sub(2)));
    }
    case K::Call: return call(e, ctx);
    case K::ListAgg:
    case K::TopAverage: return aggregate(e, ctx);
    case K::EachIndicator: return eachIndicatorExpr(e, ctx);
    case K::Conditional: {   // only the chosen arm is evaluated
      Ctx then = ctx;          // 若 有值(x) 则 … x …: the then-arm may read x
      if (const std::string *f = hasValueField(*e.args[0])) then.guarded.insert(*f);
      return select(sub(0), expr(*e.args[1], then), sub(2));
    }
    }
    return konst(0);
  }

  // 令: the name's expression, written out where it is used (in the user's
  // context: its 每月 month, its 各指标 indicator). Explain shows the copy by name.
  ExprId namedValue(const sema::LocalNameInfo &info, const Ctx &ctx) {
    writtenOut_ += info.expandedSize;
    if (writtenOut_ > kMaxWrittenOut) {   // sema bounds one name; this bounds them all together (reported once)
      if (writtenOut_ - info.expandedSize > kMaxWrittenOut) return konst(0);
      fail(info.decl->span, "名称“" + info.name() + "”用得太多：代入后整个细则的式子超过 " +
                                std::to_string(kMaxWrittenOut) + " 项，请减少使用");
      return konst(0);
    }
    ExprId id = expr(*info.decl->value, ctx);
    p_.namedValues.emplace(id, info.name());   // a name for another name keeps the inner one
    return id;
  }
  int64_t writtenOut_ = 0;
  static constexpr int64_t kMaxWrittenOut = 5000000;
  // 连续年数(年份集, 截至 Y): the set's column and the year Sema settled on.
  ExprId yearRun(const ast::Expr &e) {
    auto it = checked_.names.find(e.args[0].get());
    auto year = checked_.throughYears.find(&e);
    if (it == checked_.names.end() || !it->second.field || year == checked_.throughYears.end()) {
      fail(e.span, "连续年数() 需要年份集字段");
      return konst(0);
    }
    Expr run{Op::YearRun, CmpKind::Eq, fieldDesc(it->second.field->name).column};
    run.imm = year->second;
    return p_.add(run);
  }

  ExprId call(const ast::Expr &e, const Ctx &ctx) {
    const std::string &f = e.text;
    auto arg = [&](size_t i) { return expr(*e.args[i], ctx); };
    if (f == "连续年数") return yearRun(e);
    if (f == "四舍五入") return un(Op::Round, arg(0), intConstant(*e.args[1], "四舍五入的位数"));
    if (f == "向下取整") return un(Op::Floor, arg(0), e.args.size() > 1 ? intConstant(*e.args[1], "取整的位数") : 0);
    if (f == "向上取整") return un(Op::Ceil, arg(0), e.args.size() > 1 ? intConstant(*e.args[1], "取整的位数") : 0);
    if (f == "最大" || f == "最小") {
      std::vector<ExprId> args;
      for (size_t i = 0; i < e.args.size(); ++i) args.push_back(arg(i));
      return balanced(f == "最大" ? Op::Max : Op::Min, args, konst(0));
    }
    if (f == "个数") {
      const ast::Expr &l = *e.args[0];
      auto it = checked_.names.find(&l);
      if (it != checked_.names.end() && it->second.field) {
        const FieldDesc &d = fieldDesc(it->second.field->name);
        if (d.isMonthly) return konst(12 * RB_DEC_ONE);
        if (d.isList) return p_.add(Expr{Op::ListLen, CmpKind::Eq, d.listId});
      }
      fail(l.span, "个数() 需要列表字段");
      return konst(0);
    }
    using runtime::PopFunc;
    bool ascending = rankOption(e, "升序"), dense = rankOption(e, "并列不跳号");
    if (f == "排名") return population(ascending ? PopFunc::RankAsc : PopFunc::RankDesc, populationArg(e, ctx), e, dense);
    if (f == "级内排名")
      return population(ascending ? PopFunc::LevelRankAsc : PopFunc::LevelRankDesc, populationArg(e, ctx), e, dense);
    if (f == "全体求和") return population(PopFunc::Sum, populationArg(e, ctx), e);
    if (f == "全体平均") return population(PopFunc::Average, populationArg(e, ctx), e);
    if (f == "全体最大") return population(PopFunc::Max, populationArg(e, ctx), e);
    if (f == "全体最小") return population(PopFunc::Min, populationArg(e, ctx), e);
    if (f == "有值") return present({e.args[0]->text});
    if (f == "候选数") return population(PopFunc::Count, konst(RB_DEC_ONE), e);
    if (f == "级内候选数") return population(PopFunc::LevelCount, konst(RB_DEC_ONE), e);
    if (f == "级内最大") return population(PopFunc::LevelMax, populationArg(e, ctx), e);
    fail(e.span, "未知函数“" + f + "”");
    return konst(0);
  }

  // A population function's argument. A candidate without a value of an optional
  // field it reads gets kAbsent, which the runtime leaves out of the population:
  // ranks and totals are taken over the candidates who have the value. The bare
  // field itself needs no guard: its empty cell already is kAbsent, and the
  // step reads the column as it is (populationArgument).
  ExprId populationArg(const ast::Expr &e, const Ctx &ctx) {
    Ctx inner = ctx;
    inner.inPopulation = true;
    size_t before = optionalRead_.size();
    ExprId value = expr(*e.args[0], inner);
    std::set<std::string> read(optionalRead_.begin() + static_cast<std::ptrdiff_t>(before), optionalRead_.end());
    optionalRead_.resize(before);
    bool bareField = p_.exprs[static_cast<size_t>(value)].op == Op::Column;
    return read.empty() || bareField ? value : select(present(read), value, konst(kAbsent));
  }

  // The optional field x of a condition 有值(x) (Sema checked it is one).
  static const std::string *hasValueField(const ast::Expr &cond) {
    if (cond.kind != ast::ExprKind::Call || cond.text != "有值" || cond.args.size() != 1) return nullptr;
    return cond.args[0]->kind == ast::ExprKind::Name ? &cond.args[0]->text : nullptr;
  }

  // 1 when every one of these optional fields has a value.
  ExprId present(const std::set<std::string> &fields) {
    ExprId all = konst(1);
    for (const auto &name : fields) {
      ExprId col = p_.add(Expr{Op::Column, CmpKind::Eq, fieldDesc(name).column});
      all = bin(Op::And, all, cmp(CmpKind::Ne, col, konst(kAbsent)));
    }
    return all;
  }

  // An aggregate over a 按月 field's 12 fixed columns: unrolled.
  ExprId monthlyAggregate(const ast::Expr &e, const Ctx &ctx) {
    AggKind k = aggKind(e.text);
    std::vector<ExprId> values;
    for (int m = 0; m < 12; ++m) {
      Ctx inner = ctx;
      inner.month = m;
      values.push_back(expr(*e.args[1], inner));
    }
    ExprId acc = -1;
    for (ExprId v : values) {
      ExprId term = k == AggKind::Count ? select(v, konst(RB_DEC_ONE), konst(0)) : v;
      acc = acc < 0 ? term : bin(monthlyMerge(k), acc, term);
    }
    if (k == AggKind::Average) acc = bin(Op::Div, acc, konst(12 * RB_DEC_ONE));
    return acc;
  }

  static Op monthlyMerge(AggKind k) {
    switch (k) {
    case AggKind::Max: return Op::Max;
    case AggKind::Min: return Op::Min;
    case AggKind::All: return Op::And;
    case AggKind::Any: return Op::Or;
    case AggKind::Sum:
    case AggKind::Average:
    case AggKind::Count: break;
    }
    return Op::Add;
  }

  // An aggregate's word (最好, 平均, …) as its kind; Sema has checked the word.
  static AggKind aggKind(const std::string &word) {
    static const std::map<std::string, AggKind> kinds = {{"最好", AggKind::Max},   {"最差", AggKind::Min},
                                                          {"平均", AggKind::Average}, {"求和", AggKind::Sum},
                                                          {"计数", AggKind::Count}, {"全部", AggKind::All},
                                                          {"任一", AggKind::Any}};
    return kinds.at(word);
  }

  ExprId aggregate(const ast::Expr &e, const Ctx &ctx) {
    const ast::Expr &listExpr = *e.args[0];
    auto it = checked_.names.find(&listExpr);
    if (it == checked_.names.end() || !it->second.field) {
      fail(listExpr.span, "聚合需要列表字段");
      return konst(0);
    }
    const FieldDesc &d = fieldDesc(it->second.field->name);
    bool top = e.kind == ast::ExprKind::TopAverage;
    if (d.isMonthly) {
      if (top) { fail(e.span, "月度数据不支持“前…平均”"); return konst(0); }
      return monthlyAggregate(e, ctx);
    }
    if (!d.isList) { fail(listExpr.span, "“" + d.name + "”不是列表"); return konst(0); }
    Ctx inner = ctx;
    inner.listId = d.listId;
    if (e.perGroup) return perGroup(e, d.listId, inner);
    if (e.text == "分组最高") return groupMax(e, d.listId, inner);
    ExprId body = expr(*e.args[1], inner);
    Expr agg;
    agg.index = d.listId;
    agg.a = body;
    if (top) {
      agg.op = Op::TopAvg;
      rb_dec frac = 0;
      rb_dec_parse(e.topFraction.data(), e.topFraction.size(), &frac);
      agg.imm = frac;
      agg.imm2 = e.topIsPercent ? 1 : 0;
    } else {
      agg.op = Op::ListAgg;
      agg.imm = static_cast<int64_t>(aggKind(e.text));
    }
    return p_.add(agg);
  }

  // 前50%平均(列表 按 键: 平均(值)): one GroupAgg — the per-element value and
  // key, the merge (平均) and the outer aggregate as codes (ir::groupImm2).
  // Text keys are equal in their columns when equal after trimming (the
  // records loader stores a canonical index for a group key column).
  ExprId perGroup(const ast::Expr &e, int listId, const Ctx &inner) {
    const ast::Expr &merge = *e.args[1];
    Expr g;
    g.op = Op::GroupAgg;
    g.index = listId;
    g.a = expr(*merge.args.at(0), inner);
    g.b = expr(*e.args[2], inner);
    if (const Expr &key = p_.exprs[static_cast<size_t>(g.b)]; key.op == Op::Elem)
      p_.desc.columns[static_cast<size_t>(key.index)].groupKey = true;
    bool top = e.kind == ast::ExprKind::TopAverage;
    if (top) rb_dec_parse(e.topFraction.data(), e.topFraction.size(), &g.imm);
    int64_t outer = top ? kGroupOuterTop : static_cast<int64_t>(aggKind(e.text));
    g.imm2 = groupImm2(aggKind(merge.text), outer, top && e.topIsPercent);
    return p_.add(g);
  }

  // 分组最高(列表: 值 按 键): Σ over the key's values k of 最好(列表: 键 = k ? 值 : 0),
  // i.e. each group's highest value (at least 0; 0 for a group with no element),
  // summed — "每项工作只取最高分值". The key is an enum or yes/no, so its values
  // are known here and the existing 最好 aggregate does the work.
  ExprId groupMax(const ast::Expr &e, int listId, const Ctx &inner) {
    auto kt = checked_.types.find(e.args[2].get());
    const ast::Type *decl = kt != checked_.types.end() ? kt->second.declared : nullptr;
    size_t values = decl ? decl->enumValues.size() : 2;  // yes/no: 否 = 0, 是 = 1
    std::vector<ExprId> groups;
    for (size_t k = 0; k < values; ++k) {
      ExprId inGroup = cmp(CmpKind::Eq, expr(*e.args[2], inner), konst(static_cast<int64_t>(k)));
      Expr best;
      best.op = Op::ListAgg;
      best.index = listId;
      best.imm = static_cast<int64_t>(AggKind::Max);
      best.a = select(inGroup, expr(*e.args[1], inner), konst(0));
      groups.push_back(p_.add(best));
    }
    return sumOf(groups);
  }

  // ───── rules ─────
  ExprId points(const ast::PointsValue &pv, const Ctx &ctx) {
    if (pv.expr) return expr(*pv.expr, ctx);
    ExprId acc = konst(0);
    for (auto it = pv.byLevel.rbegin(); it != pv.byLevel.rend(); ++it)
      acc = select(levelIs(it->level), expr(*it->points, ctx), acc);
    return acc;
  }

  ExprId capped(ExprId v, const ast::Rule &r, const Ctx &ctx, RuleOrigin &o) {
    o.uncapped = v;
    if (!r.cap) return v;
    o.cap = expr(*r.cap, ctx);
    return bin(Op::Min, v, o.cap);
  }

  // A rule alone as written, for explain: without a 否则 rule that follows on its line.
  std::string ruleSource(const ast::Rule &r) {
    std::string_view text = spanText(*src_, r.span);
    if (r.elseRule && r.elseRule->span.line == r.span.line && r.elseRule->span.col > r.span.col) {
      std::string_view line = src_->lineText(r.span.line);
      size_t from = byteOffsetOfCodePoint(line, r.span.col - 1), to = byteOffsetOfCodePoint(line, r.elseRule->span.col - 1);
      text = line.substr(from, to - from);
      for (std::string_view tail : {" ", "\t", "否则", "otherwise", " ", "，", ",", "；", ";", " "})
        while (text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail) text.remove_suffix(tail.size());
    }
    return std::string(text.empty() ? std::string_view(ruleText(r.span)) : text);
  }

  // The value one rule contributes (before its sign); its origin goes to
  // p_.ruleOrigins (index in *origin).
  ExprId ruleValue(const ast::Rule &r, const Ctx &ctx, int *origin = nullptr) {
    RuleOrigin o;
    o.text = ruleSource(r);
    o.span = r.span;
    o.value = lowerRule(r, ctx, o);
    if (origin) *origin = static_cast<int>(p_.ruleOrigins.size());
    p_.ruleOrigins.push_back(std::move(o));
    return p_.ruleOrigins.back().value;
  }

  ExprId lowerRule(const ast::Rule &r, const Ctx &ctx, RuleOrigin &o) {
    switch (r.kind) {
    case ast::RuleKind::When: return lowerWhenRule(r, ctx, o);
    case ast::RuleKind::Choice: return lowerChoiceRule(r, ctx, o);
    case ast::RuleKind::PerUnit:
      o.shape = RuleShape::PerUnit;
      o.subject = expr(*r.subject, ctx);
      o.unit = points(r.award, ctx);
      o.unitWord = r.unitWord.rfind("每", 0) == 0 ? r.unitWord.substr(std::string("每").size()) : "";
      return capped(bin(Op::Mul, o.subject, o.unit), r, ctx, o);
    case ast::RuleKind::Tiers: return lowerTiersRule(r, ctx, o);
    case ast::RuleKind::Plain: o.shape = RuleShape::Plain; return capped(points(r.award, ctx), r, ctx, o);
    case ast::RuleKind::Monthly: return lowerMonthlyRule(r, ctx, o);
    case ast::RuleKind::ByLevel:
    case ast::RuleKind::ByReading: break; // handled by lowerRule (its blocks contribute separately)
    }
    return konst(0);
  }

  // 当 … 得 N分 [，每增加 … 多得 …] [否则 …].
  ExprId lowerWhenRule(const ast::Rule &r, const Ctx &ctx, RuleOrigin &o) {
    o.shape = RuleShape::When;
    ExprId cond = expr(*r.subject, ctx);
    o.cond = cond;
    ExprId award = points(r.award, ctx);
    if (r.stepSize) award = withSteps(award, r, ctx);
    award = capped(award, r, ctx, o);
    ExprId otherwise = r.elseRule ? ruleValue(*r.elseRule, ctx, &o.elseRule) : konst(0);
    return select(cond, award, otherwise);
  }

  // 达到 90% 得 1分，每增加 1% 多得 0.2分: whole steps above the threshold.
  ExprId withSteps(ExprId award, const ast::Rule &r, const Ctx &ctx) {
    const ast::Expr &c = *r.subject;
    if (c.kind != ast::ExprKind::Compare || (c.cmpOp != ast::CmpOp::Ge && c.cmpOp != ast::CmpOp::Gt)) {
      fail(r.span, "“每增加”需要“达到/超过 某值”的条件");
      return award;
    }
    ExprId over = bin(Op::Sub, expr(*c.args[0], ctx), expr(*c.args[1], ctx));
    ExprId steps = un(Op::Floor, bin(Op::Div, over, expr(*r.stepSize, ctx)), 0);
    return bin(Op::Add, award, bin(Op::Mul, steps, expr(*r.stepPoints, ctx)));
  }

  // 按 字段：值 得 …；值及以上 得 …: the enum value's index compared, last choice first.
  ExprId lowerChoiceRule(const ast::Rule &r, const Ctx &ctx, RuleOrigin &o) {
    o.shape = RuleShape::Choice;
    ExprId subject = expr(*r.subject, ctx);
    o.subject = subject;
    auto st = checked_.types.find(r.subject.get());
    const ast::Type *decl = st != checked_.types.end() ? st->second.declared : nullptr;
    ExprId acc = konst(0);
    for (auto it = r.choices.rbegin(); it != r.choices.rend(); ++it) {
      int idx = 0;
      if (decl)
        for (size_t i = 0; i < decl->enumValues.size(); ++i)
          if (decl->enumValues[i] == it->value) idx = static_cast<int>(i);
      ExprId cond = cmp(it->andAbove ? CmpKind::Ge : CmpKind::Eq, subject, konst(idx));
      ExprId value = expr(*it->points, ctx);
      o.branches.insert(o.branches.begin(), {cond, value, std::string(spanText(*src_, it->span))});
      acc = select(cond, value, acc);
    }
    return capped(acc, r, ctx, o);
  }

  // Tiers (分档): the first tier whose bounds hold, built from the last; 其他 is the fallback.
  ExprId lowerTiersRule(const ast::Rule &r, const Ctx &ctx, RuleOrigin &o) {
    o.shape = RuleShape::Tiers;
    ExprId x = expr(*r.subject, ctx);
    o.subject = x;
    ExprId acc = konst(0);
    for (auto it = r.tiers.rbegin(); it != r.tiers.rend(); ++it) {
      ExprId v = expr(*it->points, ctx);
      std::string tierText(spanText(*src_, it->span));
      if (it->isElse) {
        acc = v;
        o.branches.insert(o.branches.begin(), {-1, v, tierText});
        continue;
      }
      ExprId cond = konst(1);
      if (it->lo) cond = bin(Op::And, cond, cmp(it->lo->inclusive ? CmpKind::Ge : CmpKind::Gt, x, expr(*it->lo->value, ctx)));
      if (it->hi) cond = bin(Op::And, cond, cmp(it->hi->inclusive ? CmpKind::Le : CmpKind::Lt, x, expr(*it->hi->value, ctx)));
      o.branches.insert(o.branches.begin(), {cond, v, tierText});
      acc = select(cond, v, acc);
    }
    return acc;
  }

  // 每月 … 得 N分: one condition per month, the awards summed.
  ExprId lowerMonthlyRule(const ast::Rule &r, const Ctx &ctx, RuleOrigin &o) {
    o.shape = RuleShape::Monthly;
    ExprId sum = konst(0);
    for (int m = 0; m < 12; ++m) {
      Ctx inner = ctx;
      inner.month = m;
      ExprId cond = expr(*r.subject, inner), award = points(r.award, ctx);
      o.branches.push_back({cond, award, std::to_string(m + 1)});
      sum = bin(Op::Add, sum, select(cond, award, konst(0)));
    }
    return capped(sum, r, ctx, o);
  }

  std::string ruleText(Span span) {
    std::string line(src_->lineText(span.line));
    size_t b = line.find_first_not_of(" \t");
    return b == std::string::npos ? line : line.substr(b);
  }

  // A veto as written, without the block of 栏目 that may open on its line:
  // the last brace before its first entry (a block's entries follow its brace).
  std::string vetoText(const ast::Veto &v) {
    std::string line(src_->lineText(v.span.line));
    size_t end = line.size();
    if (!v.meta.empty() && v.meta[0].span.line == v.span.line) end = byteOffsetOfCodePoint(line, v.meta[0].span.col - 1);
    size_t brace = line.rfind('{', end), fullWidth = line.rfind("｛", end);
    if (brace == std::string::npos || (fullWidth != std::string::npos && fullWidth > brace)) brace = fullWidth;
    if (brace != std::string::npos && brace >= byteOffsetOfCodePoint(line, v.span.col - 1)) line.resize(brace);
    size_t b = line.find_first_not_of(" \t"), e = line.find_last_not_of(" \t");
    return b == std::string::npos ? "" : line.substr(b, e - b + 1);
  }

  // `levelGuard` (分级): the 级别 test the rule's value is behind, or -1.
  void addContribution(NodeInfo &info, const ast::Rule &r, const Ctx &ctx, std::vector<ExprId> &pos,
                       std::vector<ExprId> &neg, ExprId levelGuard = -1, const std::string &level = "") {
    int origin = -1;
    ExprId value = ruleValue(r, ctx, &origin);
    if (levelGuard >= 0) value = select(levelGuard, value, konst(0));
    (r.deduct ? neg : pos).push_back(value);
    info.contributions.push_back({value, r.deduct, ruleText(r.span), r.span, origin, levelGuard, level});
  }

  ExprId naCondition(const ast::NaRule &na, const Ctx &ctx) {
    if (!na.level.empty()) return levelIs(na.level);
    if (!na.condition) return konst(0);
    if (na.ifNone) {
      auto it = checked_.names.find(na.condition.get());
      if (it != checked_.names.end() && it->second.field) {
        const FieldDesc &d = fieldDesc(it->second.field->name);
        if (d.isList) return cmp(CmpKind::Eq, p_.add(Expr{Op::ListLen, CmpKind::Eq, d.listId}), konst(0));
        if (it->second.field->optional) return cmp(CmpKind::Eq, p_.add(Expr{Op::Column, CmpKind::Eq, d.column}), konst(kAbsent));
      }
      return cmp(CmpKind::Eq, expr(*na.condition, ctx), konst(0));
    }
    return expr(*na.condition, ctx);
  }

  void collectMoves() {
    std::function<void(const ast::Node &)> walk = [&](const ast::Node &n) {
      std::vector<std::pair<ExprId, const ast::NaRule *>> naRules;
      for (const auto &na : n.naRules) naRules.push_back({naCondition(na, Ctx{}), &na});
      for (const auto &r : n.rules) blockNaRules(r, -1, naRules);
      for (const auto &[condition, na] : naRules)
        if (na->policy.kind == ast::NaPolicyKind::MoveTo)
          if (auto it = checked_.moveTargets.find(na); it != checked_.moveTargets.end())
            movesInto_[it->second].push_back({&n, condition});
      for (const auto &v : n.vetoes)
        if (v.effect == ast::VetoEffectKind::ZeroNode)
          if (auto it = checked_.vetoTargets.find(&v); it != checked_.vetoTargets.end())
            zeroVetoes_[it->second].push_back({expr(*v.condition, Ctx{}), &v});
      for (const auto &c : n.children) walk(*c);
    };
    for (const auto &n : file_.indicators) walk(*n);
    for (const auto &v : file_.vetoes)
      if (v.effect == ast::VetoEffectKind::ZeroNode)
        if (auto it = checked_.vetoTargets.find(&v); it != checked_.vetoTargets.end())
          zeroVetoes_[it->second].push_back({expr(*v.condition, Ctx{}), &v});
  }

  // The N/A rules inside a rule's blocks, each with the condition under which it
  // applies, as lowerNodeRule adds them: a 分级 block's behind its level test, a
  // 按读法 rule's from the chosen option's block only.
  void blockNaRules(const ast::Rule &r, ExprId guard, std::vector<std::pair<ExprId, const ast::NaRule *>> &out) {
    auto within = [&](ExprId cond) { return guard < 0 ? cond : bin(Op::And, guard, cond); };
    if (r.kind == ast::RuleKind::ByLevel)
      for (const auto &block : r.levels) {
        ExprId isLevel = within(levelIs(block.level));
        for (const auto &br : block.rules) blockNaRules(br, isLevel, out);
        for (const auto &na : block.naRules) out.push_back({bin(Op::And, isLevel, naCondition(na, Ctx{})), &na});
      }
    if (const ast::LevelBlock *block = r.kind == ast::RuleKind::ByReading ? chosenBlock(r) : nullptr) {
      for (const auto &br : block->rules) blockNaRules(br, guard, out);
      for (const auto &na : block->naRules) out.push_back({within(naCondition(na, Ctx{})), &na});
    }
  }

  // Optional fields whose absence one of these 若无 rules handles.
  std::set<std::string> guardedBy(const std::vector<const ast::NaRule *> &rules) {
    std::set<std::string> out;
    for (const ast::NaRule *na : rules) {
      if (!na->ifNone || !na->condition) continue;
      auto it = checked_.names.find(na->condition.get());
      if (it != checked_.names.end() && it->second.field && it->second.field->optional) out.insert(it->second.field->name);
    }
    return out;
  }

  rb_dec declared(const ast::Node &n) {
    rb_dec v = 0;
    if (n.points) rb_dec_parse(n.points->data(), n.points->size(), &v);
    return v;
  }

  // ───── readings ─────
  // The block of a 按读法 rule that applies: the chosen option's (null when it has none).
  const ast::LevelBlock *chosenBlock(const ast::Rule &r) const {
    const sema::ReadingInfo *reading = checked_.findReading(r.reading);
    if (!reading || reading->chosen < 0) return nullptr;
    for (const auto &b : r.readingBlocks)
      if (b.level == reading->chosenName()) return &b;
    return nullptr;
  }

  // Each reading a rule reads (a 按读法 block or `X = 选项`), once.
  std::vector<const sema::ReadingInfo *> readingsOf(const ast::Rule &r) const {
    std::vector<const sema::ReadingInfo *> touched;
    auto add = [&](const sema::ReadingInfo *reading) {
      if (reading && std::find(touched.begin(), touched.end(), reading) == touched.end()) touched.push_back(reading);
    };
    if (r.kind == ast::RuleKind::ByReading) add(checked_.findReading(r.reading));
    ast::forEachExpr(r, [&](const ast::Expr &e) {
      if (auto it = checked_.names.find(&e); it != checked_.names.end() && it->second.kind == sema::Resolution::Reading)
        add(it->second.reading);
      else if (it != checked_.names.end() && it->second.kind == sema::Resolution::LocalName)
        for (const sema::ReadingInfo *reading : it->second.local->readings) add(reading);   // read through a 令
    });
    return touched;
  }

  // N/A rules inside the blocks that apply (分级: every level; 按读法: the chosen option).
  void collectBlockNa(const ast::Rule &r, std::vector<const ast::NaRule *> &out) {
    for (const auto &block : r.levels) {
      for (const auto &na : block.naRules) out.push_back(&na);
      for (const auto &br : block.rules) collectBlockNa(br, out);
    }
    if (const ast::LevelBlock *block = r.kind == ast::RuleKind::ByReading ? chosenBlock(r) : nullptr) {
      for (const auto &na : block->naRules) out.push_back(&na);
      for (const auto &br : block->rules) collectBlockNa(br, out);
    }
  }

  // One rule of a node. `guard` (-1: none) is the level test of the 分级
  // blocks it sits in; a block rule contributes its blocks' rules one by one.
  // `guard`: the 级别 tests (分级, nested) the rule's value is behind, or -1;
  // `level`: the innermost level named, for explain.
  void lowerNodeRule(NodeInfo &info, const ast::Rule &r, ExprId guard, const std::string &level, const Ctx &ctx,
                     std::vector<ExprId> &pos, std::vector<ExprId> &neg,
                     std::vector<std::pair<ExprId, const ast::NaRule *>> &naRules) {
    auto within = [&](ExprId cond) { return guard < 0 ? cond : bin(Op::And, guard, cond); };
    if (r.kind == ast::RuleKind::ByLevel) {
      for (const auto &block : r.levels) {
        ExprId isLevel = within(levelIs(block.level));
        for (const auto &br : block.rules) lowerNodeRule(info, br, isLevel, block.level, ctx, pos, neg, naRules);
        for (const auto &na : block.naRules) naRules.push_back({bin(Op::And, isLevel, naCondition(na, ctx)), &na});
      }
      return;
    }
    if (r.kind == ast::RuleKind::ByReading) {
      const ast::LevelBlock *block = chosenBlock(r);
      if (!block) return;  // the option in force has no block here: no rules
      size_t first = info.contributions.size();
      for (const auto &br : block->rules) lowerNodeRule(info, br, guard, level, ctx, pos, neg, naRules);
      for (size_t i = first; i < info.contributions.size(); ++i) markReadings(info.contributions[i], r);
      for (const auto &na : block->naRules) naRules.push_back({within(naCondition(na, ctx)), &na});
      return;
    }
    addContribution(info, r, ctx, pos, neg, guard, level);
    markReadings(info.contributions.back(), r);
  }

  // A contribution that depends on readings says which, in its text and in
  // its origin (explain shows "读法：X = 选项").
  void markReadings(Contribution &c, const ast::Rule &r) {
    auto touched = readingsOf(r);
    if (touched.empty()) return;
    std::string names, options;
    for (const auto *reading : touched) {
      c.text += "〔读法 " + reading->name() + "：" + reading->chosenName() + "〕";
      names += (names.empty() ? "" : "、") + reading->name();
      options += (options.empty() ? "" : "、") + reading->chosenName();
    }
    if (c.origin < 0) return;
    RuleOrigin &o = p_.ruleOrigins[static_cast<size_t>(c.origin)];
    if (!o.reading.empty()) return;  // an inner 按读法 already named its own
    o.reading = names;
    o.readingOption = options;
  }

  static bool isChildOf(const ast::Node &child, const ast::Node &parent) {
    for (const auto &c : parent.children)
      if (c.get() == &child) return true;
    return false;
  }

  // A child that does not apply moves its points to this node (计入 【上级】,
  // "相应分值计入队伍建设分值"): the other children, worth P − P_A together,
  // are scaled to the node's P.
  ExprId movedToParent(const ast::Node &n, const Move &m, ExprId score, rb_dec points, std::optional<rb_dec> cap,
                       NodeInfo &info) {
    rb_dec moved = declared(*m.from);
    int32_t err = 0;
    rb_dec rest = rb_dec_sub(points, moved, &err);
    if (err || rest <= 0) {
      fail(m.from->titleSpan, "“" + m.from->title + "”的分值计入上级【" + n.title + "】后，上级没有其他分值可以折算");
      return score;
    }
    ExprId scaled = bin(Op::Div, bin(Op::Mul, score, konst(points)), konst(rest));
    if (cap) scaled = bin(Op::Min, scaled, konst(*cap));
    info.limits.moves.push_back({m.cond, m.from->title, formatDec(moved), formatDec(points), score, formatDec(rest)});
    info.notes.push_back("“" + m.from->title + "”不适用时，其 " + formatDec(moved) + " 分计入本项，其余 " +
                         formatDec(rest) + " 分按 " + formatDec(points) + " 分折算");
    return select(m.cond, scaled, score);
  }

  // Points moved in from a sibling (计入 【同级】) or a child (计入 【上级】)
  // that does not apply: the node's score is rescaled.
  ExprId applyMoves(const ast::Node &n, ExprId score, rb_dec points, std::optional<rb_dec> cap, NodeInfo &info) {
    if (auto it = movesInto_.find(&n); it != movesInto_.end() && points > 0) {
      for (const Move &m : it->second) {
        if (isChildOf(*m.from, n)) {
          score = movedToParent(n, m, score, points, cap, info);
          continue;
        }
        rb_dec moved = declared(*m.from);
        int32_t err = 0;
        rb_dec newMax = rb_dec_add(points, moved, &err);
        info.limits.moves.push_back({m.cond, m.from->title, formatDec(moved), formatDec(newMax), score, ""});
        score = select(m.cond, bin(Op::Div, bin(Op::Mul, score, konst(newMax)), konst(points)), score);
        info.notes.push_back("“" + m.from->title + "”不适用时，其 " + formatDec(moved) + " 分计入本项，本项按 " +
                             formatDec(newMax) + " 分折算");
      }
    }
    return score;
  }

  // Not-applicable policies, the first that holds deciding (so applied last to first).
  ExprId applyNaPolicies(const std::vector<std::pair<ExprId, const ast::NaRule *>> &naRules, ExprId score,
                         rb_dec points, StateParts &state, NodeInfo &info) {
    for (const auto &[cond, na] : naRules)
      info.limits.na.push_back({cond, std::string(spanText(*src_, na->span)), na->span, static_cast<int>(na->policy.kind)});
    for (auto it = naRules.rbegin(); it != naRules.rend(); ++it) {
      const ast::NaRule &na = *it->second;
      ExprId cond = it->first;
      bool shown = na.policy.kind == ast::NaPolicyKind::Excluded || na.policy.kind == ast::NaPolicyKind::MoveTo;
      ExprId &flag = shown ? state.shownNa : state.hiddenNa;
      flag = flag < 0 ? cond : bin(Op::Or, flag, cond);
      switch (na.policy.kind) {
      case ast::NaPolicyKind::FullMarks: score = select(cond, konst(points), score); info.notes.push_back("不作要求：得满分"); break;
      case ast::NaPolicyKind::Zero: score = select(cond, konst(0), score); info.notes.push_back("不适用：不得分"); break;
      case ast::NaPolicyKind::Excluded: score = select(cond, konst(0), score); info.notes.push_back("不参与：不计分"); break;
      case ast::NaPolicyKind::MoveTo: score = select(cond, konst(0), score); info.notes.push_back("不适用：分值计入【" + na.policy.target + "】"); break;
      }
    }
    return score;
  }

  // Vetoes that zero this node (and what is under it).
  ExprId applyZeroVetoes(const ast::Node &n, ExprId score, StateParts &state, NodeInfo &info) {
    if (auto it = zeroVetoes_.find(&n); it != zeroVetoes_.end())
      for (const ZeroVeto &v : it->second) {
        SlotDesc s;
        s.kind = SlotKind::ZeroVeto;
        s.name = v.decl->reason.empty() ? "否决项" : v.decl->reason;
        int vetoSlot = addSlot(s);
        assign(vetoSlot, v.cond);
        p_.vetoOrigins.push_back(vetoOrigin(vetoSlot, *v.decl));
        state.vetoSlots.push_back(vetoSlot);
        score = select(slot(vetoSlot), konst(0), score);
        info.notes.push_back("否决项“" + s.name + "”：条件成立时本项（含下级）不得分");
      }
    return score;
  }

  void lowerNode(const ast::Node &n) {
    NodeInfo &info = p_.nodes[nodeInfo_.at(&n)];
    Ctx ctx;
    std::vector<const ast::NaRule *> allNa;
    for (const auto &na : n.naRules) allNa.push_back(&na);
    for (const auto &r : n.rules) collectBlockNa(r, allNa);
    ctx.guarded = guardedBy(allNa);
    NodeTerms terms;
    std::vector<std::pair<ExprId, const ast::NaRule *>> naRules;
    for (const auto &r : n.rules) lowerNodeRule(info, r, -1, "", ctx, terms.pos, terms.neg, naRules);
    for (const auto &na : n.naRules) naRules.push_back({naCondition(na, ctx), &na});
    addChildTerms(n, terms);
    ExprId uncappedBonus = sumOf(terms.uncapped);
    rb_dec points = declared(n);
    std::optional<rb_dec> cap = nodeCap(n, points, info);
    ExprId score = n.kind == ast::NodeKind::Deduction ? deductionScore(terms, cap, info)
                                                        : limitedScore(n, terms, uncappedBonus, cap, info);
    score = applyMoves(n, score, points, cap, info);
    StateParts &state = stateParts_[&n];
    score = applyNaPolicies(naRules, score, points, state, info);
    score = applyZeroVetoes(n, score, state, info);
    assign(slotOf_.at(&n), score);
    describeFormula(n, p_.desc.slots[slotOf_.at(&n)]);
  }

  // What a node's score adds up: its rules' and children's points, those
  // taken off, and bonuses added after the node's own limit.
  struct NodeTerms {
    std::vector<ExprId> pos, neg, uncapped;
  };

  void addChildTerms(const ast::Node &n, NodeTerms &terms) {
    for (const auto &c : n.children) {
      ExprId v = slot(slotOf_.at(c.get()));
      if (c->kind == ast::NodeKind::Deduction) terms.neg.push_back(v);
      else if (c->kind == ast::NodeKind::Bonus && c->bonusCap == ast::BonusCap::Uncapped) {
        terms.uncapped.push_back(v);
        p_.nodes[nodeInfo_.at(c.get())].limits.addedAfterParentLimit = true;
      } else terms.pos.push_back(v);
    }
  }

  // The node's limit: its 最多/最高 cap, else its declared points.
  std::optional<rb_dec> nodeCap(const ast::Node &n, rb_dec points, NodeInfo &info) {
    std::optional<rb_dec> cap;
    if (n.cap) {
      rb_dec c = 0;
      rb_dec_parse(n.cap->data(), n.cap->size(), &c);
      cap = c;
    } else if (n.points) {
      cap = points;
    }
    if (cap) info.limits.limit = formatDec(*cap);
    info.limits.limitIsPoints = !n.cap;
    return cap;
  }

  // A deduction row's score is the amount taken (positive), capped by 最多扣.
  ExprId deductionScore(const NodeTerms &terms, std::optional<rb_dec> cap, NodeInfo &info) {
    ExprId amount = bin(Op::Add, sumOf(terms.pos), sumOf(terms.neg));
    ExprId score = cap ? bin(Op::Min, amount, konst(*cap)) : amount;
    info.limits.raw = amount;
    if (cap) info.limits.capped = score;
    info.notes.push_back(cap ? "扣分合计，最多扣 " + formatDec(*cap) + " 分" : "扣分合计");
    return score;
  }

  // Any other node: its points less what is taken, floored at 0 (unless it
  // may go negative), capped, then the bonuses added after the cap.
  ExprId limitedScore(const ast::Node &n, const NodeTerms &terms, ExprId uncappedBonus, std::optional<rb_dec> cap,
                      NodeInfo &info) {
    ExprId raw = bin(Op::Sub, sumOf(terms.pos), sumOf(terms.neg));
    info.limits.raw = raw;
    bool mayGoNegative = n.mayGoNegative;
    for (const auto &c : n.children) mayGoNegative |= c->kind == ast::NodeKind::Deduction && c->mayGoNegative;
    if (!mayGoNegative) raw = info.limits.floored = bin(Op::Max, raw, konst(0));
    if (cap) raw = info.limits.capped = bin(Op::Min, raw, konst(*cap));
    ExprId score = bin(Op::Add, raw, uncappedBonus);
    if (!terms.uncapped.empty()) info.limits.bonus = uncappedBonus;
    if (cap) info.notes.push_back("得分限定在 0 至 " + formatDec(*cap) + " 分之间");
    return score;
  }

  // How a node is shown (SlotKind::NodeState), top-down: an ancestor that is
  // zeroed by a veto or not applicable decides for its whole subtree; else the
  // node's own veto (which wins over its N/A), else its own 不参与/计入.
  // `inherited` is the state the parent passes down (-1: nothing can be passed).
  void lowerNodeState(const ast::Node &n, ExprId inherited) {
    const StateParts &parts = stateParts_[&n];
    ExprId own = parts.shownNa >= 0 ? select(parts.shownNa, konst(1), konst(0)) : -1;
    for (auto it = parts.vetoSlots.rbegin(); it != parts.vetoSlots.rend(); ++it)
      own = select(slot(*it), konst(*it + 2), own < 0 ? konst(0) : own);
    ExprId state = own;
    if (inherited >= 0) state = own < 0 ? inherited : select(inherited, inherited, own);
    ExprId passDown = -1;
    if (state >= 0) {
      SlotDesc s;
      s.kind = SlotKind::NodeState;
      s.name = n.title;
      s.node = slotOf_.at(&n);
      int stateSlot = addSlot(s);
      assign(stateSlot, state);
      passDown = slot(stateSlot);
    }
    // 不作要求 / 满分 / 不得分: the node shows the points the policy gives; its children were not assessed.
    if (parts.hiddenNa >= 0)
      passDown = select(parts.hiddenNa, passDown < 0 ? konst(1) : select(passDown, passDown, konst(1)),
                        passDown < 0 ? konst(0) : passDown);
    for (const auto &c : n.children) lowerNodeState(*c, passDown);
  }

  // What the runtime says when this node's formula fails on a record: the
  // rules as written, their divisors, and the inputs whose values to show.
  void describeFormula(const ast::Node &n, SlotDesc &s) {
    std::vector<std::string> rules;
    for (const auto &r : n.rules) {
      std::string_view written = spanText(*src_, r.span);  // the rule alone, not its node's line
      rules.push_back(written.empty() ? ruleText(r.span) : std::string(written));
      std::function<void(const ast::Expr &)> visit = [&](const ast::Expr &e) {
        if (e.kind == ast::ExprKind::Binary && e.binOp == ast::BinOp::Div && e.args.size() == 2) {
          std::string divisor(spanText(*src_, e.args[1]->span));
          if (std::find(s.divisors.begin(), s.divisors.end(), divisor) == s.divisors.end()) s.divisors.push_back(divisor);
        }
        if (e.kind != ast::ExprKind::Name) return;
        auto it = checked_.names.find(&e);
        if (it != checked_.names.end() && it->second.kind == sema::Resolution::LocalName)   // a 令: what it reads
          return ast::forEachSubExpr(*it->second.local->decl->value, visit);
        if (it == checked_.names.end() || !it->second.field) return;
        if (it->second.kind != sema::Resolution::Field && it->second.kind != sema::Resolution::Param) return;
        const std::string &name = it->second.field->name;
        if (std::find(s.inputs.begin(), s.inputs.end(), name) == s.inputs.end()) s.inputs.push_back(name);
      };
      ast::forEachExpr(r, visit);
    }
    for (const auto &text : rules) s.formula += (s.formula.empty() ? "" : "；") + text;
  }

  void lowerTopVeto(const ast::Veto &v) {
    if (v.effect != ast::VetoEffectKind::Disqualify) return;
    SlotDesc s;
    s.kind = SlotKind::VetoFlag;
    s.name = v.reason.empty() ? "否决项" : v.reason;
    int vetoSlot = addSlot(s);
    assign(vetoSlot, expr(*v.condition, Ctx{}));
    p_.vetoOrigins.push_back(vetoOrigin(vetoSlot, v));
  }

  // What explain says of a veto that held: its rule as written and its row's 栏目.
  VetoOrigin vetoOrigin(int slot, const ast::Veto &v) {
    VetoOrigin o{slot, vetoText(v), v.span, {}};
    for (const auto &m : v.meta) o.meta.emplace_back(m.key, m.value);
    return o;
  }

  void lowerAward(const ast::Award &a) {
    runtime::AwardDesc d;
    d.name = a.name;
    d.quota = a.quota ? *a.quota : -1;
    d.descending = a.descending;
    d.ties = tiePolicy(a.ties);
    // 若无 字段 不参与: a candidate without the value takes no part; the condition
    // and keys are evaluated only for those who have it.
    Ctx ctx;
    for (const auto &[name, span] : a.ifNone) ctx.guarded.insert(name);
    ExprId has = ctx.guarded.empty() ? -1 : present(ctx.guarded);
    auto guardedValue = [&](const ast::Expr &e) { return has < 0 ? expr(e, ctx) : select(has, expr(e, ctx), konst(0)); };
    // Each condition and key gets a slot of its own unless an equal one
    // exists already, or the key is a slot itself (按 总分): read there.
    auto slotFor = [&](SlotKind kind, ExprId value) {
      if (const Expr &x = p_.exprs[static_cast<size_t>(value)]; kind == SlotKind::AwardRankKey && x.op == Op::Slot)
        return x.index;
      if (int same = sameAssignedSlot(kind, a.name, value); same >= 0) return same;
      SlotDesc s;
      s.kind = kind;
      s.name = a.name;
      int k = addSlot(s);
      assign(k, value, 2);
      return k;
    };
    if (a.condition || has >= 0) {
      ExprId cond = foldCondition(a.condition ? guardedValue(*a.condition) : has);
      const Expr &c = p_.exprs[static_cast<size_t>(cond)];
      d.condSlot = c.op == Op::Const && c.imm != 0 ? -1 : slotFor(SlotKind::AwardCond, cond);  // -1: always holds
    }
    auto keySlot = [&](const ast::Expr &e) { return slotFor(SlotKind::AwardRankKey, guardedValue(e)); };
    if (a.rankBy) d.rankSlot = keySlot(*a.rankBy);
    for (const auto &k : a.tieKeys) d.tieKeys.push_back({keySlot(*k.key), k.descending});
    p_.desc.awards.push_back(d);
  }

  static runtime::TiePolicy tiePolicy(ast::TiePolicy t) {
    switch (t) {
    case ast::TiePolicy::IncludeAll: return runtime::TiePolicy::IncludeAll;
    case ast::TiePolicy::BreakByKeys: return runtime::TiePolicy::BreakByKeys;
    case ast::TiePolicy::ExcludeAll: return runtime::TiePolicy::ExcludeAll;
    case ast::TiePolicy::Unstated: // refused by sema (E0610); 待定 is the safe reading
    case ast::TiePolicy::Pending: break;
    }
    return runtime::TiePolicy::Pending;
  }
};

} // namespace

std::unique_ptr<Program> fromSema(const sema::CheckedFile &checked, DiagnosticEngine &diags) {
  auto prog = std::make_unique<Program>();
  prog->source = checked.file->source;
  std::map<std::string, int> fieldByName;
  size_t before = diags.errorCount();
  Lowerer lowerer(*prog, diags, checked, fieldByName);
  if (lowerer.run(true) < 0 || diags.errorCount() > before) return nullptr;
  markRationalSlots(*prog);
  for (auto &c : prog->desc.columns) c.width = runtime::narrowWidth(c);
  return prog;
}

std::unique_ptr<Program> compileFile(std::shared_ptr<const SourceFile> source, DiagnosticEngine &diags) {
  auto file = parse::parseFile(source, diags);
  if (!file) return nullptr;
  auto checked = sema::check(*file, diags);
  if (!checked || diags.errorCount() > 0) return nullptr;
  auto prog = fromSema(*checked, diags);
  return prog;
}

} // namespace rubric::ir
