#include "report/Explain.h"

#include <functional>

#include <fmt/format.h>

#include "interp/Interpreter.h"
#include "rubric_decimal.h"

namespace rubric::report {
namespace {

std::string dec(int64_t v) {
  char buf[RB_DEC_FORMAT_CAP];
  rb_dec_format(v, buf, sizeof buf);
  return buf;
}
std::string signedDec(int64_t v) { return (v >= 0 ? "+" : "") + dec(v); }

} // namespace

std::string renderExplanation(const ir::Program &p, const rb_frame *frame, int64_t r, const std::string &candidate,
                              const std::string &status) {
  std::string out;
  int64_t total = frame->slots[p.desc.totalSlot][r];
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
    int64_t score = frame->slots[n.slot][r];
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
    int64_t sum = 0;
    int32_t err = 0;
    for (const auto &c : n.contributions) {
      int32_t e = 0;
      int64_t v = interp::evaluate(p, frame, r, c.value, &e);
      if (v == 0) continue; // rules that did not fire add nothing to the account
      int64_t signedV = c.deduct ? -v : v;
      sum = rb_dec_add(sum, signedV, &err);
      out += fmt::format("{}  {:>6}  {}（第 {} 行）\n", pad, signedDec(signedV), c.text, c.span.line);
    }
    for (size_t child : children[n.slot]) {
      walk(child, indent + 1);
      int64_t v = frame->slots[p.nodes[child].slot][r];
      if (stateOf[p.nodes[child].slot] >= 0 && frame->slots[stateOf[p.nodes[child].slot]][r] == 1) v = 0; // 不适用 adds nothing
      sum = rb_dec_add(sum, p.nodes[child].kindKeyword == std::string("扣分") ? -v : v, &err);
    }
    if (sum != score) {
      out += fmt::format("{}  {:>6}  调整：{}\n", pad, signedDec(rb_dec_sub(score, sum, &err)),
                         n.notes.empty() ? "上下限" : [&] {
                           std::string s;
                           for (const auto &note : n.notes) s += (s.empty() ? "" : "；") + note;
                           return s;
                         }());
    }
  };
  int64_t sum = 0;
  int32_t err = 0;
  for (size_t i : roots) {
    walk(i, 0);
    int64_t v = frame->slots[p.nodes[i].slot][r];
    sum = rb_dec_add(sum, p.nodes[i].kindKeyword == std::string("扣分") ? -v : v, &err);
  }
  out += fmt::format("\n各指标合计 {}，总分 {}{}\n", dec(sum), dec(total),
                     sum == total ? "" : "（总分不低于 0 分）");
  return out;
}

} // namespace rubric::report
