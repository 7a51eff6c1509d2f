#include "runtime/scoring/Workbook.h"

#include <algorithm>

#include "runtime/scoring/Runner.h"

namespace rubric::runtime {

WorkbookLayout workbookLayout(const Program &p, bool items) {
  WorkbookLayout layout;
  std::string title = p.title.empty() ? p.schemeId : p.title;
  if (!title.empty()) layout.titleRows.push_back(title);
  if (!p.documentNumber.empty()) layout.titleRows.push_back("文号：" + p.documentNumber);
  if (!p.period.empty()) layout.titleRows.push_back("评价期间：" + p.period);
  layout.headers = outputHeaders(p, items);
  // outputHeaders lists the total, then the node slots it shows, in slot order.
  size_t col = 2;
  if (p.totalSlot >= 0 && !p.slots[static_cast<size_t>(p.totalSlot)].marks.empty())
    layout.headers[col] += "（" + p.slots[static_cast<size_t>(p.totalSlot)].marks + "）";
  ++col;
  for (const auto &s : p.slots)
    if (s.kind == SlotKind::Node && (items ? s.depth >= 0 : s.depth == 0)) {
      if (!s.marks.empty()) layout.headers[col] += "（" + s.marks + "）";
      ++col;
    }
  return layout;
}

RunSummary::RunSummary(const Program &p) : p_(p), winners_(p.awards.size()) {
  idHeader_ = outputHeaders(p, false).front();
}

void RunSummary::scored(const std::vector<std::string> &vetoes) {
  if (vetoes.empty()) {
    ++valid_;
    return;
  }
  ++vetoed_;
  for (const auto &reason : vetoes) {
    auto it = std::find_if(byVeto_.begin(), byVeto_.end(), [&](const auto &e) { return e.first == reason; });
    if (it == byVeto_.end()) byVeto_.emplace_back(reason, 1);
    else ++it->second;
  }
}

void RunSummary::awarded(size_t award, int64_t seq, std::string_view id, Rational total, bool pending) {
  winners_[award].push_back({seq, std::string(id), total, pending});
}

void RunSummary::checkFailed(std::string where, std::string_view id, std::string message) {
  failedChecks_.push_back({std::move(where), std::string(id), std::move(message)});
}

std::vector<SheetBlock> RunSummary::blocks(const RankHistogram &ranks, int64_t rowsRead, int64_t rowsRejected) const {
  std::vector<SheetBlock> out{statusBlock(rowsRead, rowsRejected)};
  for (size_t a = 0; a < p_.awards.size(); ++a) out.push_back(awardBlock(a, ranks));
  if (!failedChecks_.empty() || !p_.validations.empty() || std::any_of(p_.slots.begin(), p_.slots.end(), [](const SlotDesc &s) {
        return s.kind == SlotKind::CheckFlag;
      }))
    out.push_back(checksBlock());
  return out;
}

namespace {
std::string countText(int64_t n) { return std::to_string(n); }
} // namespace

SheetBlock RunSummary::statusBlock(int64_t rowsRead, int64_t rowsRejected) const {
  SheetBlock b{"评分情况", {"状态", "行数"}, {}};
  RowEncoder enc(OutputFormat::Xlsx, b.columns);
  auto row = [&](std::string_view label, int64_t n) {
    enc.begin(b.cells);
    enc.text(b.cells, 0, label);
    enc.number(b.cells, 1, countText(n));
    enc.end(b.cells);
  };
  row("读取", rowsRead);
  row("评分", valid_ + vetoed_);
  row("有效", valid_);
  row("取消资格", vetoed_);
  for (const auto &[reason, n] : byVeto_) row("　其中：" + reason, n);
  row("拒绝（未评分，见“拒绝的行”）", rowsRejected);
  return b;
}

// Winners in rank order (the 排名 column of the results), ties in input order.
SheetBlock RunSummary::awardBlock(size_t a, const RankHistogram &ranks) const {
  const AwardDesc &award = p_.awards[a];
  std::vector<std::pair<int64_t, const Winner *>> order;
  int64_t awarded = 0;
  for (const Winner &w : winners_[a]) {
    order.emplace_back(ranks.rank(w.total), &w);
    awarded += w.pending ? 0 : 1;
  }
  std::sort(order.begin(), order.end(), [](const auto &x, const auto &y) {
    return x.first != y.first ? x.first < y.first : x.second->seq < y.second->seq;
  });
  std::string heading = "奖项：" + award.name + "（" + std::to_string(awarded) + " 名" +
                        (award.quota >= 0 ? "，名额 " + std::to_string(award.quota) + " 名" : "") +
                        (order.size() > static_cast<size_t>(awarded)
                             ? "，并列待定 " + std::to_string(order.size() - static_cast<size_t>(awarded)) + " 名"
                             : "") +
                        "）";
  SheetBlock b{heading, {idHeader_, "总分", "排名", "备注"}, {}};
  RowEncoder enc(OutputFormat::Xlsx, b.columns);
  char num[RB_DEC_FORMAT_CAP];
  for (const auto &[rank, w] : order) {
    enc.begin(b.cells);
    enc.text(b.cells, 0, w->id);
    enc.number(b.cells, 1, std::string_view(num, decText(w->total, num)));
    enc.number(b.cells, 2, std::to_string(rank));
    enc.text(b.cells, 3, w->pending ? "并列待定（未列入，须另行决定）" : "");
    enc.end(b.cells);
  }
  if (order.empty()) {
    enc.begin(b.cells);
    enc.text(b.cells, 0, "（无）");
    enc.end(b.cells);
  }
  return b;
}

SheetBlock RunSummary::checksBlock() const {
  SheetBlock b{"校验不通过（" + std::to_string(failedChecks_.size()) + " 处）", {"位置", idHeader_, "校验"}, {}};
  RowEncoder enc(OutputFormat::Xlsx, b.columns);
  for (const FailedCheck &f : failedChecks_) {
    enc.begin(b.cells);
    enc.text(b.cells, 0, f.where);
    enc.text(b.cells, 1, f.id);
    enc.text(b.cells, 2, f.message);
    enc.end(b.cells);
  }
  if (failedChecks_.empty()) {
    enc.begin(b.cells);
    enc.text(b.cells, 0, "（无）");
    enc.end(b.cells);
  }
  return b;
}

} // namespace rubric::runtime
