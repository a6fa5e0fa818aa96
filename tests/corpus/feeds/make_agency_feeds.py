"""Two agency feeds written for this project (fictional items), replacing unlicensed copies."""

import hashlib
from datetime import datetime, timedelta, timezone
from pathlib import Path

OUT = Path(__file__).resolve().parent
PHOTOS = "http://images.example-agency.ua/photos/2025_11"
KYIV = timezone(timedelta(hours=3))
start = datetime(2025, 11, 17, 18, 0, tzinfo=KYIV)

ru = [
    ("День донора: в Киеве открыли три новых пункта сдачи крови", "life", "Колонки"),
    ("В Офисе президента назвали фейком сообщения о бегстве секретаря СНБО", "news", "Новости"),
    ("Минэкономики опровергло слухи о новых ограничениях для ФЛП", "economics", "Экономика"),
    ('"Слуга народа" внесла законопроект о прозрачности тендеров', "news", "Новости"),
    ("В Одессе из-за аварии на сетях без воды остались два района", "news", "Новости"),
    ("НБУ сохранил учетную ставку на уровне 15,5%", "economics", "Экономика"),
    (
        "Минобороны: информация о мобилизации с 23 лет не соответствует действительности",
        "news",
        "Новости",
    ),
    ("Видео дня: как в Харькове восстанавливают разрушенную школу", "video", "Видео"),
    ("Гривна на межбанке немного укрепилась", "economics", "Экономика"),
    ("В Укрзализныце объяснили задержку поездов на западном направлении", "news", "Новости"),
    ("Синоптики предупредили о первом снеге в Карпатах", "life", "Общество"),
    ("В Раде зарегистрировали постановление об отставке министра", "news", "Новости"),
    ("Эксперты: цены на гречку до конца года не изменятся", "economics", "Экономика"),
    ('Пресс-секретарь Нацполиции: "облав" в метро нет', "news", "Новости"),
    ("Колонка: почему фейки о чиновниках расходятся быстрее опровержений", "columns", "Колонки"),
    ("В Львове открыли центр помощи переселенцам", "life", "Общество"),
    ("Минздрав опроверг сообщения о закрытии роддомов в областях", "news", "Новости"),
    ("Нафтогаз: запасов газа хватит на отопительный сезон", "economics", "Экономика"),
    ("В Днепре запустили новый троллейбусный маршрут", "life", "Общество"),
    ("Премьер-министр встретился с представителями аграриев", "news", "Новости"),
]


def rfc822(moment):
    return moment.strftime("%a, %d %b %Y %H:%M:%S %z")


items = []
for i, (title, section, category) in enumerate(ru):
    when = start - timedelta(minutes=17 * i + (i % 3))
    if section == "video":
        link = "dQw4w9WgXcQ"  # a bare YouTube id, as some agency feeds carry: not a URL
    elif section in ("life", "columns"):
        link = f"https://life.example-pravda.com.ua/{section}/2025/11/17/{242400 + i}/"
    elif section == "economics":
        link = f"https://eco.example-pravda.com.ua/rus/news/2025/11/17/{705100 + i}/"
    else:
        link = f"https://www.example-pravda.com.ua/rus/news/2025/11/17/{7268100 + i}/"
    pda = (
        "\n            <pdalink>http://pda.example-pravda.com.ua/rus/news/"
        f"id_{7268100 + i}/</pdalink>"
        if section == "news"
        else ""
    )
    items.append(
        f"""        <item>
            <title>{title.replace("&", "&amp;")}</title>
            <link>{link}</link>{pda}
            <category>{category}</category>
            <author>newsdesk@example-pravda.com.ua (Пример правды)</author>
            <pubDate>{rfc822(when)}</pubDate>
            <description>{title}. Подробности в материале редакции.</description>
            <guid>{link}</guid>
        </item>"""
    )
ru_xml = f"""<?xml version="1.0" encoding="windows-1251"?>
<rss version="2.0" xmlns:yandex="news.yandex.ru">
    <channel>
        <image>
            <url>https://www.example-pravda.com.ua/images/up.gif</url>
            <title>Пример правды</title>
            <link>https://www.example-pravda.com.ua</link>
        </image>
        <yandex:logo type="square">http://img.example-pravda.com.ua/logo-square.jpg</yandex:logo>
        <title>Пример правды</title>
        <link>https://www.example-pravda.com.ua</link>
        <description/>
{chr(10).join(items)}
    </channel>
</rss>
"""
(OUT / "agency-ru-rss-cp1251.xml").write_bytes(ru_xml.encode("cp1251"))

places = [
    "Києві",
    "Львові",
    "Одесі",
    "Харкові",
    "Дніпрі",
    "Запоріжжі",
    "Вінниці",
    "Полтаві",
    "Чернігові",
    "Сумах",
]
topics = [
    ('"Це фейк": в Офісі президента спростували чутки про кадрові зміни у {p}', "Политика"),
    ("У {p} відкрили новий пункт незламності", "Общество"),
    ("Синоптик: у {p} завтра дощ і до +6°", "Погода"),
    ("Поліція у {p} затримала шахраїв, які продавали фейкові квитки", "Криминал"),
    ("У {p} відремонтували міст після обстрілу", "Война"),
]
uk_items = []
n = 0
for topic, category in topics:
    for place in places:
        title = topic.format(p=place)
        when = start - timedelta(minutes=7 * n)
        slug = hashlib.sha256(title.encode()).hexdigest()[:10]
        uk_items.append(
            f"""        <item>
            <pubDate>{rfc822(when)}</pubDate>
            <title>
                <![CDATA[{title}]]>
            </title>
            <description>
                <![CDATA[{title}. Подробиці згодом.]]>
            </description>
            <link>https://www.example-agency.ua/news/{slug}-{11162800 - n}.html</link>
            <guid isPermaLink="false">{hashlib.sha256(title.encode()).hexdigest()[:32]}</guid>
            <enclosure url="{PHOTOS}/{1763390000 + n}.png" type="image/jpeg" length="{500000 + n}"/>
            <category>{category}</category>
        </item>"""
        )
        n += 1
uk_xml = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
    <channel>
        <title>Інформаційне агентство «Приклад»</title>
        <description>Новини, політика, бізнес, регіони</description>
        <lastBuildDate>{rfc822(start)}</lastBuildDate>
        <image>
            <url>https://images.example-agency.ua/img/logo.png</url>
            <title>Приклад</title>
            <link>https://www.example-agency.ua</link>
        </image>
{chr(10).join(uk_items)}
    </channel>
</rss>
"""
(OUT / "agency-uk-rss.xml").write_text(uk_xml, encoding="utf-8")
print(len(ru), n)
