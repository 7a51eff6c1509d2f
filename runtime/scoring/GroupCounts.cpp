#include "runtime/scoring/GroupCounts.h"

#include <map>
#include <string>

namespace rubric::runtime {

bool hasGroupCounts(const Program &p) {
  for (const ValidationDesc &v : p.validations)
    if (v.groupColumn >= 0) return true;
  return false;
}

namespace {

struct Group {
  int64_t count = 0;
  const RecordOrigin *first = nullptr;  // nullptr: an enum value no record has
};

// The group value of record r: the cell's text, or the enum value's name.
std::string groupValue(const ColumnDesc &c, const Batch &b, int col, int64_t r) {
  auto ri = static_cast<size_t>(r), ci = static_cast<size_t>(col);
  if (c.kind == ValueKind::Text) return ri < b.text[ci].size() ? b.text[ci][ri] : "";
  if (ri >= b.cols[ci].size()) return "";
  int64_t v = b.cols[ci][ri];
  return v >= 0 && static_cast<size_t>(v) < c.enumValues.size() ? c.enumValues[static_cast<size_t>(v)] : "";
}

void fail(RunContext &ctx, const std::string &where, const std::string &what) {
  ++ctx.stats.validationErrors;
  ctx.say(where + (ctx.zh ? ": 错误: 校验不通过：" : ": error: validation failed: ") + what);
  if (ctx.o.strict) ctx.stop = true;
}

void checkOne(RunContext &ctx, const ValidationDesc &v, const std::vector<std::unique_ptr<Batch>> &batches) {
  const ColumnDesc &c = ctx.p.columns[static_cast<size_t>(v.groupColumn)];
  Lang l = ctx.o.lang;
  std::string message = v.message.empty() ? (ctx.zh ? "分组计数" : "group count") : v.message;
  std::vector<std::string> order;  // first appearance, then enum values no record has
  std::map<std::string, Group> groups;
  for (const auto &bp : batches)
    for (int64_t r = 0; r < bp->size; ++r) {
      if (bp->errors[static_cast<size_t>(r)] == kDroppedRow) continue;
      bool counts = v.groupCondSlot < 0 || bp->slots[static_cast<size_t>(v.groupCondSlot)][static_cast<size_t>(r)] != 0;
      const RecordOrigin &origin = bp->origins[static_cast<size_t>(r)];
      std::string value = groupValue(c, *bp, v.groupColumn, r);
      if (value.empty()) {
        if (counts)
          fail(ctx, ctx.where(origin),
               message + (ctx.zh ? "：列" + quote(l, c.name) + "为空，该记录不属于任何一组"
                                 : ": column " + quote(l, c.name) + " is empty; the record belongs to no group"));
        continue;
      }
      Group &g = groups[value];
      if (!g.first) order.push_back(value), g.first = &origin;
      g.count += counts;
    }
  if (c.kind == ValueKind::Enum)
    for (const std::string &e : c.enumValues)
      if (!groups.count(e)) order.push_back(e), groups[e];
  for (const std::string &value : order) {
    const Group &g = groups[value];
    if (g.count >= v.groupMin && g.count <= v.groupMax) continue;
    std::string where = g.first ? ctx.where(*g.first) : ctx.o.inputs.empty() ? std::string("-") : ctx.o.inputs[0];
    std::string range = std::to_string(v.groupMin) + (ctx.zh ? " 至 " : " to ") + std::to_string(v.groupMax);
    fail(ctx, where,
         message + (ctx.zh ? "：" + c.name + quote(l, value) + "有 " + std::to_string(g.count) + " 个（应为 " + range + " 个）"
                           : ": " + c.name + " " + quote(l, value) + " has " + std::to_string(g.count) + " (expected " +
                                 range + ")"));
  }
}

} // namespace

void checkGroupCounts(RunContext &ctx, const std::vector<std::unique_ptr<Batch>> &batches) {
  for (const ValidationDesc &v : ctx.p.validations)
    if (v.groupColumn >= 0) checkOne(ctx, v, batches);
}

} // namespace rubric::runtime
