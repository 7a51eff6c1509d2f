// libFuzzer target: arbitrary bytes as a CSV/TSV file → decodedSource (BOM,
// UTF-8 check, GB18030 detection) → csvReader → every row → every cell through
// the scoring runtime's cell parser. The first byte picks the delimiter and the
// encoding mode, so one corpus covers CSV and TSV, auto, UTF-8 and GB18030.
// A RecordFileError is the reader refusing the file: fine. Anything else that
// escapes (another exception, a crash, a sanitizer report) is a bug; so is a
// broken promise of RecordReader.h (see FuzzRecords.h).
#include "FuzzRecords.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace rubric::records;
  if (size == 0) return 0;
  const char delimiter = (data[0] & 1) ? '\t' : ',';
  const Encoding modes[] = {Encoding::Auto, Encoding::Utf8, Encoding::Gb18030};
  const Encoding encoding = modes[(data[0] >> 1) % 3];
  std::string bytes(reinterpret_cast<const char *>(data) + 1, size - 1);
  try {
    auto reader = csvReader(decodedSource(memorySource(std::move(bytes)), "fuzz.csv", encoding), "fuzz.csv", delimiter);
    rubric::fuzz::drain(*reader);
  } catch (const RecordFileError &e) {
    if (rubric::fuzz::verbose()) std::fprintf(stderr, "fuzz: refused: %s\n", e.what());
  }
  return 0;
}
