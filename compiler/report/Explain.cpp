#include "report/Explain.h"

#include <functional>

#include <fmt/format.h>

#include "interp/Interpreter.h"
#include "rubric_decimal.h"

namespace rubric::report {
namespace {

// Values are shown by the output rule: exact up to 6 decimals, else rounded.
std::string dec(Rational v) { return v.toString(); }
std::string signedDec(Rational v) { return (v.num >= 0 ? "+" : "") + dec(v); }

Rational slotValue(const rb_frame *frame, int slot, int64_t r) {
  const int64_t *dens = frame->dens ? frame->dens[slot] : nullptr;
  return {frame->slots[slot][r], dens ? dens[r] : 1};
}
Rational negated(Rational v) { return {-v.num, v.den}; }
// The running account is exact too, so the 调整 line appears only for a real difference.
Rational plus(Rational a, Rational b, int32_t *err) {
  Rational out;
  out.num = rb_rat_add(a.num, a.den, b.num, b.den, &out.den, err);
  return out;
}

} // namespace

std::string renderExplanation(const ir::Program &p, const rb_frame *frame, int64_t r, const std::string &candidate,
                              const std::string &status) {
  std::string out;
  Rational total = slotValue(frame, p.desc.totalSlot, r);
  out += fmt::format("候选对象：{}\n状态：{}\n总分：{}\n\n", candidate, status, dec(total));
  // Children by parent, in declaration order.
  std::vector<std::vector<size_t>> children(p.desc.slots.size());
  std::vector<size_t> roots;
  for (size_t i = 0; i < p.nodes.size(); ++i) {
    const auto &n = p.nodes[i];
    if (n.depth < 0 || p.desc.slots[n.slot].depth < 0) continue; // an imported scheme's internals
    if (n.parentSlot < 0) roots.push_back(i);
    else children[n.parentSlot].push_back(i);
  }
  std::vector<int> stateOf(p.desc.slots.size(), -1);
  for (size_t s = 0; s < p.desc.slots.size(); ++s)
    if (p.desc.slots[s].kind == runtime::SlotKind::NodeState) stateOf[p.desc.slots[s].node] = static_cast<int>(s);

  std::function<void(size_t, int)> walk = [&](size_t i, int indent) {
    const auto &n = p.nodes[i];
    std::string pad(indent * 2, ' ');
    Rational score = slotValue(frame, n.slot, r);
    int64_t state = stateOf[n.slot] >= 0 ? frame->slots[stateOf[n.slot]][r] : 0;
    std::string points = n.points.empty() ? "—" : n.points;
    if (state != 0) {
      // Not scored here (不适用), or zeroed by a veto on this node or an ancestor:
      // the rules below did not count, so they are not listed as if they had.
      bool veto = state >= 2 && static_cast<size_t>(state - 2) < p.desc.slots.size();
      out += veto ? fmt::format("{}{} {} {}：0 / {} 分  〔否决：{}〕\n", pad, n.kindKeyword, n.path, n.title, points,
                                p.desc.slots[static_cast<size_t>(state - 2)].name)
                  : fmt::format("{}{} {} {}：不适用 / {} 分\n", pad, n.kindKeyword, n.path, n.title, points);
      for (size_t child : children[n.slot]) walk(child, indent + 1);
      return;
    }
    out += fmt::format("{}{} {} {}：{} / {} 分\n", pad, n.kindKeyword, n.path, n.title, dec(score), points);
    Rational sum;
    int32_t err = 0;
    for (const auto &c : n.contributions) {
      int32_t e = 0;
      Rational v = interp::evaluate(p, frame, r, c.value, &e);
      if (v.num == 0) continue; // rules that did not fire add nothing to the account
      Rational signedV = c.deduct ? negated(v) : v;
      sum = plus(sum, signedV, &err);
      out += fmt::format("{}  {:>6}  {}（第 {} 行）\n", pad, signedDec(signedV), c.text, c.span.line);
    }
    for (size_t child : children[n.slot]) {
      walk(child, indent + 1);
      Rational v = slotValue(frame, p.nodes[child].slot, r);
      if (stateOf[p.nodes[child].slot] >= 0 && frame->slots[stateOf[p.nodes[child].slot]][r] == 1) v = Rational(); // 不适用 adds nothing
      sum = plus(sum, p.nodes[child].kindKeyword == std::string("扣分") ? negated(v) : v, &err);
    }
    if (sum != score) {
      out += fmt::format("{}  {:>6}  调整：{}\n", pad, signedDec(plus(score, negated(sum), &err)),
                         n.notes.empty() ? "上下限" : [&] {
                           std::string s;
                           for (const auto &note : n.notes) s += (s.empty() ? "" : "；") + note;
                           return s;
                         }());
    }
  };
  Rational sum;
  int32_t err = 0;
  for (size_t i : roots) {
    walk(i, 0);
    Rational v = slotValue(frame, p.nodes[i].slot, r);
    sum = plus(sum, p.nodes[i].kindKeyword == std::string("扣分") ? negated(v) : v, &err);
  }
  out += fmt::format("\n各指标合计 {}，总分 {}{}\n", dec(sum), dec(total),
                     sum == total ? "" : "（总分不低于 0 分）");
  return out;
}

} // namespace rubric::report
