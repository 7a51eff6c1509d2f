// A generated-executable stand-in (fake kernel + embedded program JSON +
// rubric_scorer_main) gives the same bytes as the library run.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <sys/wait.h>

#include "TestUtil.h"

namespace {

int sh(const std::string &cmd) {
  int st = std::system(cmd.c_str());
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

} // namespace

TEST_CASE("generated scorer executable: options, exit codes, same output as the runtime") {
  auto in = testutil::write("exe.csv",
                            "姓名,甲,乙,廉洁问题,级别\n张三,3,2,否,县级\n李四,8.5,2,,市级\n王五,x,1,是,县级\n");
  std::string out = testutil::path("exe_out.csv"), err = testutil::path("exe_err.txt");
  std::string exe = FAKE_SCORER;
  int rc = sh("'" + exe + "' '" + in + "' -o '" + out + "' --lang en 2> '" + err + "'");
  CHECK(rc == 1);
  std::string diag = testutil::read(err);
  CHECK(diag.find(in + ":4: error: column \"甲\": \"x\" is not a valid decimal number (e.g. 12.5); row not scored") !=
        std::string::npos);
  CHECK(diag.find("read 3 rows, scored 2 rows, rejected 1 rows") != std::string::npos);

  fake::Options o;
  o.population = o.quotaAward = true;
  rubric::runtime::RunOptions opts;
  opts.lang = rubric::runtime::Lang::En;
  auto lib = testutil::run(fake::makeProgram(o), {in}, opts, "lib_out.csv");
  CHECK(testutil::read(out) == lib.output);

  std::string jl = testutil::path("exe_out.jsonl");
  CHECK(sh("'" + exe + "' '" + in + "' -o '" + jl + "' --items 2>/dev/null") == 1);
  CHECK(testutil::read(jl).find("\"二.1 月度\":0") != std::string::npos);

  CHECK(sh("'" + exe + "' --help >/dev/null") == 0);
  CHECK(sh("'" + exe + "' '" + in + "' 2>/dev/null") == 2);                    // -o is required
  CHECK(sh("'" + exe + "' '" + in + "' -o x.csv --lang fr 2>/dev/null") == 2);  // bad option value
}
