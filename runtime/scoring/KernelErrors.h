// Why a record could not be scored, in words: the error the kernel met, the
// item whose formula met it (the slot tagged in the record's error word, see
// Kernel.h), that formula as written, its divisors and the values the record
// gave its inputs. The same text for the interpreter, the JIT and generated
// executables, since it is built from the program description alone.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/scoring/Columns.h"
#include "runtime/scoring/Program.h"
#include "runtime/scoring/Text.h"

namespace rubric::runtime {

// E.g. 计算“一.2 监督帮扶工作组表现”时除数为零：除数 总组数 - 1 为 0（总组数 = 1，排名 = 1）；
//      公式：得 18 × (总组数 - 排名) ÷ (总组数 - 1)
std::string describeKernelError(const Program &program, const Batch &batch, size_t record,
                                const std::vector<int64_t> &params, Lang lang);

} // namespace rubric::runtime
