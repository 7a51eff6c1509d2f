// 校验 "…" 按 字段 计数(条件) 在 低 至 高 (ValidationDesc::groupColumn): a check
// across records — per value of a text or enum field, how many records meet the
// condition (“每个地州市推荐1-2个县级生态环境部门”). Like every 校验 it only
// reports (stderr, exit status 1); scores, status, ranks and awards stay as they are.
#pragma once

#include <memory>
#include <vector>

#include "runtime/scoring/Stages.h"

namespace rubric::runtime {

// Whether the program has a group count (its kept batches then keep the group
// column's text and the records' origins: BatchScorer::slim).
bool hasGroupCounts(const Program &p);

// After phase 2, over the kept batches: one line per group outside its range,
// named by the group's first record (an enum value no record has: by the
// first input file); one per record that meets the condition with an empty
// group cell (it belongs to no group). Each counts as a validation error.
void checkGroupCounts(RunContext &ctx, const std::vector<std::unique_ptr<Batch>> &batches);

} // namespace rubric::runtime
