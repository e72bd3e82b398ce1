"""The sources records quote: their titles first, their texts last, once every
passage quoted from them is known (`World.cite` collects the sentences)."""

import datetime
from collections import defaultdict

from django.utils.text import slugify

from bench.seed.topics import TOPICS

SOURCE_KINDS = [
    ("Report of the Embassy on {topic} cooperation, {when}", "embassy"),
    ("Cable {year}/{number:04d}: {topic}", "embassy"),
    ("Press release: {topic} cooperation in {when}", "ministry"),
    ("Minutes of the joint working group on {topic}, {when}", "embassy"),
    ("Annual report {year}", "body"),
]


def make_sources(world):
    count = max(3, world.n // 20)
    by_year = defaultdict(list)
    for index in range(count):
        year = world.rng.randint(2000, 2026)
        month = world.rng.randint(1, 12)
        topic = world.rng.choice(TOPICS).lower()
        template, publisher = world.rng.choice(SOURCE_KINDS)
        title = template.format(
            topic=topic,
            when=f"{datetime.date(year, month, 1):%B %Y}",
            year=year,
            number=index + 1,
        )
        title = title[0].upper() + title[1:]
        date = world.weighted(
            [
                (f"{year}-{month:02d}", 50),
                (f"{year}", 25),
                (f"{year}-{month:02d}-{world.rng.randint(1, 28):02d}", 15),
                ("", 10),
            ]
        )
        world.data["sources"].append(
            {
                "title": title,
                "slug": world.unique("source slug", slugify(title)[:90]),
                "publisher": {
                    "embassy": "Embassy of Indonesia in Tashkent",
                    "ministry": "Ministry of Foreign Affairs of Indonesia",
                    "body": "Secretariat",
                }[publisher],
                "date": date,
                "url": f"https://reports.example.org/{year}/{index + 1}"
                if world.rng.random() < 0.5
                else "",
                "text": "",
            }
        )
        world.sentences.append([])
        by_year[year].append(index)
    years = sorted(by_year)
    world.sources_of_year = {
        year: by_year[min(years, key=lambda y, year=year: (abs(y - year), y))]
        for year in range(1995, 2031)
    }


def finish_sources(world):
    for source, sentences in zip(world.data["sources"], world.sentences, strict=True):
        paragraphs = [source["title"]]
        if not sentences:
            sentences = ["The parties met and agreed to continue their cooperation."]
        for start in range(0, len(sentences), 4):
            paragraphs.append(" ".join(sentences[start : start + 4]))
        source["text"] = "\n\n".join(paragraphs)
