// Chunks of bytes written on a second thread while the caller makes the next
// one (--threads > 1): the output's last pass (ResultOutput::write) is one
// thread reading the spill and splicing in the ranks and the same thread
// copying the rows into the file; the system call's copy now overlaps the
// splicing. Chunks are written in the order put, one at a time, so the bytes
// are those of writing them in line. The same hand-over moves other work off
// the committing threads: rank counts (ResultOutput::countRank). Internal to rubric_scoring.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace rubric::runtime {

class ChunkWriter {
 public:
  using Sink = std::function<void(const std::string &)>;
  // threaded false: put() calls the sink at once (one thread).
  ChunkWriter(Sink sink, bool threaded);
  ~ChunkWriter();
  ChunkWriter(const ChunkWriter &) = delete;
  ChunkWriter &operator=(const ChunkWriter &) = delete;

  // Hands `chunk` to the sink (waiting while the previous chunk is still being
  // written); `chunk` comes back empty, with the previous chunk's capacity.
  void put(std::string &chunk);
  // Waits until every chunk put is written (the sink is not called after).
  void finish();

 private:
  void run();
  Sink sink_;
  std::string pending_;   // the writer's, while has_
  bool has_ = false, quit_ = false;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::thread thread_;  // last: started once the members above exist
};

} // namespace rubric::runtime
