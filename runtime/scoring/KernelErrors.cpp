#include "runtime/scoring/KernelErrors.h"

#include "rubric_decimal.h"
#include "runtime/scoring/Cells.h"
#include "runtime/scoring/Kernel.h"

namespace rubric::runtime {
namespace {

std::string errorText(int32_t code, bool zh) {
  switch (code) {
  case RB_DEC_ERR_OVERFLOW: return zh ? "数值溢出（超出可精确表示的范围）" : "overflow (outside the exact range)";
  case RB_DEC_ERR_DIV_ZERO: return zh ? "除数为零" : "division by zero";
  case RB_DEC_ERR_PRECISION: return zh ? "小数位数超过 6 位" : "more than 6 decimal places";
  case RB_DEC_ERR_SYNTAX: return zh ? "数值格式错误" : "invalid number";
  default: return (zh ? "错误码 " : "error code ") + std::to_string(code);
  }
}

const FieldDesc *findField(const std::vector<FieldDesc> &fields, const std::string &name) {
  for (const auto &f : fields)
    if (f.name == name) return &f;
  return nullptr;
}

// "总组数 = 1，排名 = 3": the record's values of the formula's scalar inputs
// and the run's parameters (lists and monthly fields are left out).
std::string inputValues(const Program &p, const Batch &b, size_t r, const std::vector<int64_t> &params,
                        const std::vector<std::string> &names, bool zh) {
  std::string out;
  for (const auto &name : names) {
    std::string value;
    if (const FieldDesc *f = findField(p.fields, name); f && !f->isList && !f->isMonthly && f->column >= 0) {
      value = formatValue(b.cell(f->column, static_cast<int64_t>(r)), f->kind, f->enumValues);
    } else if (const FieldDesc *prm = findField(p.params, name);
               prm && prm->column >= 0 && static_cast<size_t>(prm->column) < params.size()) {
      value = formatValue(params[static_cast<size_t>(prm->column)], prm->kind, prm->enumValues);
    } else {
      continue;
    }
    out += (out.empty() ? "" : (zh ? "，" : ", ")) + name + " = " + value;
  }
  return out;
}

std::string itemName(const SlotDesc &s) { return s.path.empty() ? s.name : s.path + " " + s.name; }

} // namespace

std::string describeKernelError(const Program &p, const Batch &b, size_t r, const std::vector<int64_t> &params,
                                Lang lang) {
  bool zh = lang == Lang::Zh;
  int32_t word = b.errors[r];
  int32_t code = RB_ERR_CODE(word);
  int32_t slot = RB_ERR_SLOT(word);
  std::string what = errorText(code, zh);
  if (slot < 0 || static_cast<size_t>(slot) >= p.slots.size()) return zh ? "计算得分时" + what : what + " while scoring";
  const SlotDesc &s = p.slots[static_cast<size_t>(slot)];
  std::string values = inputValues(p, b, r, params, s.inputs, zh);
  std::string out = zh ? "计算“" + itemName(s) + "”时" + what : what + " while scoring \"" + itemName(s) + "\"";
  if (code == RB_DEC_ERR_DIV_ZERO && !s.divisors.empty()) {
    std::string divisors;
    for (const auto &d : s.divisors) divisors += (divisors.empty() ? "" : (zh ? "、" : ", ")) + d;
    if (zh) out += "：除数 " + divisors + (s.divisors.size() > 1 ? " 之一为 0" : " 为 0");
    else out += ": the divisor " + divisors + (s.divisors.size() > 1 ? " (one of them)" : "") + " is 0";
    if (!values.empty()) out += zh ? "（" + values + "）" : " (" + values + ")";
  } else if (!values.empty()) {
    out += zh ? "（" + values + "）" : " (" + values + ")";
  }
  if (!s.formula.empty()) out += zh ? "；公式：" + s.formula : "; formula: " + s.formula;
  return out;
}

} // namespace rubric::runtime
