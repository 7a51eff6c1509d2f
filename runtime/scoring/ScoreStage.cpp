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

} // namespace rubric::runtime
