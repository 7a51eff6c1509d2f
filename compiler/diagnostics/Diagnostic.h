// Diagnostics as data: an ID from DiagnosticKinds.def, a severity, a span and
// arguments. Rendering (text with caret, JSON, SARIF) happens in one place.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "support/Source.h"

namespace rubric {

enum class Severity { Note, Warning, Error };

enum class DiagId {
#define DIAG(Name, Code, Sev, Zh, En) Name,
#include "diagnostics/DiagnosticKinds.def"
#undef DIAG
};

enum class Lang { Zh, En };

struct DiagInfo {
  const char *code;
  Severity severity;
  const char *zh;
  const char *en;
};
const DiagInfo &diagInfo(DiagId id);
// Looks an ID up by its code ("E0301"); nullptr if unknown.
const DiagInfo *diagInfoByCode(const std::string &code);
const char *severityName(Severity s, Lang lang);

// A fix-it: replace the text of `span` (one line) with `replacement`. An empty
// span (endCol == col) inserts; an empty replacement deletes.
struct FixIt {
  Span span;
  std::string replacement;
};

struct Diagnostic {
  DiagId id;
  Severity severity;
  std::shared_ptr<const SourceFile> file; // null for file-less messages
  Span span;
  std::vector<std::string> args;
  std::vector<Diagnostic> notes; // attached notes (did you mean, declared here)
  std::vector<FixIt> fixits;     // edits that resolve it, applied together
  // English renderings of `args` where they differ (token names, 文件结尾);
  // empty when the arguments read the same in both languages.
  std::vector<std::string> argsEn;

  std::string message(Lang lang) const;
  const char *code() const { return diagInfo(id).code; }
};

class DiagnosticEngine {
public:
  // Reports and returns the diagnostic so notes can be attached. A report
  // equal to an earlier one (ID, file, span, arguments) is dropped: a 令
  // definition is checked again at each use of its name, and its problem is
  // one problem, said and counted once.
  Diagnostic &report(DiagId id, std::shared_ptr<const SourceFile> file, Span span,
                     std::vector<std::string> args = {});
  static Diagnostic note(DiagId id, std::shared_ptr<const SourceFile> file, Span span,
                         std::vector<std::string> args = {});

  const std::vector<Diagnostic> &all() const { return diags_; }
  size_t errorCount() const;
  size_t warningCount() const;
  void clear() {
    diags_.clear();
    reported_.clear();
  }

private:
  std::vector<Diagnostic> diags_;
  std::set<std::tuple<DiagId, const SourceFile *, uint32_t, uint32_t, uint32_t, std::vector<std::string>>> reported_;
  Diagnostic repeated_{};  // what a dropped report returns (its notes go nowhere)
};

// Reports why SourceFile::load failed for `path`: E0110 (too large),
// E0111 (not a regular file) or E0001.
Diagnostic &reportLoadFailure(DiagnosticEngine &diags, const std::string &path, const std::string &loadError);

enum class DiagFormat { Text, Json, Sarif };

// Renders all diagnostics in the given format. Text is clang-style:
//   file:line:col: 错误[E0301]: message
//    12 | source line
//       |     ^^^^
std::string renderDiagnostics(const std::vector<Diagnostic> &diags, DiagFormat format,
                              Lang lang, bool color = false);
std::string renderText(const Diagnostic &d, Lang lang, bool color = false);
// One line describing a fix-it: 将“X”改为“Y” / 在第 3 行第 5 列插入“}” / 删去“以上”.
std::string describeFixIt(const Diagnostic &d, const FixIt &fix, Lang lang);

} // namespace rubric
