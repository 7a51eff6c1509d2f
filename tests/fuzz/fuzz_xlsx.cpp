// libFuzzer target: arbitrary bytes as an .xlsx workbook → xlsxReader (minizip
// for the zip, expat for the XML) → every row → every cell through the scoring
// runtime's cell parser. The reader opens a path, so the bytes go into an
// anonymous in-memory file (memfd) opened as /proc/self/fd/N: nothing touches
// the disk. A RecordFileError is the reader refusing the workbook: fine.
// Anything else that escapes is a bug; so is a broken promise of
// RecordReader.h (see FuzzRecords.h).
//
// Seeds (tests/fuzz/corpus/xlsx) store their XML uncompressed so that
// mutations reach the XML; make_xlsx_seeds.py writes them.
#include <sys/mman.h>
#include <unistd.h>

#include "FuzzRecords.h"

namespace {

// One memfd for the whole run, rewritten for each input.
int memoryFile() {
  static int fd = memfd_create("fuzz.xlsx", 0);
  if (fd < 0) rubric::fuzz::broken("memfd_create works");
  return fd;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace rubric::records;
  int fd = memoryFile();
  if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != static_cast<ssize_t>(size))
    rubric::fuzz::broken("the memfd takes the input");
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  try {
    auto reader = xlsxReader(path);
    rubric::fuzz::drain(*reader, rubric::fuzz::RowNumbers::FromFile);
  } catch (const RecordFileError &e) {
    if (e.kind() == FileProblem::XlsxUnavailable) rubric::fuzz::broken("the XLSX reader is linked in");
    if (rubric::fuzz::verbose()) std::fprintf(stderr, "fuzz: refused: %s\n", e.what());
  }
  return 0;
}
