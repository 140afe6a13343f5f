"""The words that make a sentence a station claim, and the words around places and numbers.

Chinese terms are written simplified: sentences are matched in their
simplified form (see normalise). English terms are lower case: sentences are
matched lower-cased.

A *specific* term names an overseas station by itself (警侨驿站, "110
Overseas"). A *generic* term (工作站, "police station", "service center") is a
station only where the sentence also points abroad or at Chinese police: an
ordinary 服务站 or a police station in a crime report is not a claim.
"""

from __future__ import annotations

import re

from longarm.extract.cues import Cue

SPECIFIC_ZH = (
    "警侨驿站",
    "海外联络点",
    "警侨之家",
    "警侨联动服务中心",
    "警侨联动",
    "海外警务服务站",
    "海外警务站",
    "海外警察站",
    "海外派出所",
    "海外服务站",
    "海外服务中心",
    "海外服务点",
    "海外110",
    "国际110",
    "海外警侨服务站",
    "海外警侨服务中心",
    "警侨服务站",
    "警侨服务中心",
    "警侨工作站",
    "警侨联络站",
    "警侨联络点",
    "海外联络站",
    "海外工作站",
    "海外分中心",
    "海外站点",
    "海外联络服务站",
    "海外联络服务站点",
    "海外警侨联络站",
    "警民合作中心",
    "侨警合作中心",
    "警务合作中心",
    "海外警察局",
    "海外警局",
    "海外警署",
    "海外警察中心",
    "海外警察服务中心",
    "海外警务服务中心",
    "秘密警察站",
    "秘密警察局",
    "秘密警局",
    "秘密警站",
    "警侨事务站",
    "警侨事务海外服务站",
    "警侨事务海外服务点",
    "公安海外办事处",
    "海外华人派出所",
    "警察外联中心",
    "华人警民中心",
    "警察海外据点",
    "警察据点",
    "公安据点",
    "海外公安据点",
    "警察办事处",
    "公安办事处",
    "警务办事处",
)
GENERIC_ZH = (
    "分中心",
    "工作站",
    "联络站",
    "联络点",
    "服务站",
    "服务中心",
    "驿站",
    "分站",
    "服务点",
    "站点",
    "警务站",
    "警察站",
    "联络处",
    "警察局",
    "警局",
    "警站",
    "警岗",
    "警署",
    "警民中心",
    "派出所",
)
SPECIFIC_EN = (
    "overseas police service station",
    "overseas police station",
    "overseas chinese police service",
    "overseas chinese police station",
    "police service station",
    "police service center",
    "police service centre",
    "police service centers",
    "police service centres",
    "police and overseas chinese",
    "police-overseas chinese",
    "overseas police",
    "110 overseas",
    "overseas 110",
    "overseas service station",
    "overseas liaison station",
    "overseas liaison point",
    "overseas contact point",
    "police contact point",
    "police liaison point",
    "police liaison station",
    "linkage service center",
    "linkage service centre",
    "linkage station",
    "chinese police station",
    "china police station",
    "secret police station",
    "illegal police station",
    "police outpost",
    "community and police cooperation cent",
    "police cooperation cent",
    # Lesotho's Chinese Community and Security Cooperation Centre (CCSCC), like South Africa's 警民合作中心
    "security cooperation cent",
    "chinese police presence",
    "secret police presence",
    "covert police presence",
    "secret police hub",
    "police outposts",
    "overseas service centre",
    "overseas service center",
    "overseas police cent",
    "overseas chinese service cent",
    "police service centres",
    "unofficial police station",
    "undeclared police station",
    "clandestine police station",
    "covert police station",
)
GENERIC_EN = (
    "police station",
    "service station",
    "service center",
    "service centre",
    "liaison station",
    "liaison office",
    "contact point",
    "liaison point",
    "sub-station",
    "substation",
    "sub-center",
    "sub-centre",
    "subcenter",
    "branch center",
    "branch centre",
    "workstation",
    "outpost",
    "station",
    "police post",
    "police hub",
    "police base",
    "police office",
    "police cent",
    "service post",
    "liaison site",
    # stations named by what they are and where: "30 suspected offices outside China"
    "offices outside china",
    "offices abroad",
    "posts abroad",
    "facilities abroad",
)

# A Chinese police agency that opened a facility abroad names a station without a station word: "the Rotterdam
# center was opened by the police force in the Lishui prefecture", "the Qingtian security agency opened another
# site in Milan". These count only in a sentence with a jurisdiction and such a facility (FACILITY_OPENED_EN).
AGENCY_EN = ("security agency", "public security agency", "police force", "the police of")
# A Chinese police agency said to work abroad names a station without a station word too: "what these Chinese
# police are doing on Canadian soil", "the operations of the Wenzhou police authority began with a 2016 pilot
# project in Milan", 南通市公安局在韩国也运营有一处. These count only where the sentence says the agency operates,
# and abroad (OPERATING_EN / _ZH with a place abroad), and not where it patrols, trains or visits (AGENCY_AT_WORK_*).
# The pre-filter takes the leftmost, longest term: "chinese police" would hide the "police outpost" in "chinese police
# outpost", so Chinese police are found by the word after them, which begins no term.
OPERATING_AGENCY_EN = (
    "police authority",
    "police bureau",
    "public security bureau",
    *(f"chinese police {after}" for after in ("officers", "officials", "agents", "are", "have", "were", "had", "to")),
)
# 公安局 alone is in every other Chinese police report: a bureau operating abroad is one "in" a place (公安局在韩国)
OPERATING_AGENCY_ZH = (
    *("公安局在", "公安局已在", "公安局还在", "公安局也在"),
    *("中国警方", "中共警方", "中国警察在", "中国公安在", "中共公安在"),
)
NATIONAL_AGENCY_WORDS = ("chinese police", "中国警", "中共警", "中国公安", "中共公安")
AGENCIES = frozenset((*AGENCY_EN, *OPERATING_AGENCY_EN, *OPERATING_AGENCY_ZH))
OPERATING_EN = re.compile(
    r"\b(?:operat(?:e|es|ed|ing|ions?)|carr(?:y|ies|ied|ying)\s+out\s+(?:[\w-]+\s+)?(?:duties|work)|watching over"
    r"|(?:opened|set up|established|runs?|running)\b[^.;]{0,40}?\b(?:offices?|posts?|branch(?:es)?|hubs?|bases?|"
    r"points?|sites?|missions?|presence))\b"
)
OPERATING_ZH = re.compile(
    r"运营|运作|执行任务|开展工作|(?:设立|开设|建立|设置|成立)[^，。；]{0,12}?(?:办事处|据点|机构|分支|联络)"
)
OVERSEAS_ABROAD_ZH = re.compile(r"海外|境外|国外")
ABROAD_EN = re.compile(r"\b(?:overseas|abroad|on\s+[\w-]+\s+(?:soil|territory))\b")
# what Chinese police do abroad that is no station: joint patrols, liaison officers, training, visits, extraditions,
# a hotline at home
AGENCY_AT_WORK_EN = re.compile(
    r"\bpatrol|\bliaison officers?\b|\btraining\b|\bdelegations?\b|\binterpol\b|\bextradit|\bvisit|\bexchanges?\b"
    r"|\bfugitives?\b|\bfox hunt\b|\bsky net\b|\bcooperation agreement|\bhotlines?\b"
)
AGENCY_AT_WORK_ZH = re.compile(
    r"巡逻|联络官|培训|代表团|访问|交流|国际刑警|引渡|追逃|缉捕|猎狐|天网|执法合作|警务合作|热线"
)
FACILITY_NOUN_EN = r"(?:cent(?:er|re)|plant|site|office|branch|outpost|base|hub)s?"
FACILITY_OPENED_EN = re.compile(
    rf"\b{FACILITY_NOUN_EN}\b[^.;]{{0,60}}?\b(?:opened|set up|established|launched)\b"
    # "would have opened in June of 2018 the first Chinese office in Amsterdam"
    rf"|\b(?:opened|set up|established|launched)\s+(?:[\w-]+\s+){{0,8}}?{FACILITY_NOUN_EN}\b"
)

# A generic term counts only with one of these in the sentence (besides a
# jurisdiction, and, in Chinese text, a foreign place).
# stations counted across countries are abroad (在21个国家, "30 such stations in 21 countries")
OVERSEAS_SIGNAL_ZH = re.compile(r"海外|境外|国外|侨|中国|中共|涉华|统战|[0-9一二两三四五六七八九十几多]+\s*个国家")
OVERSEAS_SIGNAL_EN = re.compile(
    r"\b(?:chinese|china|prc|overseas|abroad|110|united front)\b"
    r"|\b(?:secret|clandestine|covert|undeclared|unofficial|illegal)\s+(?:foreign\s+|chinese\s+)?[“\"‘']?police\b"
    # "three unauthorised stations in the UK": no town's own police station is unauthorised
    r"|\b(?:unauthori[sz]ed|undeclared|unofficial|illegal|clandestine)\s+(?:[\w-]+\s+)?(?:stations?|outposts?)\b"
    # a town's own police station is not "alleged": "the alleged police stations in Toronto"
    r"|\b(?:alleged|so-called|suspected|purported)\s+[“\"‘']?police\s+(?:stations?|outposts?|service)"
    # "these police stations", "such police outposts", "one such outpost": stations the text has already said are
    # something else
    r"|\b(?:these|such|those)\s+(?:[\w-]+\s+){0,2}?[“\"‘']?police\s+(?:stations?|outposts?|service)"
    r"|\bsuch\s+(?:an?\s+)?(?:[\w-]+\s+)?outposts?\b"
    # "about 100 such stations around the world": a town's own police station is not around the world
    r"|\bstations?\b[^.;]{0,30}?\b(?:around the (?:world|globe)|worldwide|across the (?:world|globe))"
    # diasporas are where overseas stations work ("harmful targeting of diasporas in Canada")
    r"|\bdiasporas?\b"
    r"|\b(?:in|across|spanning)\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten|dozens of|several|multiple)\s+"
    r"(?:[a-z]+\s+)?(?:countries|nations|continents)\b"
    # the term in scare quotes (“previously known as police stations”): a town's own police station is not quoted
    # as a phrase; quoted speech ends with a full stop before the closing mark
    r"|[“\"][^”\".]{0,40}?\bpolice (?:stations?|outposts?|service cent(?:er|re)s?)[”\"]"
)

# Nouns a number may count. The first noun after a number decides what it counts.
COUNT_NOUNS_ZH = (
    ("countries", re.compile(r"国家|个国|国和地区|^国(?![内际外务])")),
    ("cities", re.compile(r"城市|座城|个市")),
)
STATION_NOUNS_ZH = re.compile(
    "|".join(sorted({*SPECIFIC_ZH, *GENERIC_ZH, "站", "点", "中心", "联络处"}, key=len, reverse=True))
)
NOT_STATION_NOUNS_ZH = re.compile(
    # 华人 is "Chinese" (两家华人社区中心), not people counted
    r"^[^，。；、,;]{0,6}?(?:(?<!华)人|名|位|次|件|起|宗|批|元|岁|年|月|日|天|小时|项|条|家企业|企业|"
    r"嫌疑|逃犯|案|电话|警力|民警|警察(?![「『“\"‘]?(?:服务|站|局|中心))|干警|联络员|志愿者|会员)"
)
CLASSIFIERS_ZH = "个座家处所"
NOT_COUNT_CLASSIFIERS_ZH = "人名位次件起宗批元岁年月日天项条万亿"

COUNT_NOUNS_EN = (
    ("countries", re.compile(r"countries|country|nations")),
    ("cities", re.compile(r"cities|city|towns")),
    (
        "stations",
        re.compile(
            r"stations|station|cent(?:er|re)s?|points?|outposts?|offices?|sub-?stations?|sub-?cent(?:er|re)s?|"
            r"workstations?|branch(?:es)?|posts?|locations?|sites?|venues?|hubs?|bases?|facilit(?:y|ies)|"
            r"addresses|antennas?"
        ),
    ),
)
NOT_COUNT_NOUNS_EN = re.compile(
    r"people|persons|person|officers|officials|staff|calls|cases|suspects|fugitives|leaders|volunteers|members|"
    r"employees|residents|years|months|days|hours|times|percent|operations|agents|individuals|families|"
    r"passports|licen[cs]es|documents|requests|criminals|nationals|citizens|victims|returns|targets"
)
# words that may stand between a number and the noun it counts ("two so-called overseas police stations")
BETWEEN_NUMBER_AND_NOUN_EN = re.compile(
    r"(?:additional|new|more|other|overseas|so-called|alleged|clandestine|chinese|police|service|liaison|contact|"
    r"illegal|secret|unofficial|such|known|documented|reported|covert|foreign|local|linkage|pilot|official|"
    r"undeclared|suspected|separate|different|european|african|surveillance|unregistered|informal|secret|similar|"
    r"community|these|those|of|\"|'|“|”|‘|’|110"
    # "police-run", "state-backed", "china-linked"
    r"|[a-z]+-(?:run|backed|linked|operated|affiliated|controlled|funded|owned|led|based|sponsored))"
)

QUALIFIERS_EN = (
    (
        "at_least",
        Cue(
            r"(?:at least|no fewer than|no less than|a minimum of)\s+$",
            anchors=("at least", "no fewer", "no less", "minimum"),
        ),
    ),
    (
        "more_than",
        Cue(
            r"(?:more than|over|in excess of|upwards of|above|beyond)\s+$",
            anchors=("more than", "over", "in excess", "upwards", "above", "beyond"),
        ),
    ),
    (
        "about",
        Cue(
            r"(?:nearly|almost|about|around|approximately|some|roughly|close to|an estimated)\s+$",
            anchors=(
                "nearly",
                "almost",
                "about",
                "around",
                "approximately",
                "some",
                "roughly",
                "close to",
                "estimated",
            ),
        ),
    ),
)
QUALIFIERS_ZH_BEFORE = (
    ("at_least", Cue(r"(?:至少|不少于|起码|最少)[^，。；,;、]{0,8}$", anchors=("少", "起码"))),
    ("more_than", Cue(r"(?:超过|逾|多于|高于|超)(?:了)?$", anchors=("超", "逾", "多于", "高于"))),
    ("about", Cue(r"(?:近|(?<!纽)约|大约|将近|接近|约有)(?:在|有|达)?$", anchors=("近", "约"))),
    ("more_than", Cue(r"上$", anchors=("上",))),  # 上百个: upwards of a hundred
)

# Establishment: a date counts only near one of these.
ESTABLISH_ZH = re.compile(
    r"设立|成立|建立|开设|设有|揭牌|授牌|挂牌|启用|启动|运行|建成|开通|落户|组建|新设|设置|开办|试点|开业|揭幕|筹建|投用"
)
ESTABLISH_EN = re.compile(
    r"\b(?:set up|setting up|sets up|established?|establishing|establishment|open|opened|opening|opens|"
    r"launch(?:ed|es|ing)?|inaugurat\w*|founded|unveil\w*|operating|operated|began|begun|started|starting|created|licen[cs]ed|pilot)\b"
)
REPORTING_ZH = re.compile(r"报道|报导|据悉|获悉|发布|表示|称|介绍|报告|披露|揭露|曝光|透露|关闭|逮捕|调查|指出")
REPORTING_EN = re.compile(
    r"\b(?:reported|reports|said|says|stated|told|wrote|published|announced|according|report|article|statement|"
    r"revealed|reveals|disclosed|exposed|uncovered|alleged|claimed|confirmed|"
    r"interview|investigation|closed|closure|shut|raided|arrested|charged)\b"
)
