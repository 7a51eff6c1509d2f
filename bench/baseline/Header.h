// The input columns of 2025 巴南 个人, as the generated scorer names them:
// the rubric's field names, and 帮扶轮次[k].任务完成 etc. for the rounds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "Cells.h"

namespace baseline {

enum class Col : uint8_t {
  Ignore, Name, ProvincialPool, NationalPool, Skill, NewEquipment, RemoteCases, Inspection, FileReview,
  Criminal, Detention, Hazardous, NewDomain, Recommended, Sampled, Lawsuit, Rules, Integrity,
  OutstandingYears, RoundTask, RoundFound, RoundTypical,
};

struct ScalarColumn {
  const char *name;
  Col col;
};

// Every scalar field is required; the round columns are as many as the file has.
inline constexpr ScalarColumn kScalarColumns[] = {
    {"姓名", Col::Name},
    {"入选省级人才库或师资库", Col::ProvincialPool},
    {"入选国家级师资库", Col::NationalPool},
    {"技能比武先进个人", Col::Skill},
    {"新装备办案", Col::NewEquipment},
    {"非现场立案", Col::RemoteCases},
    {"参加省级以上稽查", Col::Inspection},
    {"案卷评查得分", Col::FileReview},
    {"刑事移送立案", Col::Criminal},
    {"行政拘留立案", Col::Detention},
    {"危废或第三方案件", Col::Hazardous},
    {"新领域案件", Col::NewDomain},
    {"推荐案卷号", Col::Recommended},
    {"抽查案卷号", Col::Sampled},
    {"行政诉讼败诉或复议撤销", Col::Lawsuit},
    {"违反五个严禁八个不得", Col::Rules},
    {"廉洁纪律问题", Col::Integrity},
    {"获表现突出年份", Col::OutstandingYears},
};

struct Binding {
  Col col = Col::Ignore;
  uint32_t round = 0;  // 0-based, for the round columns
};

struct Header {
  std::vector<Binding> bindings;    // one per input column
  std::vector<std::string> names;   // as written, for messages
  uint32_t rounds = 0;              // the highest round index among the columns
};

constexpr uint32_t kMaxRounds = 10000;  // as the generated scorer's records contract

// 帮扶轮次[k].任务完成 / .发现问题 / .典型问题
inline bool bindRound(std::string_view h, Binding &b) {
  constexpr std::string_view prefix = "帮扶轮次[";
  if (h.substr(0, prefix.size()) != prefix) return false;
  h.remove_prefix(prefix.size());
  size_t close = h.find("].");
  uint32_t k = 0;
  if (close == 0 || close == std::string_view::npos || close > 5) return false;
  for (char c : h.substr(0, close)) {
    if (c < '0' || c > '9') return false;
    k = k * 10 + static_cast<uint32_t>(c - '0');
  }
  if (k < 1 || k > kMaxRounds) return false;
  std::string_view field = h.substr(close + 2);
  b.col = field == "任务完成" ? Col::RoundTask : field == "发现问题" ? Col::RoundFound
                                             : field == "典型问题" ? Col::RoundTypical : Col::Ignore;
  b.round = k - 1;
  return b.col != Col::Ignore;
}

// Binds the header row. False (with `error`) for missing columns or a round
// column written wrongly; unknown and repeated columns are `warnings`.
inline bool bindHeader(const std::vector<std::string_view> &cells, Header &hd, std::string &error,
                       std::vector<std::string> &warnings) {
  bool seen[std::size(kScalarColumns)] = {};
  for (std::string_view raw : cells) {
    std::string_view h = trim(raw);  // written without the rubric's 「」, as the generated scorer wants
    hd.names.emplace_back(h);
    Binding b;
    bool repeated = false;
    for (size_t k = 0; k < std::size(kScalarColumns); ++k)
      if (h == kScalarColumns[k].name) {
        repeated = seen[k];
        if (!repeated) b.col = kScalarColumns[k].col;
        seen[k] = true;
      }
    if (b.col == Col::Ignore && bindRound(h, b) && b.round + 1 > hd.rounds) hd.rounds = b.round + 1;
    if (repeated)
      warnings.push_back("警告: 列“" + std::string(h) + "”出现了不止一次，只使用第一次出现的那一列");
    else if (b.col == Col::Ignore && h.substr(0, std::string_view("帮扶轮次").size()) == "帮扶轮次")
      error += "列“" + std::string(h) + "”不是帮扶轮次的有效写法（如“帮扶轮次[1].任务完成”）；";
    else if (b.col == Col::Ignore && !h.empty())
      warnings.push_back("警告: 未知的列“" + std::string(h) + "”，已忽略");
    hd.bindings.push_back(b);
  }
  for (size_t k = 0; k < std::size(kScalarColumns); ++k)
    if (!seen[k]) error += std::string("缺少列“") + kScalarColumns[k].name + "”；";
  if (!error.empty()) error.resize(error.size() - std::string_view("；").size());
  return error.empty();
}

} // namespace baseline
