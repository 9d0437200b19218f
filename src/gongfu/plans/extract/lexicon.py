"""Word lists of the genre: target verbs, hedges, ambition words, record (past) markers, function words.

Each list is a compiled regex so a clause is scanned once. The comparator words follow gold/GUIDELINES.md.
"""

from __future__ import annotations

import re

# Verbs before a figure, by the comparator they imply. Longest first inside each alternation.
_GE_VERBS = (
    "迈上|跃上|站上|迈过|提高到|提高至|提升到|提升至|增加到|增加至|增长到|增长至|扩大到|扩大至|上升到|上升至|达到|达|突破|超过|超|"
    "不低于|不少于|高于|多于|大于|力争达到|进入|跻身|增到|增至|升到|升至|≥|>="
)
_LE_VERBS = (
    "控制在|控制到|降低到|降低至|降到|降至|降为|下降到|下降至|减少到|减少至|缩小到|缩小至|缩减到|压减到|"
    "压缩到|不超过|不高于|不大于|小于|低于|少于|控制|≤|<="
)
_EQ_VERBS = "持续稳定在|保持在|稳定在|维持在|保持|稳定|实现"
VERB_RE = re.compile(rf"(?P<ge>{_GE_VERBS})|(?P<le>{_LE_VERBS})|(?P<eq>{_EQ_VERBS})")

# A change stated as the change itself (no 到/至/为): 增长/增加 X → increase; 下降/减少 X → decrease.
CHANGE_RE = re.compile(
    r"(?P<per>年均|年平均|平均|每年)?(?:(?P<inc>增长|增加|提高|提升|增幅|增速|扩充|递增)|(?P<dec>下降|降低|减少|减排|压减|减量|递减))"
    r"(?!到|至|为|率|幅度|了|的|值|量|水平|能力|质量|效率|效益|覆盖|动能)"
)

# Hedges after a figure (以上, 以内 …) and the comparator they give.
HEDGE_RE = re.compile(r"\s*(?P<ge>及以上|以上)|\s*(?P<le>及以下|以下|以内|之内)|\s*(?P<eq>左右|上下)")

AMBITION_RE = re.compile(r"(?P<striving>力争|争取)|(?P<binding>确保)")

# Verbs that say the clause eliminates everything under a threshold (消除…13000元以下): the hedge flips.
ELIMINATE_RE = re.compile(r"消除|消灭|清零|全面消除|动态消除")

# Words that open a clause without being part of the indicator.
LEAD_RE = re.compile(
    r"^(?:\s|其中|同时|并|并且|且|和|及|以及|或|确保|力争|争取|努力|全力|实现|进一步|基本|全面|持续|今年|明年|全年|"
    r"“?十[一二三四五六七八九]五”?(?:时期|期间|末)?|"
    r"到\d{4}年|至\d{4}年|\d{4}年|到\d{4}年底|到\d{4}年末|“十四五”时期|“十四五”期间|十四五时期|期间|"
    r"上半年|下半年|[一二三四]季度|年底前|年内|末|底|前|[●■◆▲•·]|\d{1,2}[.、](?!\d)|,|,)+"
)
# Adverbs and ambition words that can sit between an indicator and its verb.
INNER_RE = re.compile(r"力争|争取|确保|分别")
TRAIL_RE = re.compile(
    r"(?:(?:比|较|与)(?:19|20)\d{2}年(?:底|末)?(?:相比)?|分别|均|大幅|稳步|逐步|持续|进一步|全面|基本|总体|的|要|将|能|可|按|"
    r"实现|上半年|下半年|[一二三四]季度|年底前|年内|\s)+$"
)

# Action verbs that introduce a count of things built or created (打造3个…, 创建8个…); the thing counted
# comes after the figure.
_ACTION_PREFIX = (
    "(?:我们将|今年将|全年|将|要|累计|新|再|共|力争|确保|成功|基本|全面|加快|每年|大力|稳妥|稳步|重点|扎实|"
    "滚动|继续|接续|持续|着力|全力|有序|统筹|深入|集中力量|全市|全县|全区|全省|全域|各地)*"
)
_ACTION_VERBS = (
    "新增|新建|新培育|新引进|新遴选|新改建|新改扩建|新开工|培育|打造|建设|建成|创建|创成|启动|完成|"
    "引进|引育|招引|实施|推出|设立|组建|开展|认定|评选|举办|选树|命名|扶持|布局|谋划|改造|提升|整治|"
    "提供|落实|开发|投用|筹集|新开|开通|增设|建立|推动|形成|培训|激活|盘活|腾退|复垦|新改扩建|"
    "抓好|推进|办好|打通|攻坚|安排|开办|新开办|组织|为|在|对|向|给"
)
ACTION_ONLY_RE = re.compile(rf"{_ACTION_PREFIX}(?:{_ACTION_VERBS})?")  # use with fullmatch
ACTION_PREFIX_RE = re.compile(rf"{_ACTION_PREFIX}(?:{_ACTION_VERBS})")  # use with match
# Prepositions: a figure right after one is context (围绕12个社会领域), not a goal.
PREPOSITION_RE = re.compile(r"(?:围绕|按照|依托|聚焦|针对|对照|结合|通过|面向|瞄准|立足|依据|根据|参照)$")
NEW_COUNT_PREFIX_RE = re.compile(r"^(?:累计)?(?:新增|新建|新培育|新引进|新遴选|新改建|新改扩建|新开工)")

# Region and scope words that may open a figure-first clause (全市50%以上的村…).
SCOPE_RE = re.compile(r"^(?:全市|全县|全区|全省|市区|市域|县域|城区|全域|各地|每个|所有)")

# Markers that a sentence reports the record rather than a goal: anywhere in the sentence …
RECORD_RE = re.compile(
    r"比上年|同比|去年|上年|“十三五”(?:期间|时期|以来)|十三五(?:期间|时期|以来)|过去五年|五年来|近五年|"
    r"近年来|截至|截止"
)
# Openers of a paragraph that reviews the past (这五年，我们… / 五年来 / “十三五”时期,是…): every figure of
# that paragraph is the record, not only those of its first sentence.
REVIEW_OPENER_RE = re.compile(
    r"^\s*(?:这五年|过去五年|五年来|近五年来|一年来|过去一年|这一年|十年来|这十年|回顾过去|"
    r"“十三五”(?:时期|期间|以来)|十三五(?:时期|期间|以来))"
)
# Counts of a document's own parts (提出30项重点任务, 设置26项指标, 6个方面): structure, not goals.
STRUCTURE_NOUN_RE = re.compile(
    r"^\s?(?:[^,;。、\s\d]{0,4}?)(?:指标|任务|举措|措施|方面|领域|板块|部分|章节|条目|重点工作|行动)(?![\u4e00-\u9fff]*(?:率|数|量))"
)
# … and, from where they stand, for the figures after them (巩固已有成果 does not void an earlier goal).
PAST_RE = re.compile(r"已经|已(?:有|达|建|完成|实现|累计|突破|成功|形成|超|连续|获|列入|确定|开工|竣工|投用)")
YEAR_RE = re.compile(r"(?<!\d)(?P<to>到|至|于|在)?(?P<y>(?:19|20)\d{2})年(?P<end>底|末)?")

# Clauses that define a target group or a standard rather than set a goal (以…为重点).
DEFINITION_RE = re.compile(
    r"以(?P<body>[^,;。]*?)为(?:重点|主|主体|核心|导向|抓手|标准|基础|依据|对象|单位|基准)"
)

# Section titles of review parts (回顾, 成就): figures there are the record, not goals.
REVIEW_TITLE_RE = re.compile(
    r"回顾|成就|过去五年|发展基础|现实基础|工作基础|基础条件|取得的成效|“十三五”.*(?:成效|成绩)"
)

# Words after a figure that make it a name or a label (“五水共治”, 百万亩国土绿化行动, …工程).
NAME_TAIL_RE = re.compile(r"^\s?[^,;。、\s\d]{0,6}?(?:工程|行动|计划|战略|活动|品牌|行动计划)(?:[,;。、]|$)")
