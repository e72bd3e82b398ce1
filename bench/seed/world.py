"""What every generator shares: the random draws, the tables filled so far, and dates.

A generator is a function of a `World`: it draws from `world.rng` and appends rows to
`world.data[table]`. A reference to another record is its index in that record's table,
a country its ISO code, a date its text ("2013-08-20", "2013-08", "2013"). The order of
the draws is the data set: generators run in the order `bench.seed.generate` calls them.
"""

import datetime
import random
from collections import defaultdict

from cooperation.partial_dates import PartialDate

EARLIEST = datetime.date(2000, 1, 1)
HORIZON = datetime.date(2026, 6, 30)
DAY, MONTH, YEAR = "day", "month", "year"

TABLES = [
    "topics",
    "sources",
    "organizations",
    "organization_names",
    "memberships",
    "people",
    "positions",
    "meetings",
    "participants",
    "outcomes",
    "agreements",
    "parties",
    "events",
    "follow_ups",
]


def partial_text(day, precision):
    if precision == DAY:
        return day.isoformat()
    if precision == MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    return f"{day.year:04d}"


def bounds(text):
    date = PartialDate.parse(text)
    return date.first, date.last


def when(text):
    """How a sentence says the date: "On 20 August 2013", "In August 2013", "In 2013"."""
    date = PartialDate.parse(text)
    return f"{'On' if date.day else 'In'} {date}"


class World:
    def __init__(self, agreements, seed):
        self.n = agreements
        self.rng = random.Random(seed)
        self.data = {table: [] for table in TABLES}
        self.sentences = []  # per source: the sentences its text is made of
        self.org = []  # per organization: what later steps need to know of it
        self.used = defaultdict(set)  # names and slugs already taken, by kind
        # Set by the generators of sources and organizations, read by the later ones.
        self.sources_of_year = {}  # year: the sources of about that year
        self.embassy = None  # the embassy's organization
        self.igos = []  # (organization, member countries, year founded)
        self.party_weights = []  # cumulative weights: how likely each is a party

    def day_between(self, first, last):
        return first + datetime.timedelta(days=self.rng.randint(0, (last - first).days))

    def precision(self, day=0.78, month=0.12):
        draw = self.rng.random()
        return DAY if draw < day else MONTH if draw < day + month else YEAR

    def weighted(self, choices):
        values, weights = zip(*choices, strict=True)
        return self.rng.choices(values, weights)[0]

    def unique(self, kind, text, limit=None):
        """`text`, or `text` with a number after it when it is already taken."""
        candidate, number = text, 1
        while candidate in self.used[kind]:
            number += 1
            suffix = f"-{number}" if kind.endswith("slug") else f" ({number})"
            candidate = (text[: limit - len(suffix)] if limit else text) + suffix
        self.used[kind].add(candidate)
        return candidate

    def cite(self, year, sentence, probability):
        """Quote `sentence` from a source of about `year`, with some probability."""
        if self.rng.random() >= probability:
            return {"source": None, "passage": ""}
        sources = self.sources_of_year[min(max(year, 1995), 2030)]
        index = self.rng.choice(sources)
        self.sentences[index].append(sentence)
        return {"source": index, "passage": sentence}

    def holder_on(self, org, day):
        """(position index, person index or None) of one post of `org` held on `day`."""
        posts = self.org[org]["posts"]
        start = self.rng.randrange(len(posts)) if posts else 0
        for offset in range(len(posts)):
            for position, since, until, person in posts[(start + offset) % len(posts)]:
                if since <= day and (until is None or day < until):
                    return position, person
        return None, None
