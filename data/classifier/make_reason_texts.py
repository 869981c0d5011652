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
TARGET = {"zh": 440, "en": 440, "mixed": 110}
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
weapons policy - {banned}
tobacco and vape products can't be sold here
Rx-only medicine, prohibited
wildlife product ({banned}), illegal to sell
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
天冷了，{sitem}先撤
天热了，{sitem}先撤
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


def load_spec(code):
    spec = SPECS[code]()
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
