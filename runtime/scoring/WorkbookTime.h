// The creation time a workbook records (docProps/core.xml): the same on every
// run, so one input gives one file, byte for byte — SOURCE_DATE_EPOCH when set
// (the reproducible-builds convention), else 1980-01-01, the date libxlsxwriter
// gives the zip entries themselves. (The file's own mtime says when it was made.)
#pragma once

#include <xlsxwriter.h>

#include <cstdlib>
#include <ctime>

namespace rubric::runtime {

inline void setReproducibleCreationTime(lxw_workbook *wb) {
  constexpr time_t k1980 = 315532800;  // 1980-01-01T00:00:00Z
  lxw_doc_properties props{};
  props.created = k1980;
  if (const char *epoch = std::getenv("SOURCE_DATE_EPOCH")) {
    char *end = nullptr;
    long long t = std::strtoll(epoch, &end, 10);
    if (end != epoch && *end == '\0' && t > 0) props.created = static_cast<time_t>(t);
  }
  workbook_set_properties(wb, &props);
}

} // namespace rubric::runtime
