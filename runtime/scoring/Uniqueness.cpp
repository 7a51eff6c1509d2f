// UniquenessCheck (Uniqueness.h) and the external sort it spills to.
#include "runtime/scoring/Uniqueness.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <queue>

namespace rubric::runtime {

// ───── an external sort of byte records ─────

// Records are buffered up to a byte budget, sorted, and written as a run to
// a temporary file of its own. Whenever the last kFanIn runs are of the same
// level they are merged into one run of the next level (and their files
// closed), so there are at most kFanIn − 1 runs a level: memory is the budget
// plus kFanIn read buffers and a few dozen open files, whatever the number of
// records, and each record is rewritten once a level (log₁₆ of the runs).
class RecordSorter {
 public:
  using Less = bool (*)(std::string_view, std::string_view);
  // At least kMinBuffer: a tiny test budget must not make every record a file.
  RecordSorter(size_t budget, Less less) : budget_(std::max(budget, kMinBuffer)), less_(less) {}
  ~RecordSorter() {
    for (const Run &r : runs_) std::fclose(r.file);
  }

  void put(std::string_view record);
  // Every record in order; false when a temporary file failed.
  bool finish(const std::function<void(std::string_view)> &each);

 private:
  static constexpr size_t kMinBuffer = 4 << 10;
  static constexpr size_t kFanIn = 16;
  static constexpr size_t kReadBuffer = 64 << 10;
  struct Run {
    std::FILE *file;  // a tmpfile() holding just this run
    int64_t end;      // its size
    int level;        // 0: written from the buffer; n + 1: merged from kFanIn runs of level n
  };
  class Writer;
  class Reader;

  std::string_view record(size_t i) const;
  void sortBuffer();
  bool writeBufferAsRun();
  bool mergeLastRuns(size_t k);
  bool merge(const std::vector<Run> &runs, const std::function<void(std::string_view)> &each);

  size_t budget_;
  Less less_;
  std::string arena_;             // [u32 length][bytes]…
  std::vector<uint64_t> offsets_; // of each record in arena_
  std::vector<Run> runs_;  // oldest first
  bool failed_ = false;
};

// Appends [u32 length][bytes] records to a file through a buffer.
class RecordSorter::Writer {
 public:
  Writer(int fd, int64_t at) : fd_(fd), at_(at) {}
  bool put(std::string_view r) {
    auto n = static_cast<uint32_t>(r.size());
    buf_.append(reinterpret_cast<const char *>(&n), sizeof n).append(r);
    return buf_.size() < kReadBuffer || flush();
  }
  bool flush() {
    for (size_t done = 0; done < buf_.size();) {
      ssize_t k = ::pwrite(fd_, buf_.data() + done, buf_.size() - done, at_);
      if (k < 0 && errno == EINTR) continue;
      if (k <= 0) return false;
      done += static_cast<size_t>(k);
      at_ += k;
    }
    buf_.clear();
    return true;
  }
  int64_t at() const { return at_; }

 private:
  int fd_;
  int64_t at_;
  std::string buf_;
};

// Reads the records of one run back through a buffer.
class RecordSorter::Reader {
 public:
  explicit Reader(const Run &run) : fd_(fileno(run.file)), end_(run.end) {}
  // The next record (valid until the next call), or false at the run's end or on a read error.
  bool next(std::string_view &r) {
    uint32_t n = 0;
    if (!fill(sizeof n)) return false;
    std::memcpy(&n, buf_.data() + head_, sizeof n);
    if (!fill(sizeof n + n)) {
      failed_ = true;  // a run ends on a record boundary
      return false;
    }
    r = std::string_view(buf_.data() + head_ + sizeof n, n);
    head_ += sizeof n + n;
    return true;
  }
  bool failed() const { return failed_; }

 private:
  // At least `want` unread bytes in buf_; false at the run's end (or a read error).
  bool fill(size_t want) {
    if (tail_ - head_ >= want) return true;
    buf_.erase(0, head_);
    tail_ -= head_;
    head_ = 0;
    buf_.resize(std::max<size_t>(want, std::min<int64_t>(kReadBuffer, end_)));
    while (tail_ < want && pos_ < end_) {
      size_t ask = std::min<int64_t>(static_cast<int64_t>(buf_.size() - tail_), end_ - pos_);
      ssize_t k = ::pread(fd_, buf_.data() + tail_, ask, pos_);
      if (k < 0 && errno == EINTR) continue;
      if (k <= 0) {
        failed_ = true;
        return false;
      }
      tail_ += static_cast<size_t>(k);
      pos_ += k;
    }
    return tail_ >= want;
  }
  int fd_;
  int64_t end_, pos_ = 0;
  std::string buf_;
  size_t head_ = 0, tail_ = 0;
  bool failed_ = false;
};

std::string_view RecordSorter::record(size_t i) const {
  uint32_t n = 0;
  std::memcpy(&n, arena_.data() + offsets_[i], sizeof n);
  return std::string_view(arena_.data() + offsets_[i] + sizeof n, n);
}

void RecordSorter::put(std::string_view r) {
  size_t need = arena_.size() + sizeof(uint32_t) + r.size() + (offsets_.size() + 1) * sizeof(uint64_t);
  if (!offsets_.empty() && need > budget_ && !writeBufferAsRun()) {
    failed_ = true;  // finish() says so; the buffer is dropped to stay in the budget
    arena_.clear();
    offsets_.clear();
  }
  offsets_.push_back(arena_.size());
  auto n = static_cast<uint32_t>(r.size());
  arena_.append(reinterpret_cast<const char *>(&n), sizeof n).append(r);
}

void RecordSorter::sortBuffer() {
  // Stable: records equal under less_ keep the order they were put in.
  std::stable_sort(offsets_.begin(), offsets_.end(), [this](uint64_t a, uint64_t b) {
    auto view = [this](uint64_t at) {
      uint32_t n = 0;
      std::memcpy(&n, arena_.data() + at, sizeof n);
      return std::string_view(arena_.data() + at + sizeof n, n);
    };
    return less_(view(a), view(b));
  });
}

bool RecordSorter::writeBufferAsRun() {
  sortBuffer();
  std::FILE *f = std::tmpfile();
  if (!f) return false;
  Writer w(fileno(f), 0);
  bool ok = true;
  for (size_t i = 0; i < offsets_.size() && ok; ++i) ok = w.put(record(i));
  runs_.push_back({f, w.at(), 0});
  arena_.clear();  // keeps its capacity: refilled up to the same budget
  offsets_.clear();
  if (!ok || !w.flush()) return false;
  runs_.back().end = w.at();
  while (runs_.size() >= kFanIn && runs_[runs_.size() - kFanIn].level == runs_.back().level)
    if (!mergeLastRuns(kFanIn)) return false;
  return true;
}

// The last k runs merged into one run of the next level, in their place.
bool RecordSorter::mergeLastRuns(size_t k) {
  std::FILE *f = std::tmpfile();
  if (!f) return false;
  std::vector<Run> last(runs_.end() - static_cast<std::ptrdiff_t>(k), runs_.end());
  Writer w(fileno(f), 0);
  bool ok = true;
  ok = merge(last, [&](std::string_view r) { ok = ok && w.put(r); }) && ok && w.flush();
  int level = 0;
  for (const Run &r : last) {
    level = std::max(level, r.level + 1);
    std::fclose(r.file);
  }
  runs_.resize(runs_.size() - k);
  runs_.push_back({f, w.at(), level});
  return ok;
}

// k-way merge of `runs` (k ≤ kFanIn) into `each`; ties go to the earlier run,
// so the merge is stable like the runs themselves.
bool RecordSorter::merge(const std::vector<Run> &runs, const std::function<void(std::string_view)> &each) {
  std::vector<Reader> readers;
  readers.reserve(runs.size());
  for (const Run &r : runs) readers.emplace_back(r);
  std::vector<std::string_view> heads(runs.size());
  auto later = [&](size_t a, size_t b) {  // priority_queue: the top is the least
    if (less_(heads[b], heads[a])) return true;
    return !less_(heads[a], heads[b]) && a > b;
  };
  std::priority_queue<size_t, std::vector<size_t>, decltype(later)> queue(later);
  for (size_t i = 0; i < readers.size(); ++i)
    if (readers[i].next(heads[i])) queue.push(i);
  while (!queue.empty()) {
    size_t i = queue.top();
    queue.pop();
    each(heads[i]);
    if (readers[i].next(heads[i])) queue.push(i);
  }
  return std::none_of(readers.begin(), readers.end(), [](const Reader &r) { return r.failed(); });
}

bool RecordSorter::finish(const std::function<void(std::string_view)> &each) {
  if (failed_) return false;
  if (runs_.empty()) {  // everything fitted in memory
    sortBuffer();
    for (size_t i = 0; i < offsets_.size(); ++i) each(record(i));
    return true;
  }
  if (!offsets_.empty() && !writeBufferAsRun()) return false;
  while (runs_.size() > kFanIn)
    if (!mergeLastRuns(kFanIn)) return false;
  return merge(runs_, each);
}

// ───── the records UniquenessCheck sorts ─────

namespace {

template <typename T> void put(std::string &b, T v) { b.append(reinterpret_cast<const char *>(&v), sizeof v); }
template <typename T> T get(std::string_view b, size_t at) {
  T v;
  std::memcpy(&v, b.data() + at, sizeof v);
  return v;
}

// A spilled value: check u32, seq u64, source i32, row i64, header u32, then the value.
constexpr size_t kValueAt = 4 + 8 + 4 + 8 + 4;

bool valueLess(std::string_view a, std::string_view b) {
  auto ca = get<uint32_t>(a, 0), cb = get<uint32_t>(b, 0);
  if (ca != cb) return ca < cb;
  int c = a.substr(kValueAt).compare(b.substr(kValueAt));
  if (c != 0) return c < 0;
  return get<uint64_t>(a, 4) < get<uint64_t>(b, 4);
}

// A duplicate: seq u64 of the repeat, check u32, first (source i32, row i64,
// header u32), repeat (the same), then the value.
constexpr size_t kDupValueAt = 8 + 4 + 2 * (4 + 8 + 4);

bool seqLess(std::string_view a, std::string_view b) { return get<uint64_t>(a, 0) < get<uint64_t>(b, 0); }

} // namespace

// ───── UniquenessCheck ─────

size_t UniquenessCheck::budgetFromEnvironment() {
  const char *s = std::getenv("RUBRICC_UNIQUE_BUDGET_BYTES");
  if (!s || !*s) return kDefaultBudget;
  char *end = nullptr;
  unsigned long long v = std::strtoull(s, &end, 10);
  return *end == '\0' && v > 0 ? static_cast<size_t>(v) : kDefaultBudget;
}

UniquenessCheck::UniquenessCheck(size_t budgetBytes)
    : mapBudget_(budgetBytes / 2),
      spill_(std::make_unique<RecordSorter>(budgetBytes / 4, valueLess)),
      duplicates_(std::make_unique<RecordSorter>(budgetBytes / 4, seqLess)) {}

UniquenessCheck::~UniquenessCheck() = default;

uint32_t UniquenessCheck::headerId(std::string_view header) {
  auto it = headerIds_.find(header);
  if (it != headerIds_.end()) return it->second;
  auto id = static_cast<uint32_t>(headers_.size());
  headers_.emplace_back(header);
  headerIds_.emplace(std::string(header), id);
  return id;
}

namespace {
// What a map entry costs: the node (next pointer, key, First, cached hash),
// malloc's header, a bucket pointer, and the key's heap block past the
// string's 15 in-place bytes. An estimate; the budget is not a hard cap.
size_t entryBytes(std::string_view value) {
  size_t node = sizeof(void *) + sizeof(std::string) + 16 + sizeof(size_t) + 16 + sizeof(void *);
  return node + (value.size() > 15 ? value.size() + 1 + 16 : 0);
}
} // namespace

bool UniquenessCheck::add(int check, std::string_view value, const Place &at) {
  auto c = static_cast<size_t>(check);
  if (c >= firsts_.size()) firsts_.resize(c + 1);
  uint64_t seq = seq_++;
  First here{at.source, headerId(at.header), at.row};
  auto &map = firsts_[c];
  auto it = map.find(value);
  if (it != map.end()) {
    noteDuplicate(seq, check, value, it->second, here);
    return true;
  }
  if (!frozen_ && mapBytes_ + entryBytes(value) <= mapBudget_) {
    map.emplace(std::string(value), here);
    mapBytes_ += entryBytes(value);
    return false;
  }
  frozen_ = true;  // from now on a new value in the map could have an earlier spilled occurrence
  std::string &r = record_;
  r.clear();
  put<uint32_t>(r, static_cast<uint32_t>(check));
  put<uint64_t>(r, seq);
  put<int32_t>(r, here.source);
  put<int64_t>(r, here.row);
  put<uint32_t>(r, here.header);
  r.append(value);
  spill_->put(r);
  ++spilledValues_;
  return false;
}

void UniquenessCheck::noteDuplicate(uint64_t seq, int check, std::string_view value, const First &first,
                                    const First &again) {
  std::string &r = record_;
  r.clear();
  put<uint64_t>(r, seq);
  put<uint32_t>(r, static_cast<uint32_t>(check));
  for (const First *f : {&first, &again}) {
    put<int32_t>(r, f->source);
    put<int64_t>(r, f->row);
    put<uint32_t>(r, f->header);
  }
  r.append(value);
  duplicates_->put(r);
}

// The spill sorted by (check, value, seq): each group's first record is the
// first occurrence, the others repeat it.
bool UniquenessCheck::findSpilledDuplicates() {
  std::string first;  // the current group's first record
  return spill_->finish([&](std::string_view r) {
    bool same = !first.empty() && get<uint32_t>(first, 0) == get<uint32_t>(r, 0) &&
                std::string_view(first).substr(kValueAt) == r.substr(kValueAt);
    if (!same) {
      first.assign(r);
      return;
    }
    auto place = [](std::string_view x) {
      return First{get<int32_t>(x, 12), get<uint32_t>(x, 24), get<int64_t>(x, 16)};
    };
    noteDuplicate(get<uint64_t>(r, 4), static_cast<int>(get<uint32_t>(r, 0)), r.substr(kValueAt), place(first),
                  place(r));
  });
}

bool UniquenessCheck::finish(const std::function<void(const Duplicate &)> &report) {
  if (!findSpilledDuplicates()) return false;
  return duplicates_->finish([&](std::string_view r) {
    auto place = [&](size_t at) {
      return Place{get<int32_t>(r, at), get<int64_t>(r, at + 4), headers_[get<uint32_t>(r, at + 12)]};
    };
    report(Duplicate{static_cast<int>(get<uint32_t>(r, 8)), r.substr(kDupValueAt), place(12), place(28)});
  });
}

} // namespace rubric::runtime
