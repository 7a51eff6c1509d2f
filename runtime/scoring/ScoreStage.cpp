// Stage 2, score (Stages.h): the kernel over each batch of records. Streaming
// runs both phases at once and hands the batch to the output (once a
// repeated identifier can only be found at the end of the read, the output
// defers what the rows say until then — or, for a workbook, the batches are
// held on disk); a run with a population pass holds every batch on disk
// after phase 1, and in memory only what the population pass reads of it.
#include <algorithm>
#include <utility>

#include "runtime/scoring/GroupCounts.h"
#include "runtime/scoring/Stages.h"

namespace rubric::runtime {

BatchScorer::BatchScorer(RunContext &ctx, rb_kernel_fn kernel, bool populationMode, ResultOutput &out)
    : ctx_(ctx), kernel_(kernel), popMode_(populationMode), out_(out),
      current_(std::make_unique<Batch>(ctx.p, std::max<int64_t>(1, ctx.o.batchSize))) {
  if (!popMode_) return;
  held_ = std::make_unique<BatchSpill>();
  noteKeptSlotsAndColumns();
}

// What the population pass and the quota awards read of a record (Stages.h):
// the population arguments and values, the level columns, 取消资格 flags, the
// total, the awards' conditions and keys.
void BatchScorer::noteKeptSlotsAndColumns() {
  const Program &p = ctx_.p;
  std::vector<uint8_t> slot(p.slots.size(), 0), col(p.columns.size(), 0);
  auto keepSlot = [&](int s) {
    if (s >= 0) slot[static_cast<size_t>(s)] = 1;
  };
  auto keepCol = [&](int c) {
    if (c >= 0) col[static_cast<size_t>(c)] = 1;
  };
  for (const PopulationStep &step : p.population) {
    keepSlot(step.argSlot);
    keepCol(step.argColumn);
    keepSlot(step.outSlot);
    keepCol(step.levelColumn >= 0 ? step.levelColumn : p.levelColumn);
  }
  for (const AwardDesc &a : p.awards) {
    keepSlot(a.condSlot);
    keepSlot(a.rankSlot);
    for (const TieKey &k : a.tieKeys) keepSlot(k.slot);
  }
  keepSlot(p.totalSlot);
  keepGroupText_ = hasGroupCounts(p);
  for (const ValidationDesc &v : p.validations) {
    keepSlot(v.groupCondSlot);
    keepCol(v.groupColumn);
  }
  for (size_t s = 0; s < p.slots.size(); ++s)
    if (p.slots[s].kind == SlotKind::VetoFlag) slot[s] = 1;
  for (size_t s = 0; s < slot.size(); ++s)
    if (slot[s]) keptSlots_.push_back(static_cast<int>(s));
  for (size_t c = 0; c < col.size(); ++c)
    if (col[c]) keptCols_.push_back(static_cast<int>(c));
}

// The part of a batch that stays in memory for the population pass: the
// kept slots and columns, and the errors; every other vector empty.
std::unique_ptr<Batch> BatchScorer::slim(const Batch &b) const {
  auto k = std::make_unique<Batch>(ctx_.p, 0);
  k->size = b.size;
  for (int s : keptSlots_) {
    k->slots[static_cast<size_t>(s)] = b.slots[static_cast<size_t>(s)];
    k->dens[static_cast<size_t>(s)] = b.dens[static_cast<size_t>(s)];
  }
  for (int c : keptCols_) k->cols[static_cast<size_t>(c)] = b.cols[static_cast<size_t>(c)];
  k->errors = b.errors;
  if (keepGroupText_) {  // a group count names each group by its text and first row
    for (int c : keptCols_) k->text[static_cast<size_t>(c)] = b.text[static_cast<size_t>(c)];
    k->origins = b.origins;
  }
  return k;
}

// The kept slots and the errors, from one copy of a batch into the other.
void BatchScorer::copyKept(const Batch &from, Batch &to) const {
  for (int s : keptSlots_) {
    to.slots[static_cast<size_t>(s)] = from.slots[static_cast<size_t>(s)];
    to.dens[static_cast<size_t>(s)] = from.dens[static_cast<size_t>(s)];
  }
  to.errors = from.errors;
}

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
    held_->put(b);  // the whole batch on disk; in memory what the population pass reads
    kept_.push_back(slim(b));
    b.clear();
    return;
  }
  kernel_(frame, 0, b.size, 2);
  if (held_) held_->put(b);
  else out_.add(b, nullptr);
  b.clear();
}

// The rows go on to the output, which holds back what they say (CSV, JSON
// Lines); a workbook's rows wait here as whole batches.
void BatchScorer::holdBack() {
  if (popMode_ || held_ || deferring_) return;
  deferring_ = out_.deferFromNow();
  if (!deferring_) held_ = std::make_unique<BatchSpill>();
}

bool BatchScorer::release(DroppedRows &dropped) {
  dropped.rewind();
  bool ok = popMode_     ? markDroppedInKept(dropped)
            : deferring_ ? out_.releaseDeferred(dropped)
                         : !held_ || sendHeldToOutput(dropped);
  ok = ok && !dropped.failed();
  if (!ok) sayTemporaryFileFailed();
  return ok;
}

// The kept records have no origins: the dropped rows are found in the held batches.
bool BatchScorer::markDroppedInKept(DroppedRows &dropped) {
  if (dropped.empty()) return true;
  held_->rewind();
  bool ok = true;
  for (size_t k = 0; k < kept_.size() && ok; ++k) {
    ok = held_->next(*current_);
    dropped.markIn(*current_);
    for (size_t r = 0; ok && r < current_->errors.size(); ++r)
      if (current_->errors[r] == kDroppedRow) kept_[k]->errors[r] = kDroppedRow;
  }
  current_->clear();
  return ok;
}

bool BatchScorer::sendHeldToOutput(DroppedRows &dropped) {
  held_->rewind();
  while (held_->next(*current_)) {
    dropped.markIn(*current_);
    out_.add(*current_, nullptr);
  }
  current_->clear();
  bool ok = !held_->failed();
  held_.reset();
  return ok;
}

void BatchScorer::sayTemporaryFileFailed() {
  ctx_.say(ctx_.zh ? "错误: 暂存已评分记录的临时文件读写失败（磁盘已满？）；未写出结果"
                   : "error: reading or writing the temporary file of scored records failed (disk full?); no output written");
}

bool BatchScorer::finishPhase2() {
  auto after = std::make_unique<BatchSpill>();
  held_->rewind();
  size_t k = 0;
  for (; k < kept_.size() && held_->next(*current_); ++k) {
    Batch &b = *current_;
    copyKept(*kept_[k], b);  // the population values, and errors the pass or a dropped row set
    kernel_(b.frame(ctx_.params.data()), 0, b.size, 2);
    copyKept(b, *kept_[k]);  // what phase 2 computed, for the awards
    after->put(b);
  }
  current_->clear();
  bool ok = k == kept_.size() && !held_->failed() && !after->failed();
  held_ = std::move(after);
  if (!ok) sayTemporaryFileFailed();
  return ok;
}

bool BatchScorer::output(const std::vector<AwardMarks> &winners) {
  held_->rewind();
  size_t k = 0;
  for (; k < kept_.size() && k < winners.size() && held_->next(*current_); ++k) out_.add(*current_, &winners[k]);
  current_->clear();
  bool ok = k == kept_.size() && !held_->failed();
  held_.reset();
  if (!ok) sayTemporaryFileFailed();
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
  for (size_t r = 0; r < b.origins.size() && has_; ++r)
    if (take(b.origins[r])) b.errors[r] = kDroppedRow;
}

bool DroppedRows::take(const RecordOrigin &origin) {
  auto before = [](const RecordOrigin &x, const RecordOrigin &y) {
    return x.source != y.source ? x.source < y.source : x.row < y.row;
  };
  while (has_ && before(next_, origin)) has_ = advance();  // a row not in a batch (cannot happen: said already)
  if (!has_ || next_.source != origin.source || next_.row != origin.row) return false;
  has_ = advance();
  return true;
}

// ───── blocks (--threads > 1) ─────

RowBlock::RowBlock(const Program &p, size_t n) : rows(n), outcomes(n), batch(p, static_cast<int64_t>(n)) {}

void RowBlock::keepFrom(Batch &scored) {
  if (wholeBatch) return std::swap(batch, scored);  // (the thread's next block is loaded into this one's old batch)
  batch.size = scored.size;
  batch.origins.assign(scored.origins.begin(), scored.origins.end());
  batch.errors.assign(scored.errors.begin(), scored.errors.end());
}

void BatchScorer::scoreBlock(Batch &b, RowBlock &block, ResultOutput::RowScratch &scratch) const {
  if (b.size > 0) {
    b.prepareSlots();
    const rb_frame *frame = b.frame(ctx_.params.data());
    kernel_(frame, 0, b.size, 1);
    kernel_(frame, 0, b.size, 2);
  }
  out_.encodeBlock(b, block, scratch);
}

// The record goes out now; what it says is said when a batch's worth has
// come, where loaded() would have scored it: the messages come in the order
// they come with one thread.
void BatchScorer::scored(const RowBlock &block, int64_t record) {
  out_.addRowHeld(block, record);
  ++scoredSince_;
  ctx_.stats.peakRetainedRecords = std::max(ctx_.stats.peakRetainedRecords, scoredSince_);
  if (scoredSince_ >= std::max<int64_t>(1, ctx_.o.batchSize)) flush();
}

// The block's other records went out already or were rejected. Deferring:
// these go out now (the output defers what they say); else they are held
// in a copy where the others are marked dropped, so release() sends only these.
void BatchScorer::holdBlock(RowBlock &block, const std::vector<int64_t> &records) {
  holdBack();
  if (deferring_) {
    for (int64_t r : records) out_.addRowHeld(block, r);  // deferred, not held: said after the read
    return;
  }
  Batch &b = block.batch;
  std::vector<uint8_t> keep(static_cast<size_t>(b.size), 0);
  for (int64_t r : records) keep[static_cast<size_t>(r)] = 1;
  for (size_t r = 0; r < keep.size(); ++r)
    if (!keep[r]) b.errors[r] = kDroppedRow;
  held_->put(b);
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
    block->committed = false;
    order_.push_back(block);
    todo_.push_back(std::move(block));
  }
  changed_.notify_all();
}

// The oldest block not yet committed, if it is scored and no other thread is
// committing: committed by this thread, which mostly is the one that scored it
// (3 blocks in 4 with two threads), so that what the commit reads of the block
// (its outcomes, facts and records, several cache lines a row) is still in this
// core's cache. Committed on the reading thread, those lines came from the other
// core for every block a worker scored (session 21: 1.11 s of CPU against 1.08 s).
// Who commits does not change what is committed, nor its order.
bool BlockWorkers::commitNext(std::unique_lock<std::mutex> &lock) {
  if (committing_ || order_.empty() || !order_.front()->done) return false;
  std::shared_ptr<RowBlock> block = std::move(order_.front());
  order_.pop_front();
  committing_ = true;
  bool skip = commitError_ != nullptr;  // an earlier commit threw: the rest is not committed
  lock.unlock();
  std::exception_ptr error;
  try {
    if (!skip) commit_(block);
  } catch (...) {
    error = std::current_exception();
  }
  lock.lock();
  if (error) commitError_ = error;
  committing_ = false;
  block->committed = true;
  changed_.notify_all();
  return true;
}

// Meanwhile the waiting thread commits what is ready and takes blocks no
// worker has begun, so the reading thread works too when it has nothing else to do.
// A block whose commit threw, or that came after one, counts as committed.
void BlockWorkers::waitCommitted(const RowBlock &block) {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!block.committed) {
    if (commitNext(lock)) continue;
    if (todo_.empty()) {
      changed_.wait(lock);
      continue;
    }
    std::shared_ptr<RowBlock> next = std::move(todo_.front());
    todo_.pop_front();
    lock.unlock();
    process(*next, waiter_);
    lock.lock();
    next->done = true;
  }
}

bool BlockWorkers::failed() {
  std::lock_guard<std::mutex> lock(mutex_);
  return commitError_ != nullptr;
}

void BlockWorkers::rethrowCommitError() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (commitError_) std::rethrow_exception(std::exchange(commitError_, nullptr));
}

// A worker: blocks from the queue, each loaded and scored, and committed
// when its turn has come.
void BlockWorkers::work() {
  Hand hand;
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (commitNext(lock)) continue;
    if (todo_.empty()) {
      if (quit_) return;
      changed_.wait(lock);
      continue;
    }
    std::shared_ptr<RowBlock> block = std::move(todo_.front());
    todo_.pop_front();
    lock.unlock();
    process(*block, hand);
    lock.lock();
    block->done = true;
  }
}

// One block, loaded with the hand's copy of its file's loader (made again
// when the file changes) and scored.
void BlockWorkers::process(RowBlock &block, Hand &hand) const {
  if (!hand.loader || hand.file != block.file) {
    hand.loader = std::make_unique<RecordLoader>(block.loader->workerCopy());
    hand.file = block.file;
  }
  if (!hand.batch) hand.batch = std::make_unique<Batch>(scorer_.program(), block.batch.capacity);
  load(block, *hand.batch, hand);
  scorer_.scoreBlock(*hand.batch, block, hand.scratch);
  block.keepFrom(*hand.batch);
}

// Raw CSV records are parsed here, off the reading thread, one at a time
// into the hand's row and loaded at once (its cells still in the cache). The
// block keeps what the commit reads of a row: its number, its problem and
// its cell spanning lines, not its cells.
void BlockWorkers::load(RowBlock &block, Batch &batch, Hand &hand) {
  RecordLoader &loader = *hand.loader;
  batch.clear();
  if (!block.slicer) {
    for (size_t k = 0; k < block.count; ++k) loadRow(block, batch, k, block.rows[k], loader);
  } else {
    size_t k = 0;
    block.count = block.slicer->parse(block.slice, hand.row, [&](const records::Row &row) {
      if (block.rows.size() <= k) block.rows.resize(k + 1);
      records::Row &kept = block.rows[k];
      kept.number = row.number;
      kept.problem = row.problem;
      kept.detail = row.detail;
      kept.problemCell = row.problemCell;
      kept.brokenCell = row.brokenCell;
      kept.brokenCellLines = row.brokenCellLines;
      kept.cells.clear();
      loadRow(block, batch, k++, row, loader);
    });
  }
  if (block.ids) lookUpIds(block, *block.ids);
}

void BlockWorkers::loadRow(RowBlock &block, Batch &batch, size_t k, const records::Row &row, RecordLoader &loader) {
  if (block.outcomes.size() <= k) block.outcomes.resize(block.rows.size());
  RowBlock::Outcome &o = block.outcomes[k];
  o.messages.clear();
  o.record = -1;
  o.fine = false;
  if (row.problem != records::RowProblem::None) return;  // said by the commit
  o.fine = loader.loadUnclaimed(row, batch, o.messages, o.id);
  o.warningAt = loader.emptyHeaderWarningAt();
  o.idLookup.entry = -2;
  if (!o.fine) return;
  o.record = batch.size - 1;
  o.unique = loader.uniqueValues();
  o.duplicates = loader.recordDuplicates();
  o.blankCells = loader.blankCells();
  if (o.blankCells > 0) o.firstBlankHeader = loader.firstBlankHeader();
}

// Each row's identifier looked up in the identifier table, once the rows are
// loaded: the table is larger than the cache, so the slots of the lookups a
// few rows ahead are fetched meanwhile (as the one-thread claim fetches its
// slot while the row's cells are parsed). Only once the table is frozen:
// before, the committing thread may be growing it.
void BlockWorkers::lookUpIds(RowBlock &block, const IdRegistry &ids) {
  constexpr size_t kAhead = 8;
  bool frozen = ids.frozen();
  auto hasId = [&](size_t k) { return block.rows[k].problem == records::RowProblem::None && !block.outcomes[k].id.empty(); };
  for (size_t k = 0; k < block.count; ++k) {
    if (frozen && k + kAhead < block.count && hasId(k + kAhead)) ids.prefetch(block.outcomes[k + kAhead].id);
    if (hasId(k)) ids.lookUp(block.outcomes[k].id, block.outcomes[k].idLookup);
  }
}

} // namespace rubric::runtime
