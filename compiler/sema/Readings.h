// Readings (读法): the declarations' own checks, the choice in force for this
// compilation (采用, or an override from --reading or a 用例), and lookups for
// the rules and cases that name a reading. Uses are recorded by the checker.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "sema/Sema.h"

namespace rubric::sema {

// Declares the readings of `file` into `out`: each has a name no reading,
// field or parameter (`nameTaken`) already has, two or more distinct options,
// and exactly one 采用 naming one of them. Then applies `overrides`
// (name → option); an unknown name or option there is E0128 / E0129. An
// override naming an imported scheme's reading ("别名.读法", or the bare name
// when exactly one import declares it, else E0150) goes to importReadings.
void declareReadings(const ast::File &file, const std::map<std::string, std::string> &overrides,
                     const std::function<bool(const std::string &)> &nameTaken, CheckedFile &out,
                     DiagnosticEngine &diags);

// The reading a rule or 用例 names, or null after reporting E0120 (with a suggestion).
const ReadingInfo *lookupReading(const CheckedFile &checked, const std::string &name, Span span,
                                 DiagnosticEngine &diags);
// The index of `option` among the reading's options, or -1 after reporting E0125.
int lookupOption(const CheckedFile &checked, const ReadingInfo &reading, const std::string &option, Span span,
                 DiagnosticEngine &diags);
// The reading whose options type is `type`, if it is one.
const ReadingInfo *readingOfType(const CheckedFile &checked, const ast::Type *type);

// A 用例's 读法 list: known readings, known options, each reading once.
void checkCaseReadings(const ast::TestCase &tc, const CheckedFile &checked, DiagnosticEngine &diags);
// W0120 for every declared reading no rule uses.
void reportUnusedReadings(const CheckedFile &checked, DiagnosticEngine &diags);

// "累加、取最高": the options in declared order.
std::string optionList(const ast::Reading &reading);

} // namespace rubric::sema
