#include "runtime/scoring/Output.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "runtime/scoring/ChunkWriter.h"

namespace rubric::runtime {

namespace {

bool needsQuotes(std::string_view s) {
  // 16 bytes at a time (a 取消资格 status cell is 100–200 bytes of 汉字), the rest one by one.
  const char *p = s.data(), *end = p + s.size();
#if defined(__SSE2__)  // every x86-64; elsewhere the byte loop below does it all
  const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"'), lf = _mm_set1_epi8('\n'),
                cr = _mm_set1_epi8('\r');
  for (; end - p >= 16; p += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, quote)),
                               _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr)));
    if (_mm_movemask_epi8(hit) != 0) return true;
  }
#endif
  // One comparison a byte: every byte that needs quotes is below '-' (0x2D).
  for (; p < end; ++p)
    if (static_cast<unsigned char>(*p) < 0x2D && (*p == ',' || *p == '"' || *p == '\n' || *p == '\r')) return true;
  return false;
}

using namespace xlsxcell;

void appendXlsx(std::string &out, char tag, std::string_view s) {
  out.push_back(tag);
  auto n = static_cast<uint32_t>(s.size());
  out.append(reinterpret_cast<const char *>(&n), sizeof n);
  out.append(s);
}

} // namespace

void appendCsvField(std::string &out, std::string_view s) {
  if (!needsQuotes(s)) {
    out.append(s);
    return;
  }
  out.push_back('"');
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void appendJsonString(std::string &out, std::string_view s) {
  auto needsEscape = [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\\'; };
  if (std::none_of(s.begin(), s.end(), needsEscape)) {  // most cells: no copy through a json value
    out.push_back('"');
    out.append(s);
    out.push_back('"');
    return;
  }
  // The reader lets only valid UTF-8 through, so nlohmann's strict dump never throws here.
  out += nlohmann::json(s).dump();
}

bool outputFormatForPath(const std::string &path, OutputFormat &format) {
  if (path.empty() || path == "-") {
    format = OutputFormat::Csv;
    return true;
  }
  std::string p = path;
  for (char &c : p)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  auto ends = [&](const char *s) {
    size_t n = std::strlen(s);
    return p.size() >= n && p.compare(p.size() - n, n, s) == 0;
  };
  if (ends(".csv")) format = OutputFormat::Csv;
  else if (ends(".jsonl") || ends(".ndjson") || ends(".json")) format = OutputFormat::JsonLines;
  else if (ends(".xlsx")) format = OutputFormat::Xlsx;
  else return false;
  return true;
}

// ───── RowEncoder ─────

RowEncoder::RowEncoder(OutputFormat format, std::vector<std::string> headers)
    : format_(format), headers_(std::move(headers)) {
  for (const auto &h : headers_) {
    std::string k;
    appendJsonString(k, h);
    k.push_back(':');
    jsonKeys_.push_back(std::move(k));
  }
}

std::string RowEncoder::headerBytes() const {
  if (format_ != OutputFormat::Csv) return {};
  std::string line = "\xEF\xBB\xBF";
  for (size_t i = 0; i < headers_.size(); ++i) {
    if (i) line.push_back(',');
    appendCsvField(line, headers_[i]);
  }
  line.push_back('\n');
  return line;
}

void RowEncoder::begin(std::string &out) const {
  if (format_ == OutputFormat::JsonLines) out.push_back('{');
}

void RowEncoder::key(std::string &out, size_t col) const {
  if (col) out.push_back(',');
  if (format_ == OutputFormat::JsonLines) out += jsonKeys_[col];
}

void RowEncoder::textOther(std::string &out, size_t col, std::string_view s) const {
  if (format_ == OutputFormat::Xlsx) return appendXlsx(out, kXText, s);
  key(out, col);
  if (format_ == OutputFormat::JsonLines) appendJsonString(out, s);
  else appendCsvField(out, s);
}

void RowEncoder::numberOther(std::string &out, size_t col, std::string_view s) const {
  if (format_ == OutputFormat::Xlsx) return appendXlsx(out, s.empty() ? kXNull : kXNumber, s);
  key(out, col);
  if (format_ == OutputFormat::JsonLines && s.empty()) out += "null";
  else out.append(s);
}

void RowEncoder::null(std::string &out, size_t col) const {
  if (format_ == OutputFormat::Xlsx) return out.push_back(kXNull);
  key(out, col);
  if (format_ == OutputFormat::JsonLines) out += "null";
}

void RowEncoder::list(std::string &out, size_t col, const std::vector<std::string> &items) const {
  if (format_ != OutputFormat::Xlsx) key(out, col);
  if (format_ == OutputFormat::JsonLines) {
    out.push_back('[');
    for (size_t k = 0; k < items.size(); ++k) {
      if (k) out.push_back(',');
      appendJsonString(out, items[k]);
    }
    out.push_back(']');
    return;
  }
  std::string joined;
  for (size_t k = 0; k < items.size(); ++k) {
    if (k) joined += "、";
    joined += items[k];
  }
  if (format_ == OutputFormat::Xlsx) return appendXlsx(out, kXText, joined);
  appendCsvField(out, joined);
}

void RowEncoder::end(std::string &out) const {
  if (format_ == OutputFormat::Xlsx) return out.push_back(kXEnd);
  if (format_ == OutputFormat::JsonLines) out.push_back('}');
  out.push_back('\n');
}

// ───── numbers ─────

// A whole number of millionths (den 1, most totals) is its own rounding: no 128-bit division.
size_t decText(Rational v, char *buf) { return decText(v.den == 1 ? v.num : rb_rat_to_dec(v.num, v.den), buf); }
namespace {
// "00", "01", …, "99": decimal digits two at a time (one table load and a 2-byte copy instead of a division by 10 each).
struct DigitPairs {
  char d[200];
  constexpr DigitPairs() : d() {
    for (int k = 0; k < 100; ++k) {
      d[2 * k] = static_cast<char>('0' + k / 10);
      d[2 * k + 1] = static_cast<char>('0' + k % 10);
    }
  }
};
constexpr DigitPairs kDigitPairs{};

// Digits of u below 100 at p (one or two; the byte after them may be
// written too), the end returned. No branch on the value: scores of one and
// two digits alternate, and a branch would miss often.
char *smallDigits(char *p, uint64_t u) {
  uint64_t one = u < 10;  // "07" read from its second byte: "7"
  std::memcpy(p, kDigitPairs.d + 2 * u + one, 2);
  return p + 2 - one;
}

// The six digits of a fraction 1..999999 millionths, without its trailing
// zeros, at p; the end returned. The zeros are counted in one word, not
// stripped one at a time (their number varies row to row).
char *fractionDigits(char *p, uint64_t fp) {
  std::memcpy(p, kDigitPairs.d + 2 * (fp / 10000), 2);
  std::memcpy(p + 2, kDigitPairs.d + 2 * (fp / 100 % 100), 2);
  std::memcpy(p + 4, kDigitPairs.d + 2 * (fp % 100), 2);
  uint64_t digits = 0;
  std::memcpy(&digits, p, 6);
  uint64_t nonZero = digits ^ 0x303030303030u;  // a byte is 0 where its digit is '0'
  // fp != 0: some digit is not '0'. The last digits are the high bytes (little-endian).
  static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "fractionDigits counts zeros from the high bytes");
  return p + 6 - __builtin_clzll(nonZero << 16) / 8;
}
} // namespace

size_t decText(int64_t x, char *buf) {
  uint64_t u = x < 0 ? uint64_t{0} - static_cast<uint64_t>(x) : static_cast<uint64_t>(x);
  char *p = buf;
  if (x < 0) *p++ = '-';
  uint64_t ip = u / static_cast<uint64_t>(RB_DEC_ONE), fp = u % static_cast<uint64_t>(RB_DEC_ONE);
  // Scores are mostly below 100 points: their whole part without the general conversion.
  p = ip < 100 ? smallDigits(p, ip) : std::to_chars(p, buf + RB_DEC_FORMAT_CAP, ip).ptr;
  if (fp) {
    *p++ = '.';
    p = fractionDigits(p, fp);
  }
  return static_cast<size_t>(p - buf);
}

// ───── XlsxWriter ─────

// Defined by rubric_scoring_xlsx (XlsxOutput.cpp); null when it is not linked in.
std::unique_ptr<XlsxWriter> makeXlsxWriterImpl(const std::string &path, const WorkbookLayout &layout,
                                               std::string &error) __attribute__((weak));

std::unique_ptr<XlsxWriter> XlsxWriter::create(const std::string &path, const WorkbookLayout &layout,
                                               std::string &error) {
  if (!makeXlsxWriterImpl) {
    error = "XLSX output is not linked into this program";
    return nullptr;
  }
  return makeXlsxWriterImpl(path, layout, error);
}

// ───── Spill ─────

// The in-memory buffer is reserved whole (untouched pages cost no memory), so
// it never grows by copying; on the file path a record that would not fit the
// buffer's capacity flushes it first.
Spill::Spill(size_t memoryBudget) : f_(std::tmpfile()), memoryBudget_(memoryBudget), inMemory_(memoryBudget > 0) {
  wbuf_.reserve(std::max<size_t>(memoryBudget, kWriteBuffer));
}

Spill::~Spill() {
  writer_.reset();  // its last write done before the file closes
  unmap();
  if (f_) std::fclose(f_);
}

void Spill::writeBehind() {
  if (writer_) return;
  writer_ = std::make_unique<ChunkWriter>([this](const std::string &chunk) { write(chunk); }, true);
  if (!inMemory_ && wbuf_.empty()) {  // the file's buffer at the writers' size
    std::string().swap(wbuf_);
    wbuf_.reserve(writeBytes());
  }
}

// On the writer's thread after writeBehind(): only f_ and writeFailed_ are touched.
void Spill::write(const std::string &chunk) {
  if (!chunk.empty() && f_ && std::fwrite(chunk.data(), 1, chunk.size(), f_) != chunk.size()) writeFailed_ = true;
}

// Two buffers of half the size with a writer (one filled, one written): the
// same memory as one thread's single buffer.
size_t Spill::writeBytes() const { return writer_ ? kWriteBuffer / 2 : kWriteBuffer; }

// With a writer the buffer is handed over whole and a spare one comes back
// (emptied; the first time without capacity, so it is reserved here).
void Spill::flush() {
  if (inMemory_) return;
  if (!writer_) {
    write(wbuf_);
    wbuf_.clear();
    return;
  }
  writer_->put(wbuf_);
  if (wbuf_.capacity() < writeBytes()) wbuf_.reserve(writeBytes());
}

void Spill::put(std::string_view bytes) {
  auto n = static_cast<uint32_t>(bytes.size());
  size_t need = sizeof n + bytes.size();
  if (inMemory_ && wbuf_.size() + need > memoryBudget_) {  // from now on through the file
    inMemory_ = false;
    write(wbuf_);  // on this thread: the writer would keep the budget's buffer as its spare
    wbuf_.clear();
    wbuf_.shrink_to_fit();  // the budget's memory back
    wbuf_.reserve(writeBytes());
  }
  if (!inMemory_ && wbuf_.size() + need > wbuf_.capacity()) flush();
  wbuf_.append(reinterpret_cast<const char *>(&n), sizeof n);
  wbuf_ += bytes;
  if (segmentStarts_.empty() || bytesPut_ - segmentStarts_.back() >= kSegmentBytes) segmentStarts_.push_back(bytesPut_);
  ++count_;
  bytesPut_ += static_cast<int64_t>(need);
}

// The bytes [from, to): read with pread into the view's buffer (reused from
// one segment to the next), or from the buffer when every record is in
// memory. Not mapped: with two threads, each munmap() stops the other CPU to
// flush its TLB, costly on a VM (session 20: 0.63 s against 0.70 s, paired
// median, 1M rows).
bool Spill::view(int64_t from, int64_t to, SpillView &v) const {
  v.bytes_ = {};
  v.at_ = 0;
  if (from < 0 || to < from || to > bytesPut_) return false;
  auto n = static_cast<size_t>(to - from);
  if (inMemory_) {
    v.bytes_ = std::string_view(wbuf_).substr(static_cast<size_t>(from), n);
    return true;
  }
  if (!f_ || failed_ || writeFailed_) return false;
  v.read_.resize(n);
  for (size_t done = 0; done < n;) {  // (pread: the threads share no file position)
    ssize_t k = pread(fileno(f_), v.read_.data() + done, n - done, static_cast<off_t>(from) + static_cast<off_t>(done));
    if (k <= 0) return false;
    done += static_cast<size_t>(k);
  }
  v.bytes_ = v.read_;
  return true;
}

bool SpillView::next(std::string_view &record) {
  uint32_t n;
  if (bytes_.size() - at_ < sizeof n) return false;
  std::memcpy(&n, bytes_.data() + at_, sizeof n);
  if (bytes_.size() - at_ - sizeof n < n) return false;  // (a range always ends at a record's end)
  record = bytes_.substr(at_ + sizeof n, n);
  at_ += sizeof n + n;
  return true;
}

void Spill::rewind() {
  flush();
  writer_.reset();  // every write done (joined): the file is read from here on
  rpos_ = rend_ = 0;
  readOffset_ = 0;
  unmap();
  if (inMemory_) {
    rdata_ = wbuf_.data();
    rend_ = wbuf_.size();
    return;
  }
  if (f_ && std::fflush(f_) != 0) failed_ = true;
  if (f_) std::rewind(f_);
  struct stat st {};
  mapping_ = f_ && fstat(fileno(f_), &st) == 0;
  fileBytes_ = mapping_ ? st.st_size : 0;
  mapEnd_ = 0;
}

void Spill::unmap() {
  if (map_) munmap(map_, mapBytes_);
  map_ = nullptr;
  mapBytes_ = 0;
}

// 4 MiB windows, populated whole (no page fault a page): reading the spill
// back copies nothing, and only one window is mapped at a time.
bool Spill::mapNext() {
  constexpr int64_t kWindow = int64_t{4} << 20;
  unmap();
  if (mapEnd_ >= fileBytes_) return false;
  auto n = static_cast<size_t>(std::min(kWindow, fileBytes_ - mapEnd_));
  void *at = mmap(nullptr, n, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fileno(f_), static_cast<off_t>(mapEnd_));
  if (at == MAP_FAILED) {  // read from here on: the file's position is still 0
    mapping_ = false;
    if (fseeko(f_, static_cast<off_t>(mapEnd_), SEEK_SET) != 0) failed_ = true;
    return false;
  }
  map_ = static_cast<char *>(at);
  mapBytes_ = n;
  mapEnd_ += static_cast<int64_t>(n);
  rdata_ = map_;
  rend_ = n;
  return true;
}

bool Spill::refill() {
  if (inMemory_ || !f_) return false;  // (the records in memory are the one window)
  rpos_ = rend_ = 0;
  if (mapping_ && mapNext()) return true;
  if (mapping_ || failed_) return false;  // mapped to the end
  rbuf_.resize(1 << 20);
  rdata_ = rbuf_.data();
  rend_ = std::fread(rbuf_.data(), 1, rbuf_.size(), f_);
  return rend_ > 0;
}

bool Spill::readChunk(char *dst, size_t n) {
  while (n > 0) {
    if (rpos_ >= rend_ && !refill()) return false;
    size_t k = std::min(n, rend_ - rpos_);
    std::memcpy(dst, rdata_ + rpos_, k);
    rpos_ += k;
    dst += k;
    n -= k;
  }
  return true;
}

// The next n bytes read, in place: where they are when the buffer read from
// holds them whole (nullptr otherwise: readChunk copies them).
const char *Spill::readable(size_t n) {
  if (rpos_ > rend_ || n > rend_ - rpos_) return nullptr;
  const char *at = rdata_ + rpos_;
  rpos_ += n;
  return at;
}

bool Spill::next(std::string_view &record, std::string &scratch) {
  uint32_t n;
  if (!readChunk(reinterpret_cast<char *>(&n), sizeof n)) return false;
  lastOffset_ = readOffset_;
  readOffset_ += static_cast<int64_t>(sizeof n + n);
  if (const char *at = readable(n)) {
    record = {at, n};
    return true;
  }
  scratch.resize(n);
  record = scratch;
  return readChunk(scratch.data(), n);
}

bool Spill::nextRecords(std::string &out, size_t want) {
  const size_t start = out.size();
  std::string scratch;
  while (out.size() - start < want) {
    const char *base = rdata_;
    const size_t end = rend_;
    size_t p = std::min(rpos_, end);  // past the whole records that lie in the buffer, up to `want`
    uint32_t n;
    while (end - p >= sizeof n && out.size() - start + (p - rpos_) < want) {
      std::memcpy(&n, base + p, sizeof n);
      if (end - p - sizeof n < n) break;
      p += sizeof n + n;
    }
    if (p > rpos_) {
      out.append(base + rpos_, p - rpos_);
      readOffset_ += static_cast<int64_t>(p - rpos_);
      rpos_ = p;
      continue;
    }
    std::string_view record;  // one that straddles the buffer's end (or none left)
    if (!next(record, scratch)) break;
    n = static_cast<uint32_t>(record.size());
    out.append(reinterpret_cast<const char *>(&n), sizeof n);
    out.append(record);
  }
  return out.size() > start;
}

bool Spill::get(std::string &bytes) {
  std::string_view record;
  if (!next(record, bytes)) return false;
  if (record.data() != bytes.data()) bytes.assign(record);
  return true;
}

// Unbuffered by rbuf_ (whose 1 MiB read-ahead would be wasted on a jump):
// stdio's own buffer serves the small reads.
bool Spill::getAt(int64_t offset, std::string &bytes) {
  if (inMemory_) {
    rpos_ = static_cast<size_t>(offset);
    uint32_t n = 0;
    bool ok = offset >= 0 && readChunk(reinterpret_cast<char *>(&n), sizeof n);
    bytes.resize(ok ? n : 0);
    ok = ok && readChunk(bytes.data(), n);
    if (!ok) failed_ = true;
    return ok;
  }
  rpos_ = rend_ = 0;  // get() must not continue from stale read-ahead, but from the file's position
  unmap();
  mapping_ = false;
  uint32_t n = 0;
  bool ok = f_ && fseeko(f_, static_cast<off_t>(offset), SEEK_SET) == 0 && std::fread(&n, sizeof n, 1, f_) == 1;
  if (ok) {
    bytes.resize(n);
    ok = n == 0 || std::fread(bytes.data(), n, 1, f_) == 1;
  }
  if (!ok) failed_ = true;  // an offset that get() gave always holds a whole record
  return ok;
}

void SpillCodec::putI64(std::string &b, int64_t v) { b.append(reinterpret_cast<const char *>(&v), sizeof v); }

void SpillCodec::putStr(std::string &b, std::string_view s) {
  auto n = static_cast<uint32_t>(s.size());
  b.append(reinterpret_cast<const char *>(&n), sizeof n);
  b.append(s);
}

int64_t SpillCodec::getI64(const std::string &b, size_t &p) {
  int64_t v;
  std::memcpy(&v, b.data() + p, sizeof v);
  p += sizeof v;
  return v;
}

std::string_view SpillCodec::getStr(const std::string &b, size_t &p) {
  uint32_t n;
  std::memcpy(&n, b.data() + p, sizeof n);
  p += sizeof n;
  std::string_view s(b.data() + p, n);
  p += n;
  return s;
}

} // namespace rubric::runtime
