// Helpers for the codegen tests: build ir::Program values by hand and run a
// kernel over hand-made columns.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <vector>

#include "ir/Ir.h"
#include "jit/Jit.h"
#include "decimal.hpp"
#include "rubric_decimal.h"
#include "runtime/scoring/Kernel.h"
#include "FrameVectors.h"

namespace rubric::codegen_test {

using ir::AggKind;
using ir::CmpKind;
using ir::Expr;
using ir::ExprId;
using ir::Op;

// An rb_dec from decimal text ("0.1" → 100000).
inline int64_t D(const char *text) {
  rb_dec v = 0;
  if (rb_dec_parse(text, std::char_traits<char>::length(text), &v) != RB_DEC_OK)
    throw std::invalid_argument(std::string("bad decimal literal ") + text);
  return v;
}

struct ProgramBuilder {
  ir::Program p;

  int column(const std::string &name = "", int listId = -1) {
    runtime::ColumnDesc c;
    c.name = name.empty() ? "c" + std::to_string(p.desc.columns.size()) : name;
    c.listId = listId;
    p.desc.columns.push_back(c);
    return static_cast<int>(p.desc.columns.size() - 1);
  }
  // A list with its offsets column; element columns come from elementColumn().
  int list(const std::string &name = "L") {
    runtime::ListDesc l;
    l.name = name;
    int id = static_cast<int>(p.desc.lists.size());
    l.offsetsColumn = column(name + ".offsets");
    p.desc.lists.push_back(l);
    return id;
  }
  int elementColumn(int listId, const std::string &field = "") {
    int c = column(p.desc.lists[listId].name + "[]." + field, listId);
    p.desc.lists[listId].elementColumns.push_back(c);
    return c;
  }
  int param(const std::string &name = "") {
    runtime::FieldDesc f;
    f.name = name.empty() ? "p" + std::to_string(p.desc.params.size()) : name;
    f.column = static_cast<int>(p.desc.params.size());
    p.desc.params.push_back(f);
    return f.column;
  }
  int slot(int phase = 1, const std::string &name = "") {
    runtime::SlotDesc s;
    s.name = name.empty() ? "s" + std::to_string(p.desc.slots.size()) : name;
    s.phase = phase;
    p.desc.slots.push_back(s);
    return static_cast<int>(p.desc.slots.size() - 1);
  }
  // Adds a slot and assigns `value` to it in `phase`; returns the slot.
  int output(ExprId value, int phase = 1) {
    int s = slot(phase);
    assign(s, value, phase);
    return s;
  }
  void assign(int slotIndex, ExprId value, int phase = 1) {
    p.assignments.push_back(ir::Assignment{slotIndex, value, phase});
  }

  ExprId k(int64_t raw) { Expr e; e.op = Op::Const; e.imm = raw; return p.add(e); }
  ExprId dec(const char *text) { return k(D(text)); }
  ExprId col(int c) { Expr e; e.op = Op::Column; e.index = c; return p.add(e); }
  ExprId par(int i) { Expr e; e.op = Op::Param; e.index = i; return p.add(e); }
  ExprId slotRef(int s) { Expr e; e.op = Op::Slot; e.index = s; return p.add(e); }
  ExprId elem(int c) { Expr e; e.op = Op::Elem; e.index = c; return p.add(e); }
  ExprId bin(Op op, ExprId a, ExprId b) { Expr e; e.op = op; e.a = a; e.b = b; return p.add(e); }
  ExprId un(Op op, ExprId a, int64_t imm = 0) { Expr e; e.op = op; e.a = a; e.imm = imm; return p.add(e); }
  ExprId cmp(CmpKind kind, ExprId a, ExprId b) { Expr e; e.op = Op::Cmp; e.cmp = kind; e.a = a; e.b = b; return p.add(e); }
  ExprId select(ExprId c, ExprId t, ExprId f) { Expr e; e.op = Op::Select; e.a = c; e.b = t; e.c = f; return p.add(e); }
  ExprId agg(AggKind kind, int listId, ExprId body) {
    Expr e; e.op = Op::ListAgg; e.index = listId; e.imm = static_cast<int64_t>(kind); e.a = body; return p.add(e);
  }
  ExprId topAvg(int listId, ExprId body, int64_t fraction, bool percent) {
    Expr e; e.op = Op::TopAvg; e.index = listId; e.imm = fraction; e.imm2 = percent ? 1 : 0; e.a = body; return p.add(e);
  }
  ExprId listLen(int listId) { Expr e; e.op = Op::ListLen; e.index = listId; return p.add(e); }
  // 外(列表 按 键: 内(body)) (IR GroupAgg): the elements merged per key, then the outer aggregate
  // (an AggKind, or ir::kGroupOuterTop with `fraction` of the groups, a percentage when `percent`).
  ExprId groupAgg(int listId, int keyColumn, AggKind inner, int64_t outer, ExprId body, int64_t fraction = 0,
                  bool percent = false) {
    Expr e;
    e.op = Op::GroupAgg;
    e.index = listId;
    e.a = body;
    e.b = elem(keyColumn);
    e.imm = fraction;
    e.imm2 = ir::groupImm2(inner, outer, percent);
    return p.add(e);
  }
};

// Columns, params, slots and errors for `records` records.
struct Frame : rubric::testing::FrameVectors {
  int64_t records = 0;

  Frame(const ir::Program &p, int64_t n) : records(n) {
    cols.assign(p.desc.columns.size(), std::vector<int64_t>(static_cast<size_t>(n), 0));
    for (const auto &c : p.desc.columns) widths.push_back(c.width);
    for (const auto &l : p.desc.lists) cols[l.offsetsColumn].assign(static_cast<size_t>(n + 1), 0);
    params.assign(p.desc.params.size() + 1, 0);
    slots.assign(p.desc.slots.size(), std::vector<int64_t>(static_cast<size_t>(n), -777));
    dens.assign(p.desc.slots.size(), std::vector<int64_t>(static_cast<size_t>(n), 1));
    errors.assign(static_cast<size_t>(n), 0);
  }

  // Fills a list: elements[r] are record r's elements, each a value per element column
  // (in the order of `elementCols`).
  void setList(const ir::Program &p, int listId, const std::vector<int> &elementCols,
               const std::vector<std::vector<std::vector<int64_t>>> &elements) {
    auto &offs = cols[p.desc.lists[listId].offsetsColumn];
    offs.assign(static_cast<size_t>(records + 1), 0);
    for (int c : elementCols) cols[c].clear();
    int64_t at = 0;
    for (int64_t r = 0; r < records; ++r) {
      offs[r] = at;
      if (static_cast<size_t>(r) < elements.size())
        for (const auto &el : elements[r]) {
          for (size_t k = 0; k < elementCols.size(); ++k) cols[elementCols[k]].push_back(el.at(k));
          ++at;
        }
    }
    offs[records] = at;
    for (int c : elementCols)
      if (cols[c].empty()) cols[c].push_back(0);  // a valid pointer even when empty
  }

  // The exact value of slot s for record r.
  Rational value(int s, int64_t r) const { return {slots[s][r], dens[s][r]}; }
  // Record r's raw values of `of` (slots), in that order: one row of a table of expected values.
  std::vector<int64_t> slotRow(int64_t r, std::initializer_list<int> of) const {
    std::vector<int64_t> out;
    for (int s : of) out.push_back(slots[s][r]);
    return out;
  }

  void run(rb_kernel_fn kernel, int32_t phase, int64_t begin = 0, int64_t end = -1) {
    kernel(bind(), begin, end < 0 ? records : end, phase);
  }
};

// Marks the rational slots first (as FromSema does), so hand-built programs
// with ÷ or averages get denominators.
inline std::unique_ptr<jit::KernelJit> compile(ir::Program &p, int optLevel = 0,
                                               codegen::CodeGenOptions options = {}) {
  ir::markRationalSlots(p);
  auto j = jit::KernelJit::create(p, optLevel, options);
  if (!j) throw std::runtime_error(llvm::toString(j.takeError()));
  return std::move(*j);
}

} // namespace rubric::codegen_test
