// Byte sources, encoding checks, and the choice of reader by extension.
#include "RecordReader.h"

#include <algorithm>
#include <cerrno>
#include <iconv.h>
#include <cstring>
#include <fstream>
#include <iostream>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) || defined(__i386__)
#include <tmmintrin.h>  // SSSE3, used only when the CPU has it (checked at run time)
#define RUBRIC_UTF8_SSSE3 1
#endif

namespace rubric::records {

namespace {

class StreamSource : public ByteSource {
 public:
  StreamSource(std::istream &in, std::string name) : in_(in), name_(std::move(name)) {}
  size_t read(char *buf, size_t cap) override {
    if (!in_.good()) {
      if (in_.bad()) throw RecordFileError(FileProblem::ReadFailed, name_, "read error");
      return 0;
    }
    in_.read(buf, static_cast<std::streamsize>(cap));
    auto n = static_cast<size_t>(in_.gcount());
    if (in_.bad()) throw RecordFileError(FileProblem::ReadFailed, name_, "read error");
    return n;
  }

 private:
  std::istream &in_;
  std::string name_;
};

class FileSource : public ByteSource {
 public:
  explicit FileSource(const std::string &path) : path_(path) {
    f_ = std::fopen(path.c_str(), "rb");
    if (!f_) {
      int e = errno;
      throw RecordFileError(FileProblem::CannotOpen, path, std::strerror(e)).because(e);
    }
  }
  ~FileSource() override {
    if (f_) std::fclose(f_);
  }
  size_t read(char *buf, size_t cap) override {
    size_t n = std::fread(buf, 1, cap, f_);
    if (n == 0 && std::ferror(f_)) throw RecordFileError(FileProblem::ReadFailed, path_, std::strerror(errno));
    return n;
  }

 private:
  std::string path_;
  std::FILE *f_ = nullptr;
};

class MemorySource : public ByteSource {
 public:
  explicit MemorySource(std::string bytes) : bytes_(std::move(bytes)) {}
  size_t read(char *buf, size_t cap) override {
    size_t n = std::min(cap, bytes_.size() - pos_);
    std::memcpy(buf, bytes_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  std::string bytes_;
  size_t pos_ = 0;
};

// A UTF-8 lead byte: the length of its sequence (0: not a lead byte) and the
// range its second byte must be in (the later ones are 0x80–0xBF).
inline unsigned leadLength(unsigned char c, unsigned char &lo, unsigned char &hi) {
  lo = 0x80;
  hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) return 2;
  if (c == 0xE0) return lo = 0xA0, 3;
  if (c >= 0xE1 && c <= 0xEC) return 3;
  if (c == 0xED) return hi = 0x9F, 3;
  if (c >= 0xEE && c <= 0xEF) return 3;
  if (c == 0xF0) return lo = 0x90, 4;
  if (c >= 0xF1 && c <= 0xF3) return 4;
  if (c == 0xF4) return hi = 0x8F, 4;
  return 0;
}

// Returns the offset of the first invalid byte, or npos. A sequence cut off by
// the end of the buffer is not an error when `more` (the file goes on). With
// `nulIsBad`, a NUL byte counts as invalid too (one pass for cell text).
size_t firstInvalidUtf8(const unsigned char *s, size_t n, bool more, bool nulIsBad = false) {
  size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      if (c == 0 && nulIsBad) return i;
      ++i;
      continue;
    }
    unsigned char lo, hi;
    size_t len = leadLength(c, lo, hi);
    if (len == 0) return i;
    for (size_t k = 1; k < len; ++k) {
      if (i + k >= n) return more ? std::string::npos : i;
      unsigned char b = s[i + k];
      if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return i;
    }
    i += len;
  }
  return std::string::npos;
}

// True when the 32 bytes at s are ASCII without NUL.
inline bool plainBlock(const unsigned char *s) {
#if defined(__SSE2__)
  const __m128i zero = _mm_setzero_si128();
  __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i *>(s));
  __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i *>(s + 16));
  __m128i nul = _mm_or_si128(_mm_cmpeq_epi8(a, zero), _mm_cmpeq_epi8(b, zero));
  return _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(a, b), nul)) == 0;
#else
  uint64_t w[4];
  std::memcpy(w, s, sizeof w);
  uint64_t any = 0;
  for (uint64_t x : w) any |= (x | ((x - 0x0101010101010101u) & ~x)) & 0x8080808080808080u;
  return any == 0;
#endif
}

#if defined(RUBRIC_UTF8_SSSE3)
// Keiser and Lemire's UTF-8 check ("Validating UTF-8 in less than one
// instruction per byte", 2021), 16 bytes at a time, NUL refused too. Each
// error class is a bit, set in three nibble tables: of the byte before, its
// high and its low nibble, and of this byte's high nibble; the class fires
// when all three have it. The classes (each one high × low × this):
//   1 too short    a lead (C–F, any)      then not a continuation (0–7, C–F)
//   2 too long     ASCII (0–7, any)       then a continuation (8–B)
//   4 overlong 3   E0                     then 8–9
//   8 too large    F4–FF                  then 9–B
//  16 surrogate    ED                     then A–B
//  32 overlong 2   C0–C1                  then 8–B
//  64 overlong 4 / too large: F0, F5–FF  then 8
// 128 two continuations (8–B, any)       then 8–B — right only as the third or
//     fourth byte of a sequence, i.e. when a byte two back is E0+ or three back F0+.
[[gnu::target("ssse3")]] inline __m128i nibbleTable(char a0, char a1, char a2, char a3, char a4, char a5, char a6,
                                                    char a7, char a8, char a9, char aA, char aB, char aC, char aD,
                                                    char aE, char aF) {
  return _mm_setr_epi8(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, aA, aB, aC, aD, aE, aF);
}

// The offset of the first 16-byte block of s (from the start: nothing before)
// that is not valid UTF-8 without NUL or that ends inside a sequence — a
// multiple of 16, n rounded down when every block is fine.
[[gnu::target("ssse3")]] size_t validBlocks(const unsigned char *s, size_t n) {
  constexpr char kShort = 1, kLong = 2, kOver3 = 4, kLarge = 8, kSurr = 16, kOver2 = 32, kOver4 = 64;
  constexpr char kTwo = static_cast<char>(128), kAny = kShort | kLong | kTwo;
  const __m128i before = nibbleTable(kLong, kLong, kLong, kLong, kLong, kLong, kLong, kLong, kTwo, kTwo, kTwo, kTwo,
                                     kShort | kOver2, kShort, kShort | kOver3 | kSurr, kShort | kLarge | kOver4);
  const __m128i beforeLow = nibbleTable(kAny | kOver3 | kOver2 | kOver4, kAny | kOver2, kAny, kAny, kAny | kLarge,
                                        kAny | kLarge | kOver4, kAny | kLarge | kOver4, kAny | kLarge | kOver4,
                                        kAny | kLarge | kOver4, kAny | kLarge | kOver4, kAny | kLarge | kOver4,
                                        kAny | kLarge | kOver4, kAny | kLarge | kOver4,
                                        kAny | kLarge | kOver4 | kSurr, kAny | kLarge | kOver4,
                                        kAny | kLarge | kOver4);
  constexpr char kCont = kLong | kTwo | kOver2;
  const __m128i self = nibbleTable(kShort, kShort, kShort, kShort, kShort, kShort, kShort, kShort,
                                   kCont | kOver3 | kOver4, kCont | kOver3 | kLarge, kCont | kLarge | kSurr,
                                   kCont | kLarge | kSurr, kShort, kShort, kShort, kShort);
  const __m128i low4 = _mm_set1_epi8(0x0F), zero = _mm_setzero_si128(), x80 = _mm_set1_epi8(static_cast<char>(0x80));
  const __m128i lead3 = _mm_set1_epi8(static_cast<char>(0xE0 - 1)), lead4 = _mm_set1_epi8(static_cast<char>(0xF0 - 1));
  __m128i prev = zero;
  size_t k = 0;
  for (; k + 16 <= n; k += 16) {
    __m128i in = _mm_loadu_si128(reinterpret_cast<const __m128i *>(s + k));
    __m128i prev1 = _mm_alignr_epi8(in, prev, 15), prev2 = _mm_alignr_epi8(in, prev, 14);
    __m128i prev3 = _mm_alignr_epi8(in, prev, 13);
    __m128i special = _mm_and_si128(
        _mm_and_si128(_mm_shuffle_epi8(before, _mm_and_si128(_mm_srli_epi16(prev1, 4), low4)),
                      _mm_shuffle_epi8(beforeLow, _mm_and_si128(prev1, low4))),
        _mm_shuffle_epi8(self, _mm_and_si128(_mm_srli_epi16(in, 4), low4)));
    __m128i must = _mm_or_si128(_mm_subs_epu8(prev2, lead3), _mm_subs_epu8(prev3, lead4));  // not 0: a 3rd/4th byte
    __m128i error = _mm_xor_si128(special, _mm_andnot_si128(_mm_cmpeq_epi8(must, zero), x80));
    error = _mm_or_si128(error, _mm_cmpeq_epi8(in, zero));
    if (_mm_movemask_epi8(_mm_cmpeq_epi8(error, zero)) != 0xFFFF) return k;
    prev = in;
  }
  return k;
}

bool haveSsse3() {
  static const bool have = (__builtin_cpu_init(), __builtin_cpu_supports("ssse3"));
  return have;
}
#endif

} // namespace

size_t firstBadTextByte(std::string_view s) {
  const auto *u = reinterpret_cast<const unsigned char *>(s.data());
  size_t i = 0;
  while (i < s.size() && u[i] >= 0x01 && u[i] < 0x80) ++i;  // the common case: ASCII
  if (i == s.size()) return std::string::npos;
  if (u[i] == 0) return i;
  size_t bad = firstInvalidUtf8(u + i, s.size() - i, false, true);
  return bad == std::string::npos ? bad : i + bad;
}

void BufferTextCheck::check(const char *p, size_t n) {
  const auto *s = reinterpret_cast<const unsigned char *>(p);
  size_t i = 0;
  for (; need_ > 0 && i < n; ++i, --need_) {  // the rest of a sequence the last buffer cut off
    if (s[i] < lo_ || s[i] > hi_) {
      need_ = 0;  // that sequence is bad (its row is checked cell by cell); start afresh here
      break;
    }
    lo_ = 0x80;
    hi_ = 0xBF;
  }
  cleanFrom_ = i;
  dirtyFrom_ = scan(s, i, n);
}

// From `i` on: the offset of the first bad byte, or of a sequence cut off by
// the end (then carried in need_, lo_, hi_), or n.
size_t BufferTextCheck::scan(const unsigned char *s, size_t i, size_t n) {
#if defined(RUBRIC_UTF8_SSSE3)
  if (haveSsse3()) {  // whole blocks fast, then byte by byte from the start of the sequence they end in
    // The last sequence begun before `end` may be cut off by it, or be what
    // the next block's error is about: byte by byte from its lead byte on.
    size_t end = i + validBlocks(s + i, n - i);
    if (end > i) --end;
    for (int k = 0; k < 3 && end > i && (s[end] & 0xC0) == 0x80; ++k) --end;
    i = end;
  }
#endif
  while (i < n) {
    if (n - i >= 32 && plainBlock(s + i)) {
      i += 32;
      continue;
    }
    for (size_t stop = std::min(n, i + 32); i < stop;) {
      unsigned char c = s[i];
      if (c - 1u < 0x7Fu) {
        ++i;
        continue;
      }
      unsigned char lo, hi;
      unsigned len = c == 0 ? 0 : leadLength(c, lo, hi);
      if (len == 0) return i;
      unsigned k = 1;
      for (; k < len && i + k < n; ++k, lo = 0x80, hi = 0xBF)
        if (s[i + k] < lo || s[i + k] > hi) return i;
      if (k < len) {
        need_ = len - k;
        lo_ = lo;
        hi_ = hi;
        return i;
      }
      i += len;
    }
  }
  return n;
}

namespace {

constexpr size_t kPeek = 64 * 1024;

// The first up to kPeek bytes of a source; `more` when the source goes on.
std::string readHead(ByteSource &src, bool &more) {
  std::string head(kPeek, '\0');
  size_t got = 0;
  more = true;
  while (got < kPeek) {
    size_t n = src.read(head.data() + got, kPeek - got);
    if (n == 0) { more = false; break; }
    got += n;
  }
  head.resize(got);
  return head;
}

// Serves head[pos..], then the rest of the underlying source.
class PrefixSource : public ByteSource {
 public:
  PrefixSource(std::unique_ptr<ByteSource> src, std::string head, size_t pos)
      : src_(std::move(src)), head_(std::move(head)), pos_(pos) {}
  size_t read(char *buf, size_t cap) override {
    if (pos_ < head_.size()) {
      size_t n = std::min(cap, head_.size() - pos_);
      std::memcpy(buf, head_.data() + pos_, n);
      pos_ += n;
      if (pos_ == head_.size()) {
        std::string().swap(head_);  // the head is served: free it
        pos_ = 0;
      }
      return n;
    }
    return src_->read(buf, cap);
  }

 private:
  std::unique_ptr<ByteSource> src_;
  std::string head_;
  size_t pos_ = 0;
};

bool hasUtf8Bom(const std::string &h) { return h.size() >= 3 && h.compare(0, 3, "\xEF\xBB\xBF") == 0; }

void refuseUtf16(const std::string &h, const std::string &name) {
  auto *u = reinterpret_cast<const unsigned char *>(h.data());
  if (h.size() >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
    throw RecordFileError(FileProblem::Utf16, name);
}

// Whether a head that is not all UTF-8 is UTF-8 apart from a few lines: its
// first line (the header) is UTF-8 and fewer than half of its whole lines are
// not. Those lines are then rejected as rows (every cell is checked as it is
// read, RecordLoader::checkBytes), rather than the whole file refused for one
// row pasted in from a GBK sheet.
bool utf8ApartFromSomeLines(const unsigned char *u, size_t n, bool more) {
  size_t lines = 0, bad = 0;
  for (size_t at = 0; at < n;) {
    const void *nl = std::memchr(u + at, '\n', n - at);
    if (!nl && more) break;  // the head ends inside this line
    size_t end = nl ? static_cast<size_t>(static_cast<const unsigned char *>(nl) - u) : n;
    bool valid = firstInvalidUtf8(u + at, end - at, false) == std::string::npos;
    if (lines == 0 && !valid) return false;
    ++lines;
    bad += !valid;
    at = end + 1;
  }
  return bad * 2 < lines;
}

// A checked UTF-8 head (BOM stripped), then the rest. Refused (NotUtf8, at
// the line and byte of the first bad sequence) unless it is UTF-8 apart from
// a few lines.
std::unique_ptr<ByteSource> checkedUtf8(std::unique_ptr<ByteSource> src, std::string head, bool more,
                                        const std::string &name) {
  refuseUtf16(head, name);
  size_t pos = hasUtf8Bom(head) ? 3 : 0;
  auto *u = reinterpret_cast<const unsigned char *>(head.data());
  size_t bad = firstInvalidUtf8(u + pos, head.size() - pos, more);
  if (bad != std::string::npos && !utf8ApartFromSomeLines(u + pos, head.size() - pos, more)) {
    auto line = 1 + std::count(head.begin(), head.begin() + static_cast<std::ptrdiff_t>(bad + pos), '\n');
    throw RecordFileError(FileProblem::NotUtf8, name, std::to_string(bad + pos))
        .at(line, static_cast<int64_t>(bad + pos));
  }
  return std::make_unique<PrefixSource>(std::move(src), std::move(head), pos);
}

class Iconv {
 public:
  explicit Iconv(const std::string &name) : cd_(iconv_open("UTF-8", "GB18030")) {
    if (cd_ == reinterpret_cast<iconv_t>(-1))
      throw RecordFileError(FileProblem::ReadFailed, name, std::string("iconv GB18030: ") + std::strerror(errno));
  }
  ~Iconv() { iconv_close(cd_); }
  Iconv(const Iconv &) = delete;
  Iconv &operator=(const Iconv &) = delete;
  // iconv(3); returns (size_t)-1 and sets errno as it does.
  size_t operator()(char **in, size_t *inLeft, char **out, size_t *outLeft) { return iconv(cd_, in, inLeft, out, outLeft); }
  void reset() { iconv(cd_, nullptr, nullptr, nullptr, nullptr); }

 private:
  iconv_t cd_;
};

// The offset of the first invalid GB18030 sequence in the head, or npos (a
// sequence cut off by the end of the head is fine when `more`).
size_t firstInvalidGb18030(const std::string &head, bool more, const std::string &name) {
  Iconv cv(name);
  char out[4096];
  char *in = const_cast<char *>(head.data());
  size_t inLeft = head.size();
  while (inLeft > 0) {
    char *o = out;
    size_t oLeft = sizeof out;
    if (cv(&in, &inLeft, &o, &oLeft) != static_cast<size_t>(-1)) return std::string::npos;
    if (errno == E2BIG) continue;
    if (errno == EINVAL && more) return std::string::npos;
    return static_cast<size_t>(in - head.data());  // EILSEQ, or cut off at the end
  }
  return std::string::npos;
}

class Gb18030Source : public ByteSource {
 public:
  Gb18030Source(std::unique_ptr<ByteSource> src, const std::string &name)
      : src_(std::move(src)), name_(name), cv_(name), in_(kBuf), out_(kBuf) {}

  bool fromGb18030() const override { return true; }

  size_t read(char *buf, size_t cap) override {
    if (outPos_ == outEnd_) produce();
    size_t n = std::min(cap, outEnd_ - outPos_);
    std::memcpy(buf, out_.data() + outPos_, n);
    outPos_ += n;
    return n;
  }

 private:
  static constexpr size_t kBuf = 64 * 1024;

  void refill() {
    std::memmove(in_.data(), in_.data() + inPos_, inEnd_ - inPos_);
    inEnd_ -= inPos_;
    inPos_ = 0;
    size_t n = src_->read(in_.data() + inEnd_, in_.size() - inEnd_);
    if (n == 0) eof_ = true;
    inEnd_ += n;
  }

  void countLines(const char *p, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      if (p[i] == '\r') { ++line_; prevCr_ = true; }
      else {
        if (p[i] == '\n' && !prevCr_) ++line_;
        prevCr_ = false;
      }
    }
  }

  [[noreturn]] void bad() {
    std::string hex;
    static const char digits[] = "0123456789ABCDEF";
    // The offending sequence: a byte that cannot lead; a lead and its bad
    // trail; or a four-byte form (lead, 0x30-0x39, ...).
    size_t len = 1;
    auto at = [&](size_t k) { return static_cast<unsigned char>(in_[inPos_ + k]); };
    if (inEnd_ - inPos_ >= 2 && at(0) >= 0x81 && at(0) <= 0xFE) len = at(1) >= 0x30 && at(1) <= 0x39 ? 4 : 2;
    for (size_t i = inPos_; i < inEnd_ && i < inPos_ + len; ++i) {
      auto c = static_cast<unsigned char>(in_[i]);
      if (!hex.empty()) hex.push_back(' ');
      hex += "0x";
      hex.push_back(digits[c >> 4]);
      hex.push_back(digits[c & 15]);
    }
    throw RecordFileError(FileProblem::BadEncoding, name_, hex).at(line_, offset_);
  }

  // A sequence that is not GB18030, past the first line: its first byte
  // passed through as it is, the rest decoded on from the next byte. Where it
  // lands it is never valid UTF-8 (a byte ≥ 0x80 before ASCII, a UTF-8 lead
  // byte or the end), so the reader's text check rejects that row, naming its
  // column (as a bad byte in a UTF-8 file), and the file goes on. On the first
  // line (the header) the file cannot be read: refused. False: refused, or no
  // room left in out_ (served first; the byte is met again).
  bool passBadByte() {
    if (line_ == 1) bad();
    if (outEnd_ == out_.size()) return false;
    countLines(in_.data() + inPos_, 1);
    out_[outEnd_++] = in_[inPos_++];
    ++offset_;
    return true;
  }

  // Fills out_ with the next converted bytes; leaves it empty at the end.
  void produce() {
    outPos_ = outEnd_ = 0;
    while (outEnd_ == 0) {
      if (inPos_ == inEnd_) {
        if (!eof_) refill();
        if (inPos_ == inEnd_) return;  // the end
      }
      char *ip = in_.data() + inPos_;
      size_t il = inEnd_ - inPos_;
      char *op = out_.data();
      size_t ol = out_.size();
      size_t r = cv_(&ip, &il, &op, &ol);
      int err = errno;
      size_t used = static_cast<size_t>(ip - (in_.data() + inPos_));
      countLines(in_.data() + inPos_, used);
      offset_ += static_cast<int64_t>(used);
      inPos_ += used;
      outEnd_ = static_cast<size_t>(op - out_.data());
      if (r == static_cast<size_t>(-1)) {
        if (err == EILSEQ) passBadByte();
        if (err == EINVAL) {  // a sequence cut off by the end of the buffer
          if (eof_) passBadByte();
          else if (outEnd_ == 0) refill();
          if (eof_ && inPos_ < inEnd_ && outEnd_ == 0) passBadByte();
        }
        // E2BIG: out_ is full — serve it.
      }
    }
    if (first_) {
      first_ = false;
      if (outEnd_ >= 3 && std::memcmp(out_.data(), "\xEF\xBB\xBF", 3) == 0) outPos_ = 3;
      if (outPos_ == outEnd_) produce();
    }
  }

  std::unique_ptr<ByteSource> src_;
  std::string name_;
  Iconv cv_;
  std::vector<char> in_, out_;
  size_t inPos_ = 0, inEnd_ = 0, outPos_ = 0, outEnd_ = 0;
  bool eof_ = false, first_ = true, prevCr_ = false;
  int64_t offset_ = 0, line_ = 1;
};

std::string lower(std::string s) {
  for (char &c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

bool endsWith(const std::string &s, const char *suffix) {
  size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

} // namespace

std::unique_ptr<ByteSource> streamSource(std::istream &in, std::string name) {
  return std::make_unique<StreamSource>(in, std::move(name));
}
std::unique_ptr<ByteSource> fileSource(const std::string &path) { return std::make_unique<FileSource>(path); }
std::unique_ptr<ByteSource> memorySource(std::string bytes) { return std::make_unique<MemorySource>(std::move(bytes)); }
std::unique_ptr<ByteSource> prefixedSource(std::string head, std::unique_ptr<ByteSource> rest) {
  return std::make_unique<PrefixSource>(std::move(rest), std::move(head), 0);
}
std::unique_ptr<ByteSource> utf8Source(std::unique_ptr<ByteSource> src, const std::string &name) {
  bool more = true;
  std::string head = readHead(*src, more);
  return checkedUtf8(std::move(src), std::move(head), more, name);
}

std::optional<Encoding> parseEncoding(std::string_view name) {
  std::string n = lower(std::string(name));
  if (n.empty() || n == "auto") return Encoding::Auto;
  if (n == "utf-8" || n == "utf8") return Encoding::Utf8;
  if (n == "gb18030" || n == "gbk" || n == "gb2312" || n == "cp936") return Encoding::Gb18030;
  return std::nullopt;
}

std::unique_ptr<ByteSource> gb18030Source(std::unique_ptr<ByteSource> src, const std::string &name) {
  return std::make_unique<Gb18030Source>(std::move(src), name);
}

std::unique_ptr<ByteSource> decodedSource(std::unique_ptr<ByteSource> src, const std::string &name, Encoding encoding) {
  bool more = true;
  std::string head = readHead(*src, more);
  refuseUtf16(head, name);
  bool gb = encoding == Encoding::Gb18030;
  if (encoding == Encoding::Auto && !hasUtf8Bom(head)) {
    // Not UTF-8 but GB18030 gets further: GB18030 (whose reader then names
    // the row of a bad sequence); otherwise the UTF-8 error stands.
    auto *u = reinterpret_cast<const unsigned char *>(head.data());
    size_t badUtf8 = firstInvalidUtf8(u, head.size(), more);
    if (badUtf8 != std::string::npos) {
      size_t badGb = firstInvalidGb18030(head, more, name);
      gb = badGb == std::string::npos || badGb > badUtf8;
    }
  }
  if (!gb) return checkedUtf8(std::move(src), std::move(head), more, name);
  return gb18030Source(std::make_unique<PrefixSource>(std::move(src), std::move(head), 0), name);
}

// Defined by rubric_records_xlsx (XlsxReader.cpp); null when it is not linked in.
std::unique_ptr<RecordReader> xlsxReaderImpl(const std::string &path, const std::string &sheet) __attribute__((weak));

std::unique_ptr<RecordReader> xlsxReader(const std::string &path, const std::string &sheet) {
  if (!xlsxReaderImpl) throw RecordFileError(FileProblem::XlsxUnavailable, path);
  return xlsxReaderImpl(path, sheet);
}

std::optional<Format> formatForPath(const std::string &path) {
  if (path == "-") return Format::Csv;
  std::string p = lower(path);
  if (endsWith(p, ".csv") || endsWith(p, ".txt")) return Format::Csv;
  if (endsWith(p, ".tsv") || endsWith(p, ".tab")) return Format::Tsv;
  if (endsWith(p, ".jsonl") || endsWith(p, ".ndjson") || endsWith(p, ".json")) return Format::JsonLines;
  if (endsWith(p, ".xlsx")) return Format::Xlsx;
  return std::nullopt;
}

std::unique_ptr<RecordReader> openRecords(const std::string &path, Encoding encoding, const std::string &sheet) {
  auto format = formatForPath(path);
  if (!format) throw RecordFileError(FileProblem::UnknownFormat, path);
  if (*format == Format::Xlsx) return xlsxReader(path, sheet);
  std::unique_ptr<ByteSource> raw = path == "-" ? streamSource(std::cin, "-") : fileSource(path);
  auto src = decodedSource(std::move(raw), path, encoding);
  bool gb = src->fromGb18030();
  std::unique_ptr<RecordReader> reader;
  switch (*format) {
  case Format::Csv: reader = csvReader(std::move(src), path, ','); break;
  case Format::Tsv: reader = csvReader(std::move(src), path, '\t'); break;
  case Format::JsonLines: reader = jsonLinesReader(std::move(src), path); break;
  case Format::Xlsx: break;
  }
  if (reader) reader->setFromGb18030(gb);
  return reader;
}

} // namespace rubric::records
