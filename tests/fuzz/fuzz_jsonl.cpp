// libFuzzer target: arbitrary bytes as a JSON Lines file → decodedSource →
// jsonLinesReader (nlohmann SAX, flattening to CSV-style headers) → every row
// → every cell through the scoring runtime's cell parser. The first byte picks
// the encoding mode. A RecordFileError is the reader refusing the file; a row
// with a problem (bad JSON, not an object, nested array) is the reader refusing
// the row: both fine. Anything else that escapes is a bug; so is a broken
// promise of RecordReader.h (see FuzzRecords.h).
#include "FuzzRecords.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace rubric::records;
  if (size == 0) return 0;
  const Encoding modes[] = {Encoding::Auto, Encoding::Utf8, Encoding::Gb18030};
  const Encoding encoding = modes[data[0] % 3];
  std::string bytes(reinterpret_cast<const char *>(data) + 1, size - 1);
  try {
    auto reader = jsonLinesReader(decodedSource(memorySource(std::move(bytes)), "fuzz.jsonl", encoding), "fuzz.jsonl");
    rubric::fuzz::drain(*reader);
  } catch (const RecordFileError &e) {
    if (rubric::fuzz::verbose()) std::fprintf(stderr, "fuzz: refused: %s\n", e.what());
  }
  return 0;
}
