// Command-line usage errors in the user's language, for rubricc and for
// generated scorers. CLI11 words its errors in English; these are the
// Chinese forms of the ones a user meets (the English text stays for
// --lang en). Exit status 2 for every usage error (docs/cli.md).
#pragma once

#include <CLI/CLI.hpp>
#include <cstring>
#include <regex>
#include <string>

#include "runtime/scoring/Text.h"

namespace rubric::runtime {

// --lang is an ordinary option, but a usage error may stop parsing before
// it is read: look for it in argv first.
inline Lang usageLang(int argc, const char *const *argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--lang=en") == 0) return Lang::En;
    if (std::strcmp(argv[i], "--lang") == 0 && i + 1 < argc && std::strcmp(argv[i + 1], "en") == 0) return Lang::En;
  }
  return Lang::Zh;
}

inline std::string usageErrorText(const CLI::Error &e, Lang lang, const std::string &program) {
  std::string what = e.what();
  std::string hint = lang == Lang::Zh ? "\n运行 " + program + " --help 查看用法\n" : "\nRun " + program + " --help for usage\n";
  if (lang == Lang::En) return "usage error: " + what + hint;
  std::smatch m;
  std::string zh;
  if (what.find("subcommand is required") != std::string::npos)
    zh = "需要一个子命令（check、score、build、explain、table、template、test）";
  else if (std::regex_match(what, m, std::regex("(.*) is required")))
    zh = "缺少必需的参数 " + m[1].str();
  else if (std::regex_match(what, m, std::regex("The following arguments? (were|was) not expected: (.*)")))
    zh = "无法识别的参数：" + m[2].str();
  else if (std::regex_match(what, m, std::regex("Could not convert: (.*) = (.*)")))
    zh = "参数 " + m[1].str() + " 的值“" + m[2].str() + "”格式不对";
  else if (std::regex_match(what, m, std::regex("The value (.*) is not an allowed value for (.*)")))
    zh = "“" + m[1].str() + "”不是参数 " + m[2].str() + " 允许的值";
  else if (std::regex_match(what, m, std::regex("([^:]*): (.*) not in \\{(.*)\\}")))
    zh = "参数 " + m[1].str() + " 的值“" + m[2].str() + "”无效（可选：" + m[3].str() + "）";
  else if (e.get_name() == "ValidationError")
    zh = "参数的值无效：" + what;
  else if (e.get_name() == "ArgumentMismatch")
    zh = "参数个数不对：" + what;
  else
    zh = what;
  return "用法错误：" + zh + hint;
}

// Installs the translated failure message on `app` (and its subcommands).
inline void useTranslatedUsageErrors(CLI::App &app, Lang lang, const std::string &program) {
  app.failure_message([lang, program](const CLI::App *, const CLI::Error &e) { return usageErrorText(e, lang, program); });
}

} // namespace rubric::runtime
