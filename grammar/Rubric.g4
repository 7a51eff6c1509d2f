// The rubric language: a scoring table (评审细则) written so that a policy officer
// recognises every sentence of the official document in it.
//
// Conventions (see docs/language.md):
//  * Chinese keywords are primary; every keyword has an English alias.
//  * Full-width punctuation typed by a Chinese IME is accepted wherever its ASCII
//    twin is: （）：；，【】“”｛｝＋－×÷≥≤ and U+3000 as white space.
//  * Keywords and names are separated by spaces ("当 入选师资库 得 3分"): a name may
//    contain any letters (CJK included) but no ASCII digits, so "3分" and "得3分"
//    split where a reader expects. A name with digits is written in 「」.
grammar Rubric;

// ───────────────────────────── file ─────────────────────────────
file        : schemeDecl topDecl* EOF ;

schemeDecl  : K_SCHEME schemeName LBRACE headerField* RBRACE ;
schemeName  : (name | INT)+ ;                                // 巴南2025个人: digits allowed here
headerField : K_PERIOD DATE K_TO DATE                         # periodField
            | K_LEVELS LBRACE? nameList RBRACE?              # levelsField
            | K_TARGET name                                  # targetField
            | name literal                                    # metaField
            ;

topDecl     : inputDecl
            | paramDecl
            | importDecl
            | vetoDecl
            | nodeDecl
            | awardDecl
            | validateDecl
            | caseDecl
            | readingDecl
            | letDecl
            | crossCheckDecl
            ;

// ───────────────────────────── data ─────────────────────────────
inputDecl   : K_INPUT LBRACE fieldDecl* RBRACE ;
paramDecl   : K_PARAMS LBRACE fieldDecl* RBRACE ;
fieldDecl   : name COLON type fieldAttr* SEMI? ;
fieldAttr   : LPAREN K_ID_ATTR RPAREN                        # idAttr
            | LPAREN K_OPTIONAL RPAREN                       # optionalAttr   // (可缺): an empty cell means "no value"
            | K_DEFAULT literal                              # defaultAttr
            | K_NOTE STRING                                  # noteAttr
            | K_RANGE rangeBound K_TO rangeBound             # rangeAttr     // 范围 0 至 100：允许的取值（两端都含）
            ;
rangeBound  : MINUS? number PERCENT? ;
type        : K_T_BOOL                                       # boolType
            | (K_T_INT | K_T_COUNT)                          # countType
            | K_T_DEC                                        # decimalType
            | K_T_PCT                                        # percentType
            | K_T_TEXT                                       # textType
            | K_T_ENUM LBRACE nameList RBRACE                # enumType
            | K_T_LIST LBRACE fieldDecl+ RBRACE              # recordListType
            | K_T_LIST LT type GT                            # valueListType
            | K_T_MONTHLY LT type GT                         # monthlyType
            | K_T_YEARS                                      # yearSetType   // 年份集: "2022、2023、2024"
            | K_T_DATE                                       # dateType      // 日期: "2021-12-31"
            ;

importDecl  : K_IMPORT STRING K_AS name (K_WHOLE_POP (K_BY name)?)? ;   // 全体另给 [按 字段]: scored over its own records (--with)

// ───────────────────────────── hierarchy ─────────────────────────────
// 指标 (一级) → 二级 → 项 → 子项; 扣分 / 加分 rows anywhere below a 指标.
nodeDecl    : nodeKind label? STRING points? nodeModifier* LBRACE nodeItem* RBRACE ;
nodeKind    : K_INDICATOR | K_SUBINDICATOR | K_ITEM | K_SUBITEM | K_DEDUCTION | K_BONUS ;
label       : INT | name | LPAREN INT RPAREN ;
points      : number K_POINTS ;
nodeModifier: K_MAX points                                  # capModifier       // 最高 27分 / 最多扣 3分
            | K_CAPPED                                       # cappedModifier    // 加分受上级分值上限约束
            | K_UNCAPPED                                     # uncappedModifier  // 加分可超出上级分值
            | K_MAY_NEGATIVE                                 # negativeModifier  // 扣分可使上级低于0
            | K_NO_OWN_LIMIT                                 # noOwnLimitModifier // 加分行不写分值：加分本身不设上限
            ;
nodeItem    : nodeDecl
            | scoringRule
            | naRule
            | vetoDecl
            | ackDecl
            | metaEntry
            | letDecl
            ;
metaEntry   : name STRING ;                                   // 数据来源 "…" 指导处室 "…"
ackDecl     : K_ACK points STRING? ;                          // 原文合计 47分 "…": the source's own mismatch

// ───────────────────────────── rules ─────────────────────────────
scoringRule : K_WHEN expr K_AND_ABOVE? award stepClause? capClause? elseClause? SEMI?   # whenRule   // 当 x 达到 95% (以上) 得 …
            | K_BY expr LBRACE choice+ RBRACE capClause? SEMI?             # choiceRule
            | PER_UNIT expr award capClause? SEMI?                         # perUnitRule
            | K_TIERS expr LBRACE tier+ RBRACE SEMI?                       # tierRule
            | award capClause? SEMI?                                       # plainRule
            | K_EACH_MONTH expr award capClause? SEMI?                     # monthlyRule
            | K_LEVEL_BLOCK LBRACE levelBlock+ RBRACE                      # levelRule
            | K_BY_READING name LBRACE levelBlock+ RBRACE                  # readingRule  // 按读法 X { 选项 { … } }
            ;
award       : (K_GET | K_DEDUCT) pointsValue ;
pointsValue : expr                                           # exprPoints
            | LBRACE levelPoints (COMMA levelPoints)* COMMA? RBRACE   # levelPointsMap
            ;
levelPoints : name COLON expr ;
stepClause  : COMMA? K_STEP expr K_GET_MORE expr ;         // 每增加 1% 多得 0.2分
capClause   : COMMA? K_MAX expr ;                          // 最高 6分 / 最多扣 2分
elseClause  : SEMI? K_ELSE scoringRule ;
choice      : name K_AND_ABOVE? COLON expr SEMI? ;          // 省级: 3分 / 省级以上: 3分
tier        : tierCond COLON expr SEMI? ;
tierCond    : comparison (K_AND comparison)?                 # cmpTier       // 达到 90% / ≥ 6 / ≥ 3 且 < 5
            | expr (POSTFIX_BOUND | K_AND_ABOVE)             # postfixTier   // 6 以上 / 6 及以上 / 3 以下
            | expr (RANGE_SEP | K_TO) expr                   # rangeTier     // 3 至 5, 3—5 (两端都含)
            | K_ELSE                                         # elseTier
            ;
comparison  : cmpOp expr K_AND_ABOVE? ;                     // 达到 90% (以上): the word repeats the bound
levelBlock  : name LBRACE (scoringRule | naRule)* RBRACE ;

// N/A policies: 县级 不作要求 / 县级 不参与 / 不适用 当 … => 满分|不得分|不参与|计入 【…】
naRule      : name (K_NA_FULL | K_NA_EXCLUDED) SEMI?                          # levelNaRule
            | K_NA (K_WHEN expr | name) ARROW naPolicy SEMI?                  # condNaRule
            | K_IF_NONE expr naPolicy SEMI?                                   # ifNoneNaRule
            ;
naPolicy    : K_NA_FULL | K_FULL_MARKS | K_ZERO | K_NA_EXCLUDED | K_MOVE_TO nodeRef ;

// Veto: 否决 "廉洁纪律" 当 … => 取消资格 | 不得分 | 【案卷评查】 不得分
// An optional block after the effect holds the veto row's 栏目 (the same lines a node takes):
//   否决 "…" 当 … => 取消资格 { 指标说明 "…" 数据来源 "…" }
vetoDecl    : K_VETO STRING? K_WHEN expr ARROW vetoEffect SEMI? vetoMeta? ;
vetoEffect  : K_DISQUALIFY | nodeRef? K_ZERO ;
vetoMeta    : LBRACE metaEntry* RBRACE ;

// ───────────────────────────── readings (读法) ─────────────────────────────
// An ambiguous sentence of the source, its possible readings and the one the rubric adopts:
//   读法 技能比武计分 "获得省级…得2分，获得市级…得1分" { 累加: "…"  取最高: "…"  采用 累加  理由 "…" }
readingDecl : K_READING name STRING LBRACE readingItem* RBRACE ;
readingItem : K_ADOPT name SEMI?                             # readingAdopt
            | K_BECAUSE STRING SEMI?                         # readingReason
            | name COLON STRING SEMI?                        # readingOption
            ;

// ───────────────────────────── local names (令) ─────────────────────────────
// 令 基准比例 = (甲 ÷ 乙 + 丙 ÷ 丁) ÷ 2: a name for an expression, visible in every
// rule (top level) or in its node and the nodes below it (inside a node's braces).
letDecl     : K_LET name EQ expr SEMI? ;

// ───────────────────────────── awards, validation, cases ─────────────────────────────
awardDecl   : K_AWARD STRING (K_WHEN expr)? quota? awardIfNone* SEMI? ;
quota       : K_QUOTA INT K_BY expr (K_DESC | K_ASC)? tiePolicy? ;
// What happens to candidates tied at the N-th place: stated, never input order.
tiePolicy   : K_TIES_ALL                                         # tiesAll       // 并列一并列入
            | K_TIES_NONE                                        # tiesNone      // 并列时均不列入
            | K_TIES_PENDING                                     # tiesPending   // 并列时报告待定
            | K_TIE_BY tieKey (COMMA? K_THEN_BY tieKey)*         # tiesBreak     // 并列时按 总分 降序，再按 … 降序
            ;
tieKey      : expr (K_DESC | K_ASC)? ;
awardIfNone : K_IF_NONE name K_NA_EXCLUDED ;                     // 若无 「2018年排名」 不参与
validateDecl: K_VALIDATE STRING? (K_UNIQUE LPAREN nameList RPAREN | K_UNIQUE LPAREN elementFieldList RPAREN | K_WHEN expr
              | groupCount) SEMI? ;
// 按 所属地州市 计数(级别 = 县级) 在 1 至 2: per value of a field, how many records (meeting the condition)
groupCount  : K_BY name name LPAREN expr? RPAREN K_IN INT (K_TO | RANGE_SEP) INT ;
// 唯一(推选案卷.案卷编号, 抽选案卷.案卷编号): within one record, over the elements of its lists
elementFieldList : elementField (COMMA elementField)* COMMA? ;
elementField     : name DOT name ;
// Across two schemes: 校验 "…" 不共用(推荐案卷号, 抽查案卷号; 集体: 案卷号一, 案卷号二) — no value of these
// fields may appear in the columns named after 集体 of the other scheme's records (rubricc score --with 集体=文件).
crossCheckDecl : K_VALIDATE STRING? K_NOT_SHARED LPAREN nameList SEMI name COLON nameList RPAREN SEMI? ;
caseDecl    : K_CASE STRING caseReadings? LBRACE caseInput caseExpect RBRACE ;
caseReadings: K_READING caseReading (COMMA caseReading)* ;   // 读法 技能比武计分 = 取最高, …
caseReading : name (DOT name)? EQ name ;                     // 读法 装备.高于比例标准 = 超过比例: an imported scheme's
caseInput   : K_INPUT LBRACE caseValue* RBRACE ;
caseExpect  : K_EXPECT LBRACE caseValue* RBRACE ;
caseValue   : (name | nodeRef | STRING) COLON (literal | listLiteral | name | K_NA) SEMI? ;   // 【项】: 不适用
listLiteral : LBRACK (listElem (COMMA listElem)*)? RBRACK ;
listElem    : literal | name | LBRACE caseValue* RBRACE ;

// ───────────────────────────── expressions ─────────────────────────────
expr        : LPAREN expr RPAREN                               # parenExpr
            | K_NOT expr                                       # notExpr
            | MINUS expr                                       # negExpr
            | expr op=(TIMES | DIVIDE) expr                    # mulExpr
            | expr op=(PLUS | MINUS) expr                      # addExpr
            | expr cmpOp expr                                  # cmpExpr
            | expr K_IN expr (RANGE_SEP | K_TO) expr           # rangeExpr      // x 在 3 至 5
            | expr K_AND expr                                  # andExpr
            | expr K_OR expr                                   # orExpr
            | K_IF expr K_THEN expr K_ELSE expr                # condExpr       // 若 条件 则 甲 否则 乙
            | K_TOP number PERCENT? K_AVERAGE LPAREN expr COLON expr RPAREN  # topAvgExpr  // 前50%平均(轮次: 成绩)
            | name LPAREN expr COLON expr (K_BY expr)? RPAREN  # listAggExpr    // 最好(轮次: 表达式); 分组最高(工作: 分值 按 类别)
            | name LPAREN expr COMMA K_THROUGH INT RPAREN      # throughCallExpr // 连续年数(获奖年份, 截至 2024)
            | name LPAREN (expr (COMMA expr)*)? RPAREN         # callExpr       // 四舍五入(x, 1)
            | K_EACH_INDICATOR COLON expr                      # eachIndicatorExpr
            | nodeRef (DOT name)?                              # nodeRefExpr    // 【队伍建设】 / 【一】.分值
            | name DOT name                                    # memberExpr     // 装备.总分
            | literal                                          # literalExpr
            | name                                             # nameExpr
            // 前50%平均(选派人员 按 姓名: 平均(成绩)): the list's elements grouped by a field (按 before
            // the colon), one aggregate per group after it, then the outer aggregate over the groups
            | (K_TOP number PERCENT? K_AVERAGE | name) LPAREN expr K_BY expr COLON expr RPAREN  # groupAggExpr
            ;
cmpOp       : GE | LE | GT | LT | EQ | NE
            | K_REACH | K_EXCEED | K_BELOW | K_NOT_REACH | K_NOT_EXCEED | K_NOT_BELOW
            | K_NOT_LATER | K_EARLIER | K_LATER | K_NOT_EARLIER ;      // dates: ≤ < > ≥
nodeRef     : LBRACK (STRING | labelPath) RBRACK ;
labelPath   : (INT | DECIMAL | name) (DOT (INT | DECIMAL | name))* ;   // 一.1 / 1.1.2 (1.1 lexes as a decimal)
literal     : number K_POINTS?                                 # numberLit
            | number PERCENT                                   # percentLit
            | STRING                                           # stringLit
            | (K_YES | K_NO)                                   # boolLit
            | DATE                                             # dateLit
            ;
number      : INT | DECIMAL ;
nameList    : name (COMMA name)* COMMA? ;
name        : IDENT | QIDENT | softKeyword ;
// Words that are keywords in one place and ordinary names in another.
softKeyword : K_LEVELS | K_TARGET | K_NOTE | K_DEFAULT | K_RANGE | K_AVERAGE | K_ASC | K_DESC
            | K_READING | K_ADOPT | K_BECAUSE ;

// ───────────────────────────── lexer ─────────────────────────────
K_SCHEME      : '方案' | 'scheme' ;
K_PERIOD      : '期间' | 'period' ;
K_TO          : '至' | 'to' ;
K_LEVELS      : '级别' | 'levels' ;
K_TARGET      : '对象' | 'target' ;
K_INPUT       : '输入' | 'input' ;
K_PARAMS      : '参数' | 'params' ;
K_IMPORT      : '引用' | 'import' ;
K_AS          : '为' | 'as' ;
K_WHOLE_POP   : '全体另给' | 'whole_population' ;
K_ID_ATTR     : '标识' | 'id' ;
K_OPTIONAL    : '可缺' | 'optional' ;
K_DEFAULT     : '缺省' | 'default' ;
K_NOTE        : '说明' | 'note' ;
K_RANGE       : '范围' | 'range' ;
K_T_BOOL      : '是否' | 'bool' ;
K_T_INT       : '整数' | 'int' ;
K_T_COUNT     : '件数' | '次数' | '项数' | 'count' ;
K_T_DEC       : '小数' | 'decimal' ;
K_T_PCT       : '百分比' | 'percent' ;
K_T_TEXT      : '文本' | 'text' ;
K_T_ENUM      : '枚举' | 'enum' ;
K_T_LIST      : '列表' | 'list' ;
K_T_MONTHLY   : '月度' | 'monthly' ;
K_T_YEARS     : '年份集' | 'year_set' ;
K_T_DATE      : '日期' | 'date' ;
K_THROUGH     : '截至' | 'through' ;

K_INDICATOR   : '指标' | 'indicator' ;
K_SUBINDICATOR: '二级' | 'subindicator' ;
K_ITEM        : '项' | 'item' ;
K_SUBITEM     : '子项' | 'subitem' ;
K_DEDUCTION   : '扣分' | 'deduction' ;
K_BONUS       : '加分' | 'bonus' ;
K_POINTS      : '分' | 'pt' | 'pts' ;
K_MAX         : '最高' | '最多扣' | '最多' | 'max' ;
K_CAPPED      : '受上限' | 'capped' ;
K_UNCAPPED    : '可超出上限' | 'uncapped' ;
K_MAY_NEGATIVE: '可为负' | 'may_go_negative' ;
K_NO_OWN_LIMIT: '不设上限' | 'no_own_limit' ;
K_ACK         : '原文合计' | 'source_total' ;

K_WHEN        : '当' | 'when' ;
K_BY          : '按' | 'by' ;
PER_UNIT      : '每件' | '每项' | '每类' | '每次' | '每个' | '每份' | '每起' | '每人' | '每篇' | '每轮' | 'per' ;
K_EACH_MONTH  : '每月' | 'per_month' ;
K_TIERS       : '分档' | 'tiers' ;
K_LEVEL_BLOCK : '分级' | 'by_level' ;
K_BY_READING  : '按读法' | 'by_reading' ;
K_READING     : '读法' | 'reading' ;
K_ADOPT       : '采用' | 'adopt' ;
K_BECAUSE     : '理由' | 'because' ;
K_LET         : '令' | 'let' ;
K_IF          : '若' | 'if' ;
K_THEN        : '则' | 'then' ;
K_GET         : '得' | 'get' ;
K_DEDUCT      : '扣' | 'deduct' ;
K_STEP        : '每增加' | 'each_step' ;
K_GET_MORE    : '多得' | 'add' ;
K_ELSE        : '否则' | 'else' ;
K_AND_ABOVE   : '以上' | 'and_above' ;
POSTFIX_BOUND : '及以上' | '以下' | '以内' | '及以下' | 'or_more' | 'or_less' ;
K_NA          : '不适用' | 'not_applicable' ;
K_NA_FULL     : '不作要求' | 'not_required' ;
K_NA_EXCLUDED : '不参与' | 'excluded' ;
K_IF_NONE     : '若无' | 'if_none' ;
K_FULL_MARKS  : '满分' | 'full_marks' ;
K_ZERO        : '不得分' | 'zero' ;
K_MOVE_TO     : '计入' | 'move_to' ;
K_VETO        : '否决' | 'veto' ;
K_DISQUALIFY  : '取消资格' | 'disqualify' ;
K_AWARD       : '奖项' | 'award' ;
K_QUOTA       : '名额' | 'quota' ;
K_DESC        : '降序' | 'desc' ;
K_ASC         : '升序' | 'asc' ;
K_TIES_ALL    : '并列一并列入' | 'ties_included' ;
K_TIES_NONE   : '并列时均不列入' | 'ties_excluded' ;
K_TIES_PENDING: '并列时报告待定' | 'ties_pending' ;
K_TIE_BY      : '并列时按' | 'ties_by' ;
K_THEN_BY     : '再按' | 'then_by' ;
K_VALIDATE    : '校验' | 'validate' ;
K_UNIQUE      : '唯一' | 'unique' ;
K_NOT_SHARED  : '不共用' | 'not_shared' ;
K_CASE        : '用例' | 'case' ;
K_EXPECT      : '期望' | 'expect' ;
K_EACH_INDICATOR : '各指标' | 'each_indicator' ;
K_TOP         : '前' | 'top' ;
K_AVERAGE     : '平均' | 'average' ;

K_AND         : '且' | '并且' | 'and' ;
K_OR          : '或' | '或者' | 'or' ;
K_NOT         : '非' | '不是' | 'not' ;
K_IN          : '在' | 'in' ;
K_YES         : '是' | 'true' ;
K_NO          : '否' | 'false' ;
K_REACH       : '达到' | '不少于' | 'reaches' ;          // ≥ (含本数)
K_EXCEED      : '超过' | '高于' | '多于' | 'exceeds' ;   // >  (不含本数)
K_BELOW       : '不足' | '低于' | '少于' | 'below' ;     // <  (不含本数)
K_NOT_REACH   : '未达到' | 'not_reaching' ;              // <
K_NOT_EXCEED  : '不超过' | '不高于' | 'at_most' ;        // ≤
K_NOT_BELOW   : '不低于' | 'at_least' ;                  // ≥
K_NOT_LATER   : '不晚于' | 'not_later_than' ;            // ≤ (dates, 含本日)
K_EARLIER     : '早于' | 'earlier_than' ;                // <
K_LATER       : '晚于' | 'later_than' ;                  // >
K_NOT_EARLIER : '不早于' | 'not_earlier_than' ;          // ≥

ARROW    : '=>' | '⇒' | '→' | '＝＞' | '=》' | '＝》' ;   // Chinese punctuation mode types 》 for >
GE       : '>=' | '≥' | '＞＝' | '》=' | '》＝' ;
LE       : '<=' | '≤' | '＜＝' | '《=' | '《＝' ;
NE       : '!=' | '≠' ;
EQ       : '==' | '=' | '＝' ;
GT       : '>' | '＞' | '》' ;
LT       : '<' | '＜' | '《' ;
LPAREN   : '(' | '（' ;
RPAREN   : ')' | '）' ;
LBRACE   : '{' | '｛' ;
RBRACE   : '}' | '｝' ;
LBRACK   : '[' | '【' ;
RBRACK   : ']' | '】' ;
COLON    : ':' | '：' ;
SEMI     : ';' | '；' ;
COMMA    : ',' | '，' | '、' ;
DOT      : '.' | '．' | '。' ;   // 。 as typed in Chinese punctuation mode (【一。1】)
PLUS     : '+' | '＋' ;
MINUS    : '-' | '－' | '−' ;
TIMES    : '*' | '×' | '＊' ;
DIVIDE   : '/' | '÷' | '／' ;
PERCENT  : '%' | '％' ;
RANGE_SEP: '——' | '—' | '～' | '~' | '－－' | '--' ;

DATE     : [0-9][0-9][0-9][0-9] '-' [0-9][0-9]? ('-' [0-9][0-9]?)? ;
DECIMAL  : [0-9]+ '.' [0-9]+ ;
INT      : [0-9]+ ;
STRING   : '"' ( ~["\\\r\n] | '\\' . )* '"'
         | '“' ( ~[”\r\n] )* '”'
         ;
QIDENT   : '「' ~[」\r\n]+ '」' ;
IDENT    : ID_START ID_PART* ;
fragment ID_START : [\p{L}_] ;
fragment ID_PART  : [\p{L}_] ;

LINE_COMMENT  : ('//' | '＃' | '#') ~[\r\n]* -> channel(HIDDEN) ;
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN) ;
WS       : [ \t\r\n\u3000\u00A0\uFEFF]+ -> channel(HIDDEN) ;
// Anything else is one bad character: the parser reports it with its position.
ERROR_CHAR : . ;
