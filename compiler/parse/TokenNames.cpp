// How each token type is named in diagnostics. Kept beside the grammar's token
// list; a unit test checks every token of the vocabulary has an entry here.
#include "parse/TokenNames.h"

#include <string>
#include <unordered_map>

namespace rubric::parse {

const std::unordered_map<std::string, std::string> &tokenDisplayNames() {
  static const std::unordered_map<std::string, std::string> names = {
      {"K_SCHEME", "“方案”"},
      {"K_PERIOD", "“期间”"},
      {"K_TO", "“至”"},
      {"K_LEVELS", "“级别”"},
      {"K_TARGET", "“对象”"},
      {"K_INPUT", "“输入”"},
      {"K_PARAMS", "“参数”"},
      {"K_IMPORT", "“引用”"},
      {"K_AS", "“为”"},
      {"K_ID_ATTR", "“标识”"},
      {"K_DEFAULT", "“缺省”"},
      {"K_NOTE", "“说明”"},
      {"K_RANGE", "“范围”"},
      {"K_T_BOOL", "“是否”"},
      {"K_T_INT", "“整数”"},
      {"K_T_COUNT", "“件数”"},
      {"K_T_DEC", "“小数”"},
      {"K_T_PCT", "“百分比”"},
      {"K_T_TEXT", "“文本”"},
      {"K_T_ENUM", "“枚举”"},
      {"K_T_LIST", "“列表”"},
      {"K_T_MONTHLY", "“月度”"},
      {"K_INDICATOR", "“指标”"},
      {"K_SUBINDICATOR", "“二级”"},
      {"K_ITEM", "“项”"},
      {"K_SUBITEM", "“子项”"},
      {"K_DEDUCTION", "“扣分”"},
      {"K_BONUS", "“加分”"},
      {"K_POINTS", "“分”"},
      {"K_MAX", "“最高”"},
      {"K_CAPPED", "“受上限”"},
      {"K_UNCAPPED", "“可超出上限”"},
      {"K_MAY_NEGATIVE", "“可为负”"},
      {"K_ACK", "“原文合计”"},
      {"K_WHEN", "“当”"},
      {"K_BY", "“按”"},
      {"PER_UNIT", "“每件”"},
      {"K_EACH_MONTH", "“每月”"},
      {"K_TIERS", "“分档”"},
      {"K_LEVEL_BLOCK", "“分级”"},
      {"K_GET", "“得”"},
      {"K_DEDUCT", "“扣”"},
      {"K_STEP", "“每增加”"},
      {"K_GET_MORE", "“多得”"},
      {"K_ELSE", "“否则”"},
      {"K_AND_ABOVE", "“以上”"},
      {"POSTFIX_BOUND", "“及以上”"},
      {"K_NA", "“不适用”"},
      {"K_NA_FULL", "“不作要求”"},
      {"K_NA_EXCLUDED", "“不参与”"},
      {"K_IF_NONE", "“若无”"},
      {"K_FULL_MARKS", "“满分”"},
      {"K_ZERO", "“不得分”"},
      {"K_MOVE_TO", "“计入”"},
      {"K_VETO", "“否决”"},
      {"K_DISQUALIFY", "“取消资格”"},
      {"K_AWARD", "“奖项”"},
      {"K_QUOTA", "“名额”"},
      {"K_DESC", "“降序”"},
      {"K_ASC", "“升序”"},
      {"K_TIES_ALL", "“并列一并列入”"},
      {"K_VALIDATE", "“校验”"},
      {"K_UNIQUE", "“唯一”"},
      {"K_CASE", "“用例”"},
      {"K_EXPECT", "“期望”"},
      {"K_EACH_INDICATOR", "“各指标”"},
      {"K_TOP", "“前”"},
      {"K_AVERAGE", "“平均”"},
      {"K_AND", "“且”"},
      {"K_OR", "“或”"},
      {"K_NOT", "“非”"},
      {"K_IN", "“在”"},
      {"K_YES", "“是”"},
      {"K_NO", "“否”"},
      {"K_REACH", "“达到”"},
      {"K_EXCEED", "“超过”"},
      {"K_BELOW", "“不足”"},
      {"K_NOT_REACH", "“未达到”"},
      {"K_NOT_EXCEED", "“不超过”"},
      {"K_NOT_BELOW", "“不低于”"},
      {"ARROW", "“=>”"},
      {"GE", "“>=”"},
      {"LE", "“<=”"},
      {"NE", "“!=”"},
      {"EQ", "“==”"},
      {"GT", "“>”"},
      {"LT", "“<”"},
      {"LPAREN", "“(”"},
      {"RPAREN", "“)”"},
      {"LBRACE", "“{”"},
      {"RBRACE", "“}”"},
      {"LBRACK", "“[”"},
      {"RBRACK", "“]”"},
      {"COLON", "“:”"},
      {"SEMI", "“;”"},
      {"COMMA", "“,”"},
      {"DOT", "“.”"},
      {"PLUS", "“+”"},
      {"MINUS", "“-”"},
      {"TIMES", "“*”"},
      {"DIVIDE", "“/”"},
      {"PERCENT", "“%”"},
      {"RANGE_SEP", "“—”"},
      {"DATE", "日期"},
      {"DECIMAL", "小数"},
      {"INT", "数字"},
      {"STRING", "带引号的文字"},
      {"QIDENT", "「名称」"},
      {"IDENT", "名称"},
      {"ERROR_CHAR", "无法识别的字符"},
      {"EOF", "文件结尾"},
  };
  return names;
}

const std::vector<std::string> &gluableKeywords() {
  static const std::vector<std::string> words = {"每增加", "当", "得", "扣", "按", "每件", "每项", "每类", "每次",
                                                 "每个", "每月", "分档", "若无", "否则", "最高", "且", "或", "非"};
  return words;
}

std::string gluedKeyword(const std::string &name) {
  for (const auto &kw : gluableKeywords())
    if (name.size() > kw.size() && name.compare(0, kw.size(), kw) == 0) return kw;
  return "";
}

} // namespace rubric::parse
