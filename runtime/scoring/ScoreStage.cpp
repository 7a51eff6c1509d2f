// Stage 2, score (Stages.h): the kernel over each batch of records. Streaming
// runs both phases at once and hands the batch to the output; a run with a
// population pass keeps every batch after phase 1.
#include <algorithm>

#include "runtime/scoring/Stages.h"

namespace rubric::runtime {

BatchScorer::BatchScorer(RunContext &ctx, rb_kernel_fn kernel, bool populationMode, ResultOutput &out)
    : ctx_(ctx), kernel_(kernel), popMode_(populationMode), out_(out),
      current_(std::make_unique<Batch>(ctx.p, std::max<int64_t>(1, ctx.o.batchSize))) {}

void BatchScorer::notePeak() {
  ctx_.stats.peakRetainedRecords = std::max(ctx_.stats.peakRetainedRecords, keptRecords_ + current_->size);
}

void BatchScorer::loaded() {
  notePeak();
  if (current_->full()) flush();
}

void BatchScorer::flush() {
  out_.sayHeld();
  scoredSince_ = 0;
  Batch &b = *current_;
  if (b.size == 0) return;
  notePeak();
  b.prepareSlots();
  const rb_frame *frame = b.frame(ctx_.params.data());
  kernel_(frame, 0, b.size, 1);
  if (popMode_) {
    if (ctx_.o.strict)
      for (int32_t e : b.errors)
        if (e) ctx_.stop = true;
    keptRecords_ += b.size;
    kept_.push_back(std::move(current_));
    current_ = std::make_unique<Batch>(ctx_.p, std::max<int64_t>(1, ctx_.o.batchSize));
    return;
  }
  kernel_(frame, 0, b.size, 2);
  out_.add(b, nullptr);
  b.clear();
}

// ───── blocks (--threads > 1) ─────

RowBlock::RowBlock(const Program &p, size_t n) : rows(n), outcomes(n), batch(p, static_cast<int64_t>(n)) {}

void BatchScorer::scoreBlock(RowBlock &block) const {
  Batch &b = block.batch;
  if (b.size == 0) return;
  b.prepareSlots();
  const rb_frame *frame = b.frame(ctx_.params.data());
  kernel_(frame, 0, b.size, 1);
  kernel_(frame, 0, b.size, 2);
}

// The record goes out now; what it says is said when a batch's worth has
// come, where loaded() would have scored it: the messages come in the order
// they come with one thread.
void BatchScorer::scored(const RowBlock &block, int64_t record) {
  out_.addRowHeld(block.batch, record);
  ++scoredSince_;
  ctx_.stats.peakRetainedRecords = std::max(ctx_.stats.peakRetainedRecords, scoredSince_);
  if (scoredSince_ >= std::max<int64_t>(1, ctx_.o.batchSize)) flush();
}

BlockWorkers::BlockWorkers(const BatchScorer &scorer, int threads) : scorer_(scorer) {
  for (int t = 0; t < threads; ++t) threads_.emplace_back([this] { work(); });
}

BlockWorkers::~BlockWorkers() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    quit_ = true;
  }
  changed_.notify_all();
  for (auto &t : threads_) t.join();
}

void BlockWorkers::submit(std::shared_ptr<RowBlock> block) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    block->done = false;
    todo_.push_back(std::move(block));
  }
  changed_.notify_all();
}

void BlockWorkers::wait(RowBlock &block) {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return block.done; });
}

// A worker: blocks from the queue, each loaded with a copy of its file's
// loader (made again when the file changes) and scored.
void BlockWorkers::work() {
  std::unique_ptr<RecordLoader> loader;
  uint64_t loaderFile = 0;
  for (;;) {
    std::shared_ptr<RowBlock> block;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [&] { return quit_ || !todo_.empty(); });
      if (todo_.empty()) return;
      block = std::move(todo_.front());
      todo_.pop_front();
    }
    if (!loader || loaderFile != block->file) {
      loader = std::make_unique<RecordLoader>(block->loader->workerCopy());
      loaderFile = block->file;
    }
    load(*block, *loader);
    scorer_.scoreBlock(*block);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      block->done = true;
    }
    changed_.notify_all();
  }
}

void BlockWorkers::load(RowBlock &block, RecordLoader &loader) {
  block.batch.clear();
  for (size_t k = 0; k < block.count; ++k) {
    const records::Row &row = block.rows[k];
    RowBlock::Outcome &o = block.outcomes[k];
    o.messages.clear();
    o.record = -1;
    o.fine = false;
    if (row.problem != records::RowProblem::None) continue;  // said by the reading thread
    o.fine = loader.loadUnclaimed(row, block.batch, o.messages, o.id);
    o.warningAt = loader.emptyHeaderWarningAt();
    if (!o.fine) continue;
    o.record = block.batch.size - 1;
    o.unique = loader.uniqueValues();
    o.duplicates = loader.recordDuplicates();
  }
}

} // namespace rubric::runtime
