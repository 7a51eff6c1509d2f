// RecordSorter (ExternalSort.h).
#include "runtime/scoring/ExternalSort.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <queue>

namespace rubric::runtime {

// Appends [u32 length][bytes] records to a file through a buffer.
class RecordSorter::Writer {
 public:
  Writer(int fd, int64_t at) : fd_(fd), at_(at) {}
  bool put(std::string_view r) {
    auto n = static_cast<uint32_t>(r.size());
    buf_.append(reinterpret_cast<const char *>(&n), sizeof n).append(r);
    return buf_.size() < kReadBuffer || flush();
  }
  // Bytes already in the file's format (records laid out as put() lays them), written straight.
  bool putLaidOut(std::string_view bytes) { return flush() && writeAll(bytes); }
  bool flush() {
    bool ok = writeAll(buf_);
    buf_.clear();
    return ok;
  }
  int64_t at() const { return at_; }

 private:
  bool writeAll(std::string_view bytes) {
    for (size_t done = 0; done < bytes.size();) {
      ssize_t k = ::pwrite(fd_, bytes.data() + done, bytes.size() - done, at_);
      if (k < 0 && errno == EINTR) continue;
      if (k <= 0) return false;
      done += static_cast<size_t>(k);
      at_ += k;
    }
    return true;
  }
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
    // The unread bytes to the front; the buffer only grows (a resize would zero it again each time).
    std::memmove(buf_.data(), buf_.data() + head_, tail_ - head_);
    tail_ -= head_;
    head_ = 0;
    size_t size = std::max<size_t>(want, std::min<int64_t>(kReadBuffer, end_));
    if (buf_.size() < size) buf_.resize(size);
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

void RecordSorter::put(std::string_view head, std::string_view tail) {
  auto n = static_cast<uint32_t>(head.size() + tail.size());
  size_t need = arena_.size() + sizeof n + n + (offsets_.size() + 1) * sizeof(uint64_t);
  if (!offsets_.empty() && need > budget_ && !writeBufferAsRun()) {
    failed_ = true;  // finish() says so; the buffer is dropped to stay in the budget
    arena_.clear();
    offsets_.clear();
    bufferInOrder_ = true;
  }
  offsets_.push_back(arena_.size());
  arena_.append(reinterpret_cast<const char *>(&n), sizeof n).append(head).append(tail);
  size_t k = offsets_.size() - 1;
  if (bufferInOrder_ && k > 0 && less_(record(k), record(k - 1))) bufferInOrder_ = false;
}

void RecordSorter::sortBuffer() {
  if (bufferInOrder_) return;  // (one comparison a record, made as they were put)
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

// The buffer, sorted, as a run of its own — or onto the end of the newest run
// when it goes on in that run's order (ties keep the order put: the run's
// records came first). A buffer put in order is written as the arena lays it out.
bool RecordSorter::writeBufferAsRun() {
  sortBuffer();
  if (!newestRunOpen_ || less_(record(0), newestRunEnd_)) {
    std::FILE *f = std::tmpfile();
    if (!f) return false;
    runs_.push_back({f, 0, 0});
  }
  Run &run = runs_.back();
  Writer w(fileno(run.file), run.end);
  bool ok = true;
  if (bufferInOrder_) ok = w.putLaidOut(arena_);
  else
    for (size_t i = 0; i < offsets_.size() && ok; ++i) ok = w.put(record(i));
  ok = ok && w.flush();
  run.end = w.at();
  newestRunOpen_ = true;
  newestRunEnd_.assign(record(offsets_.size() - 1));
  arena_.clear();  // keeps its capacity: refilled up to the same budget
  offsets_.clear();
  bufferInOrder_ = true;
  if (!ok) return false;
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
  newestRunOpen_ = false;
  return ok;
}

// k-way merge of `runs` (k ≤ kFanIn) into `each`; ties go to the earlier run,
// so the merge is stable like the runs themselves. A run's records that come
// before all the others' heads (runs of nearly ordered input) skip the heap.
bool RecordSorter::merge(const std::vector<Run> &runs, const std::function<void(std::string_view)> &each) {
  std::vector<Reader> readers;
  readers.reserve(runs.size());
  for (const Run &r : runs) readers.emplace_back(r);
  std::vector<std::string_view> heads(runs.size());
  auto later = [&](size_t a, size_t b) {  // priority_queue: the top is the least
    if (less_(heads[a], heads[b])) return false;  // (the common answer in ordered input: one comparison)
    return less_(heads[b], heads[a]) || a > b;
  };
  std::priority_queue<size_t, std::vector<size_t>, decltype(later)> queue(later);
  for (size_t i = 0; i < readers.size(); ++i)
    if (readers[i].next(heads[i])) queue.push(i);
  while (!queue.empty()) {
    size_t i = queue.top();
    queue.pop();
    bool more;
    do {  // run i while its records come before every other run's head (one comparison each, no heap)
      each(heads[i]);
      more = readers[i].next(heads[i]);
    } while (more && (queue.empty() || !later(i, queue.top())));
    if (more) queue.push(i);
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

size_t budgetFromEnvironment(const char *name, size_t fallback) {
  const char *s = std::getenv(name);
  if (!s || !*s) return fallback;
  char *end = nullptr;
  unsigned long long v = std::strtoull(s, &end, 10);
  return *end == '\0' && v > 0 ? static_cast<size_t>(v) : fallback;
}

} // namespace rubric::runtime
