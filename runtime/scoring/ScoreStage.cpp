// Stage 2, score (Stages.h): the kernel over each batch of records. Streaming
// runs both phases at once and hands the batch to the output (or, once a
// repeated identifier can only be found at the end of the read, holds it on
// disk until then); a run with a population pass keeps every batch after phase 1.
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
  if (held_) held_->put(b);
  else out_.add(b, nullptr);
  b.clear();
}

void BatchScorer::holdBack() {
  if (!popMode_ && !held_) held_ = std::make_unique<BatchSpill>();
}

bool BatchScorer::release(DroppedRows &dropped) {
  dropped.rewind();
  for (auto &b : kept_) dropped.markIn(*b);
  bool ok = !dropped.failed();
  if (held_) {
    held_->rewind();
    while (held_->next(*current_)) {
      dropped.markIn(*current_);
      out_.add(*current_, nullptr);
    }
    current_->clear();
    ok = ok && held_->ok() && !held_->failed() && !dropped.failed();
    held_.reset();
  }
  if (!ok)
    ctx_.say(ctx_.zh ? "错误: 暂存已评分记录的临时文件读写失败（磁盘已满？）；未写出结果"
                     : "error: reading or writing the temporary file of scored records failed (disk full?); no output written");
  return ok;
}

// ───── DroppedRows ─────

void DroppedRows::add(const RecordOrigin &origin) {
  if (!file_) file_ = std::make_unique<Spill>();
  bytes_.clear();
  SpillCodec::putI64(bytes_, origin.source);
  SpillCodec::putI64(bytes_, origin.row);
  file_->put(bytes_);
}

void DroppedRows::rewind() {
  if (file_) file_->rewind();
  has_ = advance();
}

bool DroppedRows::advance() {
  if (!file_ || !file_->get(bytes_)) return false;
  size_t at = 0;
  next_.source = static_cast<int32_t>(SpillCodec::getI64(bytes_, at));
  next_.row = SpillCodec::getI64(bytes_, at);
  return true;
}

void DroppedRows::markIn(Batch &b) {
  auto before = [](const RecordOrigin &x, const RecordOrigin &y) {
    return x.source != y.source ? x.source < y.source : x.row < y.row;
  };
  for (size_t r = 0; r < b.origins.size() && has_; ++r) {
    while (has_ && before(next_, b.origins[r])) has_ = advance();  // a row not in a batch (cannot happen: said already)
    if (has_ && next_.source == b.origins[r].source && next_.row == b.origins[r].row) {
      b.errors[r] = kDroppedRow;
      has_ = advance();
    }
  }
}

} // namespace rubric::runtime
