// Byte sources, encoding checks, and the choice of reader by extension.
#include "RecordReader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

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
    if (!f_) throw RecordFileError(FileProblem::CannotOpen, path, std::strerror(errno));
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

// Returns the offset of the first invalid byte, or npos. A sequence cut off by
// the end of the buffer is not an error when `more` (the file goes on).
size_t firstInvalidUtf8(const unsigned char *s, size_t n, bool more) {
  size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) { ++i; continue; }
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c == 0xE0) { len = 3; lo = 0xA0; }
    else if (c >= 0xE1 && c <= 0xEC) len = 3;
    else if (c == 0xED) { len = 3; hi = 0x9F; }
    else if (c >= 0xEE && c <= 0xEF) len = 3;
    else if (c == 0xF0) { len = 4; lo = 0x90; }
    else if (c >= 0xF1 && c <= 0xF3) len = 4;
    else if (c == 0xF4) { len = 4; hi = 0x8F; }
    else return i;
    for (size_t k = 1; k < len; ++k) {
      if (i + k >= n) return more ? std::string::npos : i;
      unsigned char b = s[i + k];
      if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return i;
    }
    i += len;
  }
  return std::string::npos;
}

// Serves a checked head, then the rest of the underlying source.
class Utf8Source : public ByteSource {
 public:
  Utf8Source(std::unique_ptr<ByteSource> src, const std::string &name) : src_(std::move(src)) {
    constexpr size_t kPeek = 64 * 1024;
    head_.resize(kPeek);
    size_t got = 0;
    bool more = true;
    while (got < kPeek) {
      size_t n = src_->read(head_.data() + got, kPeek - got);
      if (n == 0) { more = false; break; }
      got += n;
    }
    head_.resize(got);
    auto *u = reinterpret_cast<const unsigned char *>(head_.data());
    if (got >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) pos_ = 3;
    else if (got >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
      throw RecordFileError(FileProblem::Utf16, name);
    size_t bad = firstInvalidUtf8(u + pos_, got - pos_, more);
    if (bad != std::string::npos) throw RecordFileError(FileProblem::NotUtf8, name, std::to_string(bad + pos_));
  }
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
std::unique_ptr<ByteSource> utf8Source(std::unique_ptr<ByteSource> src, const std::string &name) {
  return std::make_unique<Utf8Source>(std::move(src), name);
}

std::optional<Format> formatForPath(const std::string &path) {
  if (path == "-") return Format::Csv;
  std::string p = lower(path);
  if (endsWith(p, ".csv") || endsWith(p, ".txt")) return Format::Csv;
  if (endsWith(p, ".tsv") || endsWith(p, ".tab")) return Format::Tsv;
  if (endsWith(p, ".jsonl") || endsWith(p, ".ndjson") || endsWith(p, ".json")) return Format::JsonLines;
  return std::nullopt;
}

std::unique_ptr<RecordReader> openRecords(const std::string &path) {
  auto format = formatForPath(path);
  if (!format) throw RecordFileError(FileProblem::UnknownFormat, path);
  std::unique_ptr<ByteSource> raw = path == "-" ? streamSource(std::cin, "-") : fileSource(path);
  auto src = utf8Source(std::move(raw), path);
  switch (*format) {
  case Format::Csv: return csvReader(std::move(src), path, ',');
  case Format::Tsv: return csvReader(std::move(src), path, '\t');
  case Format::JsonLines: return jsonLinesReader(std::move(src), path);
  }
  return nullptr;
}

} // namespace rubric::records
