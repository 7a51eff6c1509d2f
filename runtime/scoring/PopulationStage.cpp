// Stage 3, population (Stages.h): with every record's phase 1 done, the
// population functions (ranks, sums, averages …) fill the PopValue slots of
// the kept records (what the pass reads of each; the batches are on disk),
// phase 2 runs (BatchScorer), and quota awards are picked. Only runs that need it
// (needsPopulationPass) keep their batches for this.
#include <algorithm>
#include <map>

#include "rubric_decimal.h"
#include "runtime/scoring/Stages.h"

namespace rubric::runtime {

namespace {

using Batches = std::vector<std::unique_ptr<Batch>>;

// Flat views over every kept record.
struct Population {
  std::vector<std::pair<size_t, int64_t>> at;  // flat index → (batch, record)
  std::vector<uint8_t> scored;                 // neither a kernel error nor 取消资格
};

Population flatten(const SlotRoles &roles, const Batches &batches) {
  Population pop;
  for (size_t bi = 0; bi < batches.size(); ++bi) {
    const Batch &b = *batches[bi];
    for (int64_t r = 0; r < b.size; ++r) {
      pop.scored.push_back(b.errors[static_cast<size_t>(r)] == 0 && !roles.vetoed(b, r));
      pop.at.emplace_back(bi, r);
    }
  }
  return pop;
}

// Ranks of a rank step as values. A record left out of the ranking (vetoed,
// or a kernel error) ranks after every ranked record of its group, so a rank
// formula such as N × (候选数 − 排名) / (候选数 − 1) gives it nothing rather than full marks.
std::vector<Rational> rankValues(const PopulationStep &step, int levelColumn, const std::vector<Rational> &keys,
                                 const std::vector<uint8_t> &included, const Population &pop, const Batches &batches) {
  bool byLevel = (step.func == PopFunc::LevelRankDesc || step.func == PopFunc::LevelRankAsc) && levelColumn >= 0;
  bool desc = step.func == PopFunc::RankDesc || step.func == PopFunc::LevelRankDesc;
  std::vector<int64_t> groups(pop.at.size(), 0), ranks;
  if (byLevel) {
    for (size_t i = 0; i < pop.at.size(); ++i)
      groups[i] = batches[pop.at[i].first]->cols[static_cast<size_t>(levelColumn)][static_cast<size_t>(pop.at[i].second)];
    ranks = groupCompetitionRanks(keys, included, groups, desc, step.dense);
  } else {
    ranks = competitionRanks(keys, included, desc, step.dense);
  }
  // The last place of each group: its record count (competition), or its highest dense rank.
  std::map<int64_t, int64_t> rankedInGroup;
  for (size_t i = 0; i < pop.at.size(); ++i)
    if (included[i]) {
      int64_t &last = rankedInGroup[groups[i]];
      last = step.dense ? std::max(last, ranks[i]) : last + 1;
    }
  for (size_t i = 0; i < pop.at.size(); ++i)
    if (!included[i]) ranks[i] = rankedInGroup[groups[i]] + 1;
  std::vector<Rational> out(pop.at.size());
  for (size_t i = 0; i < pop.at.size(); ++i) out[i] = Rational::of(rb_dec_from_int(ranks[i], nullptr));
  return out;
}

// A per-level aggregate (LevelCount, LevelMax): the plain aggregate taken over
// the included records of each level, given to every record of that level. A
// run without a level column is one level.
std::vector<Rational> levelAggregateValues(const PopulationStep &step, int levelColumn, const std::vector<Rational> &keys,
                                           const std::vector<uint8_t> &included, const Population &pop,
                                           const Batches &batches, int32_t *err) {
  PopFunc plain = step.func == PopFunc::LevelCount ? PopFunc::Count : PopFunc::Max;
  std::vector<int64_t> groups(pop.at.size(), 0);
  if (levelColumn >= 0)
    for (size_t i = 0; i < pop.at.size(); ++i)
      groups[i] = batches[pop.at[i].first]->cols[static_cast<size_t>(levelColumn)][static_cast<size_t>(pop.at[i].second)];
  std::map<int64_t, Rational> byLevel;
  for (int64_t g : groups) {
    if (byLevel.count(g)) continue;
    std::vector<uint8_t> inLevel(included);
    for (size_t i = 0; i < inLevel.size(); ++i) inLevel[i] = inLevel[i] && groups[i] == g;
    byLevel[g] = populationAggregate(plain, keys, inLevel, err);
  }
  std::vector<Rational> out(pop.at.size());
  for (size_t i = 0; i < pop.at.size(); ++i) out[i] = byLevel[groups[i]];
  return out;
}

// One population step: its keys, its values, stored in its PopValue slot.
void runStep(const Program &p, const PopulationStep &step, const Population &pop, Batches &batches) {
  // A candidate without a value of an optional field the argument reads has
  // the key kNoValue: the function is taken over the candidates who have it.
  std::vector<Rational> keys(pop.at.size()), out;
  std::vector<uint8_t> included(pop.at.size());
  for (size_t i = 0; i < pop.at.size(); ++i) {
    const Batch &b = *batches[pop.at[i].first];
    int64_t r = pop.at[i].second;
    keys[i] = step.argColumn >= 0 ? Rational::of(b.cell(step.argColumn, r)) : b.value(step.argSlot, r);
    included[i] = pop.scored[i] && keys[i].num != kNoValue;
  }
  bool isRank = step.func == PopFunc::RankDesc || step.func == PopFunc::RankAsc || step.func == PopFunc::LevelRankDesc ||
                step.func == PopFunc::LevelRankAsc;
  bool perLevel = step.func == PopFunc::LevelCount || step.func == PopFunc::LevelMax;
  int levelColumn = step.levelColumn >= 0 ? step.levelColumn : p.levelColumn;
  if (isRank) {
    out = rankValues(step, levelColumn, keys, included, pop, batches);
  } else {
    int32_t err = RB_DEC_OK;
    if (perLevel) out = levelAggregateValues(step, levelColumn, keys, included, pop, batches, &err);
    else out.assign(pop.at.size(), populationAggregate(step.func, keys, included, &err));
    if (err != RB_DEC_OK)
      for (size_t i = 0; i < pop.at.size(); ++i)
        if (included[i]) batches[pop.at[i].first]->errors[static_cast<size_t>(pop.at[i].second)] = RB_ERR_TAG_SLOT(err, step.outSlot);
  }
  for (size_t i = 0; i < pop.at.size(); ++i) {
    Batch &b = *batches[pop.at[i].first];
    auto r = static_cast<size_t>(pop.at[i].second), slot = static_cast<size_t>(step.outSlot);
    b.slots[slot][r] = out[i].num;
    if (!b.dens[slot].empty()) b.dens[slot][r] = out[i].den;  // an Average's slot is rational (ir::markRationalSlots)
  }
}

} // namespace

void runPopulationPass(const RunContext &ctx, const SlotRoles &roles, Batches &batches) {
  Population pop = flatten(roles, batches);
  for (const PopulationStep &step : ctx.p.population) runStep(ctx.p, step, pop, batches);
}

namespace {

struct Candidate {
  size_t batch;
  int64_t record;
};

// Orders an award's candidates by its key, then its tie-break keys.
class AwardOrder {
 public:
  AwardOrder(const AwardDesc &award, const SlotRoles &roles, const Batches &batches) : roles_(roles), batches_(batches) {
    keys_.push_back({award.rankSlot, award.descending});
    if (award.ties == TiePolicy::BreakByKeys) keys_.insert(keys_.end(), award.tieKeys.begin(), award.tieKeys.end());
  }
  // <0: x before y; 0: tied on every key.
  int operator()(const Candidate &x, const Candidate &y) const {
    for (const TieKey &k : keys_) {
      Rational kx = keyOf(x, k), ky = keyOf(y, k);
      if (kx != ky) return (k.descending ? kx > ky : kx < ky) ? -1 : 1;
    }
    return 0;
  }

 private:
  Rational keyOf(const Candidate &c, const TieKey &k) const {
    const Batch &b = *batches_[c.batch];
    return k.slot >= 0 ? b.value(k.slot, c.record) : roles_.total(b, c.record);
  }
  std::vector<TieKey> keys_;
  const SlotRoles &roles_;
  const Batches &batches_;
};

void noteEdgeTie(RunContext &ctx, const AwardDesc &award, size_t tied, size_t before, uint8_t mark) {
  bool zh = ctx.zh;
  std::string place = std::to_string(award.quota), n = std::to_string(tied), first = std::to_string(before + 1);
  std::string what = mark == kAwarded ? (zh ? "一并列入" : "all are awarded")
                     : mark == 0      ? (zh ? "均不列入" : "none of them is awarded")
                                      : (zh ? "报告待定（未列入，须另行决定）" : "reported as pending (not awarded; to be decided)");
  ctx.say(zh ? "提示: 奖项" + quote(ctx.o.lang, award.name) + "名额 " + place + " 个，第 " + first + " 名起有 " + n +
                   " 个并列（跨过第 " + place + " 名）：" + what
             : "note: award " + quote(ctx.o.lang, award.name) + " has " + place + " places; " + n +
                   " candidates tie from place " + first + " across place " + place + ": " + what);
}

// Award a's candidates (scored, not 取消资格, its condition met); zeroes its marks.
std::vector<Candidate> candidates(const AwardDesc &award, size_t a, const SlotRoles &roles, const Batches &batches,
                                  std::vector<AwardMarks> &marks) {
  std::vector<Candidate> cands;
  for (size_t bi = 0; bi < batches.size(); ++bi) {
    const Batch &b = *batches[bi];
    marks[bi][a].assign(static_cast<size_t>(b.size), 0);
    for (int64_t r = 0; r < b.size; ++r) {
      if (b.errors[static_cast<size_t>(r)] != 0 || roles.vetoed(b, r)) continue;
      if (award.condSlot >= 0 && b.slots[static_cast<size_t>(award.condSlot)][static_cast<size_t>(r)] == 0) continue;
      cands.push_back({bi, r});
    }
  }
  return cands;
}

} // namespace

// Candidates are ordered by the award's key (then its tie-break keys);
// candidates equal on every key form one group and are never split by input
// order: a group that straddles the N-th place is handled by the stated tie
// policy (all in, none in, or 待定 — reported, not awarded).
std::vector<AwardMarks> pickQuotaAwards(RunContext &ctx, const SlotRoles &roles, const Batches &batches) {
  std::vector<AwardMarks> marks(batches.size(), AwardMarks(ctx.p.awards.size()));
  for (size_t a = 0; a < ctx.p.awards.size(); ++a) {
    const AwardDesc &award = ctx.p.awards[a];
    if (award.quota < 0) continue;
    AwardOrder order(award, roles, batches);
    std::vector<Candidate> cands = candidates(award, a, roles, batches, marks);
    std::sort(cands.begin(), cands.end(), [&](const Candidate &x, const Candidate &y) { return order(x, y) < 0; });
    size_t quota = static_cast<size_t>(award.quota), taken = 0;
    for (size_t g = 0; g < cands.size() && taken < quota;) {
      size_t end = g + 1;
      while (end < cands.size() && order(cands[g], cands[end]) == 0) ++end;
      uint8_t mark = kAwarded;
      if (taken + (end - g) > quota) {  // the group straddles the N-th place
        mark = award.ties == TiePolicy::IncludeAll ? kAwarded : award.ties == TiePolicy::ExcludeAll ? 0 : kPending;
        noteEdgeTie(ctx, award, end - g, taken, mark);
      }
      for (size_t i = g; i < end; ++i) marks[cands[i].batch][a][static_cast<size_t>(cands[i].record)] = mark;
      taken += end - g;
      g = end;
    }
  }
  return marks;
}

} // namespace rubric::runtime
