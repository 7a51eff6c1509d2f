// An external sort of byte records, in memory bounded by a budget whatever
// their number: 校验 唯一 (Uniqueness.h) and the records contract's identifier
// registry (IdRegistry.h) spill to it and read their records back in order.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace rubric::runtime {

// Records are buffered up to a byte budget, sorted, and written as a run to
// a temporary file of its own. Whenever the last kFanIn runs are of the same
// level they are merged into one run of the next level (and their files
// closed), so there are at most kFanIn − 1 runs a level: memory is the budget
// plus kFanIn read buffers and a few dozen open files, whatever the number of
// records, and each record is rewritten once a level (log₁₆ of the runs).
//
// Records often come in order already (identifiers R1, R2, …): a buffer put
// in order is written as it is, without sorting it, and onto the end of the
// newest run when it goes on that run's order, so that an ordered input makes
// one run and no merge.
class RecordSorter {
 public:
  using Less = bool (*)(std::string_view, std::string_view);
  // At least kMinBuffer: a tiny test budget must not make every record a file.
  RecordSorter(size_t budget, Less less) : budget_(std::max(budget, kMinBuffer)), less_(less) {}
  ~RecordSorter() {
    for (const Run &r : runs_) std::fclose(r.file);
  }

  void put(std::string_view record) { put(record, {}); }
  // The record `head` then `tail` (a caller's fixed fields and its key, not joined first).
  void put(std::string_view head, std::string_view tail);
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
  bool bufferInOrder_ = true;     // no record in the buffer is less than the one put before it
  std::vector<Run> runs_;  // oldest first
  bool newestRunOpen_ = false;    // the newest run was written from buffers (not merged): it may be extended
  std::string newestRunEnd_;      // its last record, while open
  bool failed_ = false;
};

// Fixed-size fields of a sorted record, in the machine's byte order (a
// record never leaves the run that wrote it).
template <typename T> void putField(std::string &b, T v) { b.append(reinterpret_cast<const char *>(&v), sizeof v); }
template <typename T> T getField(std::string_view b, size_t at) {
  T v;
  std::memcpy(&v, b.data() + at, sizeof v);
  return v;
}

// A size in bytes from the environment variable `name` when it is set to a
// positive number (tests use tiny budgets), else `fallback`.
size_t budgetFromEnvironment(const char *name, size_t fallback);

} // namespace rubric::runtime
