// Writes the fake program's JSON as a C source defining rubric_program_json,
// the way `rubricc build` embeds a program in a generated scorer.
#include <cstdio>

#include "FakeKernel.h"

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  fake::Options o;
  o.population = true;
  o.quotaAward = true;
  std::string json = fake::makeProgram(o).toJson();
  std::FILE *f = std::fopen(argv[1], "w");
  if (!f) return 1;
  std::fputs("extern \"C\" const char rubric_program_json[] =\n\"", f);
  for (unsigned char c : json) {
    if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) std::fprintf(f, "\\%03o", c);
    else std::fputc(c, f);
  }
  std::fputs("\";\n", f);
  return std::fclose(f) == 0 ? 0 : 1;
}
