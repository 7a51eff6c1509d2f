// Cutting CSV bytes into slices of whole records (CsvCutter.h).
//
// A line end ends a record when it is outside quotes. A quote opens a quoted
// field only at the start of a field (the first byte of the input or of a
// buffer, or after a delimiter, CR or LF); inside, "" is a quote and any other
// quote closes the field — exactly as CsvParser reads it, so the records the
// cutter counts are the records the parser finds, and each slice's first row
// number is known before it is parsed. The scan takes 64 bytes at a time:
// masks of the quotes, LFs and CRs (SSE2), the quotes walked one by one (few
// files have many), the record ends counted with popcount.
#include "CsvCutter.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace rubric::records {

namespace {

constexpr size_t kPad = 64;  // readable bytes after a buffer's data (a chunk's loads, the sentinel)
constexpr size_t kReadBytes = size_t{1} << 20;

// A size from the environment (tests make blocks small), or `fallback`.
size_t sizeFromEnvironment(const char *name, size_t fallback) {
  const char *v = std::getenv(name);
  if (!v || !*v) return fallback;
  char *end = nullptr;
  unsigned long long n = std::strtoull(v, &end, 10);
  return end && *end == '\0' && n > 0 ? static_cast<size_t>(n) : fallback;
}

struct ChunkMasks {
  uint64_t quote = 0, lf = 0, cr = 0;  // bit k: byte k of the 64
};

ChunkMasks masksOf(const char *p) {
  ChunkMasks m;
#if defined(__SSE2__)
  const __m128i q = _mm_set1_epi8('"'), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
  for (int k = 0; k < 4; ++k) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + 16 * k));
    auto bits = [&](__m128i x) { return static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(x))) << (16 * k); };
    m.quote |= bits(_mm_cmpeq_epi8(v, q));
    m.lf |= bits(_mm_cmpeq_epi8(v, lf));
    m.cr |= bits(_mm_cmpeq_epi8(v, cr));
  }
#else
  for (int k = 0; k < 64; ++k) {
    m.quote |= static_cast<uint64_t>(p[k] == '"') << k;
    m.lf |= static_cast<uint64_t>(p[k] == '\n') << k;
    m.cr |= static_cast<uint64_t>(p[k] == '\r') << k;
  }
#endif
  return m;
}

// The set bits of `ends` (not 0): mostly one, as rows are longer than a chunk,
// and then no count is made (without POPCNT in the target, a library call).
size_t endsIn(uint64_t ends) {
  return (ends & (ends - 1)) == 0 ? 1 : static_cast<size_t>(__builtin_popcountll(ends));
}

// Bits from..to (inclusive) set.
uint64_t bitsBetween(unsigned from, unsigned to) { return (~uint64_t{0} << from) & (~uint64_t{0} >> (63 - to)); }

} // namespace

CsvCutter::CsvCutter(std::string unread, std::unique_ptr<ByteSource> src, char delimiter, int64_t rowsBefore,
                     size_t maxRows)
    : src_(prefixedSource(std::move(unread), std::move(src))), delim_(delimiter),
      maxRows_(std::max<size_t>(1, std::min(maxRows, sizeFromEnvironment("RUBRICC_CSV_SLICE_ROWS", maxRows)))),
      readBytes_(sizeFromEnvironment("RUBRICC_CSV_READ_BYTES", kReadBytes)),
      holdBytes_(sizeFromEnvironment("RUBRICC_CSV_HOLD_BYTES", kMaxHeldRecordBytes)), rowsBefore_(rowsBefore) {
  buf_ = freeBuffer(readBytes_);  // `unread` is read again through src_: every buffer is cut alike
}

bool CsvCutter::next(CsvSlice &slice) {
  while (ready_.empty()) {
    if (error_) {
      done_ = true;
      std::rethrow_exception(std::exchange(error_, nullptr));
    }
    if (done_) return false;
    advance();
  }
  slice = std::move(ready_.front());
  ready_.pop_front();
  return true;
}

std::unique_ptr<ByteSource> CsvCutter::rest(int64_t &rowsBefore) {
  rowsBefore = rowsBefore_;
  std::string unread(data() + start_, n_ - start_);
  start_ = n_;
  return prefixedSource(std::move(unread), std::move(src_));
}

// Reads more (making room first when the buffer is full) and cuts what it can.
void CsvCutter::advance() {
  if (n_ == cap_) makeRoom();
  if (done_) return;
  size_t got = 0;
  try {
    got = src_->read(data() + n_, cap_ - n_);
  } catch (...) {
    error_ = std::current_exception();
    scanEnd('\n');  // a CR or quote last read waits for the next byte: its record is not complete
    if (ends_ > 0) cut();
    return;
  }
  if (got == 0) {  // the end: a last record without a line end is a record too
    done_ = true;
    scanEnd('\0');
    if (lastEnd_ < n_) ++ends_, lastEnd_ = n_;
    if (ends_ > 0) cut();
    return;
  }
  n_ += got;
  scanChunks();
}

// The buffer is full: the whole records in it go out as a slice, and the
// record still open moves to the start of a free buffer (a larger one when it
// fills half a buffer; none when it is longer than holdBytes_).
void CsvCutter::makeRoom() {
  if (ends_ > 0) cut();
  size_t open = n_ - start_;
  if (open > holdBytes_) {
    done_ = true;  // the rest row by row (rest())
    return;
  }
  std::shared_ptr<Buffer> old = std::move(buf_);
  buf_ = freeBuffer(open > readBytes_ / 2 ? open + readBytes_ : readBytes_);
  std::memcpy(data(), old->data() + start_, open);
  scanned_ -= start_;
  lastEnd_ = start_ = 0;
  n_ = open;
}

// A buffer no slice holds any more, or a new one.
std::shared_ptr<CsvCutter::Buffer> CsvCutter::freeBuffer(size_t capacity) {
  cap_ = capacity;
  for (auto &b : pool_)
    if (b.use_count() == 1 && b->size() >= capacity + kPad) {
      cap_ = b->size() - kPad;
      return b;
    }
  auto b = std::make_shared<Buffer>(capacity + kPad);
  if (pool_.size() < 8) pool_.push_back(b);
  return b;
}

// Every chunk of 64 bytes whose next byte is read too (a CR's LF, a quote's pair).
void CsvCutter::scanChunks() {
  for (; scanned_ + 64 < n_; scanned_ += 64) scanChunk(scanned_, ~uint64_t{0});
}

// The rest, at the end of what can be read: the byte after it is `after`.
void CsvCutter::scanEnd(char after) {
  data()[n_] = after;
  for (; scanned_ < n_; scanned_ += 64) {
    size_t left = n_ - scanned_;
    scanChunk(scanned_, left >= 64 ? ~uint64_t{0} : (uint64_t{1} << left) - 1);
  }
}

// The record ends among the `valid` bytes of the chunk at `at`: counted, and
// a slice cut at each maxRows_-th.
void CsvCutter::scanChunk(size_t at, uint64_t valid) {
  const char *p = data() + at;
  ChunkMasks m = masksOf(p);
  uint64_t inside = (m.quote & valid) != 0 || inQuotes_ ? quotedBytes(at, m.quote & valid) : 0;
  uint64_t crlf = (m.lf >> 1) | (static_cast<uint64_t>(p[64] == '\n') << 63);  // bit k: byte k + 1 is an LF
  uint64_t ends = (m.lf | (m.cr & ~crlf)) & valid & ~inside;
  while (ends) {
    size_t count = endsIn(ends);
    size_t room = maxRows_ - static_cast<size_t>(ends_);
    if (count < room) {
      ends_ += static_cast<int64_t>(count);
      lastEnd_ = at + 64 - static_cast<size_t>(__builtin_clzll(ends));
      return;
    }
    for (; room > 1; --room) ends &= ends - 1;  // the room-th end fills the slice
    lastEnd_ = at + static_cast<size_t>(__builtin_ctzll(ends)) + 1;
    ends_ = static_cast<int64_t>(maxRows_);
    ends &= ends - 1;
    cut();
  }
}

// The quoted bytes of the chunk at `at`, walking its quotes in order.
uint64_t CsvCutter::quotedBytes(size_t at, uint64_t quotes) {
  const char *p = data() + at;
  if (skipQuote_) {  // the second quote of a "" begun at the end of the last chunk
    quotes &= ~uint64_t{1};
    skipQuote_ = false;
  }
  uint64_t inside = 0;
  unsigned from = 0;  // where the quoted run now open began in this chunk
  while (quotes) {
    auto k = static_cast<unsigned>(__builtin_ctzll(quotes));
    quotes &= quotes - 1;
    if (inQuotes_) {
      if (p[k + 1] == '"') {  // "": one quote, the field goes on
        if (k == 63) skipQuote_ = true;
        else quotes &= ~(uint64_t{1} << (k + 1));
        continue;
      }
      inside |= bitsBetween(from, k);
      inQuotes_ = false;
    } else if (char before = at + k == 0 ? '\n' : *(p + k - 1); before == delim_ || before == '\n' || before == '\r') {
      inQuotes_ = true;
      from = k;
    }
  }
  if (inQuotes_) inside |= ~uint64_t{0} << from;
  return inside;
}

// [start_, lastEnd_) with its ends_ records becomes a slice.
void CsvCutter::cut() {
  CsvSlice s;
  s.buffer = buf_;
  s.data = data() + start_;
  s.size = lastEnd_ - start_;
  s.rowsBefore = rowsBefore_;
  s.records = ends_;
  ready_.push_back(std::move(s));
  rowsBefore_ += ends_;
  ends_ = 0;
  start_ = lastEnd_;
}

} // namespace rubric::records
