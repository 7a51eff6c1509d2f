// ChunkWriter (ChunkWriter.h).
#include "runtime/scoring/ChunkWriter.h"

namespace rubric::runtime {

ChunkWriter::ChunkWriter(Sink sink, bool threaded) : sink_(std::move(sink)) {
  if (threaded) thread_ = std::thread([this] { run(); });
}

ChunkWriter::~ChunkWriter() { finish(); }

void ChunkWriter::put(std::string &chunk) {
  if (!thread_.joinable()) {
    sink_(chunk);
    chunk.clear();
    return;
  }
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] { return !has_; });
  pending_.swap(chunk);  // the writer's emptied buffer comes back
  chunk.clear();
  has_ = true;
  changed_.notify_all();
}

void ChunkWriter::finish() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    quit_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

// The writer: each chunk to the sink, outside the lock (put() does not touch
// pending_ while has_ is set), then the buffer handed back empty.
void ChunkWriter::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    changed_.wait(lock, [this] { return has_ || quit_; });
    if (!has_) return;  // quit, nothing left
    lock.unlock();
    sink_(pending_);
    lock.lock();
    pending_.clear();
    has_ = false;
    changed_.notify_all();
  }
}

} // namespace rubric::runtime
