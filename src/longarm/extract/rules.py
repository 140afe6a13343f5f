"""One sentence -> one station claim (or none): hosts, jurisdictions, counts, dates.

Everything here works on the sentence's matching form (same length as the
original), so every span is also a span of the original text.

A sentence is read in one of two ways (document.py decides which):
- a *term* sentence holds a station term (警侨驿站, "police station"); a
  generic term counts only with a sign that it is abroad and Chinese-run, or
  once the document is known to be about overseas stations;
- a *reference* sentence, near a term sentence in such a document, holds no
  term but refers back to the stations ("such stations", "the Rotterdam
  center", "two in Markham", 其中, 该站, 这些服务站): its places, counts and
  dates are read as the term sentence's would be.

Hosts, not bystanders: a place is a host unless a cue around it says it is
the origin of calls, the place of a press conference, the seat of a
consulate or of the organisation or outlet speaking, or a country that is
investigating. A cue at one end of a list ("calls from Spain, Italy and
France") applies to the whole list.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from longarm.extract import terms as T
from longarm.extract.cues import AnchoredAlternatives, Anchors, Cue, anchors_in
from longarm.extract.dates import find_dates
from longarm.extract.matcher import Mention, Term, find_names, find_terms
from longarm.extract.normalise import HAN, lower_same_length, matching_form
from longarm.extract.numbers import CHINESE_DIGITS, NUMBER_EN, NUMBER_ZH, english_numbers, parse_number
from longarm.geo.gazetteer import Name, names

PLACE_KINDS = ("country", "city", "region", "district")
PLACE_OR_DEMONYM = (*PLACE_KINDS, "demonym")
LIST_GAP = re.compile(r"^\s*(?:,|、|，|/|;|and|or|和|及|与|以及|跟|as well as|、\s*and)?\s*(?:the\s+)?$", re.IGNORECASE)
CLAUSE_END = re.compile(r"[.;,，。；:：()（）]")

# Cues (cues.py): each runs only in a sentence that holds one of its anchors
BYSTANDER_BEFORE = (
    (
        "call-origin",
        Cue(
            r"\b(?:calls?|phone calls?|inquiries|complaints|messages|requests)\b[^.;:]{0,40}\bfrom\s+(?:the\s+)?$",
            anchors=("call", "inquiries", "complaints", "messages", "requests"),
        ),
    ),
    ("call-origin", Cue(r"(?:来自|从)$", anchors=("来自", "从"))),
    (
        "press-conference",
        Cue(
            r"\b(?:press conference|news conference|press briefing)\s+(?:held\s+)?(?:in|at)\s+(?:the\s+)?$",
            anchors=("conference", "briefing"),
        ),
    ),
    (
        "press-conference",
        Cue(r"\b(?:told|briefed) (?:reporters|journalists)\s+in\s+(?:the\s+)?$", anchors=("reporters", "journalists")),
    ),
    (
        "based-in",
        Cue(
            r"\b(?:based|headquartered|registered)\s+in\s+(?:the\s+)?$",
            anchors=("based", "headquartered", "registered"),
        ),
    ),
    # "questions about whether such an operation exists in Trinidad and Tobago": asked about, not said to host
    (
        "concerned",
        Cue(
            r"\bwhether\s+(?:[\w-]+\s+){0,4}?(?:exists?|operates?|is operating|are operating)\s+in\s+(?:the\s+)?$",
            anchors=("whether",),
        ),
    ),
    # "spiked concerns about Thailand": a country worried about, not one said to host a station
    ("concerned", Cue(r"\bconcerns?\s+(?:about|over|for)\s+(?:the\s+)?$", anchors=("concern",))),
    ("residence", Cue(r"\b\d{1,3},\s+(?:of|from)\s+(?:the\s+)?$", anchors=("of", "from"))),  # "Lu, 61, of the Bronx"
    ("newspaper", Cue(r"\bjournal\s+d[eu]\s+$", anchors=("journal",))),  # "Le Journal de Montréal"
    (
        "official-response",
        Cue(
            r"\b(?:ministry|ministries|minister|parliament|court|courts|lawmakers?|mps?|senate|congress|government)"
            r"\s+(?:in|of)\s+(?:the\s+)?$",
            anchors=("minist", "parliament", "court", "lawmaker", "mp", "senate", "congress", "government"),
        ),
    ),
    (
        "consulate",
        Cue(
            r"\b(?:consul(?:ate)?(?:[ -]general)?|embassy|ambassador|envoy)\s+(?:in|to|at)\s+(?:the\s+)?$",
            anchors=("consul", "embassy", "ambassador", "envoy"),
        ),
    ),
    ("consulate", Cue(r"驻$", anchors=("驻",))),
    ("based-in", Cue(r"总部(?:设在|位于|设于)?$", anchors=("总部",))),
    # "protests against the president's visit to New York": a visit's place, not a host
    ("visit", Cue(r"\bvisit(?:s|ed|ing)?\s+(?:to\s+)?(?:the\s+)?$", anchors=("visit",))),
    # "except" only: "besides" and "apart from" also mean "as well as"
    (
        "excepted",
        Cue(
            r"\b(?:except|excluding|other than)\s+(?:for\s+)?(?:in\s+)?(?:the\s+)?$",
            anchors=("except", "excluding", "other than"),
        ),
    ),
    (
        "joint-patrol",
        Cue(
            r"\bjoint (?:police )?patrol(?:s|ling)?\b[^.;:]{0,40}\b(?:in|of|across)\s+(?:the\s+)?$", anchors=("joint",)
        ),
    ),
    (
        "investigating",
        Cue(
            r"\b(?:police|authorities|officials|governments?|prosecutors|investigators|lawmakers|agencies|regulators)\s+(?:in|of|from)\s+(?:the\s+)?$",
            anchors=(
                *("police", "authorities", "officials", "government", "prosecutors", "investigators", "lawmakers"),
                *("agencies", "regulators"),
            ),
        ),
    ),
)
BYSTANDER_AFTER = (
    # "Taiwan's National Security Bureau (NSB) said": a government's agency speaking
    (
        "official-response",
        Cue(
            r"^(?:'s|’s)\s+(?:[\w-]+\s+){0,3}?(?:bureau|ministry|agency|government|office|council|minister|president|"
            r"spokes(?:man|woman|person))\b[^.;]{0,40}?\b(?:said|says|told|stated|warned|reported)\b",
            anchors=("said", "says", "told", "stated", "warned", "reported"),
        ),
    ),
    # a newspaper named after its town: "the New York Times", "the Toronto Star"
    (
        "newspaper",
        Cue(
            # "TAIPEI (Taiwan News) —": an outlet in a dateline
            r"^\s+(?:times|post|star|gazette|herald|tribune|chronicle|examiner|observer|courier|telegraph|"
            r"free press|daily news|morning herald|journal|news(?=\s*\)))\b",
            anchors=(
                *("times", "post", "star", "gazette", "herald", "tribune", "chronicle", "examiner", "observer"),
                *("courier", "telegraph", "free press", "daily news", "morning herald", "journal", "news"),
            ),
        ),
    ),
    (
        "call-origin",
        Cue(r"^(?:等国|等地|等国家)?(?:的|打来的|拨打的)?(?:求助|报警)?(?:电话|来电)", anchors=("电话", "来电")),
    ),
    (
        "press-conference",
        Cue(r"^(?:召开|举行|举办)(?:的)?(?:新闻)?(?:发布会|记者会|说明会)", anchors=("发布会", "记者会", "说明会")),
    ),
    # "the Madrid-based NGO", not "a Glasgow-based dim sum restaurant" (premises: where a station is)
    (
        "based-in",
        Cue(
            r"^(?:-based|-headquartered)(?!\s+(?:[\w'’-]+\s+){0,2}?(?:restaurant|eatery|cafe|café|shop|store|"
            r"supermarket|business|office|building|premises|hotel|salon|realty|agency)\b)",
            anchors=("-based", "-headquartered"),
        ),
    ),
    (
        "based-in",
        Cue(
            r"^(?:等国|等国家)?(?:的)?(?:人权组织|人权团体|民权组织|维权组织|非政府组织|民间组织|组织|媒体|记者|报纸|电视台|广播|通讯社|智库|"
            r"研究机构|调查记者|议员|之声|之音|有线电视|新闻网|《)",
            anchors=(
                *("人权团体", "组织", "媒体", "记者", "报纸", "电视台", "广播", "通讯社", "智库", "研究机构", "议员"),
                *("之声", "之音", "有线电视", "新闻网", "《"),
            ),
        ),
    ),
    # 纽约总领事馆, 纽约中领馆, 纽约中共总领馆: the consulate's seat
    ("consulate", Cue(r"^(?:中共|中国|中)?(?:总)?(?:领事馆|领馆|大使馆|使馆)", anchors=("领事馆", "领馆", "使馆"))),
    # 中共政府、俄罗斯等势力干预: a power that interferes, not a host
    ("official-response", Cue(r"^(?:等)?(?:国家)?(?:的)?势力", anchors=("势力",))),
    (
        "investigating",
        Cue(
            r"^(?:等[^，。；、]{0,6}?(?:国家|国|地))?(?:政府|警方|当局)?(?:已|已经|正在|均|都|也)?(?:对|就)[^，。；]{0,30}"
            r"(?:展开|进行|启动|介入|开展)(?:了)?(?:调查|彻查)",
            anchors=("调查", "彻查"),
        ),
    ),
    (
        "investigating",
        Cue(
            r"^(?:警方|政府|当局|检方|外交部|内政部|司法部|安全部门|官方|国会|议会|联邦警察|皇家骑警|警察)?"
            r"(?:已|已经|正在|正|也|亦|将|均|都|一直|也一直)?(?:对此|就此)?(?:展开|进行|启动|介入|开展|着手|宣布|在)?(?:了)?"
            r"(?:调查|彻查)",
            anchors=("调查", "彻查"),
        ),
    ),
    (
        "investigating",
        Cue(
            r"^(?:'s|’s)?(?:\s+[a-z'’-]+){0,4}?\s+"
            r"(?:is|are|has|have|had|was|were|will|would|also|now|already|reportedly|launched|opened|began|started|\s)*"
            r"(?:an?\s+|its own\s+|their own\s+)?(?:investigat\w*|probe|probing|looking into|inquir\w*)",
            anchors=("investigat", "probe", "probing", "looking into", "inquir"),
        ),
    ),
    (
        "official-response",
        Cue(
            r"^(?:'s|’s)?\s+(?:foreign|interior|justice|home|state)\s+(?:ministry|minister|office|department|secretary)",
            anchors=("minist", "office", "department", "secretary"),
        ),
    ),
    (
        # a capital for its government: "Ottawa is seeking an explanation"
        "official-response",
        Cue(
            r"^\s+(?:(?:is|was)\s+(?:also\s+)?(?:seeking|asking|demanding|urging|insisting|protesting)"
            r"|(?:has|have|had)\s+(?:also\s+)?(?:sought|asked|demanded|summoned|denied|ordered|urged|protested|rejected)"
            r"|(?:also\s+)?(?:seeks|sought|asks|demands|demanded|summons|summoned|denies|denied|orders|urges|urged|"
            r"protested|responded|insisted|rejected))\b",
            anchors=(
                *("seek", "sought", "ask", "demand", "urg", "insist", "protest", "summon", "denie", "order", "reject"),
                "responded",
            ),
        ),
    ),
    (
        "investigating",
        # 包括德国、荷兰和加拿大在内的多个国家启动警方调查
        Cue(
            r"^(?:(?:等|在内的)[^，。；,;“”]{0,10}?)?(?:启动|展开|开展|进行|开始|着手|发动)(?:了)?(?:警方|相关|刑事)?"
            r"(?:调查|彻查)",
            anchors=("调查", "彻查"),
        ),
    ),
    (
        "local-police",
        Cue(r"^(?:市|州|当地)?(?:警察局|警局|警署|警方|警察厅)", anchors=("警察局", "警局", "警署", "警方", "警察厅")),
    ),
    (
        "investigating",
        Cue(
            r"^[^，。；,;]{0,12}?的?(?:政府|警方|当局)[^，。；,;]{0,6}?(?:正在|已经|已|开始|均|都)?(?:展开|进行|启动|开展)?"
            r"(?:调查|彻查)",
            anchors=("调查", "彻查"),
        ),
    ),
    # 引发加拿大、美国、德国等国家的严重关切: countries concerned, not hosts
    (
        "concerned",
        Cue(
            r"^(?:等[^，。；、]{0,6}?(?:国家|国|地))?(?:的)?(?:严重|高度|强烈|广泛)?(?:关切|关注|担忧|不满|抗议)",
            anchors=("关切", "关注", "担忧", "不满", "抗议"),
        ),
    ),
    # 南极洲以外的每个大陆: every continent but Antarctica (除了巴黎之外 may also mean "besides Paris": not read)
    ("excepted", Cue(r"^以外的(?:每|所有|其他|其它|各)", anchors=("以外的",))),
    # 在罗马、米兰等地参与联合巡逻; "joint patrols in Rome and Milan" (BYSTANDER_BEFORE)
    (
        "joint-patrol",
        Cue(
            r"^(?:等[^，。；、]{0,4}?(?:地|城市|国))?[^，。；]{0,6}?(?:联合巡逻|联合巡查|联巡)",
            anchors=("联合巡逻", "联合巡查", "联巡"),
        ),
    ),
    (
        "local-police",
        Cue(
            r"^(?:'s|’s)?\s+(?:police|metropolitan police|police service|police department)\b"
            r"(?! (?:station|outpost|post|service station|service cent|liaison|contact))",
            anchors=("police",),
        ),
    ),
)
# A term right after one of these is something else: a visa centre, a car's service centre, a community's own
# 警务站 at home.
LOOKALIKE_WORDS_EN = (
    *("visa", "application", "passport", "customer", "car", "auto", "dealership", "vehicle", "phone", "mobile"),
    "showroom",
    *("repair", "fire", "gas", "petrol", "fuel", "bus", "train", "rail", "metro", "subway", "space", "weather"),
    *("radio", "tv", "power", "charging", "ranger", "research", "tourist", "tourism", "information", "call", "data"),
    "service",
    # "Harare Central police station", "the biggest police station in the capital": a town's own
    *("central", "biggest", "largest", "main", "local", "nearest", "district", "municipal", "metropolitan"),
)
LOOKALIKE_BEFORE_EN = Cue(
    r"\b(?:visa|visas|application|passport|customer|customers|car|cars|auto|automotive|dealership|vehicle|vehicles|"
    r"showrooms?|"
    r"phone|mobile|repair|fire|gas|petrol|fuel|bus|train|railway|rail|metro|subway|space|weather|radio|tv|power|"
    r"charging|ranger|research|tourist|tourism|information|call|data|service|"
    r"central|biggest|largest|main|local|nearest|district|municipal|metropolitan)\s+(?:[a-z-]+\s+)?$",
    anchors=LOOKALIKE_WORDS_EN,
)
LOOKALIKE_WORDS_ZH = (
    *("签证", "社区", "街道", "街面", "综合", "消防", "加油", "汽车", "手机", "售后", "高速", "交警", "维修", "充电"),
    *("服务区", "出入境管理", "乡镇", "村", "两站", "家庭", "妇女", "青年", "志愿", "养老", "智慧", "智能", "治安"),
    *("交通", "巡逻", "便民", "领事保护", "领保", "边防"),
    # service centres at home: legal, government, party-and-masses, jobs, health, banking, customer services
    *("法务", "政务", "党群", "人才", "就业", "医疗", "卫生", "金融", "客户"),
    "公证",  # a notary's liaison point (海外公证联络点)
)
# the pattern is built from the words, so that the two never differ
LOOKALIKE_BEFORE_ZH = Cue("(?:" + "|".join(LOOKALIKE_WORDS_ZH) + ")[^，。；]{0,2}$", anchors=LOOKALIKE_WORDS_ZH)
# a station said not to exist: 并未在境内设置中国警察站, "China has not set up any police station", "there is no
# Chinese police station"
# (未经许可而设立: set up without permission, not "not set up")
NEGATED_BEFORE_ZH = Cue(
    r"(?:并未|未曾|从未|并没有|没有|不曾|尚未|未)(?:在[^，。；]{0,8}?)?(?:设置|设立|建立|开设|设有|成立)[^，。；]{0,12}$",
    anchors=("未", "没有", "不曾"),
)
NEGATED_BEFORE_EN = Cue(
    r"\b(?:has|have|had|did|does|do|was|were)\s+(?:not|never)\s+(?:been\s+)?"
    r"(?:set up|established?|opened?|run|operated?)\b[^.;]{0,40}$"
    r"|\bthere\s+(?:is|are|was|were)\s+no\s+(?:[\w-]+\s+){0,2}$",
    anchors=("not", "never", "there"),
)
# a joint patrol's post: 中老缅泰湄公河联合巡逻执法驻老挝孟莫联络点, "the joint patrol's liaison office in Rome"
JOINT_PATROL_BEFORE = Cue(
    r"(?:联合巡逻|联巡|联合执法|\bjoint (?:police )?patrols?\b)[^。；.;]*$",
    anchors=("联合巡逻", "联巡", "联合执法", "joint"),
)
# generic Chinese words for a police station, not a service station: a foreign place beside one is no sign
POLICE_WORDS_ZH = frozenset(("警察局", "警局", "警署", "警站", "警岗", "派出所", "警察站", "警务站"))
# the words for a police bureau: a foreign town's own where the words around say so (纽约警察局, 伦敦市警局)
POLICE_BUREAU_WORDS_ZH = ("警察局", "警局", "警署")
# a police chief's title (赫贡警察局长, 派出所所长): a person, not a station (sentences are read simplified)
CHIEF_AFTER_ZH = re.compile(r"(?:局|所|署)?长")
# a town's own police branch named in the sentence (新北市瑞芳警分局)
LOCAL_BRANCH_ZH = re.compile(r"警分局|警察分局|公安分局")
# between a foreign place and 警察局/警局/警署, what makes it that place's own police: 贝尔格莱德市警察局, 伦敦市警局,
# 美国司法部法警局 (not 在荷兰设立警察局, 罗马秘密警局)
# (巴黎20区警察局, 巴黎郊区警察局, 巴黎市内警局: a district's or the suburbs' police)
FOREIGN_POLICE_BETWEEN_ZH = re.compile(
    r"(?:第?[0-9一二三四五六七八九十]{1,3}区|郊区|市内|市区)?[市州省县郡区]?"
    r"(?:联邦|国家|内务部|司法部|首都|大都会|皇家|中央)?(?:法|交通|刑事)?"
)
# a federal police (澳联邦警察局), a police station one reports a crime at (到了报案的警局) or telephones
# (拨打某地方警局电话): the host's or a home town's own police, whatever else the sentence says
OWN_POLICE_BEFORE_ZH = re.compile(r"联邦$|[东西南北中]部$|(?:报案|报警|拨打|致电|打给)[^，。；]{0,8}$")  # 西部警署
OWN_POLICE_AFTER_ZH = re.compile(r"[^，。；]{0,3}(?:报案|报警)")  # matched at the term's end
# a post China built or gave to the host's own police, near the term: "handed over a magnificent police post",
# 援建的警务站
DONATED = Cue(
    r"\b(?:hand(?:ed|s|ing)?\s*over|handover|donat\w+|built for|constructed for|gift(?:ed)? to)\b|援建|捐建|捐赠",
    anchors=("hand", "donat", "built for", "constructed for", "gift", "援建", "捐建", "捐赠"),
)
# an Overseas Chinese Service Center (华助中心, an aid centre) is a station's look-alike unless police are named
POLICE_WORD = re.compile(r"\bpolice|\bpsb\b|public security|警")
# 派出所 is a police station at home unless the words before it say otherwise (海外派出所 is a specific term)
ABROAD_BEFORE_ZH = re.compile(r"(?:海外|境外|国外|秘密|非官方|地下|所谓|中国|中共)[^，。；]{0,6}$")
HOTLINE_AFTER = re.compile(
    r"[”\"」』]?\s*(?:报警|求助)?(?:服务台|专席|平台|电话|热线|受理|服务专窗|专窗|服务窗口)"
    r"|\s+(?:hotline|call cent|emergency line)"
)
# "Fuzhou Police Service Overseas Station": a police service, not a customer service
POLICE_SERVICE_BEFORE = re.compile(r"\bpolice\s+service\s+(?:[a-z-]+\s+)?$")
# a place before one of these is a region of its country, whatever else it names ("Valparaíso Region")
REGION_AFTER = re.compile(r"\s+(?:Region|Province|State|County|Prefecture|Department|Oblast|Governorate)\b")
# Words that refer back to stations named nearby: what makes a sentence without a term a reference sentence.
MADE_BY_AFTER = re.compile(r"\s+(?:set up|created|established|opened|run|operated)\s+by\b")
IN_COUNTRIES_AFTER = re.compile(
    r"\s+in\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|dozens of)\s+(?:[a-z]+\s+)?"
    r"(?:countries|nations)\b"
)
ORGANISATIONS_AS_STATIONS_AFTER = re.compile(
    r"(?:\s+[\w'’-]+){0,3}?\s+(?:organi[sz]ations|associations|groups|businesses|restaurants|shops|buildings|venues)"
    r"\s+(?:(?:that|which)\s+)?(?:were\s+|are\s+)?(?:alleged|suspected|accused|said|believed|reported)\s+(?:to|of)\s+"
    r"(?:operate|operating|act|acting|serve|serving|be|being|host|hosting|house|housing|run|running)\b"
    r"(?=[^.;]{0,40}\b(?:stations?|outposts?)\b)"
)
AT_LEAST_AFTER_EN = re.compile(r"\s*\(at least\)")
ONE_OF_BEFORE = re.compile(r"\bone of\s+(?:(?:more than|over|at least|nearly|about|some)\s+)?$")
WORLDWIDE_AFTER = re.compile(r"\s+(?:around the (?:world|globe)|worldwide|globally|across the (?:world|globe))")
REFERENCE_EN = re.compile(
    r"\b(?:such|these|those|similar|both|another|remaining|other)\s+(?:[\w'’“”\"-]+\s+){0,3}?(?:stations?|outposts?|"
    r"offices?|cent(?:er|re)s?|posts?|bases?|hubs?|sites?|locations?|venues?|bureaus?|branch(?:es)?|points?|"
    r"facilit(?:y|ies)|premises)\b"
    r"|\b(?:the|its|their|this|that|[a-z]+'s|[a-z]+’s)\s+(?:[\w'’“”\"-]+\s+){0,2}?(?:stations?|outposts?|"
    r"police posts?)\b"
    r"|\b(?:the|its|their)\s+(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:[\w'’“”\"-]+\s+){0,2}?"
    r"(?:offices|cent(?:er|re)s|posts|bases|hubs|sites|locations|venues|premises|facilities)\b"
    r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+)\s+(?:more\s+)?(?:of them\s+)?"
    r"(?:each\s+)?(?:is\s+|are\s+|were\s+|was\s+)?(?:located\s+)?(?:in|at)\s"
    r"|\b\d+ of (?:them|these|those)\b"
    r"|\b(?:they|them|most|some|many|half|all)\b[^.;]{0,30}\b(?:located|based|found|set up|opened|"
    r"established|operat\w+|run)\b"
    r"|\bthe sites? include"
    # "the office in Amsterdam was said to have opened in 2018", "spying ... from bases in Croydon and Hendon"
    # "the Chinese posts in Amsterdam and Rotterdam"
    r"|\bthe\s+(?:chinese\s+)?(?:offices?|cent(?:er|re)s?|branch(?:es)?|sites?|bases?|posts)\s+in\s"
    r"|\bfrom\s+(?:[\w-]+\s+)?(?:bases|premises|sites|locations)\s+in\s"
    r"|^\s*(?:which|where)\b"
    r"|^\s*(?:it|they)\s+(?:works?|operates?|reports?|answers?|(?:is|are|was|were)\s+(?:run|linked|tied|operated|overseen))\b"
    # "It opened in March 2022.", "They were set up in 2018."
    # "According to U.S. prosecutors, it was set up by officials at …"
    r"|^\s*(?:according to [^,;]{0,60},\s*)?(?:it|they)\s+(?:(?:was|were|had been|has been|have been)\s+)?"
    r"(?:opened|set up|established|launched|founded|inaugurated|began|started)\b"
    r"|\b(?:a further|another|an additional)\s+(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\b"
    # "why a hostile foreign adversary is permitted to operate in the heart of New York City"
    r"|\b(?:permitted|allowed|able|free|continu\w+)\s+to\s+operate\b"
    r"|\boperat(?:e|es|ing)\s+(?:openly\s+|freely\s+|covertly\s+|secretly\s+)?(?:in|out of)\s"
    # "China is doing that based on bilateral security arrangements with ..."
    r"|\b(?:is|are|was|were|been)\s+doing\s+(?:that|this|so)\b"
    # "the 14th center in Port Elizabeth", "the first office", "one base is on Sauchiehall Street"
    r"|\bthe\s+(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|latest|newest)\s+(?:[\w'’“”\"-]+\s+){0,2}?"
    r"(?:cent(?:er|re)|office|station|post|branch|site|outpost|facility|base|hub)\b"
    r"|\b(?:one|another)\s+(?:such\s+)?(?:base|outpost|office|cent(?:er|re)|post|site|hub|branch|location)\s+"
    r"(?:is|was|in|at|on)\b"
    # "Among 29 addresses on the list ... is a location on Great South Road in the Auckland suburb of Epsom"
    r"|\ban?\s+(?:location|address)\s+(?:on|in|at)\b|\baddresses\b"
    # "one of 54 alleged clandestine bases", "more than 100 offices in 53 countries"
    r"|\bone of (?:the\s+)?(?:more than\s+|at least\s+|over\s+|some\s+)?\d+\b"
    r"|\b\d+\s+(?:[\w-]+\s+){0,2}?(?:offices|sites|locations|outposts|cent(?:er|re)s|facilities|bases|hubs|branches)\s+"
    r"in\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|dozens of)\s+(?:[a-z]+\s+)?"
    r"(?:countries|nations)\b"
    # "an inquiry into four sites secretly set up in Glasgow, Belfast, Croydon and Hendon"
    r"|\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several)\s+(?:[\w-]+\s+){0,2}?(?:sites|offices|"
    r"locations|premises|outposts|cent(?:er|re)s|facilities|antennas)\s+(?:\w+\s+){0,2}?(?:set up|opened|established|"
    r"operating|located|run)\b"
)
REFERENCE_ZH = re.compile(
    r"其中|该站|该中心|该联络点|该服务站|此站|这些|此类|这类|上述|各有|各设|分别(?:设|位)于|位于|设在|设于|分布"
    r"|[一二两三四五六七八九十0-9]+\s*[个间处家座]\s*(?:在|位于|设在|设于)"
    # the same in traditional characters, so that a sentence is tested before it is converted
    r"|該站|該中心|該聯絡點|該服務站|這些|此類|這類|各設|分別(?:設|位)於|位於|設在|設於|分佈"
    r"|[一二兩三四五六七八九十0-9]+\s*[個間處家座]\s*(?:在|位於|設在|設於)"
)
# A sentence near a term sentence that names premises or where they are, without referring back ("Among 29
# addresses on the list is a location in the Auckland suburb of Epsom", 纽约的美国长乐公会): read for places only.
PREMISES_EN = re.compile(
    r"\b(?:located|premises|building|suburb|chinatown|district|street|road|avenue|restaurant|"
    r"association|headquarters)\b"
)
# A sentence right before or after a term sentence that speaks of where people live or went: its countries and
# counts are theirs ("足迹遍布美国、澳大利亚、新加坡等20多个国家", "Qingtian natives live in 120 countries")
PEOPLE_SPREAD = re.compile(
    r"侨胞|华侨|华人|村民|乡亲|遍布|分布|足迹|\b(?:live|lives|living|settled|emigrated|migrants?|diaspora|communities)\b"
)
# a unit named as police, not as where someone is from: "the Fuzhou police", "Qingtian County public
# security", 青田县公安
UNIT_POLICE_AFTER = re.compile(
    r"(?:'s|’s)?(?:[\s-]+(?:county|city|municipal|prefecture))?[\s-]+(?:police|public security|psb)\b"
    r"|(?:市|县|区)?(?:公安|警方)"
)
# (位于, 设在 already make a sentence refer back: REFERENCE_ZH)
PREMISES_ZH = re.compile(r"会馆|會館|协会|協會|商会|商會|公会|公會|同乡会|同鄉會|餐馆|餐館|大楼|大樓|唐人街|华埠|華埠")
# an elliptical count of stations: "two in Markham", "nine in Spain", 其中两个在荷兰, 各有三个
ELLIPSIS_EN = re.compile(
    r"\s+(?:more\s+)?(?:of them\s+)?(?:each\s+)?(?:(?:is|are|were|was)\s+)?"
    r"(?:located\s+|noted\s+|found\s+|identified\s+|reported\s+|documented\s+)?(?:here\s+|there\s+)?"
    # "three known to operate in Croydon, Hendon and Glasgow", "two here in London"
    r"(?:(?:known|said|believed|thought|reported|alleged)\s+to\s+(?:operate|be\s+operating|be)\s+)?"
    # "at least two more on United States soil"
    r"(?:in|at|on(?=\s+(?:the\s+)?(?:[\w.’'-]+\s+){1,3}(?:soil|territory)\b))\s+(?:the\s+)?"
)
ON_SOIL = re.compile(r"\s+(?:soil|territory)\b")
# "such police stations were operating at three British sites": a demonym before where stations are
DEMONYM_SITES_AFTER = re.compile(r"\s+(?:sites|locations|premises|addresses|cities|towns)\b")
NUMBER_OF_STATIONS = Cue(
    r"\bnumber of (?:such |these |the )?(?:[\w-]+\s+){0,2}?(?:stations|outposts|offices|cent(?:er|re)s|posts)\b"
    r"[^.;]{0,30}?\b(?:reached|rose to|grew to|stood at|was|is|totall?ed|hit)\s+(?:[a-z]+\s+){0,2}$"
    # "identified 54 such outposts, bringing the total number to 102": a running total of the stations
    r"|\b(?:bringing|brings|brought|taking|takes|took|raising|raises|raised|pushing|pushes)\s+(?:the|their|its)\s+"
    r"(?:total|tally|count|overall number)(?:\s+number)?\s+(?:of\s+(?:such\s+|these\s+)?[\w-]+\s+)?to\s+"
    r"(?:[a-z]+\s+){0,2}$",
    anchors=("number", "bring", "brought", "tak", "took", "rais", "push"),
)
ELLIPTICAL_ZH_AFTER = re.compile(r"^\s*[个间处家座]?\s*(?:在|位于|设在|设于)")
ELLIPTICAL_ZH_HAVE = re.compile(r"^\s*[个间处家座](?=$|[，。；,;、）)]|(?:站点|站)?(?:$|[，。；,;]))")
JURISDICTION_CUE_ZH = re.compile(
    r"^(?:市|县|区)?(?:的)?(?:地方|当地)?(?:公安|警|检察|法院|侨联|侨办|政府|统战|出入境|海内外警侨|籍侨团|海外|官员|当局)"
)
JURISDICTION_CUE_EN = re.compile(
    r"^(?:'s|’s)?(?:[\s-]+(?:county|city|municipal|district|prefecture|region|regional|local))?[\s-]+"
    r"(?:police|public security|psb|bureau|procuratorate|authorities|government|overseas|station|stations|service|"
    r"linkage|liaison|contact|run|based|officials|court|linked|backed|affiliated|branch|agenc|force|security agenc|"
    r"people's procuratorate|\"|“)"
    r"|^[\s-]+(?:county|prefecture)\b"
)
JURISDICTION_LEAD_EN = Cue(
    r"\b(?:run by|set up by|opened by|operated by|established by|linked to|tied to|belonging to|on behalf of)"
    r"\s+(?:the\s+)?(?:chinese\s+)?(?:cit(?:y|ies)\s+of\s+)?$"
    r"|\b(?:police|public security(?: bureaus?)?|psbs?|authorities|police forces?|officers|police agencies)\s+"
    r"(?:from|of|in)\s+(?:the\s+)?(?:chinese\s+)?(?:(?:cit(?:y|ies)|count(?:y|ies)|prefectures?|regions?)\s+)?"
    r"(?:of\s+)?$"
    r"|\bthe (?:chinese |eastern |southern |southeastern )?(?:cit(?:y|ies)|count(?:y|ies)|prefecture) of\s+$"
    r"|\b(?:police|public security)\s+(?:office|bureau|department|sub-bureau)\s+(?:in|of)\s+$"
    # "Chinese cities including Fuzhou and Qingtian have been setting up police service stations"
    r"|\bchinese (?:cit(?:y|ies)|count(?:y|ies)|towns?)\s+(?:including|such as|like)\s+$",
    anchors=(
        *("chinese cit", "chinese count", "chinese town"),
        *("run by", "set up by", "opened by", "operated by", "established by", "linked to", "tied to"),
        *("belonging to", "on behalf of", "police", "public security", "psb", "authorities", "officers"),
        *("city of", "cities of", "county of", "counties of", "prefecture of"),
    ),
)
NATIONAL_AGENCIES = {
    "rcmp": "CA", "royal canadian mounted police": "CA", "csis": "CA", "mounties": "CA", "fbi": "US", "mi5": "GB",
    "scotland yard": "GB", "garda": "IE", "gardaí": "IE", "carabinieri": "IT", "guardia civil": "ES", "asio": "AU",
}  # fmt: skip
NATIONAL_AGENCY = Cue(
    r"\b(?:" + "|".join(sorted(NATIONAL_AGENCIES, key=len, reverse=True)) + r")\b", anchors=NATIONAL_AGENCIES
)
# "a restaurant in southern Seoul denied ...": the place is where something is, not a capital speaking for its
# government ("Seoul denied ...")
LOCATIVE_BEFORE_EN = re.compile(r"\b(?:in|at|near|outside|inside|from|of)\s+(?:(?:the\s+)?[a-z-]+\s+)?$")
# a title before a transliterated name makes it a person's (刑侦局长马赛凯利: not Marseille)
PERSON_TITLE_BEFORE_ZH = re.compile(
    r"(?:局长|主席|部长|总统|总理|市长|议员|发言人|先生|女士|大使|领事|警长|处长|主任|书记|会长|司令|中将|少将|上校|警监|专员)$"
)
# a title and a first name before a place name make it a surname ("Attorney General Merrick Garland")
PERSON_TITLE_BEFORE = Cue(
    r"\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|General|Secretary|Minister|President|Senator|Governor|Judge|Justice|"
    r"Detective|Professor|Prof|Mayor|Chairman|Director|Ambassador|Attorney|Commissioner|Premier|MP)\.?\s+"
    r"(?:[A-Z][a-z]+\s+)?$",
    anchors=(
        *("mr", "ms", "dr", "sen", "rep", "gov", "gen", "secretary", "minister", "president", "judge", "justice"),
        *("detective", "prof", "mayor", "chairman", "director", "ambassador", "attorney", "commissioner", "premier"),
        "mp",
    ),
)
# a place name before a geographic feature names the feature ("the Taiwan Strait", "the Danube River")
FEATURE_AFTER = re.compile(r"\s+(?:strait|sea|river|gulf|channel|mountains|peninsula|ocean)s?\b")
# a unit named where something is (位于江南区): a place, not a runner
LOCATIVE_BEFORE_ZH = re.compile(r"(?:位于|设在|设于|位於|設在|設於)$")
# a unit that leads a visiting delegation (南通市公安局政治部主任顾坚率领的代表团 … 参观) visits the station
VISIT = Cue(r"参观|走访|考察|访问|慰问|视察|\bvisit", anchors=("参观", "走访", "考察", "访问", "慰问", "视察", "visit"))
DELEGATION_AFTER = re.compile(r"[^，。；,;.]{0,30}?(?:代表团|考察团|访问团|工作组|\bdelegations?\b)")
# "in the eastern city of Nantong" after a unit: where that unit is (its parent), told only to place it
PARENT_LEAD_EN = Cue(
    r"\bin\s+(?:the\s+)?(?:[a-z]+\s+)?(?:city|prefecture|province) of\s+$",
    anchors=("city of", "prefecture of", "province of"),
)
# Words that show a document is about overseas stations wherever they stand in it
DOCUMENT_SIGNAL = re.compile(
    r"safeguard defenders|保护卫士|保卫卫士|护卫捍卫者|海外110|110 overseas|overseas 110|劝返|persua\w+ to return|"
    r"transnational repression|跨国镇压|长臂管辖|patrol and persuade"
)
STATION_TOTAL_BEFORE_ZH = re.compile(
    rf"(?:{T.STATION_NOUNS_ZH.pattern})[」』”\"]?(?:的)?(?:数量|总数|数目|总量)[^，。；,;]{{0,10}}$"
)
ELLIPTICAL_TOTAL = re.compile(r"(?:共计|共有|总计|总数|合计|一共|共)(?:已|达|为|有)?(?:逾|超过|近|约|达)?$")
COUNT_BYSTANDER_AFTER = Cue(
    r"^[^.;,，。；]{0,40}?(?:investigat|looking into|\bprobe|调查)",
    anchors=("investigat", "looking into", "probe", "调查"),
)
# (因涉嫌在…设立…被捕: the date of an arrest on suspicion of setting one up)
DATE_ENDS_ZH = re.compile(
    r"^[^，。；]{0,4}(?:关闭|关停|撤销|撤除|被捕|逮捕|停业|歇业|因涉嫌|涉嫌)"
    # 2022年4月21日,副领事到长乐公会访问: the date of a visit
    r"|^[^。；]{0,24}?(?:到|赴|前往)[^，。；,;]{0,12}?(?:访问|参观|走访|考察|视察|慰问)"
)
DATE_REPORTED_EN = Cue(
    r"\b(?:said|says|reported|announced|published|revealed|stated|wrote|told)\s+(?:on\s+|in\s+)?$",
    anchors=("said", "says", "reported", "announced", "published", "revealed", "stated", "wrote", "told"),
)
# "said in court documents this month that …", "said in a statement in March": when it was said
DATE_REPORTED_IN_EN = Cue(
    r"\b(?:said|stated|wrote|revealed|announced|reported|alleged|claimed)\s+in\s+(?:an?\s+|the\s+|its\s+|their\s+)?"
    r"(?:court\s+|[\w-]+\s+)?(?:documents?|filings?|papers|statements?|reports?|interviews?|complaints?|"
    r"indictments?|letters?|posts?|releases?|briefings?)\s+(?:on\s+|in\s+)?$",
    anchors=("said", "stated", "wrote", "revealed", "announced", "reported", "alleged", "claimed"),
)
OTHER_START_EN = Cue(
    r"\b(?:campaign|operation|crackdown|program(?:me)?|scheme|effort|drive|initiative|policy|hotline|probe)s?,?\s+"
    r"(?:which|that)\s+(?:[\w-]+\s+){0,6}$",
    anchors=(
        *("campaign", "operation", "crackdown", "program", "scheme", "effort", "drive", "initiative", "policy"),
        *("hotline", "probe"),
    ),
)
NOT_FOUNDING_AFTER_EN = re.compile(
    r"\s+(?:to\s+|an?\s+|its\s+|their\s+|a\s+criminal\s+|a\s+formal\s+)?(?:investigat|probe|probing|inquir|enquir|"
    r"case|review|hearing|trial|talks|proceedings|lawsuit|looking into)"
    # "launched the Sky Net campaign in 2015": a campaign began then, not a station
    r"|\s+(?:an?|the|its|their)\s+(?:[\w'’-]+\s+){0,2}?(?:campaign|operation|crackdown|program(?:me)?|initiative|"
    r"hotline|website|app|appeal|petition)s?\b"
)
BODY_FOUNDED_ZH = re.compile(r"(?:同乡会|联合会|总会|协会|商会|侨团|社团|公会|会馆|公司|集团|学校|组织)(?:于|在)?$")
BODY_FOUNDED_EN = re.compile(
    r"\b(?:association|federation|chamber|council|society|club|church|company|firm|group|organi[sz]ation|ngo|"
    r"school|union|guild),?\s+(?:which\s+|that\s+)?(?:was\s+)?$"
)
NOT_FOUNDING_AFTER_ZH = re.compile(r"(?:了)?(?:专案组|调查组|工作组|调查|专案)")
EACH_HAS = re.compile(r"各(?:有|设)$")
REFERRED_AGAIN_ZH = re.compile(r"(?:这|这些|该|上述|此)$")  # 这54个站点: a count given before
REFERRED_AGAIN_EN = re.compile(r"\b(?:these|those)\s+$")  # "these 54 stations"
HALF_BEFORE = re.compile(r"\bhalf\s+(?:an?\s+)?$")  # "half a hundred"
# 两大服务中心 (two major centres) counts like 两个; 五大洲, 两大国 do not (continents, powers)
COUNTED_AFTER_ZH = re.compile(r"[个座家处所间多余国城]|大(?![洲洋国陆])")
CLASSIFIER_ZH = re.compile(r"\s*(多|余)?\s*([个座家处所间]|大(?![洲洋国陆]))?\s*(多|余)?")
HAVE_BEFORE_ZH = re.compile(r"(?:有|各有|其中|其中有|成立了|设立了|建立了|开设了|设有)[」』”\"]?$")
OR_MORE_ZH = re.compile(r"以上|多个")
NEXT_NUMBER_ZH = re.compile(rf"(?:[0-9]+|[{CHINESE_DIGITS}]+)(?=\s*[个座家处所多余国城])")  # 五大洲四十多个国家
NOT_A_COUNT_BEFORE_EN = re.compile(r"(?:[$#€£¥]|no\.\s?|number\s)$")
OF_THAN_BEFORE = re.compile(r"\b(?:of|than)\s+$")
FURTHER_BEFORE = re.compile(r"\b(?:a further|another|an additional|additional)\s+$")
QUALIFIER_AT_END = re.compile(r"(?:at least|more than|over|nearly|about)\s+$")
TOKEN_EN = re.compile(r"[^\s,.;:()]+|[,.;:()]")
SINCE_BEFORE_EN = re.compile(r"\bsince\s+$")
SINCE_BEFORE_ZH = re.compile(r"自(?:从)?$")
# "the 54 the group had identified in September", "were discovered in 2022": when they came to light
FOUND_BEFORE_EN = re.compile(
    r"\b(?:identified|discovered|found|uncovered|documented|detected|exposed|listed|flagged|counted)\s+"
    r"(?:[\w'’-]+\s+){0,2}?(?:in|on|by|as of|during)\s+(?:early\s+|late\s+|mid-?)?$"
)
REPORT_AFTER_EN = re.compile(r"^\s*(?:report|article|statement|interview|survey|study|investigation)")
# "arrested two New York residents in April for …": the date of the arrest (no establishing verb after the event)
EVENT_BEFORE_EN = re.compile(
    r"\b(?:arrested|charged|indicted|raided|closed|shut(?: down)?|detained|convicted|sentenced|searched|pleaded)\b"
    r"(?P<after>[^.;]{0,50})$"
)
DATE_ENDS_EN = re.compile(
    r"^[^.;,]{0,20}\b(?:closed|shut|raided|arrested|charged|ordered)\b"
    # "in April 2023, when the FBI raided a building": the date of the raid
    r"|^,?\s+when\s+[^.;,]{0,40}?\b(?:closed|shut|raided|arrested|charged|ordered|uncovered|discovered)\b"
)
COUNT_BYSTANDER_BEFORE = Cue(
    r"(?:police|authorities|agencies|governments|officials|investigations?|prosecutors)\s+(?:in|of|from)\s+$",
    anchors=("police", "authorities", "agencies", "governments", "officials", "investigation", "prosecutors"),
)


@dataclass
class Claim:
    """A sentence that claims stations, with what it says; spans are offsets into the document."""

    sentence: str
    start: int
    end: int
    terms: list[dict[str, Any]] = field(default_factory=list)
    countries: list[dict[str, Any]] = field(default_factory=list)
    cities: list[dict[str, Any]] = field(default_factory=list)
    regions: list[dict[str, Any]] = field(default_factory=list)
    jurisdictions: list[dict[str, Any]] = field(default_factory=list)
    counts: list[dict[str, Any]] = field(default_factory=list)
    dates: list[dict[str, Any]] = field(default_factory=list)
    bystanders: list[dict[str, Any]] = field(default_factory=list)
    # "term": the sentence holds a station term; "reference": it refers back to the term sentence ``anchor``
    basis: str = "term"
    anchor: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def evidence(self) -> list[dict[str, int]]:
        """The sentences (document offsets) that gave this claim's values: its own, and its term sentence's."""
        own = {"start": self.start, "end": self.end}
        if self.anchor is None:
            return [own]
        return [{"start": self.anchor["start"], "end": self.anchor["end"]}, own]


@dataclass
class DocumentContext:
    """What earlier sentences of the document said: for resolving ambiguous names, and whether the document
    is about overseas stations (a sentence with a specific term, or a generic one with a sign that it is abroad
    and Chinese-run, not a look-alike) - then generic and reference sentences are read too."""

    countries: dict[str, int] = field(default_factory=dict)
    provinces: set[str] = field(default_factory=set)  # adcode prefixes (2 digits) of Chinese units named
    # units already read as jurisdictions (name_zh): a later bare "Fuzhou" in the document is the same unit
    jurisdictions: set[str] = field(default_factory=set)
    about_stations: bool = False
    # what a sentence's reading looked up of earlier sentences' names, and found: ("jurisdiction", 青田县, True),
    # ("countries", ...), ("provinces", ...); the memo reuses a reading only where the same lookups find the same
    probes: list[tuple[Any, ...]] = field(default_factory=list)
    # whether the last sentence read held a station term (not a look-alike): a window is read around it
    last_had_terms: bool = False
    # the block being read (its document offset), and the countries named around a position in it, by stretch
    block: str = ""
    block_base: int = 0
    nearby_countries: dict[int, frozenset[str]] = field(default_factory=dict)
    # short names term sentences gave stations ("CCSCC", 合作中心), with the term sentence that gave each
    short_names: dict[str, dict[str, Any]] = field(default_factory=dict)


NEARBY = 1000  # characters: the countries "around" a place are those of its stretch and the ones either side


def countries_near(doc: DocumentContext, position: int) -> frozenset[str]:
    """The countries named within about NEARBY characters of a document position, by a country, region or
    demonym, or a national agency ("a police station in Richmond. ... Richmond RCMP"): for a place no earlier
    sentence resolves. Found only where a place needs them, once per stretch."""
    stretch = max(0, position - doc.block_base) // NEARBY
    found = doc.nearby_countries.get(stretch)
    if found is None:
        text = matching_form(doc.block[max(0, (stretch - 1) * NEARBY) : (stretch + 2) * NEARBY])
        low = lower_same_length(text)
        named = {n.country for m in find_names(text) for n in m.meanings if n.kind in ("country", "region", "demonym")}
        named |= {NATIONAL_AGENCIES[a.group()] for a in NATIONAL_AGENCY.finditer(low, anchors_in(low))}
        found = doc.nearby_countries[stretch] = frozenset(named - {"CN"})
    return found


def pick_nearby(doc: DocumentContext, options: tuple[tuple[str, int], ...], position: int) -> str | None:
    """Of an ambiguous place's (country, population) meanings, the most populous in a country named near it."""
    named = countries_near(doc, position)
    inside = [(population, country) for country, population in options if country in named]
    return max(inside)[1] if inside else None


def _span(base: int, start: int, end: int, original: str) -> dict[str, Any]:
    return {"text": original[start:end], "start": base + start, "end": base + end}


def _groups(mentions: list[Mention], text: str) -> list[list[Mention]]:
    """Mentions joined by list separators (、 , and 和) into lists."""
    groups: list[list[Mention]] = []
    for mention in mentions:
        if groups and LIST_GAP.match(text[groups[-1][-1].end : mention.start]):
            groups[-1].append(mention)
        else:
            groups.append([mention])
    return groups


def _clause_before(low: str, start: int, width: int = 80) -> str:
    return low[max(0, start - width) : start]


def _clause_after(low: str, end: int, width: int = 80) -> str:
    return low[end : end + width]


def _bystander_reason(group: list[Mention], low: str, anchors: Anchors) -> str | None:
    # one search per pattern: measured faster than one alternation of them all (which Python's engine tries
    # branch by branch at every position)
    before = _clause_before(low, group[0].start)
    for reason, pattern in anchors.usable(BYSTANDER_BEFORE):
        if pattern.search(before):
            return reason
    after = _clause_after(low, group[-1].end)
    for reason, pattern in anchors.usable(BYSTANDER_AFTER):
        # "a restaurant in southern Seoul denied ...": where something is, not a capital speaking
        if pattern.search(after) and not (
            reason == "official-response" and LOCATIVE_BEFORE_EN.search(before) is not None
        ):
            return reason
    return None


# What a surface's meanings say, worked out once per surface (a mention's meanings are names()[surface]).


@cache
def _foreign_places(surface: str) -> tuple[tuple[Name, ...], Name | None]:
    """The foreign place meanings of a surface, and the one it is whatever the context: the first country,
    region or district, or the only place (None where the context decides)."""
    places = tuple(n for n in names()[surface] if n.kind in PLACE_KINDS and n.country != "CN")
    for kind in ("country", "region", "district"):
        of_kind = [n for n in places if n.kind == kind]
        if of_kind:
            return places, of_kind[0]
    return places, places[0] if len(places) == 1 else None


@cache
def _place_or_demonym(surface: str) -> bool:
    return any(n.kind in PLACE_OR_DEMONYM for n in names()[surface])


@cache
def _only_demonym(surface: str) -> bool:
    return all(n.kind == "demonym" for n in names()[surface])


@cache
def _jurisdiction_meanings(surface: str) -> tuple[Name, ...]:
    return tuple(n for n in names()[surface] if n.kind == "jurisdiction")


def _pick_place(mention: Mention, context: set[str], doc: DocumentContext, at: int) -> Name | None:
    """The meaning of an ambiguous place name (``at``: its sentence's document offset): a country first, then
    one in a country the sentence names, then one earlier sentences name, then one named around it, then a
    place the dataset documents, then the most populous."""
    places, fixed = _foreign_places(mention.surface)
    if not places:
        return None
    if fixed is not None:
        return fixed
    near = [n for n in places if n.country in context]
    if near:
        return near[0]
    in_document = [n for n in places if n.country in doc.countries]
    chosen = max(in_document, key=lambda n: (doc.countries[n.country], n.population)) if in_document else None
    # the choice depends on what earlier sentences named: the memo checks that it would be the same
    doc.probes.append(
        ("countries", tuple((n.country, n.population) for n in places), chosen.country if chosen else None)
    )
    if chosen is not None:
        return chosen
    options = tuple((n.country, n.population) for n in places)
    around = pick_nearby(doc, options, at + mention.start)
    doc.probes.append(("nearby", options, around, mention.start))  # the memo checks it where the sentence recurs
    if around is not None:
        return max((n for n in places if n.country == around), key=lambda n: n.population)
    documented = [n for n in places if n.in_dataset]
    return documented[0] if documented else places[0]


def _contains(parent: Name, child: Name) -> bool:
    """Whether ``parent`` (a province or prefecture) contains ``child``, by adcode prefix."""
    if parent.kind not in ("province", "jurisdiction") or not parent.key or not child.key or parent.key == child.key:
        return False
    prefix = parent.key.rstrip("0")
    return len(prefix) >= 2 and child.key.startswith(prefix)


def _jurisdiction_options(mention: Mention) -> tuple[Name, ...]:
    return _jurisdiction_meanings(mention.surface)


def _jurisdiction_cued(mention: Mention, text: str, low: str, mentions: list[Mention], anchors: Anchors) -> bool:
    """Whether a police or government word (or the unit's parent, or 由) marks the name as a jurisdiction."""
    options = _jurisdiction_options(mention)
    if mention.surface.isascii():
        return bool(JURISDICTION_CUE_EN.match(low[mention.end : mention.end + 60])) or bool(
            JURISDICTION_LEAD_EN.search(low[max(0, mention.start - 60) : mention.start], anchors)
        )
    if JURISDICTION_CUE_ZH.match(text[mention.end : mention.end + 8]):
        return True
    # 浙江青田, 温州瑞安: right after the province or prefecture it belongs to
    if any(
        other.end == mention.start and any(_contains(n, o) for n in other.meanings for o in options)
        for other in mentions
    ):
        return True
    return text[max(0, mention.start - 4) : mention.start].endswith("由")


def _pick_jurisdiction(usable: list[Name], mentions: list[Mention], doc: DocumentContext) -> Name:
    """Of same-named units (English Lishui: 丽水市 or 溧水区), the one whose parent is named, then one in a
    province the document names, then the prefecture."""
    if len(usable) == 1:
        return usable[0]
    named = {n.name_zh for m in mentions for n in m.meanings if n.kind in ("jurisdiction", "province")}

    def rank(n: Name) -> tuple[bool, bool, bool]:
        return (n.parent_zh in named, n.key[:2] in doc.provinces, n.level == "prefecture")

    doc.probes.append(("provinces", tuple((n.key[:2], n.key[:2] in doc.provinces) for n in usable)))
    return max(usable, key=rank)


def _jurisdictions(
    text: str, low: str, mentions: list[Mention], doc: DocumentContext, anchors: Anchors
) -> dict[int, Name]:
    """Mention start -> the jurisdiction it names, where it is one."""
    cued: dict[int, bool] = {}
    for mention in mentions:
        if _jurisdiction_options(mention):
            cued[mention.start] = _jurisdiction_cued(mention, text, low, mentions, anchors)
    # "the Fuzhou and Qingtian police agencies": a cue at one end of a list is the whole list's
    candidates = [m for m in mentions if m.start in cued]
    for first, second in itertools.pairwise(candidates):
        gap = low[first.end : second.start]
        if gap.strip() and LIST_GAP.match(gap) and (cued[first.start] or cued[second.start]):
            cued[first.start] = cued[second.start] = True
    found: dict[int, Name] = {}
    for mention in candidates:
        options = _jurisdiction_options(mention)
        if not cued[mention.start]:
            # whether a bare name counts depends on the units named earlier
            for n in options:
                if n.needs_cue:
                    doc.probes.append(("jurisdictions", n.name_zh, n.name_zh in doc.jurisdictions))
        if not cued[mention.start] and LOCATIVE_BEFORE_ZH.search(text[max(0, mention.start - 3) : mention.start]):
            continue  # 位于江南区的某间中餐厅: where a station is (Seoul's Gangnam), not who runs it
        usable = [n for n in options if cued[mention.start] or not n.needs_cue or n.name_zh in doc.jurisdictions]
        if usable:
            found[mention.start] = _pick_jurisdiction(usable, mentions, doc)
    visiting = bool(found) and VISIT.search(low, anchors) is not None
    for mention in [m for m in candidates if m.start in found]:
        name = found[mention.start]
        if visiting and DELEGATION_AFTER.match(low, mention.end):
            del found[mention.start]  # 南通市公安局…率领的代表团…参观: a visiting delegation, not the runner
        elif PARENT_LEAD_EN.search(low[max(0, mention.start - 40) : mention.start], anchors) and any(
            other.parent_zh == name.name_zh for other in found.values()
        ):
            del found[mention.start]  # "the Hai'an police force in the eastern city of Nantong": Hai'an's parent
    return found


def _near_han(text: str, start: int, end: int) -> bool:
    """Whether a number sits in Chinese text: a Han character next to it, spaces aside (在 53 个国家)."""
    before = text[max(0, start - 3) : start].rstrip()
    after = text[end : end + 3].lstrip()
    return bool((before and HAN.match(before[-1])) or (after and HAN.match(after[0])))


def _counts(
    text: str,
    low: str,
    term_list: list[Term],
    base: int,
    original: str,
    place_starts: set[int],
    anchors: Anchors,
    zh: bool,
) -> list[dict[str, Any]]:
    inside_term = [(t.start, t.end) for t in term_list]
    found: list[dict[str, Any]] = []
    for m in NUMBER_ZH.finditer(text) if zh else ():
        if HAN.search(m.group()) is None and not _near_han(text, m.start(), m.end()):
            continue  # an Arabic number in English text: handled below
        lead = text[max(0, m.start() - 3) : m.start()]
        if any(s <= m.start() < e for s, e in inside_term) or (
            lead[-1:] in ("第", "唯", "统", "之", "数", "几")
            or ("各" in lead and not EACH_HAS.search(lead))
            or (lead[-1:].isascii() and lead[-1:].isalpha())
            or (m.group() == "110" and not COUNTED_AFTER_ZH.match(text, m.end()))
        ):
            # 第三, 唯一, 统一, 各国, 数十 (dozens), G7: no count; 各有三个 is one; 110 with nothing counted after it is
            # the police's emergency number (海外110, 推广110、设立警察站), not a number of stations
            continue
        after_number = text[m.end() : m.end() + 2]
        if m.group()[0] in CHINESE_DIGITS and not COUNTED_AFTER_ZH.match(after_number):
            continue  # 万象, 一批: a numeral character inside a word, not a count
        if (m.group() == "两" and after_number.startswith("国")) or text.startswith("国集团", m.end()):
            continue  # 两国: the two countries of a bilateral agreement, 七国集团: the G7; not counts of hosts
        if after_number.startswith(("大洲", "大洋", "洲")) or REFERRED_AGAIN_ZH.search(lead):
            continue  # 五大洲: continents; 这54个站点: the count given before, referred to again
        value = parse_number(m.group())
        if value is None or value == 0:
            continue
        qualifier = "exact"
        for name, pattern in anchors.usable(T.QUALIFIERS_ZH_BEFORE):
            if pattern.search(text[max(0, m.start() - 6) : m.start()]):
                qualifier = name
        pos = m.end()
        rest = text[pos : pos + 24]
        suffix = CLASSIFIER_ZH.match(rest)
        assert suffix is not None
        if suffix.group(1) or suffix.group(3):
            qualifier = "more_than"
        after = rest[suffix.end() :]
        if not suffix.group(2) and after[:1] and after[0] in T.NOT_COUNT_CLASSIFIERS_ZH:
            continue
        what = _zh_count_noun(after)
        elliptical = suffix.group(2) and ELLIPTICAL_TOTAL.search(text[max(0, m.start() - 6) : m.start()])
        if what is None and elliptical and (not after or CLAUSE_END.match(after)):
            what = ("stations", 0)  # 共计9个, 总数逾百个: a total of the stations the sentence names
        noun_before = STATION_TOTAL_BEFORE_ZH.search(text[max(0, m.start() - 24) : m.start()])
        if what is None and suffix.group(2) and noun_before:
            what = ("stations", 0)  # 站点数量已经超过100个, 站点总数达到8个: the noun before the number
        if what is None and (
            ELLIPTICAL_ZH_AFTER.match(text[pos : pos + 6])
            or (
                HAVE_BEFORE_ZH.search(text[max(0, m.start() - 4) : m.start()])
                and ELLIPTICAL_ZH_HAVE.match(text[pos : pos + 6])
            )
        ):
            # 其中两个在荷兰, 各有三个, 满地可有两间: stations, the noun left out
            what = ("stations", 0)
        if what is None:
            continue
        noun_end = pos + suffix.end() + what[1]
        if OR_MORE_ZH.match(text[noun_end : noun_end + 2]):
            qualifier = "more_than"
        if what[0] != "stations" and COUNT_BYSTANDER_AFTER.search(text[noun_end : noun_end + 40], anchors):
            continue  # 十多个国家已展开调查: countries investigating; stations under investigation still count
        found.append(
            {"what": what[0], "value": value, "qualifier": qualifier, **_span(base, m.start(), noun_end, original)}
        )
    for m in english_numbers(low, anchors):  # NUMBER_EN's matches
        raw = m.group().rstrip("+").removesuffix("-plus")
        if any(s <= m.start() < e for s, e in inside_term):
            continue  # "overseas 110"
        if zh and HAN.search(text[max(0, m.start() - 1) : m.end() + 1]):
            continue
        value = parse_number(raw)
        if value is None or value == 0:
            continue
        if len(raw) == 4 and raw.isdigit() and 1900 <= value <= 2099:
            continue  # a year
        before = low[max(0, m.start() - 30) : m.start()]
        if NOT_A_COUNT_BEFORE_EN.search(before) or (
            low[m.end() : m.end() + 1] in ("%", ".") and low[m.end() + 1 : m.end() + 2].isdigit()
        ):
            continue
        if REFERRED_AGAIN_EN.search(before) or (value == 1 and low.startswith(" of ", m.end())):
            continue  # "these 54 stations": the count given before, referred to again; "one of the stations"
        qualifier = "more_than" if m.group(1) else "exact"
        for name, cue in T.QUALIFIERS_EN:
            if cue.search(before, anchors):
                qualifier = name
        if HALF_BEFORE.search(before) and raw.split()[-1] in ("hundred", "dozen"):
            value, qualifier = value // 2, "about"  # "half a hundred": about fifty
        noun = _en_count_noun(text, low, m.end())
        if noun is None:
            # "two in Markham and one in Scarborough": stations, the noun left out, before a host place
            ellipsis = ELLIPSIS_EN.match(low, m.end())
            if ellipsis is not None and ellipsis.end() in place_starts and not OF_THAN_BEFORE.search(before):
                noun = ("stations", m.end())
            elif low.startswith((" of them", " of these", " of those"), m.end()):
                noun = ("stations", m.end())  # "Wenzhou police had set up 12 of them"
            elif NUMBER_OF_STATIONS.search(low[max(0, m.start() - 90) : m.start()], anchors):
                noun = ("stations", m.end())  # "the number of such stations had reached 40"
            elif FURTHER_BEFORE.search(before) and not low[m.end() : m.end() + 2].strip(" ")[:1].isalpha():
                noun = ("stations", m.end())  # "identified a further 24."
            elif ONE_OF_BEFORE.search(before) and WORLDWIDE_AFTER.match(low, m.end()):
                noun = ("stations", m.end())  # "an outpost, one of more than 100 around the world"
            elif ORGANISATIONS_AS_STATIONS_AFTER.match(low, m.end()):
                noun = ("stations", m.end())  # "two Montreal Chinese organizations alleged to operate as … stations"
            elif MADE_BY_AFTER.match(low, m.end()) or IN_COUNTRIES_AFTER.match(low, m.end()):
                # "29 stations set up by Nantong, and 12 created by Wenzhou"; "among more than 100 in 53 countries"
                noun = ("stations", m.end())
            else:
                continue
        counted, noun_end = noun
        if AT_LEAST_AFTER_EN.match(low, noun_end):
            qualifier = "at_least"  # "54 stations (at least) were identified"
        investigating = counted != "stations" and COUNT_BYSTANDER_AFTER.search(low[noun_end : noun_end + 50], anchors)
        if investigating or COUNT_BYSTANDER_BEFORE.search(QUALIFIER_AT_END.sub("", before), anchors):
            continue
        found.append(
            {"what": counted, "value": value, "qualifier": qualifier, **_span(base, m.start(), noun_end, original)}
        )
    return found


def _zh_count_noun(after: str) -> tuple[str, int] | None:
    """What a Chinese number counts, from the words after it, and where that word ends."""
    window = CLAUSE_END.split(after, maxsplit=1)[0][:16]
    # 五大洲四十多个国家: the 国家 belongs to the next number, not to 五
    window = NEXT_NUMBER_ZH.split(window, maxsplit=1)[0]
    candidates: list[tuple[int, int, str]] = []
    for what, pattern in T.COUNT_NOUNS_ZH:
        hit = pattern.search(window)
        if hit:
            candidates.append((hit.start(), -hit.end(), what))
    hit = T.STATION_NOUNS_ZH.search(window)
    if hit:
        candidates.append((hit.start(), -hit.end(), "stations"))
    stop = T.NOT_STATION_NOUNS_ZH.match(window)
    if stop:
        candidates.append((stop.end() - 1, -stop.end(), ""))
    if not candidates:
        return None
    _start, negative_end, what = min(candidates)
    return (what, -negative_end) if what else None


# words that end the search for a number's noun: what follows them is no longer the number's noun phrase
NOT_BETWEEN_EN = frozenset(
    re.findall(
        r"\w+",
        "in at on to from by for with into onto over under near per than as the a an this that these those which who "
        "whom whose what is are was were be been being has have had do does did will would can could may might shall "
        "should must not no nor but or if then so because while when where after before since until",
    )
)
COUNTED_EN = frozenset(what for what, _pattern in T.COUNT_NOUNS_EN)


@lru_cache(maxsize=1 << 14)  # a word's kind depends on the word alone, and words repeat
def _word_after_number(word: str) -> str:
    """What a word after an English number is: what it counts (countries, cities, stations), "stop" (a noun
    counted that is no place or station), "between" (a word the list lets stand between number and noun),
    "plain" (a word of letters the list does not know, no function word and no number) or "other"."""
    for what, pattern in T.COUNT_NOUNS_EN:
        if pattern.fullmatch(word):
            return what
    if T.NOT_COUNT_NOUNS_EN.fullmatch(word):
        return "stop"
    if T.BETWEEN_NUMBER_AND_NOUN_EN.fullmatch(word) or word in ("and", "&", "of"):
        return "between"
    if word.isalpha() and word not in NOT_BETWEEN_EN and NUMBER_EN.pattern.fullmatch(word) is None:
        return "plain"
    return "other"


def _en_count_noun(text: str, low: str, position: int) -> tuple[str, int] | None:
    """What an English number counts: the first noun within a few words after it."""
    previous = ""
    for index, token in enumerate(TOKEN_EN.finditer(low, position, position + 120)):
        word = token.group().strip("\"'“”‘’")
        if not word:
            continue
        if index > 6 or word in ",.;:()":
            return None
        kind = _word_after_number(word)
        if kind == "stop":
            return None
        if kind in COUNTED_EN:
            return kind, token.end()
        original = text[token.start() : token.end()].lstrip("\"'“‘")
        between = kind == "between" or original[:1].isupper()
        # "three of the alleged police stations"; "three indirect Chinese police stations": an adjective the list
        # does not know (a number word ends the search: "one of two stations" counts two, not one)
        plain = index <= 3 and kind == "plain"
        if not (between or plain or (word == "the" and previous == "of")):
            return None
        previous = word
    return None


def _dates(
    text: str,
    low: str,
    pub: tuple[int, int] | None,
    base: int,
    original: str,
    term_starts: Callable[[], list[int]],
    anchors: Anchors,
    zh: bool,
) -> list[dict[str, Any]]:
    """Establishment dates; ``term_starts`` gives where the station terms (and words referring back) start."""
    found: list[dict[str, Any]] = []
    dates = find_dates(text, pub[0] if pub else None, pub[1] if pub else None, low, anchors)
    if not dates:
        return found
    establish = T.ESTABLISH_ZH if zh else T.ESTABLISH_EN
    reporting = T.REPORTING_ZH if zh else T.REPORTING_EN
    reach = 70 if zh else 120
    not_founding = NOT_FOUNDING_AFTER_ZH if zh else NOT_FOUNDING_AFTER_EN
    founded_body = BODY_FOUNDED_ZH if zh else BODY_FOUNDED_EN
    # "began investigating", "opened an investigation", 成立专案组: something else was started then; "the association,
    # founded in 1990", 同乡会成立于1990年: the body that hosts a station was founded then, not the station
    verbs = [
        (v.start(), v.end())
        for v in establish.finditer(low)
        if not not_founding.match(low, v.end()) and not founded_body.search(low[max(0, v.start() - 30) : v.start()])
    ]
    for date in dates:
        keep = False
        for vstart, vend in verbs:
            if vstart >= date.end and vstart - date.end <= reach:
                between = low[date.end : vstart]
            elif vend <= date.start and date.start - vend <= reach:
                between = low[vend : date.start]
            else:
                continue
            if not reporting.search(between):
                keep = True
                break
        # "since 2018", 自2018年以来: the stations have run since then
        since = SINCE_BEFORE_EN.search(low[max(0, date.start - 8) : date.start]) or (
            SINCE_BEFORE_ZH.search(text[max(0, date.start - 3) : date.start])
            and text[date.end : date.end + 3].startswith("以来")
        )
        if since and any(0 <= start - date.end <= 50 for start in term_starts()):
            keep = True  # "since 2018 these stations have ...", not "since 2018, the police have solved"
        following = low[date.end : date.end + 20]
        if REPORT_AFTER_EN.match(following):
            keep = False
        if (DATE_ENDS_ZH if zh else DATE_ENDS_EN).match((text if zh else low)[date.end : date.end + 60]):
            keep = False  # closed, raided, arrested then: not when it was set up
        if not zh and (
            DATE_REPORTED_EN.search(low[max(0, date.start - 20) : date.start], anchors)
            or DATE_REPORTED_IN_EN.search(low[max(0, date.start - 60) : date.start], anchors)
        ):
            keep = False  # "said in September that ...": when it was said
        if not zh and FOUND_BEFORE_EN.search(low[max(0, date.start - 40) : date.start]):
            keep = False
        event = None if zh else EVENT_BEFORE_EN.search(low[max(0, date.start - 60) : date.start])
        if event is not None and not T.ESTABLISH_EN.search(event.group("after")):
            keep = False
        if not zh and OTHER_START_EN.search(low[max(0, date.start - 80) : date.start], anchors):
            keep = False  # "this campaign, which started on a small scale in 2018": when something else began
        if keep:
            found.append({"value": date.value, **_span(base, date.start, date.end, original)})
    return found


def _lookalike(term: Term, text: str, low: str, original: str, mentions: list[Mention], anchors: Anchors) -> bool:
    """A visa application centre, a car's service centre, a village's 警务站, a foreign city's own police
    department (纽约警察局), a business called "American Service Center", a station said not to exist (并未在当地
    设立警察站), an Overseas Chinese Service Center with no police about it (华助中心): not a station term."""
    if NEGATED_BEFORE_ZH.search(text[max(0, term.start - 30) : term.start], anchors) or (
        term.text.isascii() and NEGATED_BEFORE_EN.search(low[max(0, term.start - 60) : term.start], anchors)
    ):
        return True
    if term.text == "overseas chinese service cent" and not POLICE_WORD.search(low):
        return True
    if JOINT_PATROL_BEFORE.search(low[max(0, term.start - 60) : term.start], anchors) or DONATED.search(
        low, anchors, max(0, term.start - 60), term.end + 30
    ):
        return True
    if term.specific:
        # 海外110报警服务台, "overseas 110 hotline": the hotline desk at home, not a station abroad
        return HOTLINE_AFTER.match(low, term.end) is not None
    if term.text.isascii():
        before = low[max(0, term.start - 40) : term.start]
        if LOOKALIKE_BEFORE_EN.search(before, anchors) and not POLICE_SERVICE_BEFORE.search(before):
            return True
        # a name in capitals before a capitalised generic term: a business ("American Service Center")
        words = original[max(0, term.start - 30) : term.start].split()
        return (
            bool(words)
            and original[term.start : term.start + 1].isupper()
            and words[-1][:1].isupper()
            and words[-1].lower().strip("\"“‘'") not in ("chinese", "china", "overseas", "police", "prc", "the")
            and not any(m.end <= term.start and term.start - m.end <= 2 for m in mentions)
        )
    if LOOKALIKE_BEFORE_ZH.search(text[max(0, term.start - 6) : term.start], anchors):
        return True
    if term.text == "派出所" and not ABROAD_BEFORE_ZH.search(text[max(0, term.start - 12) : term.start]):
        return True  # 龙海市深沃边防派出所: a police station at home
    if term.text in POLICE_BUREAU_WORDS_ZH and LOCAL_BRANCH_ZH.search(text):
        return True  # 瑞芳警分局…最友善的警局: a town's own police
    if term.text in (*POLICE_BUREAU_WORDS_ZH, "派出所") and (
        OWN_POLICE_BEFORE_ZH.search(text[max(0, term.start - 10) : term.start])
        or OWN_POLICE_AFTER_ZH.match(text, term.end)
        or CHIEF_AFTER_ZH.match(text, term.end)
    ):
        return True
    return term.text in POLICE_BUREAU_WORDS_ZH and any(
        0 <= term.start - m.end <= 6
        and FOREIGN_POLICE_BETWEEN_ZH.fullmatch(text, m.end, term.start) is not None
        and any(n.kind in PLACE_KINDS and n.country != "CN" for n in m.meanings)
        for m in mentions
    )


def _without_lookalikes(
    term_list: list[Term], text: str, low: str, original: str, mentions: list[Mention], anchors: Anchors
) -> list[Term]:
    """The terms that are no look-alike's. A generic term repeated after its look-alike in the sentence is that
    look-alike's too: "four other research stations …, two of them year-long stations like Qinling"."""
    kept: list[Term] = []
    lookalike_words: set[str] = set()
    for term in term_list:
        if term.text in T.AGENCIES:
            kept.append(term)
        elif _lookalike(term, text, low, original, mentions, anchors):
            if not term.specific:
                lookalike_words.add(term.text)
        elif term.specific or term.text not in lookalike_words:
            kept.append(term)
    return kept


def _agency_abroad(
    term_list: list[Term], low: str, mentions: list[Mention], jurisdiction_of: dict[int, Name], zh: bool
) -> bool:
    """Whether a police agency in the sentence names a station: a Chinese unit's agency that opened a facility
    (AGENCY_EN), or Chinese police said to operate abroad (OPERATING_AGENCY_EN / _ZH)."""
    if jurisdiction_of and any(t.text in T.AGENCY_EN for t in term_list) and T.FACILITY_OPENED_EN.search(low):
        return True
    operating = [t for t in term_list if t.text in T.OPERATING_AGENCY_EN or t.text in T.OPERATING_AGENCY_ZH]
    if not operating:
        return False
    # a bureau is a Chinese unit's only where the unit is named (the Wenzhou police authority, 南通市公安局)
    if not jurisdiction_of and not any(t.text.startswith(T.NATIONAL_AGENCY_WORDS) for t in operating):
        return False
    if zh:
        if T.AGENCY_AT_WORK_ZH.search(low) or not T.OPERATING_ZH.search(low):
            return False
        if T.OVERSEAS_ABROAD_ZH.search(low):
            return True
    else:
        if T.AGENCY_AT_WORK_EN.search(low) or not T.OPERATING_EN.search(low):
            return False
        if T.ABROAD_EN.search(low):
            return True
    return any(
        m.start not in jurisdiction_of and any(n.kind in PLACE_KINDS and n.country != "CN" for n in m.meanings)
        for m in mentions
    )


# A station's short name, in brackets after its full name: "the Chinese Community and Security Cooperation
# Centre (CCSCC)", 华人警民合作中心（以下简称"合作中心"）. The document's later sentences that use it speak of
# that station.
SHORT_NAME_EN = re.compile(
    r"[a-z'’-]*(?:\s+(?:of\s+|and\s+|for\s+)?[A-Z][\w'’-]*){0,5}\s*\(\s*(?:the\s+)?[\"“]?(?P<name>[A-Z][A-Za-z&]*[A-Z])"
    r"[\"”]?\s*\)"
)
SHORT_NAME_ZH = re.compile(
    r"[^，。；,;]{0,15}?[(（]\s*(?:以下)?(?:简称|簡稱)\s*[“\"「『]?(?P<name>[^”\"」』)）\s]{2,8}?)[”\"」』]?\s*[)）]"
)


def short_names(claim: Claim) -> list[str]:
    """The short names a term sentence gives the stations it names: read right after each term."""
    found = []
    for term in claim.terms:
        short_name = SHORT_NAME_EN if term["term"].isascii() else SHORT_NAME_ZH
        match = short_name.match(claim.sentence, term["end"] - claim.start)
        if match is not None:
            found.append(match.group("name"))
    return found


# a generic term said to be overseas (海外警务联络站, "overseas … police station") names an overseas station
OVERSEAS_BEFORE_TERM = re.compile(r"(?:海外|境外)[^，。；、,;\s]{0,4}$|\boverseas\s+(?:[\w-]+\s+){0,2}$")


def names_an_overseas_station(claim: Claim) -> bool:
    """Whether a claim has a specific term, or a generic one said to be overseas: the look-alike model is not
    asked about its document (document.extract_chunks)."""
    return any(
        term["specific"]
        or OVERSEAS_BEFORE_TERM.search(
            claim.sentence[max(0, term["start"] - claim.start - 12) : term["start"] - claim.start].lower()
        )
        for term in claim.terms
    )


@lru_cache(maxsize=1 << 15)  # sentences near a term repeat in real corpora as much as the terms' own do
def window_reading(sentence: str, adjacent: bool = False) -> str | None:
    """How a sentence near a term sentence is read: "reference" when it refers back to the stations,
    "nearby" (its places only) when it names a premises or a place of one, "adjacent" (its places, counts and
    dates) when it stands right before or after the term sentence ("Following was Prato and then Paris."), else
    not at all."""
    raw = sentence.lower()
    zh = not raw.isascii() and HAN.search(raw) is not None
    if _refers_back(raw, zh):
        return "reference"
    if (PREMISES_ZH if zh else PREMISES_EN).search(raw):
        return "nearby"
    return "adjacent" if adjacent else None


def refers_back(sentence: str) -> bool:
    """Whether a sentence has a word that refers back to stations: tested on the raw sentence, unconverted."""
    raw = sentence.lower()
    return _refers_back(raw, not raw.isascii() and HAN.search(raw) is not None)


def _refers_back(raw: str, zh: bool) -> bool:
    if zh:
        return REFERENCE_ZH.search(raw) is not None
    return reference_en_alternatives().search(raw)


@cache  # built at the first use, not at import: every `longarm` command imports the extractor
def reference_en_alternatives() -> AnchoredAlternatives:
    """REFERENCE_EN's alternatives, each tried only where its words are (anchors read from it): whether a
    sentence refers back, at a third of the whole expression's cost (most of its alternatives begin with \b,
    which the engine tries at every position)."""
    return AnchoredAlternatives(REFERENCE_EN)


def analyse_sentence(
    original: str,
    base: int,
    pub: tuple[int, int] | int | None = None,
    doc: DocumentContext | None = None,
    anchor: dict[str, Any] | None = None,
    before: str = "",
    at: int | None = None,
    adjacent: bool = False,
) -> Claim | None:
    """The station claim in one sentence, or None if it makes none.

    Without ``anchor`` the sentence is read as a term sentence; with it, as a reference sentence near the term
    sentence ``anchor`` ({"start", "end", "jurisdictions"}: document offsets and the jurisdictions it names),
    read only in a document about stations, and only if it refers back to them (or uses the short name the
    term sentence gave a station: ``anchor["short_name"]``).
    ``pub`` is the publication (year, month), or a year, for relative dates. ``before`` is the sentence before
    it: a sign that the stations are abroad and Chinese-run may stand there ("... their ties to the Chinese
    police. Two such police stations are located in Prague."). ``at`` is the sentence's document offset where
    ``base`` is not (the memo reads a sentence at 0 and moves it): places are resolved by what is named around it.
    ``adjacent``: a reference sentence stands right before or after its term sentence (read for places at least).
    """
    doc = doc or DocumentContext()
    doc.last_had_terms = False
    if isinstance(pub, int):
        pub = (pub, 0)
    if anchor is None:
        reading: str | None = "term"
    else:
        reading = "reference" if anchor.get("short_name") else window_reading(original, adjacent)
    if reading is None or (anchor is not None and not doc.about_stations):
        return None
    text = matching_form(original)
    low = lower_same_length(text)
    zh = not text.isascii() and HAN.search(text) is not None
    term_list = find_terms(low)
    if not term_list and anchor is None:
        return None
    anchors = anchors_in(low)  # which cues can match here: one pass for all of them
    mentions = find_names(text)
    # "Smiths Station" is a town: a term inside a place name is no term
    term_list = [t for t in term_list if not any(m.start <= t.start and t.end <= m.end for m in mentions)]
    term_list = _without_lookalikes(term_list, text, low, original, mentions, anchors)
    if not term_list and anchor is None:
        return None
    # jurisdictions first: a name that is a cued jurisdiction is not read as a foreign place
    jurisdiction_of = _jurisdictions(text, low, mentions, doc, anchors)
    agency = any(t.text in T.AGENCIES for t in term_list)
    if agency and not _agency_abroad(term_list, low, mentions, jurisdiction_of, zh):
        term_list = [t for t in term_list if t.text not in T.AGENCIES]  # a police agency, not said to work abroad
        if not term_list and anchor is None:
            return None
    doc.last_had_terms = bool(term_list)
    claim = Claim(sentence=original, start=base, end=base + len(original))
    claim.terms = [{"term": t.text, "specific": t.specific, **_span(base, t.start, t.end, original)} for t in term_list]
    if anchor is not None:
        claim.basis = reading
        claim.anchor = dict(anchor)

    for mention in mentions:
        parent = jurisdiction_of.get(mention.start)
        if parent is None:
            continue
        child = next((m for m in mentions if 0 <= m.start - mention.end <= 1 and m.start in jurisdiction_of), None)
        if child is not None and jurisdiction_of[child.start].parent_zh == parent.name_zh:
            del jurisdiction_of[mention.start]  # 丽水市青田县: the county is the one meant
    for mention in mentions:
        for n in mention.meanings:
            if (
                n.kind in ("province", "jurisdiction")
                and n.key
                and (n.kind == "province" or mention.start in jurisdiction_of)
            ):
                doc.provinces.add(n.key[:2])

    places = [
        m
        for m in mentions
        if m.start not in jurisdiction_of
        and _place_or_demonym(m.surface)
        and not (
            m.surface.isascii()
            and (
                PERSON_TITLE_BEFORE.search(text[max(0, m.start - 40) : m.start], anchors)
                or FEATURE_AFTER.match(low, m.end)
            )
        )
        and not (not m.surface.isascii() and PERSON_TITLE_BEFORE_ZH.search(text[max(0, m.start - 3) : m.start]))
    ]
    # countries and regions named in the sentence decide between same-named cities, and so does a national
    # agency ("the RCMP": Richmond and Vancouver in Canada)
    sentence_countries = {n.country for m in places for n in m.meanings if n.kind in ("country", "region")}
    sentence_countries |= {NATIONAL_AGENCIES[a.group()] for a in NATIONAL_AGENCY.finditer(low, anchors)}

    resolved: list[tuple[Mention, Name]] = []
    for mention in places:
        if _only_demonym(mention.surface):
            demonym = mention.meanings[0]
            if (
                any(
                    0 < t.start - mention.end <= 30 and re.fullmatch(r"[\sa-z'’-]*", low[mention.end : t.start])
                    for t in term_list
                )
                or ON_SOIL.match(low, mention.end)
                or (term_list and DEMONYM_SITES_AFTER.match(low, mention.end))
            ):
                resolved.append((mention, demonym))  # "the Ethiopian branch center", "on German soil"
            continue
        picked = _pick_place(mention, sentence_countries, doc, base if at is None else at)
        if picked is not None and picked.kind == "city" and REGION_AFTER.match(text, mention.end):
            picked = dataclasses.replace(picked, kind="region")  # "Valparaíso Region": its country only
        if picked is not None:
            resolved.append((mention, picked))

    if anchor is None:
        specific = any(t.specific for t in term_list)
        # a generic term (服务站, "police station") is a claim only with a sign that it is abroad and Chinese-run,
        # or in a document already known to be about overseas stations (then no sign is looked for)
        if not doc.about_stations:
            if not specific:
                foreign_place = bool(resolved)
                overseas = T.OVERSEAS_SIGNAL_ZH if zh else T.OVERSEAS_SIGNAL_EN
                signal = overseas.search(low) is not None or (
                    bool(before) and overseas.search(lower_same_length(matching_form(before))) is not None
                )
                # in Chinese a foreign place is sign enough for a station word (服务站 in Milan), not for a police
                # word: in a diaspora paper 警局, 警察局 are the town's own police (美丽城…向警察局反映)
                place_sign = zh and any(t.text not in POLICE_WORDS_ZH for t in term_list)
                if not (signal or (foreign_place and (place_sign or jurisdiction_of))):
                    return None
            doc.about_stations = True
    else:
        specific = False

    # 村民足迹遍布美国、澳大利亚…等20多个国家: a sentence beside the term sentence that speaks of where people
    # live or went gives its cities, not its countries, counts or dates
    of_people = reading == "adjacent" and PEOPLE_SPREAD.search(low) is not None
    by_start = {m.start: name for m, name in resolved}  # mentions do not overlap: a start is one mention
    host_starts: set[int] = set()
    for group in _groups([m for m, _ in resolved], low):
        reason = _bystander_reason(group, low, anchors)
        for mention in group:
            name = by_start[mention.start]
            span = _span(base, mention.start, mention.end, original)
            if reason is not None:
                claim.bystanders.append({"name": name.name, "country": name.country, "reason": reason, **span})
                continue
            if of_people and name.kind not in ("city", "district"):
                continue
            host_starts.add(mention.start)
            if name.kind in ("country", "demonym"):
                claim.countries.append({"code": name.country, **span})
            elif name.kind == "region":
                claim.regions.append({"name": name.name, "country": name.country, **span})
            else:
                claim.cities.append({"name": name.name, "country": name.country, **span})
    if reading in ("nearby", "adjacent"):
        # a sentence that does not refer back gives where the premises are; right beside the term sentence, its
        # counts and dates too, and a unit named as police ("China's Fuzhou police were able to open …")
        ends = {m.start: m.end for m in mentions}
        jurisdiction_of = {
            start: name
            for start, name in jurisdiction_of.items()
            if reading == "adjacent" and UNIT_POLICE_AFTER.match(low, ends[start])
        }
        claim.basis = "nearby"
    for start, name in sorted(jurisdiction_of.items()):
        doc.jurisdictions.add(name.name_zh)
        mention = next(m for m in mentions if m.start == start)
        claim.jurisdictions.append(
            {
                "name": name.name,
                "name_zh": name.name_zh,
                "level": name.level,
                **_span(base, start, mention.end, original),
            }
        )
    if reading != "nearby" and not of_people:  # an adjacent sentence's too: "Next came two in Lyon, opened in 2019."
        claim.counts = _counts(text, low, term_list, base, original, host_starts, anchors, zh)

        def term_starts() -> list[int]:
            """Where the terms start, and for a reference sentence where its words referring back end."""
            reference = (REFERENCE_ZH if zh else REFERENCE_EN).finditer(low) if anchor is not None else ()
            return [t.start for t in term_list] + [r.end() for r in reference]

        claim.dates = _dates(text, low, pub, base, original, term_starts, anchors, zh)
    says_something = claim.countries or claim.cities or claim.regions or claim.jurisdictions or claim.counts
    if not says_something and not ((specific or doc.about_stations) and claim.dates):
        return None
    for entry in (*claim.countries, *claim.cities, *claim.regions):
        code = entry.get("code") or entry["country"]
        doc.countries[code] = doc.countries.get(code, 0) + 1
    return claim
