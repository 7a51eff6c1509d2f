// A hand-built Program and a hand-written kernel with the rb_kernel_fn
// signature, standing in for what the compiler produces.
//
// Columns                                   Slots (phase)
//   0  姓名        Text (id)                  0  Node 一 基础 (1)   = (甲 + 乙) ÷ 除数 [+ 加分 param]
//   1  甲          Decimal, required          1  Node 二 帮扶 (1)   = best round of (任务完成 + 发现问题) × 10
//   2  乙          Count                      2  Node 二.1 月度 (1, depth 1) = sum of 数据质量[1..12]
//   3  廉洁问题    Bool                       3  Total (1)          = 基础 + 帮扶
//   4  级别        Enum {县级, 市级}           4  VetoFlag 廉洁纪律 (1) = 廉洁问题
//   5  帮扶轮次[]  offsets                    5  PopArg (1)         = total
//   6  帮扶轮次[].任务完成 Percent             6  PopValue rank (2)
//   7  帮扶轮次[].发现问题 Percent             7  AwardCond 优秀 (2)  = total ≥ 10
//   8-19 数据质量[1..12] Percent              8  AwardRankKey 前二名 (2) = total
//   20 除数        Decimal, default 1         9  Node 三 名次 (2)    = slot 6
//   21 案卷号      Text                       10 PopValue level rank (2)
//   22 备用案卷号  Text                       11 Node 四 级内名次 (2) = slot 10
//                                             12 PopValue average (2)
//                                             13 Node 五 平均 (2)    = slot 12
#pragma once

#include "runtime/scoring/Kernel.h"
#include "runtime/scoring/Program.h"

namespace fake {

struct Options {
  bool population = false;    // RankDesc, LevelRankDesc, Average steps
  bool quotaAward = false;    // 前二名: quota 2 by total
  rubric::runtime::TiePolicy ties = rubric::runtime::TiePolicy::IncludeAll;
  bool validation = false;    // 案卷号/备用案卷号 unique
  bool param = false;         // 加分 (Decimal), added to 基础
};

rubric::runtime::Program makeProgram(const Options &o);

// Reads params[0] as 加分 when `fakeUseParam` is set.
extern bool fakeUseParam;
void fakeKernel(const rb_frame *frame, int64_t begin, int64_t end, int32_t phase);

} // namespace fake
