// UniquenessCheck (Uniqueness.h).
#include "runtime/scoring/Uniqueness.h"

#include "runtime/scoring/ExternalSort.h"

namespace rubric::runtime {

// ───── the records UniquenessCheck sorts ─────

namespace {

// A spilled value: check u32, seq u64, source i32, row i64, header u32, then the value.
constexpr size_t kValueAt = 4 + 8 + 4 + 8 + 4;

bool valueLess(std::string_view a, std::string_view b) {
  auto ca = getField<uint32_t>(a, 0), cb = getField<uint32_t>(b, 0);
  if (ca != cb) return ca < cb;
  int c = a.substr(kValueAt).compare(b.substr(kValueAt));
  if (c != 0) return c < 0;
  return getField<uint64_t>(a, 4) < getField<uint64_t>(b, 4);
}

// A duplicate: seq u64 of the repeat, check u32, first (source i32, row i64,
// header u32), repeat (the same), then the value.
constexpr size_t kDupValueAt = 8 + 4 + 2 * (4 + 8 + 4);

bool seqLess(std::string_view a, std::string_view b) { return getField<uint64_t>(a, 0) < getField<uint64_t>(b, 0); }

} // namespace

// ───── UniquenessCheck ─────

size_t UniquenessCheck::budgetFromEnvironment() {
  return runtime::budgetFromEnvironment("RUBRICC_UNIQUE_BUDGET_BYTES", kDefaultBudget);
}

UniquenessCheck::UniquenessCheck(size_t budgetBytes)
    : tableBudget_(budgetBytes / 2),
      spill_(std::make_unique<RecordSorter>(budgetBytes / 4, valueLess)),
      duplicates_(std::make_unique<RecordSorter>(budgetBytes / 4, seqLess)) {}

UniquenessCheck::~UniquenessCheck() = default;

uint32_t UniquenessCheck::headerId(std::string_view header) {
  if (!headers_.empty() && header == lastHeader_) return lastHeaderId_;
  auto it = headerIds_.find(std::string(header));
  uint32_t id;
  if (it != headerIds_.end()) {
    id = it->second;
  } else {
    id = static_cast<uint32_t>(headers_.size());
    headers_.emplace_back(header);
    headerIds_.emplace(std::string(header), id);
  }
  lastHeader_.assign(header);
  return lastHeaderId_ = id;
}

// Whether every table stays within the budget with one more value of check `check`.
bool UniquenessCheck::fitsOneMore(size_t check, size_t valueBytes) const {
  size_t bytes = 0;
  for (size_t c = 0; c < firsts_.size(); ++c)
    bytes += c == check ? firsts_[c].bytesWithOneMore(valueBytes) : firsts_[c].bytes();
  return bytes <= tableBudget_;
}

bool UniquenessCheck::add(int check, std::string_view value, const Place &at) {
  auto c = static_cast<size_t>(check);
  if (c >= firsts_.size()) firsts_.resize(c + 1);
  uint64_t seq = seq_++;
  First here{at.source, headerId(at.header), at.row};
  auto &table = firsts_[c];
  if (!frozen_ && !fitsOneMore(c, value.size())) frozen_ = true;
  if (!frozen_) table.makeRoom();
  uint64_t h = table.hash(value);
  size_t empty;
  if (int64_t entry = table.probe(value, h, empty); entry >= 0) {
    noteDuplicate(seq, check, value, table.payload(entry), here);
    return true;
  }
  if (!frozen_ && empty != SIZE_MAX) {
    table.add(empty, value, h, here);
    return false;
  }
  // Frozen: from now on a new value in the table could have an earlier spilled occurrence.
  std::string &r = record_;
  r.clear();
  putField<uint32_t>(r, static_cast<uint32_t>(check));
  putField<uint64_t>(r, seq);
  putField<int32_t>(r, here.source);
  putField<int64_t>(r, here.row);
  putField<uint32_t>(r, here.header);
  r.append(value);
  spill_->put(r);
  ++spilledValues_;
  return false;
}

void UniquenessCheck::noteDuplicate(uint64_t seq, int check, std::string_view value, const First &first,
                                    const First &again) {
  std::string &r = record_;
  r.clear();
  putField<uint64_t>(r, seq);
  putField<uint32_t>(r, static_cast<uint32_t>(check));
  for (const First *f : {&first, &again}) {
    putField<int32_t>(r, f->source);
    putField<int64_t>(r, f->row);
    putField<uint32_t>(r, f->header);
  }
  r.append(value);
  duplicates_->put(r);
}

// The spill sorted by (check, value, seq): each group's first record is the
// first occurrence, the others repeat it.
bool UniquenessCheck::findSpilledDuplicates() {
  std::string first;  // the current group's first record
  return spill_->finish([&](std::string_view r) {
    bool same = !first.empty() && getField<uint32_t>(first, 0) == getField<uint32_t>(r, 0) &&
                std::string_view(first).substr(kValueAt) == r.substr(kValueAt);
    if (!same) {
      first.assign(r);
      return;
    }
    auto place = [](std::string_view x) {
      return First{getField<int32_t>(x, 12), getField<uint32_t>(x, 24), getField<int64_t>(x, 16)};
    };
    noteDuplicate(getField<uint64_t>(r, 4), static_cast<int>(getField<uint32_t>(r, 0)), r.substr(kValueAt), place(first),
                  place(r));
  });
}

bool UniquenessCheck::reportDuplicates(const std::function<void(const Duplicate &)> &report) {
  return duplicates_->finish([&](std::string_view r) {
    auto place = [&](size_t at) {
      return Place{getField<int32_t>(r, at), getField<int64_t>(r, at + 4), headers_[getField<uint32_t>(r, at + 12)]};
    };
    report(Duplicate{static_cast<int>(getField<uint32_t>(r, 8)), r.substr(kDupValueAt), place(12), place(28)});
  });
}

} // namespace rubric::runtime
