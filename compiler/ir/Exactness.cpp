// Exactness levels of IR expressions and slots (see Ir.h).
#include <algorithm>
#include <stdexcept>
#include <string>

#include "ir/Ir.h"
#include "rubric_decimal.h"

namespace rubric::ir {
namespace {

using runtime::ValueKind;

// Only counts are whole numbers (n × 10^6). Booleans and enum indices are raw
// 0/1/2…: as decimals those are 0.000001 steps, so they count as 6 decimals
// (they only meet arithmetic in hand-built IR, but must stay exact there too).
int8_t digitsOfKind(ValueKind k) { return k == ValueKind::Count ? 0 : RB_DEC_SCALE_DIGITS; }
constexpr int8_t kBoolean = RB_DEC_SCALE_DIGITS;  // a 0/1 result

// Decimals of a constant raw value: 1500000 (1.5) has 1.
int8_t digitsOfConst(int64_t raw) {
  int8_t d = RB_DEC_SCALE_DIGITS;
  while (d > 0 && raw % 10 == 0) {
    raw /= 10;
    --d;
  }
  return d;
}

class Analyzer {
 public:
  // A slot that no assignment or population step writes holds whatever the
  // runtime put there: any rb_dec (6 decimals), never assumed whole.
  Analyzer(const Program &p, int8_t maxDigits) : p_(p), maxDigits_(maxDigits) {
    out_.slot.assign(p.desc.slots.size(), RB_DEC_SCALE_DIGITS);
    for (const Assignment &a : p.assignments) start(a.slot);
    for (const runtime::PopulationStep &st : p.desc.population) start(st.outSlot);
    for (size_t s = 0; s < p.desc.slots.size(); ++s)
      if (p.desc.slots[s].rational) out_.slot[s] = kFraction;
  }

  // Slot levels only grow and are bounded, so this ends within maxDigits + 2
  // rounds per slot; each round re-derives every expression from the slot levels.
  Exactness run() {
    for (bool changed = true; changed;) {
      out_.expr.assign(p_.exprs.size(), -1);
      changed = false;
      for (const Assignment &a : p_.assignments) changed |= raise(a.slot, of(a.value));
      for (const runtime::PopulationStep &st : p_.desc.population) changed |= raise(st.outSlot, ofPopulation(st));
    }
    for (size_t i = 0; i < p_.exprs.size(); ++i) of(static_cast<ExprId>(i));
    return std::move(out_);
  }

 private:
  const Program &p_;
  const int8_t maxDigits_;  // more decimals than this: kFraction
  Exactness out_;

  // A product has the decimals of its factors together (kFraction absorbs).
  int8_t sumDigits(int8_t a, int8_t b) const {
    return a + b <= maxDigits_ ? static_cast<int8_t>(a + b) : kFraction;
  }

  void start(int slot) {
    if (slot >= 0 && static_cast<size_t>(slot) < out_.slot.size()) out_.slot[static_cast<size_t>(slot)] = 0;
  }

  bool raise(int slot, int8_t level) {
    if (slot < 0 || static_cast<size_t>(slot) >= out_.slot.size()) return false;
    int8_t &cur = out_.slot[static_cast<size_t>(slot)];
    if (level <= cur) return false;
    cur = level;
    return true;
  }

  int8_t slotLevel(int slot) const {
    return slot >= 0 && static_cast<size_t>(slot) < out_.slot.size() ? out_.slot[static_cast<size_t>(slot)] : kFraction;
  }

  int8_t ofPopulation(const runtime::PopulationStep &st) const {
    switch (st.func) {
      case runtime::PopFunc::Sum: case runtime::PopFunc::Max: case runtime::PopFunc::Min: case runtime::PopFunc::LevelMax:
        return st.argColumn >= 0 ? columnLevel(st.argColumn) : slotLevel(st.argSlot);
      case runtime::PopFunc::Average: return kFraction;
      default: return 0;  // ranks and counts are whole numbers
    }
  }

  int8_t columnLevel(int col) const {
    const auto &cols = p_.desc.columns;
    if (col < 0 || static_cast<size_t>(col) >= cols.size()) return RB_DEC_SCALE_DIGITS;
    const runtime::ColumnDesc &c = cols[static_cast<size_t>(col)];
    // A sentinel default (an imported total that may be absent) is not a whole number.
    return c.defaultValue % RB_DEC_ONE == 0 ? digitsOfKind(c.kind) : RB_DEC_SCALE_DIGITS;
  }

  int8_t paramLevel(int idx) const {
    const auto &ps = p_.desc.params;
    return idx >= 0 && static_cast<size_t>(idx) < ps.size() ? digitsOfKind(ps[static_cast<size_t>(idx)].kind)
                                                            : RB_DEC_SCALE_DIGITS;
  }

  int8_t of(ExprId id) {
    if (id < 0 || static_cast<size_t>(id) >= p_.exprs.size()) return kFraction;
    int8_t &memo = out_.expr[static_cast<size_t>(id)];
    if (memo >= 0) return memo;
    memo = 0;  // provisional: a cycle is an error the engines report (codegen: "depends on itself")
    memo = compute(p_.exprs[static_cast<size_t>(id)]);
    return memo;
  }

  int8_t compute(const Expr &e) {
    switch (e.op) {
      case Op::Const: return digitsOfConst(e.imm);
      case Op::Column: case Op::Elem: return columnLevel(e.index);
      case Op::Param: return paramLevel(e.index);
      case Op::Slot: return slotLevel(e.index);
      case Op::Add: case Op::Sub: case Op::Min: case Op::Max: return std::max(of(e.a), of(e.b));
      case Op::Neg: return of(e.a);
      case Op::Mul: return sumDigits(of(e.a), of(e.b));
      case Op::Div: of(e.a); of(e.b); return kFraction;
      case Op::Round: case Op::Floor: case Op::Ceil: {
        int64_t nd = std::clamp<int64_t>(e.imm, 0, RB_DEC_SCALE_DIGITS);
        return std::min<int8_t>(of(e.a), static_cast<int8_t>(nd));
      }
      case Op::Cmp: case Op::And: case Op::Or: of(e.a); of(e.b); return kBoolean;
      case Op::Not: of(e.a); return kBoolean;
      case Op::Select: of(e.a); return std::max(of(e.b), of(e.c));
      case Op::ListLen: case Op::YearRun: return 0;
      case Op::TopAvg: of(e.a); return kFraction;
      case Op::GroupAgg: of(e.a); of(e.b); return kFraction;  // rb_kernel_group_aggregate returns a fraction
      case Op::ListAgg: {
        int8_t body = of(e.a);
        switch (static_cast<AggKind>(e.imm)) {
          case AggKind::Max: case AggKind::Min: case AggKind::Sum: return body;
          case AggKind::Average: return kFraction;
          case AggKind::Count: return 0;  // c × 10^6
          default: return kBoolean;       // All / Any
        }
      }
    }
    return kFraction;
  }
};

} // namespace

Exactness analyzeExactness(const Program &p, int8_t maxDigits) {
  // At most 18 (what an int64 numerator over 10^12 can need): kFraction stays far above every level.
  return Analyzer(p, std::clamp<int8_t>(maxDigits, RB_DEC_SCALE_DIGITS, 3 * RB_DEC_SCALE_DIGITS)).run();
}

void markRationalSlots(Program &p) {
  Exactness x = analyzeExactness(p);
  for (size_t s = 0; s < p.desc.slots.size(); ++s)
    if (x.slot[s] == kFraction) p.desc.slots[s].rational = true;
}

void requireRationalSlots(const Program &p) {
  Exactness x = analyzeExactness(p);
  for (size_t s = 0; s < p.desc.slots.size(); ++s)
    if (x.slot[s] == kFraction && !p.desc.slots[s].rational)
      throw std::logic_error("rubric: slot " + std::to_string(s) + " (" + p.desc.slots[s].name +
                             ") may hold a fraction but is not marked rational (call ir::markRationalSlots)");
}

} // namespace rubric::ir
