// Stage 4, output (Stages.h): each scored row is encoded as it comes — all
// but its ranks — into a spill file; at the end, with every total known, the
// ranks are spliced in and the rows written, in input or rank order, as CSV,
// JSON Lines or an .xlsx workbook. Rejected rows are listed beside them.
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rubric_decimal.h"
#include "runtime/scoring/Cells.h"
#include "runtime/scoring/ChunkWriter.h"
#include "runtime/scoring/ExternalSort.h"
#include "runtime/scoring/KernelErrors.h"
#include "runtime/scoring/Stages.h"

namespace rubric::runtime {

ResultOutput::ResultOutput(RunContext &ctx, const SlotRoles &roles)
    : ctx_(ctx), roles_(roles), hasLevels_(!ctx.p.levels.empty() && ctx.p.levelColumn >= 0),
      hasChecksColumn_(hasChecksColumn(ctx.p)), checksAcross_(checksAcrossRecords(ctx.p)),
      // 4 MiB in memory (a small run never touches the disk), or a quarter of the tests' RUBRICC_UNIQUE_BUDGET_BYTES.
      // (Its own figure: 校验 唯一's map and the identifier table have 8 MiB each.)
      spill_(budgetFromEnvironment("RUBRICC_UNIQUE_BUDGET_BYTES", size_t{16} << 20) / 4),
      statusByKey_(roles.vetoSlots.size() <= 64) {
  if (roles.vetoSlots.size() <= kDenseVetoSlots) denseStatusCells_.resize(size_t{1} << roles.vetoSlots.size());
}

bool ResultOutput::open() {
  const std::string &output = ctx_.o.output;
  bool zh = ctx_.zh;
  // The output is opened now, so a bad path fails before any work; it is
  // filled at the end, and removed again if --strict blocks it.
  bool toStdout = output.empty() || output == "-";
  if (!toStdout) {
    for (const auto &in : ctx_.o.inputs) {
      std::error_code ec;
      if (in != "-" && std::filesystem::equivalent(in, output, ec)) {
        ctx_.say(zh ? output + ": 错误: 输出文件与输入文件相同" : output + ": error: the output file is also an input");
        return false;
      }
    }
    errno = 0;
    if (!openKeepingOldBytes(output)) file_.open(output, std::ios::binary | std::ios::trunc);
    if (!file_) {
      std::string why = errno ? (zh ? "：" : ": ") + openProblem(errno, true, zh) : "";
      ctx_.say(zh ? output + ": 错误: 无法写入输出文件" + why : output + ": error: cannot write the output file" + why);
      return false;
    }
  }
  if (!spill_.ok()) {
    ctx_.say(zh ? "错误: 无法创建临时文件" : "error: cannot create a temporary file");
    return false;
  }
  if (threadCount(ctx_.o) > 1) {
    spill_.writeBehind();  // the committing threads put rows, another writes them
    rankCounter_ = std::make_unique<ChunkWriter>([this](const std::string &batch) { countRanks(batch); }, true);
  }
  return true;
}

// Opens a large regular output file that we may read and write without
// truncating it, and empties it on a thread of its own (emptying_), when the
// run has more than one thread. False: not done (open it the usual way).
bool ResultOutput::openKeepingOldBytes(const std::string &output) {
  constexpr off_t kWorthIt = off_t{16} << 20;
  struct stat st {};
  if (threadCount(ctx_.o) <= 1 || ::stat(output.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < kWorthIt ||
      ::access(output.c_str(), R_OK | W_OK) != 0)
    return false;
  int fd = ::open(output.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  file_.open(output, std::ios::binary | std::ios::in | std::ios::out);  // "r+": no truncation
  if (!file_) {
    ::close(fd);
    return false;
  }
  emptying_ = std::jthread([this, fd] {
    emptied_ = ::ftruncate(fd, 0) == 0;
    ::close(fd);
  });
  return true;
}

// False when the old output could not be emptied (said): its bytes past the new ones would stay.
bool ResultOutput::waitForEmptying() {
  if (!emptying_.joinable()) return true;
  emptying_.join();
  if (!emptied_)
    ctx_.say(ctx_.zh ? ctx_.o.output + ": 错误: 无法清空原有的输出文件" : ctx_.o.output + ": error: cannot empty the existing output file");
  return emptied_;
}

bool ResultOutput::start(OutputFormat format) {
  const std::string &output = ctx_.o.output;
  enc_ = std::make_unique<RowEncoder>(format, outputHeaders(ctx_.p, ctx_.o.items));
  rankCol_ = 3 + roles_.nodeSlots.size();
  checksCol_ = rankCol_ + (hasLevels_ ? 2 : 1) + (ctx_.p.awards.empty() ? 0 : 1);
  if (format != OutputFormat::Xlsx) return true;
  // The path was checked by opening it in open(); libxlsxwriter writes it at the end.
  if (!waitForEmptying()) return false;
  file_.close();
  std::string error;
  xlsx_ = XlsxWriter::create(output, workbookLayout(ctx_.p, ctx_.o.items), error);
  if (!xlsx_) {
    std::error_code ec;
    std::filesystem::remove(output, ec);
    ctx_.say(ctx_.zh ? output + ": 错误: 无法写入 .xlsx：" + error : output + ": error: cannot write .xlsx: " + error);
    return false;
  }
  summary_ = std::make_unique<RunSummary>(ctx_.p);
  return true;
}

void ResultOutput::reject(const std::string &file, int64_t row, std::string message) {
  ++ctx_.stats.rowsRejected;
  if (ctx_.o.strict) ctx_.stop = true;
  if (xlsx_) xlsx_->rejected(file, row, std::move(message));
  else if (file_.is_open()) {
    appendCsvField(rejectedRows_, file);
    rejectedRows_ += "," + std::to_string(row) + ",";
    appendCsvField(rejectedRows_, message);
    rejectedRows_ += "\r\n";
  }
}

void ResultOutput::writeRejected() {
  if (rejectedRows_.empty()) return;
  std::string path = ctx_.o.output.substr(0, ctx_.o.output.rfind('.')) + ".rejected.csv";
  std::ofstream f(path, std::ios::binary);
  f << "\xEF\xBB\xBF" << (ctx_.zh ? "文件,行,原因" : "file,row,reason") << "\r\n" << rejectedRows_;
}

void ResultOutput::abandon() {
  waitForEmptying();
  if (xlsx_) {
    xlsx_.reset();  // nothing written
    std::error_code ec;
    std::filesystem::remove(ctx_.o.output, ec);
  }
  if (!file_.is_open()) return;
  file_.close();
  std::error_code ec;
  std::filesystem::remove(ctx_.o.output, ec);
}

void ResultOutput::addToRanks(Rational total, int64_t level, int64_t count) {
  overall_.add(total, count);
  if (hasLevels_) levelHistogram(level).add(total, count);
}

// A committed row's total into the rank histograms, in batches of 2,048 rows:
// each count is a cache miss in a table of every distinct total, so a batch
// fetches the slots a few rows ahead (countRanks). With more than one thread
// the batches are counted on a thread of their own (rankCounter_), off the
// commit, which one thread at a time does. Counts add, so their
// order does not matter.
void ResultOutput::countRank(Rational total, int64_t level) {
  putField<int64_t>(rankBatch_, total.num);
  putField<int64_t>(rankBatch_, total.den);
  putField<int64_t>(rankBatch_, level);
  if (rankBatch_.size() < kRankBatchBytes) return;
  if (rankCounter_) return rankCounter_->put(rankBatch_);
  countRanks(rankBatch_);
  rankBatch_.clear();
}

void ResultOutput::countRanks(const std::string &batch) {
  constexpr size_t kRow = 24, kAhead = 8 * kRow;
  auto total = [&](size_t at) { return Rational{getField<int64_t>(batch, at), getField<int64_t>(batch, at + 8)}; };
  for (size_t at = 0; at + kRow <= batch.size(); at += kRow) {
    if (at + kAhead + kRow <= batch.size()) overall_.prefetch(total(at + kAhead));
    addToRanks(total(at), getField<int64_t>(batch, at + 16), 1);
  }
}

// Every count made: from here on the histograms are read or changed on this thread only.
void ResultOutput::finishRankCounts() {
  if (!rankCounter_) {
    countRanks(rankBatch_);
    rankBatch_.clear();
    return;
  }
  if (!rankBatch_.empty()) rankCounter_->put(rankBatch_);
  rankCounter_.reset();  // waits for the last batch
}

// Both take ~20 ms of a 1M-row run with the other core idle. A count added
// afterwards (the last batch, rows dropped) only sorts again if it brings a new key.
void ResultOutput::whileSortingRanks(const std::function<void()> &work) {
  if (threadCount(ctx_.o) <= 1) return work();
  finishRankCounts();
  std::jthread sorter([this] {
    overall_.sortKeys(true);
    for (auto &h : byLevel_) h.sortKeys(true);
  });
  work();
}

RankHistogram &ResultOutput::levelHistogram(int64_t lev) {
  auto i = static_cast<size_t>(std::max<int64_t>(0, lev));
  if (i >= byLevel_.size()) byLevel_.resize(i + 1);
  return byLevel_[i];
}

// The cell of a node whose state is not "scored": 不适用, or 0（否决：…）when a
// veto zeroed it or an ancestor (state = 2 + the ZeroVeto slot).
std::string_view ResultOutput::stateCell(int64_t state, RowScratch &s) const {
  if (state >= 2 && state - 2 < static_cast<int64_t>(ctx_.p.slots.size())) {
    s.stateCell = "0（否决：" + ctx_.p.slots[static_cast<size_t>(state - 2)].name + "）";
    return s.stateCell;
  }
  return "不适用";
}

// ───── a batch of scored rows → spill records ─────

namespace {
// A spill record: this head, then the row's bytes — up to its 状态 cell
// (idBytes), up to the ranks (prefixBytes, counted from the same start), the
// rest. What is almost always the same (a den of 1, level 0, the first input)
// is left out behind a flag, and so is the 状态 cell of a veto set (statusKey:
// its bits), most of a row's bytes: the last pass writes it (statusCells_).
// With checks across rows (checksAcrossRecords) the head also says where the
// 校验 cell starts (checksBytes) and which of the row's own checks failed, so
// the last pass can write that cell again with the checks other rows failed it.
struct RowHead {
  Rational total;
  int64_t level = 0;
  RecordOrigin origin;
  bool vetoed = false;
  bool statusByKey = false;
  uint64_t statusKey = 0;
  bool checksAt = false;
  uint32_t idBytes = 0, prefixBytes = 0, checksBytes = 0;
  const std::vector<int> *ownChecks = nullptr;  // write: the slots of the row's own failed checks (校验 … 当)
  const char *ownChecksAt = nullptr;            // read: where they are (a count, then each, as varints)
  size_t headBytes = 0;  // read: where the row's bytes start
};
enum : uint8_t {
  kVetoed = 1, kDenNotOne = 2, kLevelNotZero = 4, kSourceNotZero = 8, kStatusByKey = 16, kChecksAt = 32, kOwnChecks = 64
};
constexpr size_t kMaxRowHeadBytes = 1 + 8 + 8 + 8 + 4 + 10 + 10 + 4 + 4 + 4;

// Seven bits a byte, the low ones first; the top bit: more follow.
char *putVarint(char *p, uint64_t v) {
  for (; v >= 0x80; v >>= 7) *p++ = static_cast<char>(v | 0x80);
  *p++ = static_cast<char>(v);
  return p;
}

uint64_t getVarint(const char *&p) {
  uint64_t v = 0;
  for (int shift = 0;; shift += 7) {
    auto byte = static_cast<uint8_t>(*p++);
    v |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if (byte < 0x80) return v;
  }
}

template <typename T> char *putRaw(char *p, T v) {
  std::memcpy(p, &v, sizeof v);
  return p + sizeof v;
}

template <typename T> T getRaw(const char *&p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  p += sizeof v;
  return v;
}

// Appends h; returns where its idBytes, prefixBytes and checksBytes are (filled in once the row is encoded).
size_t putRowHead(std::string &b, const RowHead &h) {
  bool ownChecks = h.checksAt && h.ownChecks && !h.ownChecks->empty();
  uint8_t flags = (h.vetoed ? kVetoed : 0) | (h.total.den != 1 ? kDenNotOne : 0) | (h.level != 0 ? kLevelNotZero : 0) |
                  (h.origin.source != 0 ? kSourceNotZero : 0) | (h.statusByKey ? kStatusByKey : 0) |
                  (h.checksAt ? kChecksAt : 0) | (ownChecks ? kOwnChecks : 0);
  char head[kMaxRowHeadBytes], *p = head;
  *p++ = static_cast<char>(flags);
  p = putRaw<int64_t>(p, h.total.num);
  if (flags & kDenNotOne) p = putRaw<int64_t>(p, h.total.den);
  if (flags & kLevelNotZero) p = putRaw<int64_t>(p, h.level);
  if (flags & kSourceNotZero) p = putRaw<int32_t>(p, h.origin.source);
  p = putVarint(p, static_cast<uint64_t>(h.origin.row));
  if (flags & kStatusByKey) p = putVarint(p, h.statusKey);
  size_t lengths = b.size() + static_cast<size_t>(p - head);
  p = putRaw<uint32_t>(p, h.idBytes);
  p = putRaw<uint32_t>(p, h.prefixBytes);
  if (flags & kChecksAt) p = putRaw<uint32_t>(p, h.checksBytes);
  b.append(head, static_cast<size_t>(p - head));
  if (ownChecks) {
    char v[10];
    b.append(v, static_cast<size_t>(putVarint(v, h.ownChecks->size()) - v));
    for (int k : *h.ownChecks) b.append(v, static_cast<size_t>(putVarint(v, static_cast<uint64_t>(k)) - v));
  }
  return lengths;
}

RowHead getRowHead(std::string_view b) {
  RowHead h;
  const char *p = b.data();
  auto flags = static_cast<uint8_t>(*p++);
  h.vetoed = flags & kVetoed;
  h.total.num = getRaw<int64_t>(p);
  h.total.den = flags & kDenNotOne ? getRaw<int64_t>(p) : 1;
  if (flags & kLevelNotZero) h.level = getRaw<int64_t>(p);
  if (flags & kSourceNotZero) h.origin.source = getRaw<int32_t>(p);
  h.origin.row = static_cast<int64_t>(getVarint(p));
  h.statusByKey = flags & kStatusByKey;
  if (h.statusByKey) h.statusKey = getVarint(p);
  h.idBytes = getRaw<uint32_t>(p);
  h.prefixBytes = getRaw<uint32_t>(p);
  h.checksAt = flags & kChecksAt;
  if (h.checksAt) h.checksBytes = getRaw<uint32_t>(p);
  if (flags & kOwnChecks) {
    h.ownChecksAt = p;
    for (uint64_t n = getVarint(p); n > 0; --n) getVarint(p);
  }
  h.headBytes = static_cast<size_t>(p - b.data());
  return h;
}
} // namespace

void ResultOutput::add(const Batch &b, const AwardMarks *winners) {
  for (int64_t r = 0; r < b.size; ++r) addRow(b, r, winners);
}

void ResultOutput::addRow(const Batch &b, int64_t r, const AwardMarks *winners) {
  rec_.clear();
  if (!encodeRow(b, static_cast<size_t>(r), winners, scratch_, facts_, rec_)) return;
  commitRow(facts_, rec_);
  if (ctx_.o.onScoredRow && facts_.kernelError.empty()) ctx_.o.onScoredRow(b, r);  // an imported run (ImportRun.cpp)
}

// Row r of b as a spill record appended to `record`, and in `f` what the
// in-order step needs of it. Reads only b and the run's constants, so worker
// threads encode their blocks. False: a dropped row (nothing to do).
bool ResultOutput::encodeRow(const Batch &b, size_t r, const AwardMarks *winners, RowScratch &s, RowFacts &f,
                             std::string &record) const {
  f.origin = b.origins[r];
  f.kernelError.clear();
  if (b.errors[r] == kDroppedRow) return false;  // rejected by the read stage (a repeated identifier)
  if (b.errors[r] != 0) {
    f.kernelError = describeKernelError(ctx_.p, b, r, ctx_.params, ctx_.o.lang);
    return true;
  }
  idOf(b, r, f);
  f.vetoes.clear();
  f.vetoBits = 0;
  for (size_t k = 0; k < roles_.vetoSlots.size(); ++k)
    if (b.slots[static_cast<size_t>(roles_.vetoSlots[k])][r] != 0) {
      f.vetoes.push_back(roles_.vetoSlots[k]);
      f.vetoBits |= uint64_t{1} << (k % 64);  // the status cache's key (only with at most 64 veto slots)
    }
  f.vetoed = !f.vetoes.empty();
  f.total = roles_.total(b, static_cast<int64_t>(r));
  f.level = hasLevels_ ? b.cell(ctx_.p.levelColumn, static_cast<int64_t>(r)) : 0;
  f.failedChecks.clear();
  for (int c : roles_.checkSlots)
    if (b.slots[static_cast<size_t>(c)][r] != 0) f.failedChecks.push_back(c);
  RowHead head{f.total, f.level, f.origin, f.vetoed, statusByKey_, f.vetoBits, checksAcross_};
  head.ownChecks = &f.failedChecks;
  size_t lengths = putRowHead(record, head);
  size_t body = record.size();
  enc_->begin(record);
  enc_->text(record, 0, f.id);
  auto idBytes = static_cast<uint32_t>(record.size() - body);
  encodeScores(b, r, f, s, record);
  auto prefixBytes = static_cast<uint32_t>(record.size() - body);
  std::memcpy(record.data() + lengths, &idBytes, sizeof idBytes);
  std::memcpy(record.data() + lengths + sizeof idBytes, &prefixBytes, sizeof prefixBytes);
  encodeAwards(b, r, winners, f, s, record);
  if (checksAcross_) {
    auto checksBytes = static_cast<uint32_t>(record.size() - body);
    std::memcpy(record.data() + lengths + sizeof idBytes + sizeof prefixBytes, &checksBytes, sizeof checksBytes);
  }
  encodeChecks(f.failedChecks, {}, s, record);
  return true;
}

// In input order: the counts, the ranks, the 汇总 sheet, what the row says
// (now, or held), and the record into the spill.
void ResultOutput::commitRow(const RowFacts &f, std::string_view record) {
  if (!f.kernelError.empty()) {
    if (holding_ || deferred_) hold({f.origin, f.kernelError, {}, {}});
    else sayKernelError(f.origin, f.kernelError);
    return;
  }
  ++ctx_.stats.rowsScored;
  if (summary_) {
    reasons_.clear();
    for (int v : f.vetoes) reasons_.push_back(ctx_.p.slots[static_cast<size_t>(v)].name);
    summary_->scored(reasons_);
  }
  if (!f.vetoed) countRank(f.total, f.level);
  for (size_t a = 0; summary_ && a < f.awardMarks.size(); ++a)
    if (f.awardMarks[a] != 0) summary_->awarded(a, spill_.records(), f.id, f.total, f.awardMarks[a] == kPending);
  if (!f.failedChecks.empty()) {
    failedChecks_.clear();
    for (int c : f.failedChecks) failedChecks_.push_back(ctx_.p.slots[static_cast<size_t>(c)].name);
    if (holding_ || deferred_) hold({f.origin, {}, f.id, failedChecks_});
    else reportFailedChecks(f.origin, f.id);
  }
  if (statusByKey_) makeStatusCell(f.vetoBits);
  spill_.put(record);
}

void ResultOutput::sayKernelError(const RecordOrigin &origin, std::string why) {
  ctx_.say(ctx_.where(origin) + (ctx_.zh ? ": 错误: " + why + "；该行未评分" : ": error: " + why + "; row not scored"));
  reject(ctx_.o.inputs[static_cast<size_t>(origin.source)], origin.row, std::move(why));
}

void ResultOutput::addRowHeld(const Batch &b, int64_t r) {
  holding_ = true;
  addRow(b, r, nullptr);
  holding_ = false;
}

void ResultOutput::addRowHeld(const RowBlock &block, int64_t r) {
  auto ru = static_cast<size_t>(r);
  if (!block.encodedRow[ru]) return;
  holding_ = true;
  std::string_view record(block.encoded);
  commitRow(block.facts[ru], record.substr(block.encodedAt[ru], block.encodedAt[ru + 1] - block.encodedAt[ru]));
  holding_ = false;
}

// On a worker: every record of the block, scored, to its spill record.
void ResultOutput::encodeBlock(const Batch &b, RowBlock &block, RowScratch &s) const {
  auto n = static_cast<size_t>(b.size);
  block.encoded.clear();
  block.encodedAt.resize(n + 1);
  block.facts.resize(n);
  block.encodedRow.resize(n);
  for (size_t r = 0; r < n; ++r) {
    block.encodedAt[r] = block.encoded.size();
    block.encodedRow[r] = encodeRow(b, r, nullptr, s, block.facts[r], block.encoded);
  }
  block.encodedAt[n] = block.encoded.size();
}

void ResultOutput::sayHeld() {
  for (Held &h : held_) sayHeld(h);
  held_.clear();
}

void ResultOutput::sayHeld(Held &h) {
  if (!h.kernelError.empty()) return sayKernelError(h.origin, std::move(h.kernelError));
  failedChecks_ = std::move(h.failedChecks);
  reportFailedChecks(h.origin, h.id);
}

// Until sayHeld() (a batch's worth later), or after the read (deferred).
void ResultOutput::hold(Held h) {
  if (!deferred_) return held_.push_back(std::move(h));
  std::string b;
  SpillCodec::putI64(b, h.origin.source);
  SpillCodec::putI64(b, h.origin.row);
  SpillCodec::putStr(b, h.kernelError);
  SpillCodec::putStr(b, h.id);
  for (const std::string &name : h.failedChecks) SpillCodec::putStr(b, name);
  deferred_->put(b);
}

bool ResultOutput::deferFromNow() {
  if (!canDefer()) return false;
  if (!deferred_) deferred_ = std::make_unique<Spill>();
  return true;
}

// What the deferred rows said, in the order read, but for the dropped rows,
// which also leave the ranks and the counts.
bool ResultOutput::releaseDeferred(DroppedRows &dropped) {
  if (!deferred_) return true;
  deferred_->rewind();
  std::string bytes;
  while (deferred_->get(bytes)) {
    size_t at = 0;
    Held h;
    h.origin.source = static_cast<int32_t>(SpillCodec::getI64(bytes, at));
    h.origin.row = SpillCodec::getI64(bytes, at);
    h.kernelError = SpillCodec::getStr(bytes, at);
    h.id = SpillCodec::getStr(bytes, at);
    while (at < bytes.size()) h.failedChecks.emplace_back(SpillCodec::getStr(bytes, at));
    if (!dropped.take(h.origin)) sayHeld(h);
  }
  bool ok = deferred_->ok() && !deferred_->failed();
  deferred_.reset();
  if (dropped.empty()) return ok;
  dropped_ = std::make_unique<DroppedRows>(std::move(dropped));
  takeOutDropped();
  return ok && !spill_.failed() && !dropped_->failed();
}

// The dropped rows were counted and ranked when they came: taken out again.
void ResultOutput::takeOutDropped() {
  finishRankCounts();
  std::string bytes;
  dropped_->rewind();
  spill_.rewind();
  while (spill_.get(bytes)) {
    RowHead head = getRowHead(bytes);
    if (!dropped_->take(head.origin)) continue;
    --ctx_.stats.rowsScored;
    if (!head.vetoed) addToRanks(head.total, head.level, -1);
  }
}

// The id field's value, else the row (file:row with several inputs), into f.id.
void ResultOutput::idOf(const Batch &b, size_t r, RowFacts &f) const {
  const Program &p = ctx_.p;
  const FieldDesc *idField = p.idField >= 0 ? &p.fields[static_cast<size_t>(p.idField)] : nullptr;
  f.id.clear();
  if (idField && idField->column >= 0) {
    auto c = static_cast<size_t>(idField->column);
    if (idField->kind == ValueKind::Text) {
      int64_t t = b.cols[c][r];  // a text column: the record's index (int64)
      if (t >= 0 && static_cast<size_t>(t) < b.text[c].size()) f.id = b.text[c][static_cast<size_t>(t)];
    } else {
      f.id = formatValue(b.cols[c][r], idField->kind, idField->enumValues);
    }
  }
  if (f.id.empty()) f.id = ctx_.o.inputs.size() > 1 ? ctx_.where(f.origin) : std::to_string(f.origin.row);
}

// 有效, or 取消资格：reason；reason — for the veto slots set (`vetoes`, in SlotRoles::vetoSlots' order).
std::string ResultOutput::statusText(const std::vector<int> &vetoes) const {
  if (vetoes.empty()) return "有效";
  std::string text = "取消资格：";
  for (size_t k = 0; k < vetoes.size(); ++k) text += (k ? "；" : "") + ctx_.p.slots[static_cast<size_t>(vetoes[k])].name;
  return text;
}

// The encoded 状态 cell of a veto set (bit k: SlotRoles::vetoSlots[k] is set), made once per set as rows are
// committed, so that the last pass only reads the cells (on two threads: write()).
void ResultOutput::makeStatusCell(uint64_t vetoBits) {
  bool dense = !denseStatusCells_.empty();
  if (dense ? !denseStatusCells_[vetoBits].empty() : statusCells_.count(vetoBits) > 0) return;
  std::vector<int> vetoes;
  for (size_t k = 0; k < roles_.vetoSlots.size(); ++k)
    if (vetoBits >> k & 1) vetoes.push_back(roles_.vetoSlots[k]);
  std::string cell;
  enc_->text(cell, 1, statusText(vetoes));
  if (dense) denseStatusCells_[vetoBits] = std::move(cell);  // never empty: the encoder writes a separator or a key
  else statusCells_.emplace(vetoBits, std::move(cell));
}

const std::string &ResultOutput::statusCell(uint64_t vetoBits) const {
  return denseStatusCells_.empty() ? statusCells_.at(vetoBits) : denseStatusCells_[vetoBits];
}

namespace {
// The score cells of a row through the encoder, a call each (JSON Lines, XLSX).
class EncodedScoreCells {
 public:
  EncodedScoreCells(const RowEncoder &enc, std::string &out) : enc_(enc), out_(out) {}
  void number(size_t col, Rational v) {
    char num[RB_DEC_FORMAT_CAP];
    enc_.number(out_, col, std::string_view(num, decText(v, num)));
  }
  void empty(size_t col) { enc_.null(out_, col); }
  void text(size_t col, std::string_view t) { enc_.text(out_, col, t); }
  void finish() {}

 private:
  const RowEncoder &enc_;
  std::string &out_;
};

// CSV: a run of number cells, each ",digits", written straight into a buffer
// on the stack and appended to the row in one piece: an append per cell was a
// call of memcpy each, with lengths that vary row to row. What is written is
// what RowEncoder::number and ::null write for CSV; a text cell ends the run.
class CsvScoreCells {
 public:
  CsvScoreCells(const RowEncoder &enc, std::string &out) : enc_(enc), out_(out) {}
  CsvScoreCells(const CsvScoreCells &) = delete;
  CsvScoreCells &operator=(const CsvScoreCells &) = delete;
  void number(size_t, Rational v) {
    makeRoom();
    *at_++ = ',';
    at_ += decText(v, at_);
  }
  void empty(size_t) {  // a null cell: its separator only
    makeRoom();
    *at_++ = ',';
  }
  void text(size_t col, std::string_view t) {
    finish();
    enc_.text(out_, col, t);
  }
  void finish() {
    out_.append(buf_, static_cast<size_t>(at_ - buf_));
    at_ = buf_;
  }

 private:
  void makeRoom() {
    if (buf_ + sizeof buf_ - at_ < 1 + RB_DEC_FORMAT_CAP) finish();  // decText writes at most RB_DEC_FORMAT_CAP
  }
  const RowEncoder &enc_;
  std::string &out_;
  char buf_[512];
  char *at_ = buf_;
};
} // namespace

// The row from its 状态 cell up to the ranks — 状态 (unless the last pass writes it: statusByKey_), total, the
// node columns.
void ResultOutput::encodeScores(const Batch &b, size_t r, const RowFacts &f, RowScratch &s, std::string &out) const {
  if (enc_->format() == OutputFormat::Csv) {
    CsvScoreCells cells(*enc_, out);
    encodeScoreCells(cells, b, r, f, s);
  } else {
    EncodedScoreCells cells(*enc_, out);
    encodeScoreCells(cells, b, r, f, s);
  }
}

template <class Cells>
void ResultOutput::encodeScoreCells(Cells &cells, const Batch &b, size_t r, const RowFacts &f, RowScratch &s) const {
  if (!statusByKey_) cells.text(1, statusText(f.vetoes));  // more than 64 veto slots: made every time
  if (ctx_.p.totalSlot >= 0) cells.number(2, f.total);
  else cells.empty(2);
  size_t col = 3;
  for (int n : roles_.nodeSlots) {
    int st = roles_.stateSlotOf[static_cast<size_t>(n)];
    int64_t state = st >= 0 ? b.slots[static_cast<size_t>(st)][r] : 0;
    if (state != 0) cells.text(col++, stateCell(state, s));
    else cells.number(col++, b.value(n, static_cast<int64_t>(r)));
  }
  cells.finish();
}

// The row's 奖项 cell after the ranks, and its award marks in f.
void ResultOutput::encodeAwards(const Batch &b, size_t r, const AwardMarks *winners, RowFacts &f, RowScratch &s,
                                std::string &out) const {
  const Program &p = ctx_.p;
  const RowEncoder &enc = *enc_;
  f.awardMarks.assign(p.awards.size(), 0);
  if (!p.awards.empty()) {
    s.names.clear();
    for (size_t a = 0; a < p.awards.size() && !f.vetoed; ++a) {
      const AwardDesc &award = p.awards[a];
      uint8_t mark = award.quota < 0
                         ? (award.condSlot < 0 || b.slots[static_cast<size_t>(award.condSlot)][r] != 0 ? kAwarded : 0)
                         : (winners && !(*winners)[a].empty() ? (*winners)[a][r] : 0);
      if (mark == kAwarded) s.names.push_back(award.name);
      if (mark == kPending) s.names.push_back(award.name + "（并列待定）");
      f.awardMarks[a] = mark;
    }
    enc.list(out, rankCol_ + (hasLevels_ ? 2 : 1), s.names);
  }
}

// The row's 校验 cell and its end: the names of its own failed checks (slots), then of those failed
// across rows (validations, each once), when the output has the column.
void ResultOutput::encodeChecks(const std::vector<int> &ownSlots, const std::vector<int> &validations, RowScratch &s,
                                std::string &out) const {
  const Program &p = ctx_.p;
  if (hasChecksColumn_) {
    s.names.clear();
    for (int c : ownSlots) s.names.push_back(p.slots[static_cast<size_t>(c)].name);
    for (int v : validations) s.names.push_back(checkName(v));
    enc_->list(out, checksCol_, s.names);
  }
  enc_->end(out);
}

std::string ResultOutput::checkName(int validation) const {
  const std::string &message = ctx_.p.validations[static_cast<size_t>(validation)].message;
  return !message.empty() ? message : ctx_.zh ? "值重复" : "duplicate value";
}

// A failed 校验 is an error of the input (exit status 1), reported with the row;
// the record is scored, ranked and awarded as usual.
void ResultOutput::reportFailedChecks(const RecordOrigin &origin, std::string_view id) {
  for (const auto &name : failedChecks_) {
    ++ctx_.stats.validationErrors;
    ctx_.say(ctx_.where(origin) + (ctx_.zh ? ": 错误: 校验不通过：" + name : ": error: validation failed: " + name));
    if (summary_) summary_->checkFailed(ctx_.where(origin), id, name);
    if (ctx_.o.strict) ctx_.stop = true;
  }
}

// ───── spill records → the output file ─────

// Every spill record in rank order: by overall rank, 取消资格 last, ties in
// input order (offsets grow with it). The (rank, offset) pairs are sorted
// externally (ExternalSort.h), so memory does not grow with the rows.
bool ResultOutput::inRankOrder(const std::function<void(std::string_view)> &each) {
  auto byRankThenOffset = [](std::string_view a, std::string_view b) {
    auto ra = getField<int64_t>(a, 0), rb = getField<int64_t>(b, 0);
    return ra != rb ? ra < rb : getField<int64_t>(a, 8) < getField<int64_t>(b, 8);
  };
  RecordSorter sorter(budgetFromEnvironment("RUBRICC_UNIQUE_BUDGET_BYTES", size_t{16} << 20) / 4, byRankThenOffset);
  std::string bytes, key;
  std::string_view record;
  spill_.rewind();
  if (dropped_) dropped_->rewind();
  while (spill_.next(record, bytes)) {
    RowHead head = getRowHead(record);
    if (dropped_ && dropped_->take(head.origin)) continue;
    key.clear();
    putField<int64_t>(key, head.vetoed ? INT64_MAX : overall_.rank(head.total));
    putField<int64_t>(key, spill_.lastOffset());
    sorter.put(key);
  }
  spill_.rewind();
  return sorter.finish([&](std::string_view k) {
    if (spill_.getAt(getField<int64_t>(k, 8), bytes)) each(bytes);
  });
}

// A spill record as an output row: its prefix, the ranks, its tail. Reads
// only the finished histograms: the writer thread splices too (write()).
void ResultOutput::appendRecord(std::string &buf, std::string_view record) const {
  const RowEncoder &enc = *enc_;
  char num[24];
  auto rankText = [&](int64_t v) { return std::string_view(num, static_cast<size_t>(std::to_chars(num, num + sizeof num, v).ptr - num)); };
  RowHead head = getRowHead(record);
  std::string_view row = record.substr(head.headBytes);
  buf.append(row.substr(0, head.idBytes));
  if (head.statusByKey) buf.append(statusCell(head.statusKey));
  buf.append(row.substr(head.idBytes, head.prefixBytes - head.idBytes));
  if (head.vetoed) enc.null(buf, rankCol_);
  else enc.number(buf, rankCol_, rankText(overall_.rank(head.total)));
  if (hasLevels_) {
    auto level = static_cast<size_t>(std::max<int64_t>(0, head.level));
    if (head.vetoed) enc.null(buf, rankCol_ + 1);
    else enc.number(buf, rankCol_ + 1, rankText(level < byLevel_.size() ? byLevel_[level].rank(head.total) : 0));
  }
  const std::vector<int> *across = head.checksAt ? checksFailedAcross(head.origin) : nullptr;
  if (!across) return buf.append(row.substr(head.prefixBytes)), void();
  // Checks other rows failed this one: its 校验 cell again, with them.
  buf.append(row.substr(head.prefixBytes, head.checksBytes - head.prefixBytes));
  std::vector<int> own;
  if (const char *p = head.ownChecksAt)
    for (uint64_t n = getVarint(p); n > 0; --n) own.push_back(static_cast<int>(getVarint(p)));
  RowScratch s;
  encodeChecks(own, *across, s, buf);
}

// ───── checks failed across rows ─────

namespace {
uint64_t originKey(const RecordOrigin &o) { return static_cast<uint64_t>(o.source) << 40 | static_cast<uint64_t>(o.row); }
} // namespace

void ResultOutput::checkFailedAcross(const RecordOrigin &origin, int validation, const std::string &detail) {
  std::string check = checkName(validation);
  if (summary_) summary_->checkFailed(ctx_.where(origin), "", check + (ctx_.zh ? "：" : ": ") + detail);
  if (ctx_.o.onCheckFailed) ctx_.o.onCheckFailed(origin, check, detail);
  std::lock_guard<std::mutex> lock(acrossMutex_);  // the 唯一 merge at the end may run beside the identifiers'
  std::vector<int> &failed = failedAcross_[originKey(origin)];
  if (std::find(failed.begin(), failed.end(), validation) == failed.end()) {
    failed.insert(std::upper_bound(failed.begin(), failed.end(), validation), validation);
  }
}

// Read only once the read is over (the last pass), when nothing adds to it.
const std::vector<int> *ResultOutput::checksFailedAcross(const RecordOrigin &origin) const {
  if (failedAcross_.empty()) return nullptr;
  auto it = failedAcross_.find(originKey(origin));
  return it == failedAcross_.end() ? nullptr : &it->second;
}

namespace {
// What a chunk handed to the writer thread holds (its first byte): rows to
// write as they are, or spill records (each after its length) to splice first.
constexpr char kRowsChunk = 'w', kRecordsChunk = 'r';
constexpr size_t kChunkBytes = size_t{1} << 20;
} // namespace

// The rows in 1 MiB chunks. With more than one thread, in input order with no
// row dropped to CSV or JSON Lines, two threads splice and write the spill's
// segments (spliceSegmentsInParallel); otherwise a second thread writes the
// chunks, in order: in input order every row is spliced here
// (spliceInInputOrder); in rank order, or with rows dropped, the writer
// splices every other chunk itself (handed over as spill records).
bool ResultOutput::write() {
  std::ostream *out = file_.is_open() ? static_cast<std::ostream *>(&file_) : &std::cout;
  if (!waitForEmptying()) return false;
  finishRankCounts();
  overall_.assignRanks();  // descending; sorted already if whileSortingRanks did and no key came since
  for (auto &h : byLevel_) h.assignRanks();
  bool split = threadCount(ctx_.o) > 1, sorted;
  if (split && !dropped_ && !xlsx_ && outputOrder() == RowOrder::Input) {
    if (!spliceSegmentsInParallel(out)) return false;  // (said)
    return finishFile(out);
  }
  std::string chunk(1, kRowsChunk), spliced;
  chunk += enc_->headerBytes();
  // Reserved on this thread: the writer thread's own malloc arena would not
  // reuse the memory the read has freed here.
  if (split) spliced.reserve(2 * kChunkBytes);
  {
    ChunkWriter writer([&](const std::string &c) { writeChunk(out, c, spliced); }, split);
    if (!dropped_ && outputOrder() == RowOrder::Input) sorted = spliceInInputOrder(writer, chunk);
    else sorted = eachRecord([&](std::string_view record) {
      if (chunk[0] == kRowsChunk) {
        appendRecord(chunk, record);
      } else {
        putField<uint32_t>(chunk, static_cast<uint32_t>(record.size()));
        chunk.append(record);
      }
      if (chunk.size() < kChunkBytes) return;
      char next = split && chunk[0] == kRowsChunk ? kRecordsChunk : kRowsChunk;
      writer.put(chunk);
      chunk.assign(1, next);
    });
    writer.put(chunk);
    writer.finish();
  }
  if (!sorted) {
    ctx_.say(ctx_.zh ? "错误: 按排名排序输出的临时文件读写失败（磁盘已满？）"
                     : "error: reading or writing the temporary file of the rank order failed (disk full?)");
    return false;
  }
  return finishFile(out);
}

// write() in input order with no row dropped, in a loop of its own (no call
// through eachRecord's std::function a row). Every row is spliced here, and
// the writer thread, when there is one, only writes: its write() calls alone
// take about as long as this loop (2025 巴南 个人, 1M rows, session 18: when
// it also spliced 1 chunk of 4, this thread waited for it two thirds of the
// last pass; docs/performance.md).
bool ResultOutput::spliceInInputOrder(ChunkWriter &writer, std::string &chunk) {
  std::string bytes;
  std::string_view record;
  spill_.rewind();
  for (;;) {
    while (chunk.size() < kChunkBytes && spill_.next(record, bytes)) appendRecord(chunk, record);
    if (chunk.size() < kChunkBytes) return true;  // the spill has ended: write() puts the last chunk
    writer.put(chunk);
    chunk.assign(1, kRowsChunk);
  }
}

// write() in input order with two threads or more, no row dropped, to CSV or
// JSON Lines: the spill's 512 KiB segments (Spill::segmentStarts) are spliced by this
// thread and a second one, whichever is free taking the next, and each
// thread writes its own segment's rows when the segment before is written —
// so one thread's write() overlaps the other's splicing, and the bytes are
// those of one thread. (With one thread splicing, the last pass was ≈ 20 % of
// a two-thread run at 1M rows: docs/performance.md, session 20.)
bool ResultOutput::spliceSegmentsInParallel(std::ostream *out) {
  spill_.rewind();  // every write done: the file is complete
  const std::vector<int64_t> &starts = spill_.segmentStarts();
  const std::string header = enc_->headerBytes();
  std::mutex mutex;
  std::condition_variable turn;
  size_t taken = 0, written = 0;
  bool failed = false;
  auto splice = [&] {
    std::string rows;
    SpillView view;
    for (;;) {
      std::unique_lock<std::mutex> lock(mutex);
      size_t s = taken++;
      if (s >= starts.size()) return;
      lock.unlock();
      rows.clear();
      if (s == 0) rows = header;
      int64_t end = s + 1 < starts.size() ? starts[s + 1] : spill_.bytesPut();
      bool ok = spill_.view(starts[s], end, view);
      for (std::string_view record; ok && view.next(record);) appendRecord(rows, record);
      lock.lock();
      turn.wait(lock, [&] { return written == s; });
      failed = failed || !ok;
      lock.unlock();  // the segments before are written, the later wait: this thread writes alone
      if (!failed) out->write(rows.data(), static_cast<std::streamsize>(rows.size()));
      lock.lock();
      ++written;  // (also after a failure, so that no thread waits for this segment)
      turn.notify_all();
    }
  };
  {
    std::jthread other(splice);
    splice();
  }
  if (starts.empty()) out->write(header.data(), static_cast<std::streamsize>(header.size()));  // no row
  if (!failed) return true;
  ctx_.say(ctx_.zh ? "错误: 读取已评分记录的临时文件失败（磁盘已满？）；未写出结果"
                   : "error: reading the temporary file of scored records failed (disk full?); no output written");
  return false;
}

// Rows in input order unless --order or a workbook (ranked) says otherwise.
RowOrder ResultOutput::outputOrder() const {
  return ctx_.o.order != RowOrder::Default ? ctx_.o.order : xlsx_ ? RowOrder::Rank : RowOrder::Input;
}

// Every spill record but the dropped rows', in the output's order; false when the rank order's sort failed.
bool ResultOutput::eachRecord(const std::function<void(std::string_view)> &each) {
  if (outputOrder() == RowOrder::Rank) return inRankOrder(each);
  std::string bytes;
  std::string_view record;  // in the spill's read buffer: no copy
  spill_.rewind();
  if (dropped_) dropped_->rewind();
  while (spill_.next(record, bytes))
    if (!dropped_ || !dropped_->take(getRowHead(record).origin)) each(record);
  return true;
}

// A chunk of write(): its rows, or its spill records spliced into `spliced` first.
void ResultOutput::writeChunk(std::ostream *out, const std::string &chunk, std::string &spliced) const {
  std::string_view rows = std::string_view(chunk).substr(1);
  if (chunk[0] == kRecordsChunk) {
    spliced.clear();
    for (size_t at = 0; at < rows.size();) {
      auto n = getField<uint32_t>(rows, at);
      appendRecord(spliced, rows.substr(at + sizeof n, n));
      at += sizeof n + n;
    }
    rows = spliced;
  }
  if (xlsx_) xlsx_->rows(rows);
  else out->write(rows.data(), static_cast<std::streamsize>(rows.size()));
}

// The 汇总 sheet, and the file closed; false (said) when anything failed.
bool ResultOutput::finishFile(std::ostream *out) {
  const std::string &output = ctx_.o.output;
  if (xlsx_) {
    xlsx_->summary(summary_->blocks(overall_, ctx_.stats.rowsRead, ctx_.stats.rowsRejected));
    std::string error;
    bool ok = xlsx_->close(error) && !spill_.failed();
    xlsx_.reset();
    if (!ok) {
      std::error_code ec;
      std::filesystem::remove(output, ec);
      ctx_.say(ctx_.zh ? output + ": 错误: 写入输出失败" + (error.empty() ? "" : "：" + error)
                       : output + ": error: writing the output failed" + (error.empty() ? "" : ": " + error));
    }
    return ok;
  }
  out->flush();
  if (!*out || spill_.failed()) {
    ctx_.say(ctx_.zh ? output + ": 错误: 写入输出失败" : output + ": error: writing the output failed");
    return false;
  }
  return true;
}

} // namespace rubric::runtime
