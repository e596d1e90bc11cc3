#!/usr/bin/python3
"""lexicon_build_gen.py - a synthetic corpus for tests/cli/lexicon_build.sh.

A city the city lexicon does not know (Qinglan / 青岚) gets landmarks,
events and dishes planted among generic promotional content and filler
that every city in the corpus shares; six real cities get their own
planted terms and the same generic content, so they make a realistic
reference.  Writes OUT/en.jsonl and OUT/zh.jsonl and, for the test,
OUT/planted-en.txt and OUT/planted-zh.txt (one planted term a line).
Deterministic (seeded).  Written for narrate; CC0-1.0.

usage: lexicon_build_gen.py OUTDIR [DOCS_PER_CITY]
"""
import json
import os
import random
import sys

TARGET = {"en": "Qinglan", "zh": "青岚"}

PLANTED = {
    "en": {
        "landmark": ["Misty Peak", "Jade Ribbon Bridge", "Lantern Gorge", "Heron Island",
                     "Copper Bell Pagoda"],
        "event": ["Cloud Tea Festival", "Dragon Kite Fair", "Silver River Marathon"],
        "dish": ["sour bamboo noodles", "smoked plum duck", "pepper crab dumplings",
                 "osmanthus rice cake"],
    },
    "zh": {
        "landmark": ["雾峰山", "玉带桥", "灯笼峡", "鹭鸟洲", "铜钟塔"],
        "event": ["云茶节", "龙筝会", "银溪马拉松"],
        "dish": ["酸笋粉", "熏梅鸭", "椒蟹饺", "桂花糯糕"],
    },
}

# reference cities: names as the city lexicon knows them, and their own terms
REFERENCE = [
    ("Hangzhou", "杭州", ["West Lake", "Lingyin Temple", "Longjing tea", "Dongpo pork"],
     ["西湖", "灵隐寺", "龙井茶", "东坡肉"]),
    ("Chengdu", "成都", ["Kuanzhai Alley", "panda base", "hotpot street", "Jinli Street"],
     ["宽窄巷子", "熊猫基地", "火锅一条街", "锦里古街"]),
    ("Xi'an", "西安", ["Terracotta Army", "city wall ride", "roujiamo stall", "Bell Tower"],
     ["兵马俑", "城墙骑行", "肉夹馍", "钟鼓楼"]),
    ("Wuhan", "武汉", ["Yellow Crane Tower", "East Lake greenway", "hot dry noodles", "Hubu Alley"],
     ["黄鹤楼", "东湖绿道", "热干面", "户部巷"]),
    ("Nanjing", "南京", ["Confucius Temple", "Purple Mountain", "salted duck", "Qinhuai River"],
     ["夫子庙", "紫金山", "盐水鸭", "秦淮河"]),
    ("Xiamen", "厦门", ["Gulangyu", "Zengcuoan village", "sand tea noodles", "Nanputuo"],
     ["鼓浪屿", "曾厝垵", "沙茶面", "南普陀"]),
]

TEMPLATES = {
    "en": {
        "landmark": [
            "We hiked up to {T} at sunrise and the view was worth it.",
            "{T} was crowded with visitors this weekend.",
            "Locals say the view from {T} is the best in {C}.",
            "A short bus ride takes you to {T} from the old town.",
            "Do not miss {T} when you visit {C}.",
            "My favourite walk ends at {T} just before dusk.",
            "Photos of {T} in the morning fog are everywhere online.",
        ],
        "event": [
            "This year the {T} drew thousands of visitors.",
            "Tickets for the {T} sold out in two days.",
            "Everyone in {C} talks about the {T} every spring.",
            "We planned our whole trip around the {T} last year.",
            "The opening night of the {T} had music until midnight.",
        ],
        "dish": [
            "You have to try the {T} at the night market.",
            "A bowl of {T} costs less than a coffee here.",
            "My grandmother taught me how to cook {T} at home.",
            "The best {T} in {C} is sold near the station.",
            "We ordered {T} twice because it was so good.",
        ],
        "generic": [
            "{C} is a beautiful city with a long history.",
            "The scenery is beautiful and the food is delicious.",
            "{C} offers rich culture and friendly people.",
            "It is a must-visit destination with a long history.",
            "{C} is famous for its beautiful parks and modern skyline.",
            "Come and discover the charm of {C}, a beautiful and vibrant city.",
        ],
        "filler": [
            "We enjoyed the {w} and the {v} in the evening.",
            "After the {w} we went back to the hotel for a rest.",
            "The {w} near our hotel was busy but the {v} was quiet.",
            "Our friends recommended the {w}, so we spent the afternoon there.",
        ],
        "words": ["market", "park", "museum", "river walk", "shopping street", "coffee shop",
                  "train station", "old town", "night view", "bookshop"],
        "other": "It is only a short train ride from {O}.",
    },
    "zh": {
        "landmark": [
            "周末去{T}走走，人不算多。",
            "从{T}看日落特别美。",
            "坐公交就能到{T}，很方便。",
            "清晨的{T}安静极了。",
            "我们在{T}拍了很多照片。",
            "听说{T}秋天最好看。",
            "朋友推荐了{T}，果然没让人失望。",
        ],
        "event": [
            "今年的{T}吸引了大批游客。",
            "{T}下个月开幕，门票已经开售。",
            "大家都在等{T}，酒店早就订满了。",
            "为了{T}，我们提前一周就到了。",
            "去年参加{T}的经历让人难忘。",
        ],
        "dish": [
            "一定要尝尝{T}，味道很正宗。",
            "早餐来一份{T}再出门。",
            "老街上卖{T}的小店排起了长队。",
            "吃了一碗{T}，太满足了。",
            "奶奶做的{T}是家的味道。",
        ],
        "generic": [
            "{C}历史悠久，文化底蕴深厚。",
            "{C}风景优美，美食众多，历史悠久。",
            "这是一座美丽的城市，人民热情好客。",
            "{C}是一个值得一去的旅游目的地。",
            "热情好客的{C}欢迎你。",
            "来{C}感受美丽风景和悠久历史。",
        ],
        "filler": [
            "早上和朋友一起去{w}，晚上回酒店休息。",
            "下午在{w}逛了逛，又去了{v}。",
            "{w}附近人很多，{v}倒是很安静。",
            "我们在{w}待了一下午。",
        ],
        "words": ["公园", "市场", "车站", "商场", "博物馆", "咖啡馆", "老街", "江边", "书店",
                  "夜市"],
        "other": "从{O}坐高铁过来只要一个小时。",
    },
}


def sentence(rng, lang, kind, term, city):
    t = TEMPLATES[lang]
    s = rng.choice(t[kind]).replace("{T}", term).replace("{C}", city)
    if lang == "en" and s[0].islower():
        s = s[0].upper() + s[1:]
    return s


def filler(rng, lang):
    t = TEMPLATES[lang]
    w, v = rng.sample(t["words"], 2)
    return rng.choice(t["filler"]).replace("{w}", w).replace("{v}", v)


def make_doc(rng, lang, city, terms, other=None):
    """2-5 sentences: about half planted, the rest generic and filler."""
    kinds = list(terms.keys())
    parts = []
    for _ in range(rng.randint(2, 5)):
        r = rng.random()
        if r < 0.5:
            kind = rng.choice(kinds)
            parts.append(sentence(rng, lang, kind, rng.choice(terms[kind]), city))
        elif r < 0.75:
            parts.append(sentence(rng, lang, "generic", "", city))
        else:
            parts.append(filler(rng, lang))
    if other:
        parts.append(TEMPLATES[lang]["other"].replace("{O}", other))
    sep = " " if lang == "en" else ""
    return sep.join(parts)


def main():
    out = sys.argv[1]
    per_city = int(sys.argv[2]) if len(sys.argv) > 2 else 80
    os.makedirs(out, exist_ok=True)
    rng = random.Random(20261129)
    for lang in ("en", "zh"):
        docs = []
        tname = TARGET[lang]
        for i in range(per_city):
            # half say the city in the `city` field, half only in the text
            other = REFERENCE[i % 6][0 if lang == "en" else 1] if i % 10 == 0 else None
            text = make_doc(rng, lang, tname, PLANTED[lang], other)
            d = {"id": "%s-qinglan-%03d" % (lang, i), "lang": lang, "text": text}
            if i % 2 == 0:
                d["city"] = tname
            elif tname not in text:
                d["text"] = (tname + (": " if lang == "en" else "：")) + text
            docs.append(d)
        for en, zh, eterms, zterms in REFERENCE:
            name = en if lang == "en" else zh
            terms = eterms if lang == "en" else zterms
            planted = {"landmark": terms[:2], "event": terms[1:3], "dish": terms[2:]}
            for i in range(per_city):
                text = make_doc(rng, lang, name, planted)
                d = {"id": "%s-%s-%03d" % (lang, en.lower().replace("'", ""), i), "lang": lang,
                     "city": name, "text": text}
                docs.append(d)
        rng.shuffle(docs)
        with open(os.path.join(out, lang + ".jsonl"), "w", encoding="utf-8") as f:
            for d in docs:
                f.write(json.dumps(d, ensure_ascii=False) + "\n")
        with open(os.path.join(out, "planted-%s.txt" % lang), "w", encoding="utf-8") as f:
            for kind in ("landmark", "event", "dish"):
                for t in PLANTED[lang][kind]:
                    f.write(t + "\n")


if __name__ == "__main__":
    main()
