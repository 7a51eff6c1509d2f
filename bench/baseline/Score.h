// The scoring of 2025 巴南 个人, written by hand from 巴南环保发〔2025〕14号 附件2
// (and the vetoes of 正文 二、三（四）), the way the rubric reads it.
//
// Units: every score is an int64 in 10^-7 points ("tenths"). Percentages come
// with at most 6 decimals; 40% / 50% / 10% of one needs a 7th, and 25 × that
// stays whole, so no sum or product here is ever rounded. The output rounds
// half up to 6 decimals, as the language does.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace baseline {

constexpr int64_t kTenthsPerPoint = 10000000;
constexpr int64_t points(int64_t n) { return n * kTenthsPerPoint; }

enum class Skill { None, City, Province };  // 技能比武先进个人: 无 / 市级 / 省级

struct Round {  // 帮扶轮次 — each percentage as a fraction in raw units (85% = 850000)
  int64_t task = 0, found = 0, typical = 0;
};

struct Record {
  bool provincialPool = false, nationalPool = false;  // 入选省级人才库或师资库 / 入选国家级师资库
  Skill skill = Skill::None;
  bool newEquipment = false;                           // 新装备办案
  int64_t remoteCases = 0;                             // 非现场立案 (件)
  bool provincialInspection = false;                   // 参加省级以上稽查
  int64_t fileReview = 0;                              // 案卷评查得分 (raw fraction)
  int64_t criminalCases = 0, detentionCases = 0;       // 刑事移送立案 / 行政拘留立案 (件)
  bool hazardousWaste = false, newDomain = false;      // 危废或第三方案件 / 新领域案件
  bool lostLawsuit = false, brokeRules = false, integrity = false;
  uint64_t outstandingYears = 0;                       // 获表现突出年份: bit (y − 1990) per year y
  std::vector<Round> rounds;
};

// 读法 师资库两级计分: 累加 (adopted) or 取最高.
enum class PoolReading { Cumulative, Highest };

// 一 专业素养 (20): 人才师资库 4 + 技能比武 3 + 新装备新技术 10 (4 + 每件3分最高6) + 稽查 3.
inline int64_t professional(const Record &r, PoolReading reading) {
  int64_t pool = reading == PoolReading::Cumulative
                     ? (r.provincialPool ? 3 : 0) + (r.nationalPool ? 1 : 0)
                     : (r.provincialPool ? 3 : r.nationalPool ? 1 : 0);
  int64_t skill = r.skill == Skill::Province ? 3 : r.skill == Skill::City ? 2 : 0;
  int64_t tech = (r.newEquipment ? 4 : 0) + 3 * std::min<int64_t>(r.remoteCases, 2);
  return points(pool + skill + tech + (r.provincialInspection ? 3 : 0));
}

// 二 案卷质量 (30): 30 × 评查得分率. raw × 30 is in 10^-6 points.
inline int64_t fileQuality(const Record &r) { return 30 * r.fileReview * 10; }

// 三 案件查办 (25): 重点案件 每件10 / 每件5，本项15分封顶; 危废 5; 新领域 5.
inline int64_t caseWork(const Record &r) {
  // the counts are capped before multiplying so a huge count cannot overflow
  int64_t key = 10 * std::min<int64_t>(r.criminalCases, 2) + 5 * std::min<int64_t>(r.detentionCases, 3);
  return points(std::min<int64_t>(key, 15) + (r.hazardousWaste ? 5 : 0) + (r.newDomain ? 5 : 0));
}

// 四 实战练兵 (25): the best round of 25 × (40% 任务完成 + 50% 发现问题 + 10% 典型问题);
// no round, no points. 0.4 × raw = 4 × raw tenths, so 25 × (4a + 5b + c) tenths.
inline int64_t fieldwork(const Record &r) {
  int64_t best = 0;
  for (const Round &x : r.rounds) best = std::max(best, 25 * (4 * x.task + 5 * x.found + x.typical));
  return best;
}

struct Scores {
  int64_t indicators[4];
  int64_t total;
};

inline Scores score(const Record &r, PoolReading reading) {
  Scores s{{professional(r, reading), fileQuality(r), caseWork(r), fieldwork(r)}, 0};
  s.total = s.indicators[0] + s.indicators[1] + s.indicators[2] + s.indicators[3];
  return s;
}

// The vetoes in the order the rubric declares them (the status lists them so).
inline constexpr const char *kVetoReasons[] = {
    "主办案件因行政诉讼败诉或行政复议被撤销处罚决定",
    "违反规范涉企行政检查“五个严禁”“八个不得”规定",
    "存在廉洁纪律问题",
    "连续3年获得市县级表现突出个人，不再推荐为本年度候选个人",
};

// 连续3年: the years of the set that run without a gap up to `through` (the
// rubric's 年度 2025 − 1).
inline int consecutiveYearsThrough(uint64_t years, int through) {
  int run = 0;
  for (int y = through; y >= kFirstYear && ((years >> (y - kFirstYear)) & 1); --y) ++run;
  return run;
}

// Bit k set: veto k applies.
inline unsigned vetoes(const Record &r) {
  return (r.lostLawsuit ? 1u : 0u) | (r.brokeRules ? 2u : 0u) | (r.integrity ? 4u : 0u) |
         (consecutiveYearsThrough(r.outstandingYears, 2024) >= 3 ? 8u : 0u);
}

} // namespace baseline
