#include "runtime/scoring/CrossCheck.h"

#include "runtime/scoring/Stages.h"

namespace rubric::runtime {

namespace {

// The columns of `headers` named `names` (full-width forms accepted), or the first name missing.
bool bindColumns(const std::vector<std::string> &headers, const std::vector<std::string> &names,
                 std::vector<size_t> &columns, std::string &missing) {
  for (const auto &name : names) {
    std::string want = normalizeHeader(name);
    bool found = false;
    for (size_t i = 0; i < headers.size(); ++i)
      if (normalizeHeader(headers[i]) == want) {
        columns.push_back(i);
        found = true;
      }
    if (!found) {
      missing = name;
      return false;
    }
  }
  return true;
}

// The values of `v.otherFields` in `path`; false (said) when the file cannot be used.
bool readOtherFile(RunContext &ctx, const ValidationDesc &v, OtherValues &into) {
  Lang l = ctx.o.lang;
  try {
    auto encoding = records::parseEncoding(ctx.o.encoding);
    if (!encoding) throw records::RecordFileError(records::FileProblem::UnknownEncoding, into.file, ctx.o.encoding);
    auto reader = records::openRecords(into.file, *encoding, ctx.o.sheet);
    records::Row row;
    bool bound = false;
    std::vector<size_t> columns;
    while (reader->next(row)) {
      if (!bound) {
        std::string missing;
        if (!bindColumns(reader->headers(), v.otherFields, columns, missing)) {
          ctx.say(into.file + (ctx.zh ? ": 错误: 没有列" + quote(l, missing) + "（校验" + quote(l, v.message) +
                                            "要比较" + v.otherScheme + "记录中的这一列）"
                                      : ": error: no column " + quote(l, missing) + " (the check " +
                                            quote(l, v.message) + " compares this column of " + v.otherScheme +
                                            "'s records)"));
          return false;
        }
        bound = true;
      }
      for (size_t c : columns) {
        if (c >= row.cells.size()) continue;
        std::string value(trimCell(row.cells[c]));
        if (!value.empty()) into.byValue.try_emplace(std::move(value), OtherCell{row.number, reader->headers()[c]});
      }
    }
  } catch (const records::RecordFileError &e) {
    ctx.say(fileErrorText(e, l));
    return false;
  }
  return true;
}

} // namespace

bool addWithOptions(const std::vector<std::string> &args, RunOptions &options, std::ostream &diag) {
  for (const auto &text : args) {
    size_t eq = text.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) {
      diag << (options.lang == Lang::Zh ? "错误: --with 的写法是 方案名=文件，如 --with 集体=集体.csv；收到" + quote(Lang::Zh, text)
                                        : "error: --with takes SCHEME=FILE, e.g. --with 集体=collective.csv; got " +
                                              quote(Lang::En, text))
           << '\n';
      return false;
    }
    options.with.emplace_back(text.substr(0, eq), text.substr(eq + 1));
  }
  return true;
}

bool loadOtherSchemes(RunContext &ctx) {
  const auto &validations = ctx.p.validations;
  ctx.others.assign(validations.size(), {});
  Lang l = ctx.o.lang;
  for (const auto &[scheme, file] : ctx.o.with) {
    bool used = false;
    for (const auto &v : validations) used |= v.otherScheme == scheme;
    for (const auto &im : ctx.p.imports) used |= im.alias == scheme;  // 全体另给 (ImportRun.h)
    if (used) continue;
    ctx.say(ctx.zh ? "错误: --with " + scheme + "=" + file + "：细则中没有与" + quote(l, scheme) + "的“不共用”校验"
                   : "error: --with " + scheme + "=" + file + ": the rubric has no not_shared check against " +
                         quote(l, scheme));
    return false;
  }
  for (size_t i = 0; i < validations.size(); ++i) {
    const ValidationDesc &v = validations[i];
    if (v.otherScheme.empty()) continue;
    OtherValues &other = ctx.others[i];
    for (const auto &[scheme, file] : ctx.o.with)
      if (scheme == v.otherScheme) other.file = file, other.given = true;
    if (!other.given) {
      ctx.say(ctx.zh ? "警告: 校验" + quote(l, v.message) + "未检查：请用 --with " + v.otherScheme + "=文件 提供" +
                           v.otherScheme + "的记录"
                     : "warning: the check " + quote(l, v.message) + " was not made: give " + v.otherScheme +
                           "'s records with --with " + v.otherScheme + "=FILE");
      continue;
    }
    if (!readOtherFile(ctx, v, other)) return false;
  }
  return true;
}

void checkShared(RunContext &ctx, ResultOutput &out, const UniqueValue &u, const RecordOrigin &origin) {
  const ValidationDesc &v = ctx.p.validations[static_cast<size_t>(u.validation)];
  const OtherValues &other = ctx.others[static_cast<size_t>(u.validation)];
  auto it = other.byValue.find(u.value);
  if (it == other.byValue.end()) return;
  ++ctx.stats.validationErrors;
  Lang l = ctx.o.lang;
  std::string there = v.otherScheme + " " + other.file + ":" + std::to_string(it->second.row);
  std::string detail =
      ctx.zh ? "值" + quote(l, u.value) + "（列" + quote(l, u.header) + "）与 " + there + "（列" +
                   quote(l, it->second.header) + "）相同"
             : "value " + quote(l, u.value) + " (column " + quote(l, u.header) + ") is also in " + there +
                   " (column " + quote(l, it->second.header) + ")";
  std::string check = out.checkName(u.validation);  // the name the 校验 cell gives it too
  ctx.say(ctx.where(origin) + (ctx.zh ? ": 错误: " + check + "：" : ": error: " + check + ": ") + detail);
  out.checkFailedAcross(origin, u.validation, detail);
  if (ctx.o.strict) ctx.stop = true;
}

} // namespace rubric::runtime
