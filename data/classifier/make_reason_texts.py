#!/usr/bin/env python3
"""Synthetic training data for the marketdesk delist/violation reason classifier.

How the data is made
--------------------
Every text written by this script is *composed* here, from templates and
slot-filler lists that were hand-written for this file.  Nothing is copied
from any dataset, website or real seller/reviewer message.

For each of the 14 reason codes there are

* >= 25 Chinese templates, >= 25 English templates and >= 15 mixed
  (Chinese + English words) templates, written independently per code;
* code-specific slot fillers (defects, brands, banned goods, certificates,
  hazards, festivals, ...);
* a short list of "cores" (the bare reason phrase) which is plugged into a
  set of *shared* frames ("下架原因：{core}", "{this} delisted due to {core}").

v2 (broadened vocabulary): the EXTRA section near the end adds, per code,
more templates in all three languages, larger slot-filler lists (merged into
the v1 lists of the same name) and more bare cores; the shared product list
and a few shared openers grow too.  Per-code targets are 520 zh / 520 en /
160 mixed.

Slot fillers that must not carry a signal are shared by all codes: product
nouns (50+ per language), "this item" phrases, time phrases, politeness and
fillers, seller openers ("备注：", "reason: "), reviewer boilerplate openers
("经平台巡检，", "Per policy section 4.2, ") and closing tails.  Reviewer
openers are used by the violation codes *and* by the system-notice style
templates of the seller-side codes (out of stock, slow selling, ...), so an
opener alone never identifies a code.

Confusable pairs are covered on purpose, each with its distinguishing cue
(counterfeit vs ip_infringement, image_violation vs misleading_listing,
safety_risk vs quality_defect vs prohibited_item, seasonal vs slow_selling
vs out_of_stock, policy_change vs missing_certification, other vs the rest).

After a template is filled, noise is added: English typos (adjacent swap,
dropped letter, doubled letter) on ~15 % of English texts, pinyin-input
homophone slips from a small hand-written table on ~10 % of Chinese texts,
case changes, dropped or half/full-width punctuation, the odd emoji.

Texts are de-duplicated over the whole set (a text that was produced for two
different codes is dropped from both), then split per (code, language) into
80 % train / 20 % heldout.  All randomness comes from one
random.Random(20261207), and nothing iterates over a set or hash order, so
the output is byte-identical on every run.

Usage:  python3 make_reason_texts.py [--out-dir DIR]
Writes DIR/train.tsv and DIR/heldout.tsv (header: reason_code, language,
text) and prints a count table to stderr.
"""

import argparse
import os
import random
import re
import sys

SEED = 20261207
CODES = [
    "quality_defect",
    "ip_infringement",
    "counterfeit",
    "prohibited_item",
    "misleading_listing",
    "image_violation",
    "missing_certification",
    "pricing_violation",
    "safety_risk",
    "out_of_stock",
    "seasonal",
    "slow_selling",
    "policy_change",
    "other",
]
LANGS = ["zh", "en", "mixed"]
# texts generated per (code, language) before cross-code de-duplication
# (v2: raised from 440/440/110; the extra texts come from the EXTRA section)
TARGET = {"zh": 520, "en": 520, "mixed": 160}
# minimums after de-duplication (train + heldout)
MINIMUM = {"zh": 260, "en": 260, "mixed": 60}
HELDOUT_FRACTION = 0.2


# ---------------------------------------------------------------------------
# small helpers for writing lists compactly
# ---------------------------------------------------------------------------

def L(s):
    """'a|b|c' -> ['a', 'b', 'c'] (whitespace around items is stripped)."""
    return [x.strip() for x in s.split("|")]


def T(block):
    """One template per non-empty line; lines starting with # are comments."""
    out = []
    for ln in block.strip().splitlines():
        ln = ln.strip()
        if ln and not ln.startswith("#"):
            out.append(ln)
    return out


def _digits(rng, lo, hi):
    return str(rng.randint(lo, hi))


# ---------------------------------------------------------------------------
# shared slot fillers (used by every code, so they carry no signal)
# ---------------------------------------------------------------------------

PRODUCTS_ZH = L(
    "连衣裙|T恤|蓝牙耳机|充电宝|手机壳|保温杯|运动鞋|双肩包|毛绒玩具|电饭煲|"
    "吹风机|数据线|台灯|拖鞋|帆布包|口红|面膜|四件套|卫衣|牛仔裤|手表|墨镜|积木|"
    "宠物窝|瑜伽垫|收纳盒|水杯|雨伞|加湿器|小夜灯|充电器|无线鼠标|机械键盘|耳环|"
    "项链|渔夫帽|围巾|袜子|抱枕套|窗帘|不粘锅|行李箱|钱包|皮带|发夹|奶瓶|平板保护套|"
    "车载支架|电动牙刷|蓝牙音箱|灯带|儿童书包|防晒衣|睡衣|保鲜盒|手机支架|眼影盘|"
    "羽绒服|小风扇|儿童水杯|拼图玩具|电热水壶|剃须刀|香薰|化妆刷"
)
PRODUCTS_EN = L(
    "phone case|power bank|wireless earbuds|bluetooth headphones|hoodie|t-shirt|"
    "summer dress|sneakers|running shoes|backpack|plush toy|rice cooker|hair dryer|"
    "usb-c cable|desk lamp|slippers|tote bag|lipstick|sheet masks|bedding set|jeans|"
    "wrist watch|sunglasses|building blocks|pet bed|yoga mat|storage box|water bottle|"
    "umbrella|humidifier|night light|wall charger|wireless mouse|mechanical keyboard|"
    "earrings|necklace|bucket hat|scarf|socks|cushion cover|curtains|frying pan|"
    "suitcase|wallet|leather belt|hair clips|baby bottle|tablet case|car phone mount|"
    "electric toothbrush|bluetooth speaker|LED strip lights|kids backpack|pajamas|"
    "lunch box|phone stand|eyeshadow palette|down jacket|mini fan|sippy cup|"
    "jigsaw puzzle|electric kettle|shaver|scented candle|makeup brushes"
)

SHARED_ZH = {
    "p": PRODUCTS_ZH,
    "p2": PRODUCTS_ZH,
    "this": L(
        "该商品|此商品|这个链接|这款{p}|该{p}|这个{p}|链接里的{p}|本商品|该链接|"
        "这条链接|这款|这个款|{sku}|我们的{p}|店里的{p}"
    ),
    "t": L("暂时|先|今天|目前|近期|这周|马上|临时|即日起|今天先|这两天"),
    "act": L(
        "先下架|已下架|下架处理|申请下架|暂时下架|麻烦下架|下架吧|先下了|下掉|"
        "撤下来|删除链接|已删除|下线处理|先关掉|做下架处理|予以下架|已作下架处理|"
        "请尽快下架|下架|先撤了"
    ),
    "acto": ["", "", "", "", "，先下架", "，已下架", " 下架", "，下架处理",
             "，暂时下架", "，申请下架", "，先下了", "。已做下架处理", "，麻烦下架",
             "，请下架", "，下掉", " 先撤"],
    "end": ["", "", "", "", "。", "。", "！", "～", "，谢谢", "，辛苦了",
            "，麻烦处理下", "哈", "，知悉"],
    "pol": ["", "", "", "麻烦", "请", "帮忙", "亲，", "您好，", "你好，", "老板说",
            "运营说", "组长说"],
    "sel": ["", "", "备注：", "下架原因：", "原因：", "说明：", "情况说明：",
            "商家备注：", "内部备注：", "自查：", "原因是", "补充说明：", "下架说明："],
    "rev": ["经平台巡检，", "根据《商品发布规范》，", "经审核，", "经核实，",
            "您好，经核实，", "【平台通知】", "【商品处理通知】",
            "依据平台规则第{n}条，", "商品巡检结果：", "审核意见：", "驳回原因：",
            "处理原因：", "违规说明：", "尊敬的商家，", "经人工复核，",
            "根据平台管理规范，", "经排查，", "依据《平台商品管理规则》第{n}条，",
            "根据相关规定，", "【系统消息】", "平台提示：", "系统检测到"],
    "tail": ["，已通知客服", "，老板已确认", "，运营知悉", "，有问题找我",
             "，广告计划也一起停了", "，工单号{num}", "，其他链接不受影响",
             "，后续再看", "，同步给仓库了", "，表格已更新"],
    "rtail": ["。如有异议，请在{n}个工作日内发起申诉", "。请整改后重新提交审核",
              "。请知悉", "，感谢您的配合", "。详情请查看规则中心",
              "。如需帮助请联系平台客服", "。本次处理不影响店铺其他商品"],
    "n": lambda rng: _digits(rng, 2, 12),
    "m": lambda rng: _digits(rng, 1, 9),
    "num": lambda rng: _digits(rng, 10000, 99999999),
    "days": lambda rng: rng.choice(["3", "5", "7", "10", "14", "15", "20", "30", "45",
                                    "60", "90", "180"]),
    "pct": lambda rng: "%d%%" % rng.randint(8, 45),
    "lowpct": lambda rng: "0.%d%%" % rng.randint(1, 9),
    "price": lambda rng: rng.choice(["9.9", "19.9", "29", "39", "49", "59.9", "69",
                                     "99", "129", "199", "299", "399", "599", "899",
                                     "1299"]) + rng.choice(["元", "", "块"]),
    "price2": lambda rng: rng.choice(["0.99", "1.9", "9", "99", "199", "999", "1999",
                                      "2990"]) + rng.choice(["元", ""]),
    "score": lambda rng: "%d.%d" % (rng.choice([3, 4, 4]), rng.randint(0, 7)),
    "sku": lambda rng: rng.choice(["货号", "款号", "SKU", "链接ID", "编码"])
    + _digits(rng, 1000, 9999999),
    "date": L("1月1日|3月1日|下月1日|本月15日|7月1日|明年1月1日|10月1日|下周一"),
}

SHARED_EN = {
    "p": PRODUCTS_EN,
    "p2": PRODUCTS_EN,
    "this": L(
        "this item|this listing|the {p}|this {p}|the listing|this product|"
        "the product|listing {sku}|our {p}|the {p} listing|item {sku}|{sku}|"
        "this SKU|the {p} (all variants)"
    ),
    "t": L("for now|temporarily|today|this week|until further notice|asap|"
           "for the time being|right away|effective immediately|for a while"),
    "act": L("delist|take down|remove|pull|unlist|deactivate|hide|take offline|"
             "pause|archive"),
    "acted": L("delisted|removed|taken down|pulled|deactivated|unlisted|"
               "taken offline|hidden|suspended|archived"),
    "acted_cap": L("Delisted|Removed|Taken down|Pulled|Deactivated|Unlisted|"
                   "Suspended|Archived"),
    "acto": ["", "", "", "", " - delisting", ", pls delist", ". Taking it down {t}.",
             ", removing {t}", ", delisted", ". Listing paused.", " -> unlist",
             ", please remove", ", pulled it", " (delisted)", ", taking it offline"],
    "end": ["", "", "", "", ".", ".", "!", " thx", " thanks", ", thanks", " pls",
            " :(", " fyi"],
    "pol": ["", "", "", "hi, ", "hey, ", "pls ", "please ", "FYI ", "hi team, ",
            "hello, ", "note: ", "update: "],
    "sel": ["", "", "reason: ", "Reason: ", "delist reason: ", "note: ",
            "internal note: ", "seller note: ", "comment: ", "remark: ",
            "Reason - ", "why: "],
    "rev": ["Listing removed: ", "Per policy section {n}.{m}, ", "After review, ",
            "Our system detected that ", "Dear seller, ", "Notice: ", "Violation: ",
            "Reason for removal: ", "Following a routine audit, ",
            "As per marketplace guidelines, ", "Compliance check: ",
            "Per section {n}.{m} of the Seller Policy, ", "Upon manual review, ",
            "Account health notice: ", "Listing deactivated - ", "Hello, ",
            "Policy notice: ", "Automated review: ", "Marketplace notice: "],
    "tail": [", ops informed", ", boss approved", " - see ticket #{num}",
             ", CS has been told", ", ping me with questions",
             ", also removed from ads", ", other listings unaffected",
             ", sheet updated", " (per manager)"],
    "rtail": [" If you believe this is an error, you can appeal within {n} days.",
              " Please review the relevant policy before relisting.",
              " You may edit and resubmit the listing.",
              " Contact seller support for details.",
              " Thank you for your cooperation.",
              " Other listings in your account are not affected.",
              " No further action is required at this time."],
    "n": lambda rng: _digits(rng, 2, 12),
    "m": lambda rng: _digits(rng, 1, 9),
    "num": lambda rng: _digits(rng, 10000, 99999999),
    "days": lambda rng: rng.choice(["3", "5", "7", "10", "14", "15", "20", "30", "45",
                                    "60", "90", "180"]),
    "pct": lambda rng: "%d%%" % rng.randint(8, 45),
    "lowpct": lambda rng: "0.%d%%" % rng.randint(1, 9),
    "price": lambda rng: rng.choice(["$", "$", "USD ", "£", "€"]) + rng.choice(
        ["9.99", "14.99", "19.99", "24", "29.99", "39", "49.99", "79", "99", "129",
         "199", "349", "599"]),
    "price2": lambda rng: rng.choice(["$", "$", "€"]) + rng.choice(
        ["0.99", "1.99", "9.90", "99.00", "199", "999", "1999"]),
    "score": lambda rng: "%d.%d" % (rng.choice([3, 4, 4]), rng.randint(0, 7)),
    "sku": lambda rng: rng.choice(["SKU ", "SKU-", "#", "SKU#", "item #"])
    + _digits(rng, 1000, 9999999),
    "date": L("January 1|March 1|next month|the 15th|July 1|Q3|October 1|next Monday"),
    "month": L("January|February|March|April|May|June|July|August|September|"
               "October|November|December"),
}

# Frames shared by every code; {core} is the code's bare reason phrase.
FRAMES_ZH = T("""
{core}
{core}{end}
{sel}{core}
{core}，{act}
{this}因{core}{act}
因{core}，{this}{t}下架{end}
{pol}{this}{t}下架，原因：{core}
{rev}{this}因{core}被下架
下架原因：{core}
{core}的问题，{act}
{sel}{this}：{core}
""")

FRAMES_EN = T("""
{core}
{sel}{core}
{this} {acted} due to {core}
{acted_cap}: {core}
removing {this} because of {core}
{pol}{act} {this} - {core}
{rev}{this} has been {acted} due to {core}.
reason: {core}
{core}, {act} {t}
delist reason = {core}
{this}: {core}
""")


# ---------------------------------------------------------------------------
# per-code specifications
#   zh / en / mixed : code-specific templates
#   slots_zh / slots_en : code-specific fillers (mixed templates see the zh
#       ones under their own name and the en ones as en_<name>)
#   core_zh / core_en : bare reason phrases for the shared frames
# ---------------------------------------------------------------------------

def spec_quality_defect():
    defects_zh = L(
        "开线|掉色|起球|脱胶|断裂|漏水|有异味|色差严重|做工粗糙|线头多|按键失灵|"
        "充不进电|接触不良|拉链坏|掉漆|生锈|有裂纹|褪色|缩水|破洞|变形|噪音大|污渍|"
        "毛边|胶水味重|鞋底开胶|屏幕有坏点|扣子掉|印花脱落|表带断|卡扣松动|没声音|"
        "连不上蓝牙|走线歪|盖子拧不紧|把手松|一碰就掉渣"
    )
    defects_en = L(
        "stitching coming apart|color fading|pilling|sole peeling off|cracked casing|"
        "leaking|a strong chemical smell|buttons falling off|not charging|"
        "loose connections|broken zippers|paint chipping|rust spots|shrinking after wash|"
        "holes in the fabric|warping|a loud rattling noise|stains|uneven stitching|"
        "glue marks|dead pixels|straps snapping|no sound in one ear|pairing failures|"
        "broken clasps|print peeling|seams splitting|handles coming loose|"
        "lids not sealing|scratches out of the box|flaking coating"
    )
    return {
        "slots_zh": {
            "defect": defects_zh, "defect2": defects_zh,
            "batch": L("这批货|新到的一批|第二批|最近这批|工厂这批|上批次|这一批次|"
                       "刚到仓的货|{n}月这批"),
            "complaint": L("买家|好几个买家|客户|售后那边|差评里|退货的客户"),
            "spot": lambda rng: (lambda a: "抽检%d件有%d件" % (a, rng.randint(2, a // 2)))(
                rng.choice([10, 20, 30, 50, 100])),
        },
        "slots_en": {
            "defect": defects_en, "defect2": defects_en,
            "batch": L("this batch|the latest batch|the new shipment|batch #{n}|"
                       "the last two shipments|the restock from the factory|"
                       "the {month} batch"),
            "complaint": L("customers|buyers|several buyers|multiple customers|"
                           "a lot of reviews|1-star reviews|return requests"),
            "spot": lambda rng: (lambda a: "%d of %d units" % (rng.randint(2, a // 2), a))(
                rng.choice([10, 20, 30, 50, 100])),
        },
        "core_zh": L("质检不合格|质量问题|做工差|{defect}|次品率高|质量投诉多|"
                     "批次质量问题|产品有瑕疵|做工粗糙"),
        "core_en": L("quality issues|poor workmanship|defects ({defect})|a failed QC check|"
                     "quality complaints|a high defect rate|{defect}|bad build quality"),
        "zh": T("""
{defect}
{defect}，{act}
质检不合格
{this}质检不合格{acto}
{batch}{p}{defect}比较多，{t}下架{end}
做工太差了{acto}
{p}做工差，{defect}{end}
次品率太高，{act}
{complaint}说{defect}，已经好几单了
{batch}都是次品，全部{act}
买家收到货{defect}，退货率{pct}，先下架整改
{spot}{defect}
质量问题退货太多{acto}
工厂{batch}做工不行，{defect}、{defect2}都有，先撤下来跟厂家沟通返工
{rev}{this}质检不合格，存在{defect}问题，{act}
{rev}{this}存在{defect}等质量问题，予以下架
{rev}近期接到多起消费者关于{p}质量问题的投诉（{defect}），请整改后再上架
收到的{p}{defect}，质量不过关
最近差评集中在质量上：{defect}、{defect2}，先下架换供应商
质量不行 {defect}
货品有瑕疵{acto}
{p}{defect}，售后压力太大{end}
{batch}{p}全是瑕疵品，不敢卖了
质量差评太多了，评分掉到{score}，先下了整改
不是安全问题，就是{defect}、做工差，影响体验，先下架换工厂
{defect}，返厂重做
返修率高{acto}
{complaint}反馈{p}用了{days}天就{defect}
产品质量不稳定，{batch}{defect}的比较多，等新批次到了再重新上
{sel}质量问题（{defect}）
{rev}{batch}抽检报告显示{defect}，质量不达标，{act}
{p}质量太差
退货原因大多是{defect}，质量问题{acto}
质量缺陷，{act}
次品
做工差
品控没做好，{batch}一堆{defect}的
"""),
        "en": T("""
{defect}
poor quality
bad quality, {act} {t}
defective {p}
{batch} is defective{acto}
too many returns for quality issues
{complaint} report {defect}{end}
QC failed{acto}
failed quality inspection
{p} arriving with {defect}, {acted} until the supplier fixes it
poor workmanship - {defect}
high defect rate on {batch} ({pct} returned)
{rev}{this} failed our quality check due to {defect}.
{rev}we received multiple customer complaints about the quality of {this} ({defect}). Please fix the issue and resubmit.
return rate is {pct}, mostly {defect}, pulling it {t}
spot check: {spot} had {defect}
the factory messed up {batch}, {defect} and {defect2}. taking it down until we get a replacement run
quality issue
item defective
too many arrive broken
not a safety thing, just bad build quality ({defect}). delisting until the new batch is in
customers say it breaks after {days} days
workmanship is terrible{end}
{p}: {defect}, refund requests piling up
manufacturing defect in {batch}, {act} {t}
rating dropped to {score} because of quality complaints, removing to fix the product
cheap materials, falls apart{end}
too many defective units{acto}
QC report for {batch} shows {defect}, product does not meet our quality standard
{sel}quality defects ({defect})
subpar quality
lots of damaged or defective units in {batch}
defects
the {p} keeps failing QC
"""),
        "mixed": T("""
{p}质量不行 quality issue
QC没过{acto}
{batch}有defect，先下架
做工太差 poor workmanship
退货太多 return rate {pct}
{en_defect}，质量问题
quality太差了{end}
{p}{defect}，customer complaints太多
质检fail了，{act}
defective批次，全部下架
差评都是说quality不好
{en_p} {defect}
QC不合格，{defect}
次品太多 too many defects
factory这批做工差，{act}
{en_p} quality差，先下了
"""),
    }


def spec_ip_infringement():
    ipbrand_zh = L(
        "迪士尼|漫威|小猪佩奇|宝可梦|皮卡丘|米老鼠|奥特曼|海绵宝宝|哆啦A梦|Hello Kitty|"
        "三丽鸥|蜡笔小新|火影忍者|名侦探柯南|哈利波特|小黄人|乐高|故宫文创|冰雪奇缘|"
        "蜘蛛侠|熊本熊|泡泡玛特|王者荣耀|原神|玲娜贝儿|库洛米|耐克|香奈儿"
    )
    ipbrand_en = L(
        "Disney|Marvel|Pokemon|Pikachu|Mickey Mouse|Hello Kitty|Sanrio|Peppa Pig|"
        "Harry Potter|Minions|SpongeBob|Star Wars|Frozen|Spider-Man|Nike|Chanel|Lego|"
        "Barbie|Sesame Street|Bluey|Paw Patrol|Sonic|Super Mario|Kuromi"
    )
    return {
        "slots_zh": {
            "ipbrand": ipbrand_zh,
            "ipkind": L("商标|著作权|外观专利|实用新型专利|发明专利|肖像权|美术作品著作权|"
                        "图片版权|字体版权|商标专用权"),
            "ipused": L("印了{ipbrand}的图案|用了{ipbrand}的logo|标题带了{ipbrand}|"
                        "详情页用了{ipbrand}的官方宣传图|包装上有{ipbrand}的商标|"
                        "用了摄影师的原图|外观和{ipbrand}的专利款一样|"
                        "用了{ipbrand}的卡通形象|吊牌上印了{ipbrand}"),
            "complainant": L("权利人|品牌方|版权方|律所|代理律师|商标持有人|专利权人|"
                             "原作者|摄影师|{ipbrand}官方"),
        },
        "slots_en": {
            "ipbrand": ipbrand_en,
            "ipkind": L("trademark|copyright|design patent|utility patent|patent|"
                        "artwork copyright|photo copyright|image rights|character rights"),
            "ipused": L("used the {ipbrand} logo|printed {ipbrand} characters on it|"
                        "put {ipbrand} in the title|used official {ipbrand} artwork|"
                        "copied a photographer's images|copied a patented design|"
                        "used {ipbrand} character art on the packaging"),
            "complainant": L("the rights owner|the brand owner|the copyright holder|"
                             "a law firm|the trademark owner|the patent holder|"
                             "the original artist|the photographer|{ipbrand}'s legal team|"
                             "an IP agent"),
        },
        "core_zh": L("侵权投诉|{ipkind}侵权|知识产权投诉|权利人投诉|未授权使用{ipbrand}图案|"
                     "涉嫌侵权"),
        "core_en": L("IP infringement|a {ipkind} complaint|unauthorized use of {ipbrand} IP|"
                     "a rights holder complaint|{ipkind} infringement"),
        "zh": T("""
侵权
侵权下架
{ipkind}侵权{acto}
商标侵权
{complainant}投诉{acto}
收到{complainant}投诉，说我们{ipused}，{act}
{this}{ipused}，没有授权，{act}
未授权使用{ipbrand}形象
{rev}{this}涉嫌侵犯他人{ipkind}，{act}
{rev}收到{complainant}的知识产权投诉，{this}涉嫌未经授权使用{ipbrand}相关标识，予以下架
图案是{ipbrand}的，没拿到授权{end}
被{complainant}告了，{ipkind}侵权
外观专利侵权，{complainant}发函了
摄影师投诉我们详情页用了他的原图，图片版权侵权
不是假货，是图案用了{ipbrand}的没授权
{ipbrand}联名款其实没谈授权，被投诉侵权了
知识产权投诉
涉嫌侵犯{ipbrand}{ipkind}
{p}上印的{ipbrand}图案属于侵权，全部{act}
标题里蹭了{ipbrand}的品牌词，被判商标侵权
律师函来了，{ipkind}的事，先下掉
专利侵权，{complainant}申请下架
盗用了原作者的插画做印花，著作权侵权
{rev}经{complainant}投诉并经平台核实，{this}侵犯其{ipkind}，{act}
侵权风险大，{ipbrand}的图案不能用{end}
未经授权使用他人注册商标
{ipbrand}版权方投诉了，这款先撤
这个设计抄的别人的专利款，对方已经维权
{sel}{ipkind}侵权投诉
因权利人投诉，{this}已下架，申诉需提供授权证明
{p}图案没有版权，怕被投诉{acto}
{complainant}说我们{ipused}
商标被抢注的那个牌子，我们用了名字，被投诉了
"""),
        "en": T("""
IP infringement
trademark infringement
{ipkind} infringement{acto}
copyright complaint
IP complaint from {complainant}
{complainant} filed a {ipkind} complaint{acto}
we {ipused} without authorization, {act} {t}
unauthorized use of {ipbrand} characters
{rev}this listing was reported by {complainant} for {ipkind} infringement.
{rev}{this} appears to use {ipbrand} intellectual property without authorization. Please provide proof of license or remove it.
infringes {ipbrand} {ipkind}
not a fake product, the print just uses {ipbrand} artwork without a license
got a takedown notice ({ipkind})
DMCA takedown
design patent complaint from {complainant}, removing
using {ipbrand} logo without permission
no license for the {ipbrand} print
photographer says we used their photos, copyright claim
{p} design copied from a patented product, {complainant} sent a cease and desist
rights holder complaint
keyword {ipbrand} in title counts as trademark misuse, {acted}
infringing item
cease and desist letter received re: {ipkind}
{rev}we received a notice of infringement from {complainant} regarding the {ipkind} used in this listing.
unlicensed {ipbrand} merch, {act}
{sel}{ipkind} infringement claim
the character on the {p} belongs to {ipbrand}, we never got licensing
IP violation - {ipbrand}
{ipbrand} fan art on the {p}, not licensed, pulling it
{complainant} says we {ipused}
infringement notice{end}
"""),
        "mixed": T("""
IP侵权{acto}
被{complainant}投诉 infringement
{ipbrand} logo没授权
copyright投诉，{act}
trademark侵权
{ipkind}侵权 complaint
收到律师函 cease and desist
图案用了{ipbrand}的artwork，没license
patent侵权，对方维权
unauthorized使用{ipbrand}形象
IPR投诉{acto}
{en_complainant} complaint，说我们侵权
侵权 infringement，先下
{en_ipbrand} character没有授权
被投诉IP，{act}
"""),
    }


def spec_counterfeit():
    brand_zh = L(
        "耐克|阿迪达斯|阿迪|古驰|LV|香奈儿|迪奥|劳力士|苹果|AirPods|Supreme|巴黎世家|"
        "普拉达|戴森|Yeezy|雅诗兰黛|兰蔻|卡地亚|路易威登|新百伦|北面|始祖鸟|Nike|Gucci|"
        "Dior|Rolex|茅台|华为"
    )
    brand_en = L(
        "Nike|Adidas|Gucci|Louis Vuitton|LV|Chanel|Dior|Rolex|Apple|AirPods|Supreme|"
        "Balenciaga|Prada|Dyson|Yeezy|Ray-Ban|Pandora|Michael Kors|The North Face|"
        "Canada Goose|Beats|JBL|Samsung|Cartier|Arc'teryx"
    )
    return {
        "slots_zh": {
            "brand": brand_zh,
            "fakeword": L("假货|高仿|A货|仿品|仿冒品|山寨货|复刻|1:1|非正品|精仿|莆田货|"
                          "超A|原单"),
        },
        "slots_en": {
            "brand": brand_en,
            "fakeword": L("fake|replica|knockoff|counterfeit|imitation|1:1 copy|bootleg|"
                          "rep|super copy|AAA replica|mirror copy"),
        },
        "core_zh": L("售假|假冒{brand}|非正品|{fakeword}|高仿{brand}|假货"),
        "core_en": L("counterfeit {brand}|fake goods|selling replicas|"
                     "a non-genuine {brand} product|counterfeit goods"),
        "zh": T("""
假货
高仿{brand}
{fakeword}{acto}
{brand}{fakeword}，{act}
非正品
卖的是{fakeword}，标的正品
{this}是{brand}{fakeword}，不能当正品卖
{rev}{this}涉嫌销售假冒{brand}商品，{act}
{rev}经品牌方鉴定，{this}为非正品，{act}
买家鉴定是假的{brand}，投诉售假
供应商给的货不是正品，是{fakeword}
山寨{brand}，logo都印歪了
仿冒{brand}{p}，以假充真
号称正品其实是{fakeword}
售假
被判定售假，{act}
{brand}鉴定为假{acto}
货源是{fakeword}，怕被查，{t}下架
标题写原单正品，实际是仿品
不是授权问题，是东西本身就是假的{brand}
假冒{brand}
A货不能卖了
消费者投诉收到假{brand}{p}，要求假一赔三
{rev}经鉴定{this}为假冒伪劣产品，涉嫌售假，予以下架并扣分
外观完全仿{brand}，连吊牌都是仿的，属于假货
被职业打假人盯上了，{brand}那款是假的
{sel}售假（{brand}{fakeword}）
{p}冒充{brand}正品
莆田货{acto}
说是{brand}同款，其实就是假货，直接下架
仿牌
{brand}的防伪码查不到，是假货
拿{fakeword}当正品卖被投诉了
"""),
        "en": T("""
fake {brand}
counterfeit
replica {brand} {p}
counterfeit goods{acto}
{brand} {fakeword}, {act}
not genuine
sold as genuine {brand} but it's a {fakeword}
{rev}{this} has been identified as counterfeit {brand} merchandise.
{rev}the brand owner confirmed that the {brand} items in this listing are not authentic.
buyer says the {brand} {p} is fake, authenticity complaint
supplier sent knockoffs, not real {brand}
knockoff {brand}
these are 1:1 replicas, can't list them as original
fake brand sold as authentic
item not authentic{end}
counterfeit {brand} {p}, removing before we get a strike
imitation {brand}
listed as genuine, actually a replica
it's not a licensing issue, the product itself is a fake {brand}
{rev}suspected counterfeit: logo, packaging and serial numbers do not match genuine {brand} products.
authenticity issue - {brand}
fake designer {p}
bootleg {brand} stuff{acto}
customer got a fake {brand} and filed a claim
selling counterfeits is against policy, {act} {t}
{sel}counterfeit ({brand})
reps, not legit {brand}
failed brand authentication
passing off {fakeword} {brand} as the real thing
{brand} serial number doesn't verify, it's fake
"""),
        "mixed": T("""
高仿{brand} replica
fake货{acto}
{brand}假货 counterfeit
replica款，{act}
不是正品 not authentic
A货 fake {en_brand}
被鉴定fake
{en_brand} 1:1 高仿
counterfeit，以假充真
山寨{brand} knockoff
卖fake被投诉
非正品 not genuine，先下架
售假 counterfeit {en_brand}
{en_brand} fake，{act}
rep货不能卖
"""),
    }


def spec_prohibited_item():
    banned_zh = L(
        "管制刀具|弹簧刀|甩棍|电击器|仿真枪|弩|电子烟|烟弹|烟油|香烟|处方药|抗生素|"
        "减肥药|壮阳药|象牙制品|穿山甲鳞片|犀牛角|玳瑁制品|野生动物标本|成人用品|"
        "赌博器具|作弊麻将|老虎机|烟花爆竹|防狼喷雾|针孔摄像头|信号屏蔽器|警用装备|"
        "开锁工具|催情药"
    )
    banned_en = L(
        "switchblades|butterfly knives|brass knuckles|stun guns|airsoft guns|crossbows|"
        "vape pens|e-cigarettes|vape cartridges|e-liquid|cigarettes|prescription drugs|"
        "antibiotics|diet pills|ivory|pangolin scales|rhino horn|tortoiseshell items|"
        "taxidermy of protected species|adult toys|gambling devices|slot machines|"
        "fireworks|pepper spray|hidden spy cameras|signal jammers|police uniforms|"
        "lock picks|CBD gummies|kratom"
    )
    return {
        "slots_zh": {
            "banned": banned_zh,
            "ingredient": L("西布曲明|大麻二酚|麻黄碱|酚酞|罂粟壳|西地那非"),
        },
        "slots_en": {
            "banned": banned_en,
            "ingredient": L("sibutramine|CBD|ephedrine|phenolphthalein|DMAA|sildenafil"),
        },
        "core_zh": L("禁售商品|违禁品|禁限售|发布{banned}|{banned}禁售"),
        "core_en": L("a prohibited item|banned goods ({banned})|the restricted products policy|"
                     "prohibited {banned}"),
        "zh": T("""
禁售
违禁品
{banned}禁售
{banned}属于禁限售商品{acto}
{rev}{this}属于《禁限售规则》中的{banned}，禁止发布
{rev}{this}涉嫌发布禁售商品（{banned}），{act}
{banned}平台禁售
卖{banned}违规
{banned}不能上架
刀刃长度超标，属于管制刀具
电子烟禁售{acto}
处方药属于禁售，个人店不能卖
限售品，普通店铺不能发布
{this}含{ingredient}，属于违禁成分
野生动物制品不能卖
{banned}，违禁
赠品是{banned}，整个链接违规
成人用品属于限售，没法发
{banned}是平台明令禁止销售的
赌具{acto}
涉及赌博，禁售
{rev}根据《禁限售商品目录》，{banned}禁止销售，{act}并扣分
仿真枪外形太像真的，属于违禁
烟草制品不能在平台卖
不是质量问题也不是安全问题，这东西本身就禁售
{banned}被系统识别为禁售品
发布了违禁品，被扣{n}分
{sel}禁限售（{banned}）
含有违禁物质{acto}
濒危动物制品，违法的
{p}套装里混了{banned}，属于禁售
{banned}这类东西平台一直不让卖
"""),
        "en": T("""
prohibited item
banned product
restricted item{acto}
{banned} not allowed
{banned} are prohibited on the platform
{rev}{this} falls under the prohibited items policy ({banned}).
{rev}listings for {banned} are not permitted. The listing has been removed and a policy strike applied.
contains a banned substance ({ingredient})
selling {banned} violates the restricted products policy
blade too long, counts as a prohibited weapon
weapons policy - {weapon}
tobacco and vape products can't be sold here
Rx-only medicine, prohibited
wildlife product ({wildlife}), illegal to sell
adult products are a restricted category
gambling related item, banned
{banned}, {act}
the free gift was {banned}, whole listing flagged as prohibited
restricted goods, regular sellers can't list them
not a quality or safety issue - this item is simply banned
flagged as prohibited: {banned}
drug paraphernalia{acto}
counts as a weapon under policy, removed
endangered species product
{sel}prohibited item ({banned})
we accidentally listed {banned}, which is on the banned list
{rev}this product contains {ingredient}, which is a prohibited ingredient.
realistic replica firearm - prohibited
on the banned items list, can't sell
{p} bundle included {banned}, prohibited
"""),
        "mixed": T("""
电子烟 vape 禁售
prohibited item，{act}
{banned}是banned的
管制刀具 weapon policy
违禁品 restricted
{en_banned}禁售
禁限售 prohibited
含{en_ingredient}，违禁
banned品类，不能卖
处方药 Rx only，不能卖
{banned} not allowed，先下
restricted item 限售
weapon类目禁售
adult用品限售
系统flag成禁售品
"""),
    }


MAT_PAIRS_ZH = [("纯棉", "涤纶"), ("真皮", "PU皮"), ("100%蚕丝", "化纤"), ("纯银", "合金镀银"),
                ("18K金", "镀金"), ("防水", "只能防溅"), ("实木", "密度板"), ("全铜", "铁镀铜"),
                ("羊毛", "腈纶"), ("进口", "国产"), ("20000毫安", "不到一万毫安"),
                ("304不锈钢", "201不锈钢"), ("羽绒", "丝棉")]
MAT_PAIRS_EN = [("100% cotton", "polyester"), ("genuine leather", "PU"),
                ("real silk", "satin polyester"), ("sterling silver", "plated alloy"),
                ("18K gold", "gold plated"), ("waterproof", "only splash resistant"),
                ("solid wood", "MDF"), ("merino wool", "acrylic"),
                ("20000mAh", "about 8000mAh"), ("stainless steel", "coated iron"),
                ("down filled", "polyester fill"), ("imported", "made locally")]


def _mat_zh(rng):
    a, b = rng.choice(MAT_PAIRS_ZH)
    return rng.choice(["写的{a}实际是{b}", "标{a}其实是{b}", "页面说{a}，收到是{b}",
                       "宣传{a}，实物是{b}", "详情写{a}，到手是{b}"]).format(a=a, b=b)


def _mat_en(rng):
    a, b = rng.choice(MAT_PAIRS_EN)
    return rng.choice(["says {a} but it's {b}", "listed as {a}, actually {b}",
                       "claims {a}, really {b}", "advertised {a}, customers got {b}"]
                      ).format(a=a, b=b)


def spec_misleading_listing():
    return {
        "slots_zh": {
            "mat": _mat_zh,
            "claim": L("纯棉|真皮|100%蚕丝|纯银|18K金|防水|实木|全铜|羊毛|进口|有机"),
            "extreme": L("最好|第一|最佳|顶级|全网最低|国家级|史上最强|100%有效|绝对|"
                         "万能|永久|首选|销量第一"),
            "efficacy": L("美白|祛斑|减肥|生发|治失眠|防脱|增高|抗衰老|排毒|降血压"),
            "spec": L("尺码|尺寸|容量|重量|颜色|规格|数量|功率|电池容量|材质|产地"),
        },
        "slots_en": {
            "mat": _mat_en,
            "claim": L("100% cotton|genuine leather|real silk|sterling silver|waterproof|"
                       "solid wood|organic|imported|medical grade"),
            "extreme": L("best|#1|number one|best-selling in the world|100% effective|"
                         "guaranteed results|miracle|lowest price ever|clinically proven|"
                         "strongest"),
            "efficacy": L("whitening|weight loss|hair regrowth|cures insomnia|"
                          "anti-aging in 3 days|removes wrinkles|boosts immunity|detox"),
            "spec": L("size|dimensions|capacity|weight|color|material|battery life|"
                      "wattage|quantity|pack count|country of origin"),
        },
        "core_zh": L("描述不符|虚假宣传|夸大功效|标题与实物不符|使用极限词|货不对板|"
                     "{spec}描述不符"),
        "core_en": L("misleading claims|an inaccurate description|false advertising|"
                     "exaggerated claims|a wrong {spec} in the description|"
                     "items not as described"),
        "zh": T("""
描述不符
{this}描述不符{acto}
标题与实物不符
虚假宣传
夸大功效
{mat}，描述不符
{mat}，买家投诉描述不符
标题用了极限词“{extreme}”
{rev}{this}标题含有极限词“{extreme}”，违反广告相关规定，{act}
{rev}{this}宣传“{efficacy}”等功效，属于夸大宣传，{act}
{spec}写错了，跟实物不一样
实物{spec}和页面写的不一致
宣传{n}0小时续航实际只有一半，夸大宣传
卖点写得太夸张了，客户说是虚假宣传
普通{p}说成能{efficacy}，夸大功效
{p}页面写{claim}，其实不是
买家投诉货不对板
货不对板{acto}
参数虚标
{rev}{this}商品详情中的材质、规格描述与实际不符，涉嫌虚假宣传
不是图片的问题，是文字描述写错了，{spec}不对
标题写{claim}，属于虚假描述
属性填错了，材质写成{claim}了
用了“{extreme}”这种极限词，要改
宣传语违规，{extreme}
详情页说能{efficacy}，没有依据
产地写错了，写成进口实际国产
承诺的赠品没有，属于描述不符
{sel}描述不符（{spec}）
买家说收到的{p}跟描述差太多，{act}改详情
夸大宣传，{act}整改
标题堆砌关键词，和商品本身无关
{mat}
详情页{spec}标的和发的货对不上
"""),
        "en": T("""
not as described
item not as described{acto}
misleading listing
false advertising
exaggerated claims
description {mat}
listing {mat}, buyer complaint
{spec} in the listing is wrong
{rev}{this} contains claims that cannot be substantiated ("{extreme}").
{rev}the product description does not match the item received by customers ({spec}).
claims like "{efficacy}" are unsupported
title says {extreme}, not allowed
listed {spec} doesn't match the actual product
overstated battery life
SNAD claims piling up
title doesn't match the product
wrong material in description
it's not about the photos, the text description is wrong - {spec}
buyers say the {p} is way smaller than described
misrepresented the {spec}
health claims on a {p} ({efficacy}), misleading
{rev}{this} makes false or exaggerated claims about product performance.
superlatives in title ({extreme})
description promised free accessories that aren't included
country of origin wrong in listing
inflated specs{acto}
{sel}not as described ({spec})
keyword stuffing, title doesn't reflect the product
we said {efficacy} on the {p} page, legal says that's false advertising
{mat}
misleading {spec} info on the {p}
"""),
        "mixed": T("""
描述不符 not as described
{en_spec}写错了
标题有“{en_extreme}”，极限词
false advertising 虚假宣传
SNAD投诉太多
描述说{claim}，其实不是，misleading
夸大功效 exaggerated
listing描述和实物不一样
{spec}不对，title要改
misleading标题，{act}
极限词 {extreme}，要改 title
description跟实物不符
参数虚标 overstated specs
买家说not as described，{act}
claims太夸张
"""),
    }


def spec_image_violation():
    return {
        "slots_zh": {
            "imgprob": L("水印|牛皮癣|拼图|边框|大段文字|二维码|联系方式|非白底|模糊|像素太低|"
                         "拉伸变形|盗图|其他店铺logo|促销文字|多个商品拼在一起|背景杂乱|"
                         "主体太小|裁剪不完整|黑边|无关图片|贴纸"),
            "imgpos": L("主图|首图|第{n}张主图|SKU图|白底图|详情图|头图|主图视频封面|轮播图|"
                        "第一张图"),
        },
        "slots_en": {
            "imgprob": L("a watermark|a text overlay|a collage|a border|a QR code|contact info|"
                         "a non-white background|blur|low resolution|stretching|"
                         "a stolen photo|another store's logo|promo badges|"
                         "multiple products|a cluttered background|stickers|cropping"),
            "imgpos": L("main image|first image|image #{n}|SKU image|thumbnail|hero image|"
                        "gallery image|swatch image|video cover|primary photo"),
        },
        "core_zh": L("主图违规|图片违规|主图{imgprob}|图片不合规|盗图|{imgpos}不合格"),
        "core_en": L("image violations|a non-compliant main image|{imgprob} on the {imgpos}|"
                     "image policy issues|bad photos"),
        "zh": T("""
主图违规
{imgpos}有{imgprob}
图片违规{acto}
牛皮癣
{imgpos}{imgprob}{acto}
{rev}{this}{imgpos}存在{imgprob}，不符合《商品图片规范》，{act}
{rev}{this}主图不是纯白底，请更换后重新提交
图片模糊
主图带水印
盗图被发现了，主图是别家店的
主图拼接了{n}张图，不符合要求
{imgpos}加了促销文字，算牛皮癣
图片像素低于800x800
白底图不合格
主图上有二维码和联系方式
图文不符，主图是{p}，卖的是{p2}
主图跟SKU对不上，图文不符
{imgpos}不清晰，要重拍
图片用的其他店铺的，带别人logo
不是描述的问题，是主图{imgprob}
主图文字太多
{this}图片不合规，先下架换图
主图比例不对，不是1:1
图片违规被驳回
{imgpos}背景太乱，主体不突出
主图放了边框和贴纸
主图用了网图，不是实拍
{sel}图片违规（{imgprob}）
主图换了{n}次还是没过审
图片审核不通过
详情图上有外链二维码
{imgpos}{imgprob}，重新拍
{p}的主图是盗的
"""),
        "en": T("""
main image violation
{imgprob} on the {imgpos}
image policy violation{acto}
watermark on main image
{imgpos} has {imgprob}
{rev}the {imgpos} of {this} contains {imgprob} and does not meet image requirements.
{rev}main images must have a pure white background (RGB 255,255,255).
blurry photos
low res images, under 1000px
stolen pictures from another seller
collage main image not allowed
text overlay on hero image
image shows a different product than the listing
photo doesn't match the SKU
main img not on white bg
photos need to be retaken
pictures rejected by image review
it's not the description, the main picture is the problem ({imgprob})
{this}: images non-compliant, replacing photos then relisting
other brand's logo visible in {imgpos}
QR code in pics
image aspect ratio wrong, must be 1:1
using stock photos from the internet, not our own
too much text on the thumbnail
{sel}image violation ({imgprob})
product takes up less than 85% of the main image
watermarked pics{acto}
swatch images mixed up, picture shows the wrong color
photo copied from a competitor, flagged
{imgpos} rejected: {imgprob}
the {p} photos are blurry
"""),
        "mixed": T("""
主图有watermark
main image违规
图片blurry，要重拍
{imgpos}有{en_imgprob}
白底图不合格 non-white background
盗图 stolen photos
图片低像素 low res
主图collage不允许
image违规{acto}
牛皮癣 text overlay
图文不符，picture和SKU对不上
photo review没过
主图有QR code
{en_imgpos}水印
pic不清楚，重拍
"""),
    }


def spec_missing_certification():
    cert_zh = L(
        "CE认证|CE证书|FCC认证|UKCA标志|3C认证|CCC证书|FDA注册|RoHS报告|UL证书|CPC证书|"
        "EN71检测报告|MSDS|UN38.3报告|检测报告|质检报告|医疗器械注册证|化妆品备案|"
        "食品经营许可证|品牌授权书|进口报关单|产品合格证|能效标识|阻燃检测报告"
    )
    cert_en = L(
        "CE certificate|CE marking|FCC ID|FCC certification|UKCA mark|CPC|CPSIA test report|"
        "FDA registration|RoHS report|UL certification|EN71 test report|MSDS|"
        "UN38.3 report|lab test report|ASTM F963 report|CPNP notification|"
        "brand authorization letter|certificate of conformity|energy label|SDS|"
        "food business license|medical device registration"
    )
    return {
        "slots_zh": {"cert": cert_zh, "cert2": cert_zh},
        "slots_en": {"cert": cert_en, "cert2": cert_en},
        "core_zh": L("资质缺失|缺少{cert}|证书不全|没有{cert}|资质不全"),
        "core_en": L("missing {cert}|missing certification|incomplete compliance documents|"
                     "no {cert} on file"),
        "zh": T("""
资质缺失
缺{cert}
没有{cert}{acto}
{cert}没上传
{rev}{this}未提供{cert}，请补充资质后重新提交
{rev}{this}所属类目需提供{cert}，您尚未上传相关资质，{act}
{cert}过期了，还没续
厂家给不出{cert}
等{cert}下来再上
资质不全
{p}要{cert}，我们没有
证书不齐{acto}
检测报告缺失
品牌授权书没上传，不是侵权，只是资料缺
不是规则变了，是我们一直没补{cert}
3C认证没有，不能卖
上传的{cert}不清晰，被驳回了
资质审核没通过
缺少{cert}和{cert2}
{cert}里的型号跟商品对不上，要重新做
{cert}还在办，预计{days}天
出口欧洲要CE，我们没有
没有检测报告
上传的资质已过期
{sel}资质缺失（{cert}）
{rev}{this}资质文件不完整，缺少{cert}
电池类商品需要{cert}，还没提供
送检了，报告没出来，先下
供应商没提供{cert}，只能先下架
化妆品没备案
缺资质
新规要求{cert}，我们还没办下来
{p}的{cert}找不到了
"""),
        "en": T("""
missing certification
no CE cert
no {cert}
{cert} missing{acto}
{rev}please upload a valid {cert} for {this}. The listing will remain inactive until documentation is provided.
{rev}{this} requires a {cert}; no compliance document was found on file.
{cert} expired, renewing it
factory can't provide a {cert}
waiting on the {cert}, will relist once we have it
missing docs
compliance docs incomplete
{p} needs a {cert}, we don't have one
lab report still pending
no test report
brand authorization letter not uploaded (not an IP complaint, just paperwork)
the rules didn't change, we just never had the {cert}
document rejected: {cert} unreadable
need {cert} and {cert2}
{cert} model number doesn't match the product
certificate of conformity missing
cert submission failed review
{sel}missing {cert}
batteries need UN38.3 + MSDS, don't have them yet
selling into the EU without CE, not ok
supplier never sent the {cert}
uploaded cert is expired
food business license missing
pending certification, unlisting for now
no FCC ID on file
the {p} has no {cert}
"""),
        "mixed": T("""
CE证书 missing
缺{en_cert}
no {cert}，{act}
{en_cert}没有
资质missing
test report还没出
certificate过期了
FCC认证 pending
3C cert没有
缺document，资质不全
{en_cert}还在办 pending
compliance资料不齐
检测报告 missing
supplier没给{cert}
品牌授权书 not uploaded
"""),
    }


def spec_pricing_violation():
    return {
        "slots_zh": {
            "pricetrick": L("先涨后降|虚假折扣|虚标原价|划线价虚高|低价引流|标价错误|价格欺诈|"
                            "哄抬价格|大促前提价|一元秒杀引流|价格远高于市场价|价格异常低"),
        },
        "slots_en": {
            "pricetrick": L("a fake discount|an inflated reference price|raise-then-cut pricing|"
                            "price gouging|bait pricing|a pricing error|"
                            "a misleading strikethrough price|a price far above market|"
                            "a price far below cost"),
        },
        "core_zh": L("价格违规|{pricetrick}|虚假折扣|标价错误|价格异常"),
        "core_en": L("a pricing violation|{pricetrick}|fake discounts|abnormal pricing"),
        "zh": T("""
价格违规
先涨后降
{pricetrick}{acto}
虚假折扣
{rev}{this}存在{pricetrick}行为，涉嫌价格违规，{act}
{rev}{this}划线价高于近{days}天最低成交价，违反价格规范
大促前{days}天涨价，被判先涨后降
原价写{price}，实际从没这个价卖过
标价错了，{price}写成{price2}
低价引流，{sku}价格设成0.01
价格比参考价高太多了，被判哄抬
SKU价格差距太大，属于低价引流
价格欺诈投诉
折扣是假的，被查了
价格远低于市场价，被系统判定异常
{p}价格设置异常{acto}
不是滞销，是价格违规被下架
改价太频繁，触发价格监控
划线价没依据
活动价比日常价还高
标价{price}，结算价不一样，被投诉价格欺诈
运费设置过高，变相涨价
{sel}价格违规（{pricetrick}）
价格错误{acto}
特殊时期涨价，被认定哄抬物价
虚构原价
平台比价发现我们价格远高于同款
优惠券叠加后价格异常
价格不合规
{rev}经监测，{this}价格明显偏离市场参考价，请调整后重新上架
{p}标价{price2}，多打了个零
"""),
        "en": T("""
pricing violation
fake discount
price gouging
{pricetrick}{acto}
{rev}{this} was flagged for {pricetrick}.
{rev}the list price of {this} is significantly higher than recent selling prices. Reference prices must reflect real prior sales.
raised the price before the sale then discounted it, flagged
was-price of {price} never actually charged
price typo, {price2} instead of {price}
bait and switch pricing on {sku}
price way above reference price
price too low, flagged as abnormal
strikethrough price not valid
pricing error{acto}
inflated MSRP
not slow sales, it got pulled for a pricing policy violation
fair pricing policy violation
shipping fee set too high to hide the real price
coupon stacking made the price abnormal
price changed too many times, triggered the price monitor
{sel}pricing violation ({pricetrick})
deal price higher than the normal price lol
{p} priced at {price2}, counts as gouging
excessive pricing during a shortage
one variant at $0.01 to lure traffic
misleading was/now prices
reference price unverifiable
incorrect price listed
{rev}{this} shows {pricetrick}; please correct the price.
price on the {p} is off by a zero
"""),
        "mixed": T("""
先涨后降 fake discount
price违规
划线价 inflated
{en_pricetrick}，{act}
标价错误 pricing error
低价引流 bait pricing
价格gouging被查
{price}写成{price2}了 typo
discount是假的
价格abnormal被系统flag
fake折扣{acto}
reference price太高
低价SKU引流 bait
price error，先下架改价
哄抬价格 price gouging
"""),
    }


def spec_safety_risk():
    return {
        "slots_zh": {
            "hazard": L("起火|漏电|短路|电池过热|电池鼓包|自燃|爆炸|烫伤|触电|"
                        "小零件易脱落儿童误吞|磁铁易被误吞|绳子过长有勒颈风险|甲醛超标|"
                        "铅含量超标|邻苯超标|边角锋利易划伤|材料有毒|易燃|易倾倒|窒息风险"),
        },
        "slots_en": {
            "hazard": L("fire risk|overheating|electric shock hazard|short circuit|"
                        "battery swelling|explosion risk|burn hazard|choking hazard|"
                        "magnet ingestion risk|strangulation risk|high formaldehyde|"
                        "lead over the limit|phthalates over the limit|sharp edges|"
                        "toxic materials|flammability|tip-over risk|suffocation risk"),
            "hazardverb": L("catch fire|shock someone|burn skin|explode|choke a toddler|"
                            "cut fingers"),
        },
        "core_zh": L("安全隐患|{hazard}风险|产品召回|存在人身安全风险|{hazard}"),
        "core_en": L("a safety hazard|{hazard}|a product recall|a safety risk|"
                     "risk of injury"),
        "zh": T("""
安全隐患
有安全隐患{acto}
{hazard}
{p}{hazard}，{act}
{rev}{this}存在{hazard}等安全隐患，{act}
{rev}{this}被列入召回名单，请立即停止销售
买家反馈充电时{hazard}
召回
厂家召回{acto}
儿童误吞风险
甲醛超标
{p}用着用着冒烟了
有小孩差点吞了零件，太危险
充电宝充着充着鼓包，怕起火
不是一般的质量问题，是会{hazard}，必须下
东西本身能卖，但这批有{hazard}的风险
检测出{hazard}，存在安全风险
插头不符合安全标准，有触电风险
电线太细，容易发热
{rev}接多起消费者投诉{this}在使用中{hazard}，存在人身安全风险，{act}
安全问题，不能再卖
有用户受伤了
{p}边缘锋利，划伤了小孩
婴儿用品{hazard}
{sel}安全隐患（{hazard}）
涉及人身安全，{act}
有毒材料
监管部门发了召回通知
锂电池有热失控风险
{p}放不稳容易倒，有安全隐患
电热产品温控失灵，会烫伤
{p}有{hazard}隐患
"""),
        "en": T("""
safety hazard
safety risk{acto}
{hazard}
{hazard} on {this}
{rev}{this} poses a potential {hazard} to users.
{rev}this product is subject to a recall. Sales must stop immediately.
product recall
recalled by manufacturer{acto}
customer said the {p} caught fire while charging
choking hazard for kids
small parts, not for under 3s
battery overheats
buyer got shocked when plugging it in
formaldehyde levels too high
more than just bad quality - it can {hazardverb}, has to go
legal item, but this batch has a {hazard}
kid got hurt by the {p}
{rev}multiple reports of {hazard} associated with this product. Listing suspended pending investigation.
unsafe for children
plug doesn't meet electrical safety standards
toxic paint on the {p}
lithium battery thermal runaway risk
consumer safety issue
CPSC recall notice
{sel}safety risk ({hazard})
product melted and smoked
could injure users, pulling it {t}
danger, {hazard}
sharp edges cut a customer
heater thermostat fails, burn risk
the {p} could {hazardverb}
"""),
        "mixed": T("""
安全隐患 safety risk
{p} fire risk
{en_hazard}，{act}
recall了，{act}
充电时overheating
choking hazard 儿童误吞
漏电 electric shock
甲醛超标 formaldehyde
safety问题，不能卖
电池swelling鼓包
召回 recall notice
有{en_hazard}
{hazard} hazard
unsafe，小孩会吞
smoke了，太危险
"""),
    }


def spec_out_of_stock():
    colors_zh = L("黑色|白色|粉色|灰色|蓝色|米色|卡其|红色")
    sizes_zh = L("S码|M码|L码|XL|XXL|36码|38码|40码|42码|大号|小号")
    colors_en = L("black|white|pink|grey|navy|beige|khaki|red")
    sizes_en = L("S|M|L|XL|XXL|size 6|size 8|size 10|EU 38|EU 42|large|small")
    return {
        "slots_zh": {
            "reason": L("工厂停产|供应商断供|物流卡住了|清关没过|厂家放假|货还在路上|"
                        "工厂排期满了|原材料紧缺|上游缺料"),
            "restock": L("下个月补货|等补货|补货后再上|到货再上|预计{days}天到货|月底到货|"
                         "下周到仓|节后补货"),
            "variant": lambda rng: rng.choice(colors_zh) + rng.choice(sizes_zh),
        },
        "slots_en": {
            "reason": L("factory stopped production|supplier ran dry|shipment stuck|"
                        "held in customs|factory on holiday|container delayed|"
                        "raw material shortage"),
            "restock": L("restock next month|back in {days} days|relist when stock arrives|"
                         "ETA {days} days|restock end of month|new stock next week"),
            "variant": lambda rng: "%s in %s" % (rng.choice(sizes_en), rng.choice(colors_en)),
        },
        "core_zh": L("缺货|断货|库存不足|没库存|等补货|没货"),
        "core_en": L("no stock|being out of stock|inventory running out|waiting for restock|"
                     "zero inventory"),
        "zh": T("""
断货了
没货了
缺货
库存不足{acto}
{p}没货了，{act}
补货中
{variant}断码了
库存0
卖完了，{restock}
{reason}，暂时没货
供应商没货了，{restock}
工厂停产，暂时断货
{p}{variant}没货
仓库没货，怕超卖{acto}
库存没了
{rev}{this}库存为0已超过{days}天，系统自动下架
系统检测到{this}连续{days}天无库存，已自动下架
断货，不是卖不动，是卖太好了没货
不是过季，是供应商断货
货源断了
{n}00件卖完了，等补
工厂放假，{restock}
海运延误，货还没到仓
备货不足
现货没了，预售又不能开
{sel}缺货
库存同步错了，实际没货
原材料紧缺，工厂暂停生产
爆单了，库存跟不上
下单了发不出，没库存
等补货再上架
{p}售罄{acto}
{variant}缺货，其他码还有
"""),
        "en": T("""
out of stock
OOS
no stock{acto}
sold out
supplier ran out
waiting for restock
restocking, back in {days} days
{this} is out of stock, {act} {t}
{reason}, no inventory
inventory at 0
factory paused production, no stock
stock ran out, {restock}
{variant} sold out
to avoid overselling, {act} until restock
{rev}{this} has had zero inventory for {days} days and was automatically deactivated.
shipment delayed, nothing in the warehouse
not slow sales - it sold out faster than expected
not seasonal, the supplier just can't deliver
backordered
no inventory left
out of stock until next month
can't fulfill orders, no stock
supplier is out, ETA {days} days
{sel}OOS
inventory sync showed stock but the warehouse is empty
stuck in customs, no stock on hand
sold through all {n}00 units
temporarily unavailable, restocking
oversold, pausing until stock comes in
ran out of stock
{p} sold out{acto}
"""),
        "mixed": T("""
库存没了 out of stock 先下架
OOS了
sold out，等补货
没货 no stock
restock中
supplier断货
inventory 0，先下
缺货 OOS
{p} sold out了
补货ETA {days}天
backorder了
stock不够
out of stock，{act}
仓库没stock
工厂停产 no inventory
"""),
    }


def spec_seasonal():
    return {
        "slots_zh": {
            "sitem": L("圣诞树|圣诞帽|万圣节面具|南瓜灯|春联|灯笼|月饼礼盒|粽子礼盒|泳衣|凉席|"
                       "电热毯|暖手宝|雪地靴|年货礼盒|情人节礼盒|圣诞袜|福字贴|冰袖|毛线帽|"
                       "开学文具|驱蚊液|暖宝宝"),
            "holiday": L("圣诞节|万圣节|春节|中秋|情人节|端午|元宵|七夕|开学季|国庆|元旦|"
                         "母亲节"),
            "season": L("夏季|冬季|春夏|秋冬|夏天|冬天|春季|秋季"),
            "season2": L("秋冬|春夏|冬季|夏季"),
            "enddate": L("2月15日|11月1日|昨天|上周日|10月8日|本月10日"),
        },
        "slots_en": {
            "sitem": L("Christmas tree|Santa hat|Halloween costume|pumpkin lights|Easter basket|"
                       "Valentine's gift box|swimsuits|beach towels|pool floats|"
                       "heated blanket|hand warmers|snow boots|sun hat|advent calendar|"
                       "back-to-school supplies|mooncake gift box|Lunar New Year decorations|"
                       "ugly Christmas sweater|mosquito repellent"),
            "holiday": L("Christmas|Halloween|Easter|Valentine's Day|Lunar New Year|"
                         "Mid-Autumn Festival|Thanksgiving|New Year|Mother's Day|"
                         "back to school"),
            "season": L("summer|winter|spring|fall|autumn|spring/summer|fall/winter"),
            "season2": L("fall|spring|winter|summer|next season"),
            "enddate": L("on February 15|on November 1|yesterday|last week|on October 8|"
                         "at the weekend"),
        },
        "core_zh": L("过季|换季|季节性|{holiday}已过|反季|节日结束"),
        "core_en": L("being off season|end of season|seasonality|{holiday} being over|"
                     "the season change"),
        "zh": T("""
过季
换季{acto}
过季下架
{holiday}过了，{sitem}先下
{season}款，{t}下架
反季商品
季节性商品{acto}
{sitem}过季了
{holiday}专用的，节日过了就收起来
明年{holiday}前再上
{season}款下架，上{season2}款
换季清理，{season}的先收起来
天冷了，{summeritem}先撤
天热了，{winteritem}先撤
{holiday}限定款，活动结束
季节性下架，等明年
节日商品，节后下架
【平台通知】{holiday}主题活动已结束，相关节日商品请及时下架
不是卖不动，是过季了，明年还会上
不是没货，是季节过了
夏装换冬装
{sitem}等{season2}再上
应季结束
过了{holiday}就没需求了，收起来明年再卖
{season}已过
年货节结束，年货下架
季节原因下架
{sel}过季（{sitem}）
换季调整，{season}商品下线
反季了
入秋了，泳衣冰袖这些先下
{holiday}主题的{p}，节后下架
{season}的{p}，换季先撤
"""),
        "en": T("""
seasonal
off season
seasonal item{acto}
{holiday} is over, pulling the {sitem}
{season} collection, removing until next year
end of season
out of season{acto}
{sitem} - season's over
holiday item, relist next {holiday}
seasonal rotation
swapping {season} stock for {season2}
{holiday} only product
it's not that it doesn't sell, it's just off season until {season2}
not out of stock, just seasonal
{rev}the {holiday} promotion period has ended; seasonal listings should be deactivated.
post-{holiday} cleanup
summer stuff, getting cold now
winter items, archive until {month}
seasonal product, will be back next {season}
{sitem} out of season
holiday season ended
{holiday} themed {p}, taking down after the holiday
counter-season, relisting later
{sel}seasonal ({holiday})
season change, clearing {season} listings
only sells around {holiday}
pausing for the off-season
Q1 now, Christmas stuff goes
past season
{season} {p}, off season now
"""),
        "mixed": T("""
过季 off season
seasonal商品{acto}
{en_holiday}过了，先下
换季 season change
{en_sitem}过季
summer款下架
off season了
Christmas主题的{p}，节后下架
反季 seasonal
{season}款 end of season
holiday款，明年再上
Halloween过了
winter款等冬天再上
seasonal，不是没货
季节性 seasonal item
"""),
    }


def spec_slow_selling():
    return {
        "slots_zh": {},
        "slots_en": {},
        "core_zh": L("滞销|卖不动|没流量|转化低|长期无动销|销量太差"),
        "core_en": L("slow sales|low traffic|poor conversion|no sales|zero sell-through"),
        "zh": T("""
滞销
卖不动
没流量
转化低{acto}
{p}卖不动，{act}
{days}天没出单
0销量
上架{days}天销量为0
曝光少，点击率{lowpct}
没什么流量，{act}
优化商品结构
清理长尾SKU
动销率低
{rev}{this}连续{days}天无动销，系统已自动下架
滞销品清理
加购多但不转化
推广费花了不少，一单没出
不是过季，是一直就卖不动
库存还有很多，就是卖不出去
竞品太多，价格打不过，没单
做了{n}次活动还是没起色
精简店铺，把不出单的下掉
销量太差{acto}
搜索排名靠后，没人看
转化率只有{lowpct}
{sel}滞销
这款市场不认，放弃
月销个位数，不值得维护
低效商品清理
没人买
流量差转化差，砍掉
{p}压了一堆货卖不出去
访客很少，基本不出单
"""),
        "en": T("""
slow selling
no sales
poor traffic
low conversion{acto}
zero sales in {days} days
{this} isn't selling, {act} {t}
dead stock
no views, no orders
CTR is {lowpct}, not worth keeping
clearing out non-performing SKUs
catalog cleanup - low sellers
pruning slow movers
conversion rate only {lowpct}
{rev}{this} has had no sales activity in the last {days} days and has been archived.
lots of inventory, just nobody buying
not seasonal, it never sold in the first place
ad spend wasted, no orders
can't compete on price, zero orders
low demand
the {p} flopped
sales too low{acto}
buried in search, no impressions
poor performance
{sel}slow seller
ran {n} promos, still no movement
streamlining the catalog, dropping the bottom {n}0 SKUs
people add to cart but never buy
only {n} orders in a quarter
unsold for months
not moving
{p} just sits there, no orders
"""),
        "mixed": T("""
卖不动 no sales
traffic太差
conversion低{acto}
0 sales，{act}
滞销 slow mover
{days}天 no orders
CTR太低
dead stock清理
没流量 low traffic
ROI太低，不推了，下架
SKU精简，清掉slow seller
{p}没人买，sales太差
曝光少 no impressions
low demand，不做了
转化rate只有{lowpct}
"""),
    }


def spec_policy_change():
    category_zh = L("保健食品|宠物食品|二手奢侈品|虚拟商品|充值卡|医疗器械|生鲜|酒类|黄金饰品|"
                    "跨境进口|儿童安全座椅|盲盒|定制商品|二手手机|茶叶|种子")
    category_en = L("supplements|pet food|pre-owned luxury|digital goods|gift cards|"
                    "medical devices|fresh produce|alcohol|gold jewelry|cross-border imports|"
                    "car seats|blind boxes|custom-made items|refurbished phones|seeds")
    return {
        "slots_zh": {
            "category": category_zh,
            "site": L("美国站|欧洲站|英国站|日本站|东南亚站|德国站|本地站点"),
            "rulebook": L("商品发布规范|类目管理规则|招商标准|平台服务协议|商品管理规则"),
            "newreq": L("所有商品标注原产地|个人店不能发布{category}|标题不能带品牌词|"
                        "每个商品必须绑定唯一条码|{category}必须缴纳保证金|商品必须重新归类|"
                        "{category}只能旗舰店销售"),
        },
        "slots_en": {
            "category": category_en,
            "site": L("US site|EU site|UK store|Japan marketplace|SEA sites|Germany site|"
                      "local site"),
            "rulebook": L("category policy|seller terms|listing guidelines|marketplace rules|"
                          "product policy"),
            "newreq": L("all listings need a GTIN|individual sellers can't list {category}|"
                        "a deposit is required for {category}|origin country must be shown|"
                        "brand names are banned from titles|{category} is brand-store only"),
        },
        "core_zh": L("平台新规|类目调整|政策变化|规则更新|平台政策调整|{category}类目关闭"),
        "core_en": L("a platform policy change|new marketplace rules|a category closure|"
                     "updated site policy|the {category} category being retired"),
        "zh": T("""
平台新规
类目调整
政策变化{acto}
规则更新
平台新规，{this}{t}下架
{category}类目关闭了
{category}类目调整，不让卖了
平台规则更新，要求{newreq}
{rev}根据{date}起施行的新版《{rulebook}》，{category}类目暂停招商，{act}
{rev}因平台类目结构调整，{this}所在类目已下线，请迁移或下架
站点政策更新，{category}不再支持销售
新法规出台，{category}暂停线上销售
欧盟GPSR生效，这类商品暂时不卖了
跨境新规，{site}不让发了
类目门槛提高了，我们店铺不符合
平台要求{category}只能旗舰店卖
不是缺证书，是整个类目都关了
规则改了，之前能卖现在不行
政策调整，{category}统一下架
平台新规要求{category}重新报名
招商政策变了
类目迁移，旧类目要下架
{rev}平台规则变更：{category}类目自{date}起停止新发布
国家新出的规定，{category}线上暂停
按平台最新要求下架
{sel}平台政策调整
新规出来前先下掉，等细则
平台调整了{category}的发布规则
跟着平台政策走，先下
规则更新要求整改
监管新规
{site}政策变了，{p}这类要重新审核
"""),
        "en": T("""
platform policy change
category closed
new marketplace rules{acto}
policy update
{category} category no longer supported
site policy changed, {act} {t}
{rev}as of {date}, {category} listings are no longer permitted on this site under the updated category policy.
{rev}due to a category restructure, the category for {this} has been retired.
new regulation in the EU, category paused
GPSR kicked in, pausing EU listings
marketplace restricted {category} to brand-registered sellers only
rules changed, what was fine last month isn't now
not a missing cert - the whole category got shut down
category gating introduced
terms of service update
new listing rules: {newreq}
platform updated its {rulebook}
category migration, old category being removed
policy changed for the {site}
delisting per the latest platform announcement
{sel}policy change
waiting for details on the new rules
regulatory change
marketplace no longer allows {category} from individual sellers
category requirements tightened, our shop doesn't qualify
rule update requires relisting under the new taxonomy
platform-wide policy shift
new site rules since {month}
the platform changed the category policy
{site} changed its rules for {category}
"""),
        "mixed": T("""
平台新规 new policy
category关闭了
policy change，{act}
类目调整 category change
{site}新规 policy update
GPSR生效，先下
rule update 规则更新
{category}类目 closed
platform政策变了
新规 new regulation
category gating，我们不符合
平台announcement说要下
policy调整
TOS更新了
新rules，{category}不能卖
"""),
    }


def spec_other():
    return {
        "slots_zh": {},
        "slots_en": {},
        "core_zh": L("个人原因|店铺调整|重复铺货|换链接|测试商品|其他原因|重复发布"),
        "core_en": L("personal reasons|a store reorganization|a duplicate listing|"
                     "relisting under a new link|a test listing|other reasons"),
        "zh": T("""
个人原因
店铺调整
换链接
重复铺货
测试商品
测试链接，删掉
重复发布了{acto}
换新链接重新上
{p}重新发布，旧链接下架
店铺不做了
准备关店
店铺转让，全部下架
老板家里有事，暂停营业
误操作上架的
上错店铺了
两个链接合并成一个
改成多规格，单品链接下架
店铺转型，不做{p}了
放假休息，{t}下架
团队调整，暂时不运营这个店
{sel}其他
其他原因
不想卖了
挪到另一个店卖
内部原因，不便说明
链接数据乱了，重新建一个
测试用的，忘记删了
{rev}{this}与店内其他商品重复，属于重复铺货，{act}
不是质量也不是库存问题，就是老板不想做了
搬家到新店铺
类目放错了，删了重发
样品，不对外卖
客户定制的专属链接，用完下架
补差价链接，用完下掉
{p}跟{sku}重复了
"""),
        "en": T("""
personal reasons
store reorganization
duplicate listing
test listing
relisting under a new link
closing the shop
shop closing down{acto}
created by mistake
listed on the wrong store
merging two listings into one
moving to variations, removing the single listing
test product, please ignore
duplicate of {sku}
owner on leave, pausing the store
vacation mode
changing business direction, dropping {p}
other
other reasons
internal decision
moving this item to our other shop
{rev}{this} duplicates another listing in your store. Duplicate listings are not allowed.
not quality, not stock - we just decided to stop
rebuilding the listing from scratch
wrong category, will recreate it
custom order link, done
sample only, not for sale
{sel}other
we're no longer carrying this line
seller request
account restructuring
reserved listing for one buyer, remove after purchase
the {p} listing was a duplicate
"""),
        "mixed": T("""
重复铺货 duplicate listing
test链接
换link重新上
personal reason，{act}
店铺调整 reorganize
duplicate了，删掉
关店 closing shop
other原因
listing重复
测试product，删了
new link已经建好，旧的下
move到另一个店
owner不做了
补差价link，用完下
误操作 wrong store
"""),
    }


SPECS = {
    "quality_defect": spec_quality_defect,
    "ip_infringement": spec_ip_infringement,
    "counterfeit": spec_counterfeit,
    "prohibited_item": spec_prohibited_item,
    "misleading_listing": spec_misleading_listing,
    "image_violation": spec_image_violation,
    "missing_certification": spec_missing_certification,
    "pricing_violation": spec_pricing_violation,
    "safety_risk": spec_safety_risk,
    "out_of_stock": spec_out_of_stock,
    "seasonal": spec_seasonal,
    "slow_selling": spec_slow_selling,
    "policy_change": spec_policy_change,
    "other": spec_other,
}


# ---------------------------------------------------------------------------
# Long texts (20-40 words): one seller story, one reviewer notice and one
# "not X but Y" explanation per code and language.  Merged into the specs.
# ---------------------------------------------------------------------------

LONG = {
    "quality_defect": {
        "zh": T("""
这个{p}是{batch}进的货，到现在收到了{n}个买家反馈{defect}，还有人说{defect2}，退货率已经到了{pct}，跟工厂沟通过了，先下架等返工后的新货到了再重新上架
{rev}近{days}天内{this}因{defect}、{defect2}等质量问题产生的退款申请明显高于同类目平均水平，请核查生产批次并整改，整改完成前商品将保持下架状态
说实话这款卖得还行，也没有什么安全问题，就是做工太粗糙了，{defect}的情况太多，差评一直在涨，评分掉到{score}，老板决定先下掉换个供应商
"""),
        "en": T("""
we've had {n} returns in the last {days} days for the {p}, mostly {defect} and some {defect2}, so we're pulling it until the factory sends a fixed batch
{rev}{this} has received a high number of quality-related complaints ({defect}) over the past {days} days. Please address the issue with your manufacturer before relisting.
honestly it's not dangerous or anything, the build quality is just bad - {defect} on almost every other unit from {batch}, and the rating dropped to {score}
"""),
    },
    "ip_infringement": {
        "zh": T("""
今天收到{complainant}通过平台发来的投诉，说我们{this}{ipused}，侵犯了他们的{ipkind}，我们确实没有拿到授权，先下架，后面看能不能谈授权
{rev}经{complainant}投诉并提交权属证明，平台核实{this}未经许可使用{ipbrand}相关图形及文字，构成{ipkind}侵权，现对商品做下架处理，如有授权证明可发起申诉
货是我们自己设计生产的，不是假货，问题是印花用了{ipbrand}的卡通形象，对方版权方找上门了，律师函也发了，这几款全部撤下来
"""),
        "en": T("""
we got a notice today from {complainant} saying our {p} uses {ipbrand} artwork without permission, which is fair, we never licensed it, so taking it down and talking to legal
{rev}following a complaint submitted by {complainant}, this listing was found to use protected {ipkind} material ({ipbrand}) without authorization. You may appeal if you hold a valid license.
the product itself is our own design and totally genuine, but the print on it copies a {ipbrand} character, so the {ipkind} holder has a point
"""),
    },
    "counterfeit": {
        "zh": T("""
供应商说是{brand}正品尾单，结果买家拿去专柜鉴定是假的，防伪码也查不到，这种{fakeword}再卖下去店铺要被封，先全部下架，退款都处理了
{rev}经品牌方协助鉴定，{this}在商标、包装、做工细节上均与{brand}正品不一致，认定为假冒商品，现予以下架并扣除相应分值
这批{brand}{p}其实是{fakeword}，标题还写着原装正品，被职业打假的盯上了，要求假一赔三，赶紧下掉
"""),
        "en": T("""
the supplier swore these were genuine {brand} overstock but a buyer had them authenticated and they're fakes, so we're pulling everything and refunding
{rev}the brand owner has reviewed {this} and determined that the {brand} items offered are counterfeit. Repeated sale of counterfeit goods will result in account suspension.
to be clear this isn't about a logo license, the {p} itself is a {fakeword} {brand} being sold as the real thing, which we can't do
"""),
    },
    "prohibited_item": {
        "zh": T("""
上新的时候没注意，{p}套装里送了一个{banned}，被系统识别成禁限售商品了，平台明确不让卖这个，整个链接先下架，赠品去掉再重新发
{rev}{this}涉及发布《禁限售商品目录》中的{banned}，该类商品禁止在平台销售，现对商品做删除处理并扣{n}分，请勿再次发布同类商品
这东西质量没问题也不危险，就是{banned}本身属于禁售品，普通店铺根本不能上架，之前是运营不懂规则发上去了
"""),
        "en": T("""
we didn't realise when we listed it, but the {p} bundle included {banned} as a free gift, and that's on the prohibited list, so the whole listing got flagged
{rev}{this} offers {banned}, which may not be sold on this marketplace under the prohibited and restricted products policy. The listing has been removed and a strike applied.
nothing wrong with the quality and it's not unsafe as such, it's just that {banned} are banned outright here and regular sellers can't list them
"""),
    },
    "misleading_listing": {
        "zh": T("""
详情页写的是{claim}，但实际发的货不是，好几个买家收到后投诉描述不符，要求退一赔三，先把链接下掉，把材质、{spec}这些重新核对一遍再上
{rev}{this}标题及详情中使用“{extreme}”等绝对化用语，并宣称具有{efficacy}功效，无法提供相关依据，涉嫌虚假宣传，请修改后重新提交
图片没问题，主要是文案写夸张了，{spec}标的跟实物差很多，买家觉得被骗了，先下架改描述
"""),
        "en": T("""
the listing says {claim} but what we actually ship isn't, and several buyers have opened not-as-described cases, so we're taking it down to fix the {spec} and material info
{rev}{this} uses absolute claims such as "{extreme}" and states that the product provides {efficacy} benefits without supporting evidence. Please revise the listing content.
the photos are fine, the problem is the copy - we overstated the {spec} and buyers feel misled, delisting until the text is rewritten
"""),
    },
    "image_violation": {
        "zh": T("""
{imgpos}是设计做的，加了促销文字和边框，还拼了{n}张图，平台说是牛皮癣，不符合主图规范，先下架，让美工重新做一版白底图再上
{rev}{this}{imgpos}存在{imgprob}等问题，不符合《商品图片规范》中主图需为实物拍摄、白色背景、无文字水印的要求，请更换图片后重新提交审核
描述是对的，问题出在图片上，主图用的是别家店铺的图，右下角还有人家的水印，被判盗图了
"""),
        "en": T("""
our designer added a promo badge and a border to the {imgpos} and stitched {n} photos together, which apparently counts as a collage, so we're delisting until we reshoot on white
{rev}the {imgpos} for {this} contains {imgprob}. Main images must show the actual product on a pure white background with no text, logos or watermarks.
the description is accurate, the issue is the pictures - the main photo was taken from another store and still has their watermark in the corner
"""),
    },
    "missing_certification": {
        "zh": T("""
{p}这个类目平台要求上传{cert}，我们找厂家要了好几次都没给，自己送检要{days}天左右，资质没下来之前先下架，报告出来再重新提交
{rev}{this}所属类目为资质管控类目，需提供有效的{cert}及{cert2}，经核查您尚未上传或资质已过期，商品暂时下架，补充资质后可重新提交审核
规则一直是这样，不是新出的政策，是我们自己没准备好{cert}，之前侥幸过审了，这次抽查被发现了
"""),
        "en": T("""
this category needs a {cert} and the factory keeps promising to send it, we're getting our own lab test done but that takes about {days} days, so unlisting until we have the paperwork
{rev}{this} belongs to a regulated category that requires a valid {cert} and {cert2}. The documents on file are missing or expired; the listing will stay inactive until they are provided.
the rule isn't new, we just never got the {cert} sorted and it slipped through review before, now a spot check caught it
"""),
    },
    "pricing_violation": {
        "zh": T("""
大促报名前{days}天运营把价格从{price}调到了{price2}，活动时再打折，被系统判定先涨后降、虚假折扣，商品被下架，得把价格改回去再申诉
{rev}{this}设置的划线价明显高于近{days}天内的实际成交价，且无法提供该价格的真实交易记录，涉嫌虚构原价，违反平台价格规范，请调整后重新提交
不是卖不动，销量其实还行，是有个SKU价格设成了0.01元用来引流，被判低价引流、价格违规，先下架改价格
"""),
        "en": T("""
ops bumped the price from {price} to {price2} a few days before the sale and then showed it as a discount, which the system flagged as a fake discount, so it's down until we fix the pricing
{rev}the reference price shown for {this} is significantly higher than its actual selling price over the last {days} days and cannot be verified. Please correct the price before relisting.
sales are actually fine, the problem is one variant set at $0.01 to pull traffic into the listing, which counts as bait pricing under the fair pricing policy
"""),
    },
    "safety_risk": {
        "zh": T("""
有买家反馈{p}充电的时候发烫冒烟，差点{hazard}，这已经不是一般的质量问题了，涉及人身安全，先全部下架，剩下的库存也不发了，等检测结果
{rev}接到多起消费者反映{this}在正常使用过程中出现{hazard}情况，存在较大人身安全隐患，平台现对该商品做下架处理，请联系生产方排查后再行上架
东西本身是合法能卖的，不是禁售品，但这批货的小零件很容易脱落，有孩子差点误吞，太危险了，马上下架召回
"""),
        "en": T("""
a customer said the {p} got really hot and started smoking while charging, that's way beyond a quality issue, it's a {hazard}, so everything's down and we're holding remaining stock
{rev}we have received multiple reports that {this} presents a {hazard} during normal use. The listing has been suspended while the product is investigated.
the product is legal to sell, it's not a banned item, but small parts come off this batch way too easily and a toddler nearly swallowed one, pulling it and recalling
"""),
    },
    "out_of_stock": {
        "zh": T("""
这款{p}卖得挺好的，就是工厂那边原材料跟不上，已经断货{days}天了，补货时间还不确定，怕超卖被投诉，先下架，等货到仓了再重新上架
{rev}{this}库存已连续{days}天为0，为避免消费者下单后无法发货，系统已对商品自动下架，补充库存后可重新上架
不是过季也不是卖不动，是供应商那边断货了，{variant}全没了，其他码也快没了
"""),
        "en": T("""
the {p} has been selling well but the factory can't get raw materials, we've been out of stock for {days} days with no firm restock date, so delisting to avoid overselling
{rev}{this} has shown zero available inventory for {days} consecutive days and has been automatically deactivated. It can be reactivated once inventory is added.
it's not seasonal and it's not slow, the supplier simply ran out, {variant} is gone and the other sizes are almost gone too
"""),
    },
    "seasonal": {
        "zh": T("""
{holiday}已经过了，{sitem}这类节日商品现在基本没人搜了，先统一下架收起来，库存放仓库，等明年{holiday}前一个月再重新上架
【平台通知】{holiday}主题活动已于{enddate}结束，请商家及时下架相关节日商品，避免影响店铺商品结构，感谢配合
这款{p}其实卖得不差，也不缺货，就是{season}款，现在换季了，放着也占位置，等{season2}再上
"""),
        "en": T("""
{holiday} is over and nobody searches for {sitem} this time of year, so we're unlisting the seasonal stuff and will bring it back a month before next {holiday}
{rev}the {holiday} campaign ended {enddate}. Please deactivate holiday-specific listings to keep your catalogue relevant.
it sold fine and we still have stock, it's just a {season} item and the season has turned, back in {season2}
"""),
    },
    "slow_selling": {
        "zh": T("""
这款{p}上架{days}天了，曝光只有几百，点击率{lowpct}，加购的人也不下单，推广也烧了不少钱，基本没出单，决定清掉，优化一下店铺商品结构
{rev}{this}近{days}天无访客、无成交，属于长期滞销商品，为提升店铺整体动销率，系统已自动下架，如需继续售卖可重新编辑上架
不是没货，仓库还压着一堆，也不是过季，这款从上架到现在就一直卖不动，没流量转化也低，砍掉
"""),
        "en": T("""
the {p} has been live for {days} days, gets a few hundred impressions, click-through is {lowpct} and the few add-to-carts never convert, we've spent on ads with nothing to show, so cutting it
{rev}{this} has had no views or sales in the last {days} days and has been archived as part of catalogue quality management. You can relist it at any time.
we have plenty of stock and it's not a seasonal thing, it just never sold from day one, poor traffic and terrible conversion
"""),
    },
    "policy_change": {
        "zh": T("""
平台{date}起执行新版《{rulebook}》，{category}类目只允许旗舰店发布，我们是普通店铺，不是资质的问题，是整个类目对我们关闭了，只能先下架
{rev}因平台类目结构调整，{category}类目将于{date}起停止发布新商品并对存量商品进行下架处理，请商家及时迁移或调整经营方向
{site}出了新规，{category}这类商品暂停在线销售，跟我们的证书没关系，证书都齐的，规则变了就是不让卖
"""),
        "en": T("""
the marketplace rolled out new {rulebook} starting {date} and {category} is now restricted to brand stores only, it's not about our documents, the category just closed for us
{rev}following an update to the {rulebook}, the {category} category is being retired as of {date}. Existing listings will be deactivated; please migrate or remove them.
the {site} changed its rules for {category}, our certificates are all in order, it's purely the policy change that stops us selling
"""),
    },
    "other": {
        "zh": T("""
老板决定这个店铺不做{p}了，后面转型做别的，链接不是有什么问题，也没违规，就是店铺调整，全部先下架，有库存的转到另一个店卖
{rev}{this}与店铺内其他商品在标题、主图、属性上高度重复，属于重复铺货，已对重复商品做下架处理，请保留一个链接即可
这个是之前上架测试用的链接，价格和图都是随便填的，一直忘了删，现在统一清理一下，顺便把重复的几个也下掉
"""),
        "en": T("""
the owner decided the shop is getting out of {p} entirely and moving into a different line, nothing wrong with the listing itself, it's just a store reorganisation
{rev}{this} duplicates another listing in your store (same title, images and attributes). Duplicate listings are not allowed; please keep only one.
this was a test listing we set up while learning the backend, price and photos are placeholders, forgot to delete it, cleaning it up now along with a couple of duplicates
"""),
    },
}

# long shared frames (carry no signal)
FRAMES_ZH += T("""
{pol}跟老板和运营商量过了，{this}{t}下架，主要原因是{core}，后面有变化再同步给大家{end}
""")
FRAMES_EN += T("""
{pol}talked it over with the team this morning and we decided to {act} {this} {t}, the main reason being {core}; will update everyone if anything changes
""")


# ---------------------------------------------------------------------------
# Broadened vocabulary (v2).  A model trained on v1 did well on its own
# heldout split but worse on texts written by other people: plain, indirect
# phrasings and words v1 never used.  EXTRA adds, per code, more templates in
# every language, more slot fillers (lists are merged into the v1 lists of the
# same name, new names are simply added) and more bare "core" phrases for the
# shared frames.  merge_extra() is applied by load_spec().
# ---------------------------------------------------------------------------

QTY_PAIRS_ZH = [("1kg", "600g"), ("500克", "350克左右"), ("500ml", "不到400ml"),
                ("2米", "1.6米"), ("10片装", "只有6片"), ("一套5件", "只有3件"),
                ("20000毫安", "实测8000毫安"), ("128G", "64G"), ("长50cm", "只有42cm"),
                ("100抽", "70抽"), ("一箱24瓶", "20瓶"), ("净含量250g", "称了才180g"),
                ("3斤", "不到2斤"), ("加厚款", "跟普通款一样薄"), ("大号", "中号大小")]
QTY_PAIRS_EN = [("1kg", "600g"), ("500g", "about 350g"), ("16 oz", "11 oz"),
                ("2 m", "1.6 m"), ("pack of 10", "6 pieces"), ("5-piece set", "3 pieces"),
                ("20000mAh", "8000mAh on test"), ("128GB", "64GB"), ("50 cm long", "42 cm"),
                ("100 sheets", "70 sheets"), ("24 bottles", "20 bottles"),
                ("king size", "queen size"), ("3 lbs", "under 2 lbs"),
                ("XL", "closer to an M")]


def _qty_zh(rng):
    a, b = rng.choice(QTY_PAIRS_ZH)
    return rng.choice(["写{a}实际{b}", "标的{a}，到手{b}", "页面写{a}，实际只有{b}",
                       "说是{a}，收到{b}", "规格写{a}，实物{b}"]).format(a=a, b=b)


def _qty_en(rng):
    a, b = rng.choice(QTY_PAIRS_EN)
    return rng.choice(["listed as {a}, actually {b}", "says {a} but it's {b}",
                       "advertised {a}, buyers got {b}", "{a} on the page, {b} in the box",
                       "claims {a}, measures {b}"]).format(a=a, b=b)


def _salesfig_zh(rng):
    k = rng.choice(["1", "2", "3", "两", "一", "三", "四", "5"])
    return rng.choice(["一个月就卖{k}件", "这个月只卖了{k}单", "上个季度才卖了{k}个",
                       "{d}天卖了{k}件", "半年总共卖了{k}件", "一周一单都没有",
                       "月销{k}件", "上周就出了{k}单", "三个月才出{k}单"]).format(
        k=k, d=rng.choice(["30", "60", "90", "45"]))


def _salesfig_en(rng):
    k = rng.choice(["1", "2", "3", "4", "5", "two", "three", "one"])
    return rng.choice(["sold {k} this month", "only {k} units in {d} days",
                       "{k} orders all quarter", "{k} sales since launch",
                       "{k} sold in the last {d} days", "not a single order this week",
                       "averaging {k} a month", "just {k} units last quarter"]).format(
        k=k, d=rng.choice(["30", "60", "90", "120"]))


def _wasnow_en(rng):
    a = rng.choice([49, 59, 79, 89, 99, 129, 149, 199, 249, 299])
    b = a * rng.choice([3, 4, 5]) // 10
    cur = rng.choice(["$", "$", "£", "€"])
    return rng.choice(["was {c}{a} now {c}{b}", "was {c}{a}, now {c}{b}",
                       "{c}{a} crossed out, selling at {c}{b}",
                       "\"was {c}{a}\" / \"now {c}{b}\""]).format(c=cur, a=a, b=b)


def _wasnow_zh(rng):
    a = rng.choice([99, 129, 159, 199, 299, 399, 599, 899])
    b = a * rng.choice([3, 4, 5]) // 10
    return rng.choice(["原价{a}现价{b}", "划线价{a}，到手{b}", "标原价{a}元，活动价{b}元",
                       "原价{a}划掉，现价{b}"]).format(a=a, b=b)


def _multiple_zh(rng):
    return rng.choice(["两倍", "三倍", "五倍", "好几倍", "十倍", "2倍多", "快三倍"])


def _multiple_en(rng):
    return rng.choice(["twice", "three times", "5x", "several times", "10x", "about 3x"])


EXTRA = {}

EXTRA["quality_defect"] = {
    "slots_zh": {
        "defect": L("涂层剥落|充气款漏气|屏幕闪烁|经常死机|开机没反应|自动关机|充电口松动|线材断芯|"
                    "缝线裂开|鞋面开裂|拉链卡顿|镜片有划痕|表面有凹坑|零件缺失|装不上|"
                    "螺丝滑丝|变色|发霉|溢胶|刺绣歪了|接口氧化|信号很差|续航掉得快|"
                    "轮子卡死|按键卡住|花屏|声音发闷|电机异响|铆钉脱落|镀层发黑|布料皱巴巴|"
                    "染色不均|尺寸对不上孔位|塑料件发脆|指针不走|触屏不灵|充一晚上还是没电"),
        "dur": L("用了一周|没几天|洗了一次|拆开就|收到当天|用了三次|刚用两天|才穿一次|"
                 "戴了一个月|放了几天"),
        "buyerword": L("买家|客户|好几个客人|售后|退货的人|差评"),
    },
    "slots_en": {
        "defect": L("paint peeling|coating flaking off|screen flickering|freezing up|"
                    "not turning on|random shutdowns|a loose charging port|fraying cables|"
                    "seams splitting|uppers cracking|zippers jamming|scratched lenses|dents|"
                    "missing parts|parts that don't fit together|stripped screws|"
                    "discoloration|mold spots|air leaks|excess glue|crooked embroidery|"
                    "corroded contacts|a weak signal|battery life dropping fast|wheels sticking|"
                    "sticky buttons|distorted audio|a grinding motor|rivets popping off|"
                    "tarnishing|uneven dye|brittle plastic|a touchscreen that doesn't respond|"
                    "the hands stopping"),
        "dur": L("within a week|after one wash|on arrival|after a few uses|out of the box|"
                 "after two days|the first time they wore it|within a month"),
    },
    "core_zh": L("东西不耐用|{defect}的毛病|品质不达标|瑕疵太多|做工有问题|良品率低"),
    "core_en": L("durability problems|manufacturing flaws|{defect} problems|a bad batch|"
                 "too many DOA units|sub-standard build"),
    "zh": T("""
{p}{dur}就{defect}
{dur}就坏了，质量太差
东西不耐用，{dur}就{defect}
好几单反馈{defect}，品控有问题
到货检验发现{defect}，判定不合格
{batch}不良率{pct}，主要是{defect}
{buyerword}说{dur}就{defect}，不是个别现象
外观瑕疵：{defect}、{defect2}
功能不正常，{defect}
这个价位做工不该这样，{defect}
换货换了{n}次还是{defect}
质量不达标 {defect}
买家晒图全是{defect}
工艺不过关，{defect}
用料太差，{dur}就{defect}
出厂检验漏掉了，{batch}{defect}
开箱就是坏的
一批都是坏的，{act}
品质不稳定，时好时坏
{p}不好用，{defect}
东西本身有毛病：{defect}
不是描述的问题，东西就是做得烂
良品率太低
坏件太多，售后忙不过来
做工粗糙，跟样品差太多
返厂修过还是{defect}
"""),
    "en": T("""
the {p} breaks {dur}
{defect} {dur}
{defect} {dur}, not good enough to sell
too many DOA units
{spot} were dead on arrival
{defect} on the {p}, that's a quality problem
cheaply made, {defect}
stops working {dur}
durability issues ({defect})
manufacturing flaw: {defect}
quality control problem in {batch}
doesn't hold up, {defect} {dur}
customers keep returning it for {defect}
the {p} feels flimsy, {defect}
returns marked "defective" keep coming in
product flaws - {defect} and {defect2}
inspection found {defect} on {spot}
units arriving damaged or broken
it works, but {defect}, quality isn't there
sub-standard product
the finish is bad: {defect}
second batch has the same {defect} problem
it just falls apart
every other unit has {defect}
"""),
    "mixed": T("""
{en_p}用了几天就{defect}
DOA太多，开箱就坏
defect rate {pct}，{act}
{p} stops working {en_dur}
QC抽检fail，{spot}{defect}
做工不行 {en_defect}
{en_defect}，品控有问题
质量bad，{dur}就坏
瑕疵品 defective units
{batch} quality不稳定
"""),
}

EXTRA["ip_infringement"] = {
    "slots_zh": {
        "ipbrand": L("史努比|加菲猫|小王子|海贼王|龙珠|鬼灭之刃|喜羊羊|熊出没|樱桃小丸子|"
                     "线条小狗|芭比|变形金刚|超级马里奥|星球大战|蓝精灵|米菲兔|开心超人|"
                     "奶龙|大耳狗|迪士尼公主"),
        "iptrick": L("logo跟{ipbrand}的太像|名字和{ipbrand}的注册商标只差一个字|"
                     "包装抄了{ipbrand}的设计|印的是{ipbrand}的角色|店名里带了{ipbrand}|"
                     "用了别人的原创插画|用了没买授权的商用字体|详情页用了别人拍的图|"
                     "外观照搬了别人的专利设计|视频里用了没版权的背景音乐|"
                     "商品名蹭了{ipbrand}的商标"),
        "legal": L("律师函|法院传票|侵权通知|投诉函|起诉状|平台转来的维权通知|警告函|"
                   "诉前禁令通知"),
    },
    "slots_en": {
        "ipbrand": L("Snoopy|Garfield|One Piece|Dragon Ball|Demon Slayer|Transformers|"
                     "The Smurfs|Miffy|Care Bears|My Little Pony|Hot Wheels|Minecraft|"
                     "Squishmallows|Stitch"),
        "iptrick": L("our logo looks too much like the {ipbrand} mark|"
                     "the name is one letter off a registered {ipbrand} trademark|"
                     "the packaging copies {ipbrand} trade dress|the print shows {ipbrand} characters|"
                     "the product photos belong to another photographer|"
                     "we used a commercial font without a license|"
                     "the shape copies someone's registered design|"
                     "the video uses copyrighted music|"
                     "the artwork is someone else's original illustration"),
        "legal": L("a cease and desist|a lawyer's letter|a court summons|a takedown notice|"
                   "a legal complaint|a VeRO report|a Brand Registry report|"
                   "an infringement notice"),
    },
    "core_zh": L("商标近似|侵犯他人{ipkind}|权利人维权|未经许可使用他人作品|收到{legal}|"
                 "侵权纠纷"),
    "core_en": L("a confusingly similar mark|a {ipkind} claim|a rights owner report|"
                 "unlicensed use of protected artwork|{legal}|an infringement dispute"),
    "zh": T("""
{iptrick}，被认定侵权
{iptrick}，权利人投诉了
logo和{ipbrand}的太像，被商标权人投诉
{complainant}发来{legal}，说我们侵犯{ipkind}
收到{legal}，{ipkind}纠纷，{act}
授权合同到期了还在用{ipbrand}的形象，被权利人投诉
未经{ipbrand}许可使用其商标和图案
商标近似，容易让人混淆
外观抄了别人的专利款，专利权人维权
{ipbrand}批量维权，我们这款也在名单里
平台知识产权保护系统判定侵权
插画是网上扒的，原作者找来了
字体侵权，用了收费商用字体
标题用了别人的品牌名引流，属于商标侵权
被告抄袭设计，{ipkind}
{ipbrand}周边，没拿到版权方许可
包装图案跟{ipbrand}高度近似
侵权纠纷处理完之前先下
{rev}{this}使用的图案与{complainant}享有{ipkind}的作品构成实质性相似，{act}
东西是真的自家货，就是图案不是我们的，没版权
背景音乐没版权，视频被投诉
"""),
    "en": T("""
{iptrick}, got reported
{legal} from {complainant} about the {ipkind}
our logo is too close to {ipbrand}'s registered trademark
confusingly similar to a registered mark
our {ipbrand} license expired and we kept using the artwork
the print is someone else's copyrighted illustration
font licensing complaint
rights owner filed {legal}
{ipbrand} is doing a sweep of unlicensed merch, this one got hit
used {ipbrand} as a search keyword, that's trademark misuse
the design copies a registered design, patent holder complained
we never got permission to use those photos
infringement claim under review, removing meanwhile
the {ipbrand} character on the packaging is not licensed
{rev}{complainant} reports that {this} uses their protected {ipkind} without permission.
our product, their artwork - no rights to it
music in the product video is copyrighted
needs a letter of authorization from the rights holder before it can go back up
legal says the name infringes a trademark
"""),
    "mixed": T("""
logo太像{en_ipbrand}，trademark投诉
收到{en_legal}，{act}
{iptrick}，IP complaint
design patent被维权
copyright问题，图是别人拍的
{en_ipbrand}的artwork没license
商标近似 confusingly similar
legal complaint，侵权纠纷
字体没授权 font license
"""),
}

EXTRA["counterfeit"] = {
    "slots_zh": {
        "fakeword": L("一比一|复刻版|仿品|莆田货|高仿A货|冒牌货|纯原|公司级|同厂货|原单货|"
                      "克隆款|假冒伪劣|仿制品|山寨版"),
        "brand": L("YSL|蔻驰|爱马仕|巴宝莉|欧米茄|MCM|匡威|万斯|亚瑟士|彪马|斐乐|"
                   "雷朋|潘多拉|索尼|大疆"),
    },
    "slots_en": {
        "fakeword": L("clone|knock-off|copy|unauthorized replica|UA copy|grade AAA rep|"
                      "1:1 clone|mirror-quality replica|factory-variant fake|bootleg copy"),
        "brand": L("YSL|Coach|Hermes|Burberry|Omega|Converse|Vans|Asics|Puma|Oakley|"
                   "Sony|DJI|Stanley|Lululemon"),
    },
    "core_zh": L("以假充真|冒充正品|一比一仿{brand}|复刻{brand}|非原装|仿冒名牌"),
    "core_en": L("passing off fakes as genuine|{brand} clones|knock-off {brand}|"
                 "not authentic|fake branded goods|copies sold as originals"),
    "zh": T("""
{brand}{p}是一比一复刻的
号称原厂代工正品，其实是仿的
包装盒跟正品一模一样，里面东西是假的
莆田出的{brand}，冒充正品
所谓同厂货其实就是高仿
说是专柜正品，验货没过
{brand}克隆款当原装卖
不是原装{brand}，是仿造的
冒用{brand}商标，卖的是假货
鉴定结果：非{brand}正品
纯原、公司级，说白了都是假的
{brand}货源不正，全是仿品
不是真品{acto}
正品验证没通过
{brand}的防伪标是伪造的
序列号是假的，查不到
做了假包装冒充{brand}原厂
打着{brand}旗号卖仿货
仿得跟真的一样，但就是假货
买家拿去鉴定，说是假的
{p}冒牌，不是正品
"""),
    "en": T("""
1:1 clone of {brand}
knock-off {brand} sold as original
claimed OEM factory original, it's a copy
packaging is identical to real {brand} but the product inside is fake
not the real deal
fake {brand}, even the box is a copy
passed off as authentic
not authentic {brand}, the hologram is fake
serial numbers are forged
unauthorized copies of {brand} sold as originals
the {p} is a copy of {brand}, not genuine
authentication came back negative
"{brand} original" in the title, but it's a {fakeword}
dupes are one thing but this is an outright fake {brand}
fake branded {p}
counterfeit label and tags
the supplier's "genuine stock" turned out to be clones
"""),
    "mixed": T("""
一比一 {en_brand} clone
复刻款 not authentic
莆田货 fake {en_brand}
包装一模一样 but fake
冒充原装 counterfeit
{en_fakeword}冒充正品
{brand}鉴定fail，是假的
OEM原单其实是copy
"""),
}

EXTRA["prohibited_item"] = {
    "slots_zh": {
        "banned": L("CBD油|大麻制品|大麻种子|雷达干扰器|测速干扰器|BB弹枪|水弹枪|仿真手枪|"
                    "枪支配件|消音器|活体动物|活体爬宠|象牙工艺品|虎骨酒|熊胆粉|鱼翅|红珊瑚|"
                    "雪茄|加热不燃烧烟弹|安眠药|精神类药品|辣椒水喷雾|万能钥匙|开锁工具套装|"
                    "赌博机|百家乐筹码|作弊扑克|透视眼镜|窃听器|偷拍设备|烟花|鞭炮|孔明灯|"
                    "警用手铐|军警制服|假证件|吸毒工具|迷药|笑气|跟踪定位器|弹弓钢珠|十字弩"),
        "banword": L("禁售|禁止发布|明令禁止|不允许出售|禁止交易|禁限售"),
    },
    "slots_en": {
        "banned": L("CBD oil|cannabis edibles|marijuana seeds|radar jammers|laser jammers|"
                    "BB guns|gel blasters|replica handguns|gun parts|suppressors|live animals|"
                    "live reptiles|ivory carvings|tiger bone wine|shark fin|red coral|cigars|"
                    "heat-not-burn sticks|sleeping pills|controlled substances|lock pick sets|"
                    "bump keys|casino chips|marked playing cards|listening bugs|"
                    "hidden cameras|firecrackers|sky lanterns|tasers|fake IDs|drug pipes|"
                    "nitrous oxide chargers|police handcuffs|GPS tracking bugs|slingshot ammo"),
        "banword": L("prohibited|banned|not permitted|not allowed|forbidden|restricted"),
        "wildlife": L("ivory|pangolin scales|rhino horn|tiger bone|shark fin|red coral|"
                      "tortoiseshell"),
        "weapon": L("switchblades|butterfly knives|brass knuckles|stun guns|crossbows|"
                    "BB guns|replica handguns|gun parts|suppressors|tasers"),
    },
    "core_zh": L("平台禁止发布{banned}|违禁商品|国家禁止销售的物品|{banned}不允许出售|"
                 "禁止流通物品|涉枪涉爆商品"),
    "core_en": L("{banned} being prohibited|a banned product category|a forbidden item|"
                 "an item not permitted on this marketplace|"
                 "the prohibited items list"),
    "zh": T("""
平台不允许卖{banned}
{banned}属于平台{banword}的商品
本平台不允许出售{banned}
{banned}在本平台{banword}
活体不能在平台卖
涉枪涉爆，{banword}
{banned}是国家明令禁止网售的
属于禁止流通物品{acto}
管制物品，不能网上卖
{banned}不管有没有资质都不能发
被列入禁售清单了：{banned}
野生动物制品，法律不让卖
{banned}违法，不能上架
这是违禁品，之前没注意
{p}里面夹带{banned}，违禁
{rev}{this}涉及{banned}，属于平台{banword}商品，予以删除
烟草类商品平台{banword}
含{ingredient}的产品属于违禁
"""),
    "en": T("""
{banned} are not permitted on this marketplace
this marketplace doesn't allow {banned}
we can't sell {banned} here
{banned} - {banword} category
no {banned} allowed on the site
listing {banned} is against the prohibited items policy
live animal sales are forbidden
replica firearms count as prohibited weapons
banned regardless of certification, can't list it
it's illegal to sell {banned} online
{banned} is on the banned list
tobacco and nicotine products are {banword} here
{banned} got flagged, item type not allowed
wildlife parts ({wildlife}) are {banword}
{rev}{banned} may not be listed on this marketplace.
the {p} came with {banned}, which is a {banword} item
"""),
    "mixed": T("""
{en_banned}平台禁售
{banned} not permitted on this marketplace
CBD产品 prohibited
活体 live animals 禁售
仿真枪 replica firearm 违禁
{en_banned}，{banword}
雷达干扰器 banned
禁售清单 prohibited list
"""),
}

EXTRA["misleading_listing"] = {
    "slots_zh": {
        "qty": _qty_zh,
        "bigclaim": L("永久有效|根治|一次见效|用十年不坏|七天瘦十斤|百分百防水|终身不褪色|"
                      "医用级|零添加|纯天然|三天祛痘|一用就白|彻底除螨|包治百病|续航一个月"),
        "spec": L("净含量|件数|长度|克重|内存|面料成分|型号"),
    },
    "slots_en": {
        "qty": _qty_en,
        "bigclaim": L("lasts 10 years|cures it for good|permanent results|"
                      "lose 10 lbs in a week|never fades|100% natural|hospital grade|"
                      "zero additives|unbreakable|clears acne in 3 days|kills 100% of germs|"
                      "a month of battery life|instant whitening"),
        "spec": L("net weight|piece count|length|fabric content|storage|model number"),
    },
    "core_zh": L("{qty}|缺斤少两|实物与宣传不符|宣传无依据|材质与描述不一致|尺码与描述不符"),
    "core_en": L("{qty}|wrong quantity in the listing|unsupported marketing claims|"
                 "material not as described|sizing not as described"),
    "zh": T("""
{qty}，缺斤少两
{qty}，买家说被骗了
图片是一整套，实际只发一件
主图展示{n}件套，下单只发一个
尺码偏小，跟尺码表差一个码
实物比尺码表标的小很多
页面宣称“{bigclaim}”，没有依据
宣传{bigclaim}，属于虚假宣传
材质不是页面写的那样
重量不对，{qty}
数量不够，{qty}
页面写的功能实际没有
说能{efficacy}，根本没效果
标题写的型号和发出去的不一样
详情里说“{bigclaim}”，这种话不能写
{spec}写错了，{qty}
卖点说过头了，“{bigclaim}”
图片里是套装，发货只有单品，买家说货不对板
尺码表不准，买家都说偏小
"""),
    "en": T("""
{qty}
{qty}, buyers feel cheated
photo shows a set but only one piece ships
images show {n} pieces, customers receive one
runs smaller than the size chart
size chart is off by a full size
claims it "{bigclaim}", no evidence
unsupported claim: "{bigclaim}"
material isn't what the listing says
the {spec} is wrong, {qty}
pack count doesn't match what we ship
the listing promises features it doesn't have
marketing copy overpromises: "{bigclaim}"
says {efficacy}, it doesn't do that
listed model number differs from the one shipped
sizes run small compared to the chart, lots of complaints
{rev}{this} states "{bigclaim}", which cannot be substantiated.
"""),
    "mixed": T("""
{qty}，not as described
图片是set，只发一件 misleading
runs small，尺码表不准
“{en_bigclaim}”这种claim没依据
{en_qty}，缺斤少两
宣传{bigclaim} false claim
材质不对 material not as described
"""),
}

EXTRA["image_violation"] = {
    "slots_zh": {
        "imgprob": L("手机号|微信号|外链|其他平台logo|裸露内容|价格文字|包邮字样|彩色背景|"
                     "AI合成图|不是实拍|比例不对|尺寸不够|网图|截图|表情包贴图"),
    },
    "slots_en": {
        "imgprob": L("a phone number|a social media handle|another marketplace's logo|"
                     "nudity|price text|a free shipping badge|a colored background|"
                     "an AI-generated render|a screenshot|an internet stock photo|"
                     "the wrong aspect ratio|emoji stickers"),
    },
    "core_zh": L("图片不符合规范|主图不合规|图片有{imgprob}|主图审核不通过"),
    "core_en": L("photos that break the image rules|{imgprob} in the photos|"
                 "a rejected main image|picture requirements not met"),
    "zh": T("""
主图上留了手机号
图片里有微信号，被判违规
主图加了“包邮”字样，算牛皮癣
模特图太暴露，图片违规
主图用了AI合成图，不是实拍
图片是截图，不合规
主图背景是彩色的，要白底
图片尺寸不够，审核不过
主图带了别的平台的logo
视频封面有促销文字
{imgpos}用了网图
图片上有价格
图片需要重新拍
主图被判牛皮癣，{act}
"""),
    "en": T("""
phone number on the main image
social handle in the photos, not allowed
"free shipping" text on the thumbnail
model photo too revealing for image policy
main image is an AI render, not a real photo
screenshot used as the main image
colored background, needs to be white
image too small, rejected
another marketplace's logo in the pictures
video thumbnail has promo text
{imgpos} is a stock photo from the web
price printed on the image
photos need a redo before relisting
"""),
    "mixed": T("""
主图有phone number
图片AI合成 not a real photo
{en_imgpos}有价格文字
picture背景不是白底
image尺寸不够
"""),
}

EXTRA["missing_certification"] = {
    "slots_zh": {
        "cert": L("食品生产许可证|SC编号|特殊化妆品注册证|进口化妆品备案凭证|FDA注册号|"
                  "SGS检测报告|第三方检测报告|无线电型号核准|SRRC认证|进网许可证|"
                  "二类医疗器械备案凭证|消毒产品卫生安全评价报告|农药登记证|"
                  "出版物经营许可证|酒类流通备案|运输鉴定报告|KC认证|PSE认证|GS认证|"
                  "CB报告|保健食品批准文号|卫生许可证|有机认证证书"),
        "expired": L("过期了|到期了|还没续|还没办下来|被驳回了|不在有效期内|已失效"),
    },
    "slots_en": {
        "cert": L("FDA facility registration|food license|food handler permit|"
                  "cottage food permit|declaration of conformity|FCC SDoC|3C certificate|"
                  "PSE mark|KC certification|GS mark|CB test report|SGS test report|"
                  "third-party lab report|EPA registration|DOT approval|"
                  "ECE R44 certification|children's product certificate|"
                  "battery safety report|organic certificate|import permit|alcohol license"),
        "expired": L("expired|lapsed|is out of date|was rejected|hasn't been renewed|"
                     "is still pending"),
    },
    "core_zh": L("{cert}{expired}|证照不全|许可证过期|缺少资质证明|资质到期|没有相关许可"),
    "core_en": L("the {cert} having {expired}|an expired permit|missing licenses|"
                 "no lab test report|paperwork gaps|a lapsed certificate"),
    "zh": T("""
{cert}{expired}
{cert}{expired}，{act}
类目要求{cert}，我们没有
卖食品没有食品经营许可证
证照不全{acto}
许可证过期，不能继续卖
没有检测报告，不能卖
缺少相关资质证明
资质到期了，续期中
{cert}审核被拒
{cert}上的公司名跟店铺主体不一致
补不了{cert}，只能先下
{p}需要{cert}才能卖，手上没有
{rev}{this}需提供{cert}，您上传的证件{expired}，{act}
这类东西要有许可才能卖，证还没拿到
"""),
    "en": T("""
{cert} {expired}
our {cert} {expired}, {act} {t}
permit expired
no license on file for this category
lab test report required, we don't have one
need a {cert} to sell the {p} here
certificate name doesn't match our company
paperwork missing for a regulated category
FDA registration not done yet
food license lapsed
we can sell it once the {cert} comes through
{rev}the {cert} provided for {this} {expired}. Please upload a valid document.
CE/FCC docs not available from the supplier
"""),
    "mixed": T("""
证书问题：{en_cert} {en_expired}
许可证 expired
food license没有
lab test report还没出
资质missing，{act}
{cert} pending，先下
"""),
}

EXTRA["pricing_violation"] = {
    "slots_zh": {
        "wasnow": _wasnow_zh,
        "mult": _multiple_zh,
        "pricetrick": L("虚标划线价|价格虚高|趁紧缺涨价|定价明显不合理|价格偏离市场|"
                        "高价囤积|价格误导"),
    },
    "slots_en": {
        "wasnow": _wasnow_en,
        "mult": _multiple_en,
        "pricetrick": L("a made-up was-price|a fake crossed-out price|"
                        "an unreasonable markup|shortage price hikes|"
                        "a price far out of line with the market|deceptive price comparison"),
    },
    "core_zh": L("{wasnow}，原价从没卖过|划线价是编的|价格虚高|定价异常|价格高出市场{mult}"),
    "core_en": L("a never-charged was-price|a fake crossed-out price|gouging|"
                 "a price {mult} the market rate|abnormal pricing"),
    "zh": T("""
{wasnow}，但原价从来没卖过
划线价是编的，{act}
原价是瞎写的
标价是市场价的{mult}，被判价格违规
趁缺货把价格抬到{mult}，被认定哄抬
定价明显不合理，价格异常
价格虚高{acto}
{wasnow}，被判虚假折扣
先提价再打折，被查
同款别人卖{price}，我们标了{mult}
价格比市场高太多，系统预警
{rev}{this}标示的原价无真实交易记录，属于虚构原价
"""),
    "en": T("""
"{wasnow}" but we never actually charged the higher price
{wasnow} - the was-price was made up
fake crossed-out price{acto}
price is {mult} the market rate, flagged as gouging
raised it {mult} during the shortage
price far above market, flagged
abnormal pricing detected on {sku}
markup way out of line, {act} {t}
deceptive price comparison on the {p}
{rev}{this} shows a reference price ({wasnow}) that was never the actual selling price.
the strikethrough price has no sales history behind it
"""),
    "mixed": T("""
{en_wasnow}，原价从没卖过
划线价fake，{act}
price是市场{mult}，gouging
价格虚高 abnormal pricing
crossed-out价格是编的
"""),
}

EXTRA["safety_risk"] = {
    "slots_zh": {
        "hazard": L("发烫冒烟|冒火花|有烧焦味|插头发烫熔化|电线起火|漏电麻手|误吞纽扣电池|"
                    "重金属超标|双酚A超标|皮肤灼伤|夹伤手指|玻璃炸裂|燃气泄漏|一氧化碳中毒|"
                    "过敏红肿|电池爆燃|高温变形烫伤"),
        "victim": L("买家|一个小孩|客户家的宝宝|一位老人|用户|宝妈"),
    },
    "slots_en": {
        "hazard": L("sparking|a burning smell|a melting plug|an electrical fire risk|"
                    "button battery ingestion|heavy metal content|BPA exposure|skin burns|"
                    "finger pinch injuries|glass shattering|a gas leak|carbon monoxide risk|"
                    "allergic reactions|battery fire"),
        "hazardverb": L("start a fire|burn a child|electrocute someone|poison a kid|"
                        "shatter in someone's hand|overheat and melt"),
        "victim": L("a buyer|a child|a customer's toddler|an elderly user|someone"),
    },
    "core_zh": L("会伤人|有起火隐患|可能致人受伤|对人体有害|{hazard}的危险"),
    "core_en": L("an injury risk|a fire hazard|danger to users|{hazard}|a harm risk"),
    "zh": T("""
用的时候冒火花
插上电就冒烟，{act}
{victim}被烫伤了
{victim}用了之后{hazard}
有起火的可能，不敢卖
存在伤人风险
对人体有害，{act}
{p}有{hazard}的情况，太危险
有人被电到了
充着电就发烫，怕出事
涂料有毒，小孩会啃
零件太小，婴幼儿会吞下去
{victim}手被夹伤了，设计有安全问题
这东西会伤到人，必须下
不是做工差那么简单，是危险
"""),
    "en": T("""
it sparks when plugged in
{victim} got burned
could start a fire
gets dangerously hot
toxic to kids if chewed
{victim} got hurt using the {p}
shock risk, {act} {t}
injury reported by {victim}
the {p} could {hazardverb}
{hazard} reported, not safe to sell
it's dangerous, not just badly made
the plug melted in the socket
small parts a baby could swallow
"""),
    "mixed": T("""
冒火花 sparks
{victim}烫伤 burn hazard
{en_hazard}，太危险
有人受伤 injury
unsafe，会起火
"""),
}

EXTRA["out_of_stock"] = {
    "slots_zh": {
        "reason": L("厂家停产了|厂家不做这个型号了|这款停产了|供应商没货|供应商供不上|"
                    "货源断了|拿不到货|没法进货|进不到货|厂里缺料|原材料短缺|工厂停工|"
                    "产线停了|代工厂不接单了|代理商也没货|源头缺货"),
        "color": L("黑色|白色|粉色|灰色|蓝色|米色|卡其|红色|绿色|紫色"),
        "size": L("S码|M码|L码|XL|36码|38码|42码|大号|小号|均码"),
    },
    "slots_en": {
        "reason": L("the manufacturer discontinued it|the factory discontinued the model|"
                    "the vendor has none left|the supplier can't supply it|"
                    "we can't source it|we can't get more units|raw materials are short|"
                    "production is halted|the factory shut down the line|"
                    "our distributor is out too"),
        "color": L("black|white|pink|grey|navy|beige|green|purple"),
        "size": L("S|M|L|XL|size 8|EU 40|one size"),
    },
    "core_zh": L("售罄|断码|停产|缺料|库存归零|没法进货|厂家不做了|供应商断供"),
    "core_en": L("being sold out|the model being discontinued|a stockout|"
                 "the supplier having none left|inventory hitting zero|OOS"),
    "zh": T("""
厂家不做了，没货
{p}停产了
这个型号停产了，买不到货
售罄
已售罄{acto}
全部售罄，{act}
断码了，只剩{color}{size}
尺码不全，只剩几个码
颜色不全，只剩{color}
库存归零
库存清零了{acto}
库存数量变成0了
仓库空了
仓库里一件都没了
供应商那边没货，补不上
进不到货
没法进货
货源找不到了
缺料，工厂停产
原材料短缺，生产停了
工厂停工，发不了货
最后一件也卖掉了
没现货了
暂时无货
厂家停止供货
{reason}，库存清零
{reason}，{act}
{reason}，什么时候有货不确定
{p}厂家不生产了，以后也没货
进货渠道断了
供应商说这个型号不再生产
"""),
    "en": T("""
the manufacturer discontinued this model
factory discontinued it, can't get more
vendor has none left
supplier can't supply it anymore
can't source it right now
unable to source more units
raw material shortage, production halted
production stopped at the factory
stock count hit zero
inventory reached 0
the warehouse is empty
nothing left in the warehouse
only {size} in {color} left, everything else is gone
only a few sizes left, broken size run
all units sold
the last unit sold yesterday
discontinued by the manufacturer
no units available
can't restock, vendor is out
stockout on the {p}
zero on hand
{reason}, so no stock
{reason} - {act} {t}
{reason}, no idea when it comes back
only odd sizes and colours left
"""),
    "mixed": T("""
厂家停产 discontinued
supplier没货了
inventory归零
仓库empty了
只剩{color}{size} limited sizes
售罄 sold out
OOS 断码
缺料 production halted
没法进货 can't source
vendor断供，{act}
{en_reason}，没货
stock count 0了
"""),
}

EXTRA["seasonal"] = {
    "slots_zh": {
        "sitem": L("棉服|加绒裤|毛呢大衣|取暖器|电暖器|手套围巾套装|短裤|凉鞋|沙滩裤|"
                   "防晒霜|遮阳伞|电风扇|冰垫|圣诞彩灯|圣诞花环|万圣节南瓜桶|元宵花灯|"
                   "中秋灯笼|开学书包|毕业季礼物|情人节玫瑰|母亲节康乃馨|父亲节礼盒|"
                   "儿童节礼物|新年红包|窗花|对联|暖脚宝|滑雪镜|游泳圈|蚊帐|圣诞礼盒"),
        "holiday": L("感恩节|复活节|清明|重阳|儿童节|父亲节|毕业季|暑假|寒假|年货节|"
                     "劳动节|圣诞季"),
        "window": L("当季那几个月|每年就那一阵子|旺季那两个月|节日前后那几周|应季的时候"),
        "winteritem": L("羽绒服|棉服|电热毯|暖手宝|雪地靴|加绒裤|取暖器|毛线帽|暖宝宝|"
                        "手套围巾套装"),
        "summeritem": L("泳衣|凉席|冰袖|短裤|凉鞋|防晒霜|电风扇|冰垫|游泳圈|沙滩裤"),
    },
    "slots_en": {
        "sitem": L("winter coats|puffer jackets|fleece-lined leggings|space heaters|"
                   "glove and scarf sets|shorts|sandals|flip-flops|sunscreen|beach umbrellas|"
                   "desk fans|cooling mats|Christmas string lights|wreaths|"
                   "trick-or-treat buckets|Easter eggs|Thanksgiving table runners|"
                   "graduation gifts|back-to-school backpacks|Valentine's roses|"
                   "Mother's Day cards|Father's Day gift sets|red envelopes|snow sleds|"
                   "ski goggles|pool toys|Halloween decorations|Fourth of July flags|"
                   "St. Patrick's Day hats|Christmas trees"),
        "holiday": L("Fourth of July|St. Patrick's Day|Father's Day|Diwali|Hanukkah|"
                     "graduation season|summer break|Boxing Day|Chinese New Year|"
                     "the holiday season"),
        "window": L("its own season|a few weeks a year|the peak months|"
                    "the run-up to the holiday|a short window each year"),
        "winteritem": L("winter coats|puffer jackets|heated blankets|hand warmers|"
                        "snow boots|space heaters|fleece-lined leggings|beanies"),
        "summeritem": L("swimsuits|pool floats|sandals|flip-flops|sunscreen|desk fans|"
                        "cooling mats|beach towels|shorts"),
    },
    "core_zh": L("季节不对|不是当季商品|淡季|{holiday}结束了|{sitem}过季|应季期已过"),
    "core_en": L("the wrong time of year|not being in season|the season ending|"
                 "{holiday} having passed|{sitem} being out of season"),
    "zh": T("""
夏天谁买{winteritem}，等冬天再上
现在是夏天，冬装先收起来
大冬天的，{summeritem}没人要，等夏天
{sitem}只在{window}好卖
圣诞树只有11到12月有人买
开学季过了，文具先下
{holiday}一过就没人买{sitem}了
这是{season}的货，现在不合时宜
季节不对，先下
不是当季商品{acto}
等下个{season}再上架
淡季先收，旺季再上
{sitem}属于季节性商品，现在不是季节
{holiday}用的东西，节后先撤
入冬了，{summeritem}下掉换冬款
开春了，{winteritem}收起来
{sitem}等明年{holiday}前再上
这类东西一年就卖{window}
"""),
    "en": T("""
nobody buys {winteritem} in July
winter coats in summer, no point
Christmas trees only sell in November and December
back-to-school is over
wrong time of year for {sitem}
not in season{acto}
it's seasonal ({season}), bringing it back in {season2}
seasonal demand has ended
{holiday} has passed, putting the {sitem} away
{sitem} only sell in {window}
it's December, nobody wants {summeritem}
off-season for {sitem}, relisting when the season comes back
summer's over, pool toys come down
winter's over, heaters go back in storage
holiday stock, {act} until next {holiday}
"""),
    "mixed": T("""
夏天卖{en_winteritem}? off season
{sitem}只在{en_window}好卖
{en_holiday}过了，{sitem}下架
季节不对 wrong season
{en_sitem}等{season2}再上
back-to-school结束了
"""),
}

EXTRA["slow_selling"] = {
    "slots_zh": {
        "salesfig": _salesfig_zh,
    },
    "slots_en": {
        "salesfig": _salesfig_en,
    },
    "core_zh": L("{salesfig}|库存积压|压货|销量太低|没订单|数据太差|表现差的SKU"),
    "core_en": L("{salesfig}|underperformance|overstock that won't move|no orders|"
                 "low click-through|weak sales velocity|cutting weak SKUs"),
    "zh": T("""
{salesfig}，{act}
销量太低，{salesfig}
{p}{salesfig}，不值得留
库存积压，卖不出去
压货太多，卖不动
货压在仓库里卖不掉
点击率低，转化也差
没订单{acto}
零订单，{days}天了
表现差的SKU砍掉
淘汰弱势款
数据太差，{act}
投产比太低，没得做
卖得太慢，周转不过来
{p}动销太慢
{salesfig}，库存还压着{n}00件
上了{days}天只卖了几件
同价位别家卖得动，我们这款就是没人要
不是没货，是压货太多
访客少，加购少，订单更少
"""),
    "en": T("""
{salesfig}, not worth keeping
{salesfig}, {act} {t}
underperforming SKU
inventory piling up because it doesn't sell
overstock, it just won't move
low click-through and conversion
no orders at all
cutting weak SKUs
sell-through too low
poor sales velocity on the {p}
bottom performer in the catalog
aged inventory not moving
{salesfig} and {n}00 units still in the warehouse
nobody's buying it
clicks are low and nobody converts
the {p} is a dud
weak performer, dropping it
"""),
    "mixed": T("""
{salesfig} sales太差
库存积压 overstock
压货 not moving
{en_salesfig}，卖不动
CTR低，conversion差
underperforming SKU，砍掉
没orders，{act}
"""),
}

EXTRA["policy_change"] = {
    "slots_zh": {
        "category": L("二手数码|宠物药品|跨境保税|代购商品|虚拟充值|定制印刷品|种子苗木|"
                      "散装食品"),
    },
    "slots_en": {
        "category": L("used electronics|cross-border bonded goods|personal import orders|"
                      "resale tickets|game top-ups|bulk food"),
    },
    "core_zh": L("平台改了规则|招商类目调整|类目下线|监管新政|{category}不在经营范围了|"
                 "平台规则变更"),
    "core_en": L("the platform changing its rules|a program being discontinued|"
                 "a change in category coverage|a new regulation|the category being closed"),
    "zh": T("""
平台改了规则，{this}不能卖了
平台调整了招商类目，{category}不在范围内了
{category}不在平台经营范围了
平台取消了这个项目，相关商品统一下
平台退出{category}业务
新法规要求，{category}暂停线上销售
监管新政出台，先下
平台修订了《{rulebook}》，{category}要重新审核
类目下线了
类目关停，{act}
平台不再支持个人卖家发{category}
类目准入收紧，我们不够格了
规则变了，不是我们违规
以前可以卖，新规出来后不行了
平台说{date}起{category}全部下架
"""),
    "en": T("""
the platform changed the rules, {this} can't stay up
program discontinued by the marketplace
marketplace stopped supporting {category}
category coverage changed
new law means {category} can't be sold online anymore
the category was closed
marketplace is exiting the {category} vertical
rules tightened for {category}, we no longer qualify
the {site} revised its {rulebook}
old category retired in the taxonomy update
policy change, not a violation on our side
used to be allowed, the new rules say no
per the new regulation effective {date}
"""),
    "mixed": T("""
平台改rules了
{en_category}不在经营范围了
program取消了，{act}
new regulation，{category}暂停
category下线 closed
规则变更 policy update
"""),
}

EXTRA["other"] = {
    "slots_zh": {
        "whodecide": L("老板|领导|经理|店长|合伙人|主管|运营总监"),
        "otherstore": L("另一个店|新店|分店|旗舰店|二店|主店"),
    },
    "slots_en": {
        "whodecide": L("the boss|my manager|the owner|our team lead|my business partner|"
                       "head office"),
        "otherstore": L("our other shop|the new store|our second account|the main store|"
                        "our sister shop"),
    },
    "core_zh": L("发错了|误发|上错账号|重复上架|休假|暂停经营|老板决定的|换产品线|"
                 "合并链接|不卖了|家里有事|私人原因"),
    "core_en": L("posting it by mistake|the wrong account|a double post|a vacation|"
                 "a break from selling|the owner's decision|a change of product line|"
                 "merging links|personal matters|no specific reason"),
    "zh": T("""
发错了，{act}
不小心上架了
误发的，删掉
上错账号了
发到错误的店铺了
同一个商品发了两次
重复上架了，删一个
测试一下，不用管
店主休假，{t}下架
休假中，暂停经营
暂停经营一段时间
{whodecide}决定下的
{whodecide}让下的，没说原因
{whodecide}说不做了
换产品线了，{p}不做了
调整经营方向
挪到{otherstore}卖
搬到{otherstore}去了，这边下架
两个链接合并
合并链接，旧的下掉
重新传了个新链接，这个不要了
不卖了
就是不想卖了
个人原因，不方便说
家里有事，店先停一停
私人原因暂停
没什么特别原因，先下
以后不做这个了，跟东西没关系
"""),
    "en": T("""
posted by mistake
listed it by accident
wrong account, {act}
listed under the wrong store
double post, removing one
posted twice by accident
test listing, ignore
just a test
on vacation, {act} {t}
taking a break from selling
shop paused while we're away
{whodecide} decided to pull it
{whodecide}'s call, no reason given
changing product line, dropping the {p}
new business direction
moving it to {otherstore}
merging links into one
re-uploaded under a new link, this one goes
not selling it anymore
personal reasons, can't say more
family matters, pausing for a bit
no particular reason
nothing wrong with the item, we just stopped carrying it
"""),
    "mixed": T("""
发错了 posted by mistake
wrong account，删掉
double post了
休假 vacation mode
{whodecide}决定的 boss's call
move到{otherstore}
合并link，旧的下
re-upload了新链接
不卖了 no reason
personal原因
test listing，删
"""),
}


SHARED_EXTRA_ZH = {
    "p": L("智能手环|洗脸巾|洗发水|沐浴露|收纳袋|衣架|拖把|马克杯|筷子|菜板|保温饭盒|"
           "鼠标垫|U盘|移动硬盘|路由器|自拍杆|三脚架|瑜伽裤|运动内衣|冲锋衣|登山鞋|帐篷|"
           "折叠椅|钓鱼竿|跳绳|哑铃|笔记本|中性笔|发箍|美甲贴|假睫毛|卷发棒|化妆镜|"
           "厨房剪刀|硅胶铲|午睡枕|颈椎枕|车载香薰|床垫|地毯"),
    "pol": L("麻烦运营|辛苦|各位，|同事，|@运营"),
    "sel": L("原因说明：|备注一下：|下架备注：|说明一下，"),
    "act": L("下架掉|先下|下了|撤掉|做下架|先撤下|下架一下"),
}
SHARED_EXTRA_EN = {
    "p": L("fitness tracker|face towels|shampoo|body wash|storage bags|clothes hangers|mop|"
           "coffee mug|chopsticks|cutting board|thermal lunch box|mouse pad|usb flash drive|"
           "external hard drive|wifi router|selfie stick|tripod|leggings|sports bra|"
           "rain jacket|hiking boots|camping tent|folding chair|fishing rod|jump rope|"
           "dumbbells|notebook|gel pens|headband|nail stickers|false lashes|curling iron|"
           "vanity mirror|kitchen scissors|silicone spatula|neck pillow|rug|mattress topper"),
    "pol": ["hey all, ", "team - ", "quick note: ", "heads up, "],   # keep the trailing spaces
    "sel": ["why we pulled it: ", "note to ops: ", "removal note: "],
    "act": L("take off the site|drop|pull down|turn off"),
}


def _merge_list(base, add):
    out = list(base)
    for x in add:
        if x not in out:
            out.append(x)
    return out


def merge_extra(code, spec):
    ex = EXTRA[code]
    for side in ("slots_zh", "slots_en"):
        slots = dict(spec[side])
        for k, v in ex.get(side, {}).items():
            if isinstance(v, list) and isinstance(slots.get(k), list):
                slots[k] = _merge_list(slots[k], v)
            else:
                slots[k] = v
        spec[side] = slots
    spec["core_zh"] = _merge_list(spec["core_zh"], ex.get("core_zh", []))
    spec["core_en"] = _merge_list(spec["core_en"], ex.get("core_en", []))
    for lang in LANGS:
        spec[lang] = _merge_list(spec[lang], ex.get(lang, []))
    return spec


for _k, _v in SHARED_EXTRA_ZH.items():
    SHARED_ZH[_k] = _merge_list(SHARED_ZH[_k], _v)
for _k, _v in SHARED_EXTRA_EN.items():
    SHARED_EN[_k] = _merge_list(SHARED_EN[_k], _v)
SHARED_ZH["p2"] = SHARED_ZH["p"]
SHARED_EN["p2"] = SHARED_EN["p"]


def load_spec(code):
    spec = merge_extra(code, SPECS[code]())
    spec["zh"] = spec["zh"] + LONG[code]["zh"]
    spec["en"] = spec["en"] + LONG[code]["en"]
    return spec


# Frames for mixed texts: the code's Chinese core next to its English core.
FRAMES_MIXED = T("""
{core} {en_core}
{en_core}，{act}
下架原因：{en_core}
{core}：{en_core}
reason: {core}
{core}（{en_core}）
""")


# ---------------------------------------------------------------------------
# template filling
# ---------------------------------------------------------------------------

SLOT_RE = re.compile(r"\{(\w+)\}")


def fill(rng, template, slots):
    """Replace every {name} with a random filler; fillers may contain slots."""
    def rep(m):
        v = slots[m.group(1)]
        return v(rng) if callable(v) else rng.choice(v)
    out = template
    for _ in range(5):
        new = SLOT_RE.sub(rep, out)
        if new == out:
            break
        out = new
    if SLOT_RE.search(out):
        raise ValueError("unfilled slot in %r -> %r" % (template, out))
    return out


def slot_table(spec, lang):
    if lang == "zh":
        d = dict(SHARED_ZH)
        d.update(spec["slots_zh"])
        d["core"] = spec["core_zh"]
        return d
    if lang == "en":
        d = dict(SHARED_EN)
        d.update(spec["slots_en"])
        d["core"] = spec["core_en"]
        return d
    d = dict(SHARED_ZH)
    d.update(spec["slots_zh"])
    d["core"] = spec["core_zh"]
    en = dict(SHARED_EN)
    en.update(spec["slots_en"])
    en["core"] = spec["core_en"]
    for k, v in en.items():
        d["en_" + k] = v
    # nested slots inside English fillers must resolve to English fillers, and
    # English noun phrases lose their article next to Chinese ("主图有watermark")
    for k, v in en.items():
        if isinstance(v, list):
            v = [re.sub(r"\{(\w+)\}", r"{en_\1}", x) for x in v]
            d["en_" + k] = [re.sub(r"^(a|an) ", "", x) for x in v]
    return d


def templates_for(spec, lang):
    if lang == "zh":
        return spec["zh"] + FRAMES_ZH
    if lang == "en":
        return spec["en"] + FRAMES_EN
    return spec["mixed"] + FRAMES_MIXED


def wrap(rng, template, lang):
    """Optionally add a seller opener, a delist action and a closing tail."""
    t = template
    has_rev = "{rev}" in t
    if not has_rev and not t.startswith("{sel}") and rng.random() < 0.10:
        t = "{sel}" + t
    if "{act" not in t and rng.random() < 0.14:
        t = t + "{acto}"
    if rng.random() < 0.12:
        t = t + ("{rtail}" if has_rev else "{tail}")
    if lang == "mixed" and "{en_" not in t and rng.random() < 0.2 and "{act" not in t:
        t = t + "{en_acto}"
    return t


# ---------------------------------------------------------------------------
# noise
# ---------------------------------------------------------------------------

# plausible pinyin-input slips: the intended word -> what the IME produced
HOMOPHONES = {
    "下架": ["下价", "下假", "下嫁"],
    "库存": ["库寸"],
    "断货": ["段货"],
    "侵权": ["侵全", "亲权"],
    "商标": ["商表"],
    "假货": ["价货", "架货"],
    "高仿": ["高防"],
    "禁售": ["进售", "尽售"],
    "电子烟": ["电子眼"],
    "主图": ["主涂"],
    "水印": ["水银"],
    "资质": ["资治"],
    "证书": ["整数"],
    "检测": ["监测"],
    "折扣": ["折口"],
    "隐患": ["隐换"],
    "漏电": ["露电"],
    "召回": ["招回"],
    "过季": ["国际"],
    "换季": ["换机"],
    "滞销": ["直销"],
    "流量": ["留量"],
    "规则": ["归则", "归责"],
    "链接": ["连接"],
    "描述": ["描诉"],
    "不符": ["不服"],
    "夸大": ["垮大"],
    "做工": ["做功"],
    "开线": ["开县"],
    "掉色": ["调色"],
    "次品": ["词频"],
    "授权": ["受权"],
    "补货": ["捕获"],
    "缺货": ["却货"],
    "卖不动": ["买不动"],
    "起火": ["起伙"],
    "模糊": ["模湖"],
    "图片": ["图骗"],
    "质检": ["质监"],
    "价格": ["价个"],
    "违规": ["违归"],
    "类目": ["累目"],
    "平台": ["平太"],
    "铺货": ["铺获"],
    "宣传": ["宣穿"],
    "售假": ["受假"],
    "投诉": ["透诉"],
    "甲醛": ["甲荃"],
    "停产": ["停铲"],
    "断码": ["段码"],
    "售罄": ["售庆"],
    "积压": ["挤压"],
    "压货": ["押货"],
    "仿品": ["访品"],
    "复刻": ["复克"],
    "休假": ["修假"],
    "许可证": ["许可正"],
    "划线价": ["画线价"],
    "烫伤": ["汤伤"],
    "进货": ["近货"],
    "误发": ["无发"],
}
HOMOPHONE_KEYS = list(HOMOPHONES)

EMOJI = ["🙏", "😅", "😭", "👍", "⚠️", "🙂", "🤷", "❗", "😂", "🥲"]
HALF = {"，": ",", "：": ":", "（": "(", "）": ")", "！": "!", "？": "?", "；": ";"}
CJK_RE = re.compile(r"[\u3400-\u9fff]")
LATIN_WORD_RE = re.compile(r"[A-Za-z]{4,}")


def en_typo(rng, text):
    words = list(LATIN_WORD_RE.finditer(text))
    if not words:
        return text
    m = rng.choice(words)
    w = m.group(0)
    op = rng.choice(["swap", "drop", "double"])
    i = rng.randrange(1, len(w) - 1)  # keep the first letter
    if op == "swap":
        w2 = w[:i] + w[i + 1] + w[i] + w[i + 2:]
    elif op == "drop":
        w2 = w[:i] + w[i + 1:]
    else:
        w2 = w[:i] + w[i] + w[i:]
    return text[:m.start()] + w2 + text[m.end():]


def zh_typo(rng, text):
    keys = [k for k in HOMOPHONE_KEYS if k in text]
    if not keys:
        return text
    k = rng.choice(keys)
    return text.replace(k, rng.choice(HOMOPHONES[k]), 1)


def to_half_width(text):
    return "".join(HALF.get(c, c) for c in text)


def noisify(rng, text, lang, stats):
    stats["_slip"] = False
    if lang == "en":
        if rng.random() < 0.125:
            new = en_typo(rng, text)
            stats["_slip"] = stats["_slip"] or new != text
            text = new
        r = rng.random()
        if r < 0.12:
            text = text.lower()
        elif r < 0.14 and len(text) <= 30:
            text = text.upper()
        elif r < 0.45:
            text = text[:1].upper() + text[1:]
        if rng.random() < 0.3:
            text = text.rstrip(".")
        if rng.random() < 0.04:
            text = text.replace(",", "")
        if rng.random() < 0.03:
            text = text.replace(", ", "，").replace(": ", "：")
    elif lang == "zh":
        if rng.random() < 0.12:
            new = zh_typo(rng, text)
            stats["_slip"] = stats["_slip"] or new != text
            text = new
        if rng.random() < 0.2:
            text = to_half_width(text)
        if rng.random() < 0.3:
            text = text.rstrip("。")
        if rng.random() < 0.06:
            text = text.replace("，", " ")
    else:
        new = text
        if rng.random() < 0.08:
            new = zh_typo(rng, new)
        if rng.random() < 0.08:
            new = en_typo(rng, new)
        stats["_slip"] = stats["_slip"] or new != text
        text = new
        if rng.random() < 0.3:
            text = to_half_width(text)
        if rng.random() < 0.15:
            text = text.lower()
        if rng.random() < 0.3:
            text = text.rstrip("。.")
    return text


def decorate(rng, text, lang):
    """The odd emoji or trailing '...', added after clean() so it survives."""
    r = rng.random()
    if r < 0.03:
        text = text + rng.choice(["", " "]) + rng.choice(EMOJI)
    elif r < 0.05:
        text = text.rstrip("。.!！") + rng.choice(
            ["...", "。。。", "??", "!!"] if lang != "en" else ["...", "??", "!!", " ..."])
    return text


def clean(text, lang):
    text = text.replace("\t", " ").replace("\r", " ").replace("\n", " ")
    text = re.sub(r" {2,}", " ", text).strip()
    for a, b in [("，，", "，"), ("。，", "，"), ("，。", "。"), ("：，", "："), ("：：", "："),
                 ("。。", "。"), (" ，", "，"), ("， ", "，"), ("！，", "，"), ("～，", "，"),
                 (" ,", ","), (",,", ","), (". .", "."), (":,", ":"), (". ,", ","),
                 (".,", ","), ("!.", "!"), ("?.", "?"), ("..", ".")]:
        while a in text:
            text = text.replace(a, b)
    text = text.lstrip("，。,.:：- ").strip()
    text = text.rstrip("：:，, ")
    return text


def finish_tail(text):
    """A reviewer tail that starts a new English sentence needs a full stop."""
    return re.sub(r"([^.!?)\s])( [A-Z][a-z]+ (?:you|review|edit|contact|for|listings|"
                  r"further)\b)", r"\1.\2", text)


# ---------------------------------------------------------------------------
# generation, de-duplication and split
# ---------------------------------------------------------------------------

def generate_group(rng, spec, lang, target, stats):
    templates = templates_for(spec, lang)
    slots = slot_table(spec, lang)
    out, seen, order = [], set(), []
    attempts = 0
    while len(out) < target and attempts < target * 40:
        attempts += 1
        if not order:
            order = list(range(len(templates)))
            rng.shuffle(order)
        tpl = wrap(rng, templates[order.pop()], lang)
        text = fill(rng, tpl, slots)
        text = clean(text, lang)
        if lang == "en":
            text = finish_tail(text)
        text = decorate(rng, clean(noisify(rng, text, lang, stats), lang), lang)
        if not text or text in seen:
            continue
        if len(text.split()) > 40 or len(text) > 90:  # keep to short notes / one notice
            continue
        seen.add(text)
        out.append(text)
        stats["made_" + lang] += 1
        stats["typo_" + lang] += stats["_slip"]
    return out


ALLOWED_LATIN_IN_ZH = {
    "Hello", "Kitty", "Nike", "Gucci", "Dior", "Rolex", "AirPods", "Supreme", "Yeezy",
    "logo",
}


def language_ok(text, lang):
    has_cjk = bool(CJK_RE.search(text))
    if lang == "en":
        return not has_cjk
    if lang == "zh":
        if not has_cjk:
            return False
        # brand names and acronyms (any capital letter) are fine in Chinese text
        for w in re.findall(r"[A-Za-z]{3,}", text):
            if w != w.lower() or w in ALLOWED_LATIN_IN_ZH:
                continue
            return False
        return True
    return has_cjk and bool(re.search(r"[A-Za-z]{2,}", text))


def build(rng):
    stats = {"typo_zh": 0, "typo_en": 0, "typo_mixed": 0, "made_zh": 0,
             "made_en": 0, "made_mixed": 0, "_slip": False}
    for code in CODES:
        spec = load_spec(code)
        for key, need in (("zh", 25), ("en", 25), ("mixed", 15)):
            if len(spec[key]) < need:
                raise SystemExit("%s: only %d %s templates" % (code, len(spec[key]), key))
    groups = {}
    for code in CODES:
        spec = load_spec(code)
        for lang in LANGS:
            groups[(code, lang)] = generate_group(rng, spec, lang, TARGET[lang], stats)

    first_owner = {}
    conflicted = {}
    for code in CODES:
        for lang in LANGS:
            for text in groups[(code, lang)]:
                owner = first_owner.get(text)
                if owner is None:
                    first_owner[text] = code
                elif owner != code:
                    conflicted[text] = True
    bad_lang = []
    kept = {}
    for code in CODES:
        for lang in LANGS:
            rows = []
            for text in groups[(code, lang)]:
                if text in conflicted:
                    continue
                if not language_ok(text, lang):
                    bad_lang.append((code, lang, text))
                    continue
                rows.append(text)
            kept[(code, lang)] = rows
    stats["conflicts"] = len(conflicted)
    stats["bad_lang"] = bad_lang
    return kept, stats


def near_key(text):
    """Texts that differ only in case, punctuation, spacing or emoji share a key."""
    return re.sub(r"[\W_]+", "", text.lower())


def split(rng, kept):
    """80/20 split per (code, language).  Near-identical variants (same
    near_key) always land on the same side, so heldout is not just train with
    different punctuation."""
    train, held = [], []
    for code in CODES:
        for lang in LANGS:
            groups = {}
            for t in kept[(code, lang)]:
                groups.setdefault(near_key(t), []).append(t)
            keys = list(groups)
            rng.shuffle(keys)
            n_h = int(round(len(kept[(code, lang)]) * HELDOUT_FRACTION))
            taken = 0
            for k in keys:
                side = held if taken < n_h else train
                if side is held:
                    taken += len(groups[k])
                side.extend((code, lang, t) for t in groups[k])
    rng.shuffle(train)
    rng.shuffle(held)
    return train, held


def write_tsv(path, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("reason_code\tlanguage\ttext\n")
        for code, lang, text in rows:
            assert "\t" not in text and "\n" not in text and "\r" not in text, text
            f.write("%s\t%s\t%s\n" % (code, lang, text))


def count_table(train, held):
    cnt = {}
    for part, rows in (("train", train), ("heldout", held)):
        for code, lang, _ in rows:
            cnt[(part, code, lang)] = cnt.get((part, code, lang), 0) + 1
    lines = []
    hdr = "%-22s %9s %9s %9s %9s %9s %9s %7s" % (
        "reason_code", "zh_train", "zh_held", "en_train", "en_held", "mx_train",
        "mx_held", "total")
    lines.append(hdr)
    lines.append("-" * len(hdr))
    totals = [0] * 7
    short = []
    for code in CODES:
        vals = []
        for lang in LANGS:
            tr = cnt.get(("train", code, lang), 0)
            ho = cnt.get(("heldout", code, lang), 0)
            vals += [tr, ho]
            if tr + ho < MINIMUM[lang]:
                short.append((code, lang, tr + ho))
        vals.append(sum(vals))
        totals = [a + b for a, b in zip(totals, vals)]
        lines.append("%-22s %9d %9d %9d %9d %9d %9d %7d" % ((code,) + tuple(vals)))
    lines.append("-" * len(hdr))
    lines.append("%-22s %9d %9d %9d %9d %9d %9d %7d" % (("TOTAL",) + tuple(totals)))
    return "\n".join(lines), short


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out-dir", default=os.path.dirname(os.path.abspath(__file__)),
                    help="where to write train.tsv and heldout.tsv "
                         "(default: the script's directory)")
    args = ap.parse_args(argv)
    os.makedirs(args.out_dir, exist_ok=True)

    rng = random.Random(SEED)
    kept, stats = build(rng)
    train, held = split(rng, kept)
    write_tsv(os.path.join(args.out_dir, "train.tsv"), train)
    write_tsv(os.path.join(args.out_dir, "heldout.tsv"), held)

    table, short = count_table(train, held)
    print(table, file=sys.stderr)
    print("texts with a typo/homophone slip: " + ", ".join(
        "%s %.1f%%" % (lang, 100.0 * stats["typo_" + lang] / max(1, stats["made_" + lang]))
        for lang in LANGS), file=sys.stderr)
    print("dropped as cross-code duplicates: %d; dropped for language mismatch: %d"
          % (stats["conflicts"], len(stats["bad_lang"])), file=sys.stderr)
    for code, lang, text in stats["bad_lang"][:20]:
        print("  language mismatch: %s %s %r" % (code, lang, text), file=sys.stderr)
    if short:
        for code, lang, n in short:
            print("BELOW MINIMUM: %s %s has %d (< %d)" % (code, lang, n, MINIMUM[lang]),
                  file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
