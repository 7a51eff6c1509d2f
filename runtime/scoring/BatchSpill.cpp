// BatchSpill (BatchSpill.h).
#include "runtime/scoring/BatchSpill.h"

namespace rubric::runtime {

namespace {

void putVarint(std::string &b, uint64_t v) {
  while (v >= 0x80) {
    b.push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  b.push_back(static_cast<char>(v));
}
void putInt(std::string &b, int64_t v) {
  putVarint(b, (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));  // zigzag
}
template <typename T> void putInts(std::string &b, const std::vector<T> &v) {
  putVarint(b, v.size());
  for (T x : v) putInt(b, x);
}

// Reads what the put* functions wrote; a short or malformed buffer sets bad.
struct Cursor {
  std::string_view b;
  size_t at = 0;
  bool bad = false;
  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at >= b.size()) break;
      auto c = static_cast<unsigned char>(b[at++]);
      v |= static_cast<uint64_t>(c & 0x7F) << shift;
      if (c < 0x80) return v;
    }
    bad = true;
    return 0;
  }
  int64_t integer() {
    uint64_t z = varint();
    return static_cast<int64_t>(z >> 1) ^ -static_cast<int64_t>(z & 1);
  }
  // A count of items that each take at least one byte, so a bad count cannot ask for huge memory.
  size_t count() {
    uint64_t n = varint();
    if (n > b.size() - at) bad = true;
    return bad ? 0 : static_cast<size_t>(n);
  }
  template <typename T> void ints(std::vector<T> &v) {
    v.resize(count());
    for (T &x : v) x = static_cast<T>(integer());
  }
};

} // namespace

void BatchSpill::put(const Batch &b) {
  buf_.clear();
  putInt(buf_, b.size);
  for (const auto &c : b.cols) {  // at its width (the batch's Program says which)
    if (c.width() == 1) putInts(buf_, c.bytes());
    else putInts(buf_, c.ints());
  }
  for (const auto &t : b.text) {
    putVarint(buf_, t.size());
    for (const std::string &s : t) {
      putVarint(buf_, s.size());
      buf_ += s;
    }
  }
  for (const auto &s : b.slots) putInts(buf_, s);
  for (const auto &d : b.dens) putInts(buf_, d);
  putInts(buf_, b.errors);
  putVarint(buf_, b.origins.size());
  for (const RecordOrigin &o : b.origins) {
    putInt(buf_, o.source);
    putInt(buf_, o.row);
  }
  file_.put(buf_);
}

bool BatchSpill::next(Batch &b) {
  if (!file_.get(buf_)) return false;
  Cursor in{buf_};
  b.size = in.integer();
  for (auto &c : b.cols) {
    if (c.width() == 1) in.ints(c.bytes());
    else in.ints(c.ints());
  }
  for (auto &t : b.text) {
    t.resize(in.count());
    for (std::string &s : t) {
      size_t n = in.count();
      s.assign(buf_, in.at, n);
      in.at += n;
    }
  }
  for (auto &s : b.slots) in.ints(s);
  for (auto &d : b.dens) in.ints(d);
  in.ints(b.errors);
  b.origins.resize(in.count());
  for (RecordOrigin &o : b.origins) {
    o.source = static_cast<int32_t>(in.integer());
    o.row = in.integer();
  }
  if (in.bad || in.at != buf_.size()) failed_ = true;
  return !failed_;
}

} // namespace rubric::runtime
