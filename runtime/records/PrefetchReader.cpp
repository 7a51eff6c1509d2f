// A reader that reads ahead on its own thread (RecordReader.h, prefetched()).
//
// The inner reader runs on one producer thread and fills blocks of rows; the
// consumer takes whole blocks. The rows, their order and an error thrown by
// the inner reader (at the row where it was thrown) are exactly those of the
// inner reader read directly, so the output of a run does not depend on the
// number of threads.
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

#include "RecordReader.h"

namespace rubric::records {

namespace {

constexpr size_t kRowsPerBlock = 512;

struct Block {
  std::vector<Row> rows;  // rows[0 .. count) are ready; they own their bytes
  size_t count = 0;
  bool last = false;          // the inner reader has no more rows after these
  std::exception_ptr error;   // thrown by the inner reader after these rows
};

class PrefetchReader : public RecordReader {
 public:
  explicit PrefetchReader(std::unique_ptr<RecordReader> inner)
      : RecordReader(inner->name()), inner_(std::move(inner)) {
    headers_ = inner_->headers();
    for (Block &b : blocks_) b.rows.resize(kRowsPerBlock);
    current_.rows.resize(kRowsPerBlock);
    producer_ = std::thread([this] { produce(); });
  }
  ~PrefetchReader() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      quit_ = true;
    }
    changed_.notify_all();
    producer_.join();
  }

  bool headersFixed() const override { return true; }

  bool next(Row &row) override {
    for (;;) {
      if (pos_ < current_.count) {
        std::swap(row, current_.rows[pos_++]);
        return true;
      }
      if (current_.error) std::rethrow_exception(std::exchange(current_.error, nullptr));
      if (current_.last) return false;
      takeBlock();
    }
  }

 private:
  // Hands the consumed block back and waits for the next full one.
  void takeBlock() {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return full_ > 0; });
    std::swap(current_, blocks_[head_]);
    head_ = (head_ + 1) % kBlocks;
    --full_;
    pos_ = 0;
    lock.unlock();
    changed_.notify_all();
  }

  // The producer: fills free blocks until the inner reader ends or throws.
  void produce() {
    size_t tail = 0;
    for (bool done = false; !done;) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [&] { return quit_ || full_ < kBlocks; });
        if (quit_) return;
      }
      Block &b = blocks_[tail];  // free: only the producer touches it now
      done = fill(b);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        ++full_;
      }
      changed_.notify_all();
      tail = (tail + 1) % kBlocks;
    }
  }

  // True when the inner reader is finished (at its end or after an error).
  bool fill(Block &b) {
    b.count = 0;
    b.last = false;
    b.error = nullptr;
    try {
      while (b.count < b.rows.size()) {
        Row &row = b.rows[b.count];
        if (!inner_->next(row)) return b.last = true;
        row.cells.own();  // the inner reader's buffer changes on its next call
        ++b.count;
      }
    } catch (...) {
      b.error = std::current_exception();
      b.last = true;
    }
    return b.last;
  }

  static constexpr size_t kBlocks = 2;
  std::unique_ptr<RecordReader> inner_;
  Block blocks_[kBlocks];  // shared with the producer
  Block current_;          // the consumer's
  size_t pos_ = 0, head_ = 0, full_ = 0;
  bool quit_ = false;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::thread producer_;
};

} // namespace

std::unique_ptr<RecordReader> prefetched(std::unique_ptr<RecordReader> reader) {
  if (!reader->headersFixed()) return reader;
  return std::make_unique<PrefetchReader>(std::move(reader));
}

} // namespace rubric::records
