"""Fill a development or benchmark database with a synthetic, realistic data set.

    manage.py seed_synthetic --agreements 10000 [--seed 1] [--force]

Two separate steps:

- `generate(agreements, seed)` makes the whole data set as plain Python (lists of
  dicts of strings, ints, bools and None; a reference to another record is its index
  in that record's list, a country is its ISO code). It touches no database, and the
  same arguments always give the same data (`fingerprint()` says so in one string).
- `write(data, reason=...)` turns it into records with bulk inserts through
  `bulk_create_recorded()`, so every record gets its history row ("+"), with `reason`
  as the change reason; the topics of meetings and agreements go through their
  through tables, with the historical m2m rows beside them.

Sizes grow with the number of agreements: at 10,000 (seed 1) there are 1,538
organizations, 10,773 people, 11,616 posts, 13,850 meetings with 48,886 participants,
46,550 agreement events and 7,323 follow-ups: 183,757 records, written with their
history in about 30 s on SQLite. Dates run from 2000 to HORIZON, a fixed day, so the
data does not depend on the day it is generated; due dates run a little past it.
"""

import datetime
import gc
import hashlib
import json
import random
import sys
import time
from collections import defaultdict
from itertools import accumulate

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, connection, transaction
from django.utils.text import slugify

from agreements.models import Agreement, AgreementEvent, AgreementParty, FollowUp
from cooperation.history import bulk_create_recorded
from cooperation.models import (
    Country,
    Membership,
    Organization,
    OrganizationName,
    Person,
    Position,
    Source,
    Topic,
)
from cooperation.partial_dates import PartialDate
from meetings.models import Meeting, Outcome, Participant

EARLIEST = datetime.date(2000, 1, 1)
HORIZON = datetime.date(2026, 6, 30)
DAY, MONTH, YEAR = "day", "month", "year"

# (ISO code, name, demonym, capital): the countries synthetic organizations belong to.
COUNTRIES = [
    ("AE", "the United Arab Emirates", "Emirati", "Abu Dhabi"),
    ("AF", "Afghanistan", "Afghan", "Kabul"),
    ("AM", "Armenia", "Armenian", "Yerevan"),
    ("AT", "Austria", "Austrian", "Vienna"),
    ("AU", "Australia", "Australian", "Canberra"),
    ("AZ", "Azerbaijan", "Azerbaijani", "Baku"),
    ("BD", "Bangladesh", "Bangladeshi", "Dhaka"),
    ("BE", "Belgium", "Belgian", "Brussels"),
    ("BN", "Brunei Darussalam", "Bruneian", "Bandar Seri Begawan"),
    ("BR", "Brazil", "Brazilian", "Brasília"),
    ("CA", "Canada", "Canadian", "Ottawa"),
    ("CH", "Switzerland", "Swiss", "Bern"),
    ("CN", "China", "Chinese", "Beijing"),
    ("DE", "Germany", "German", "Berlin"),
    ("EG", "Egypt", "Egyptian", "Cairo"),
    ("ES", "Spain", "Spanish", "Madrid"),
    ("FR", "France", "French", "Paris"),
    ("GB", "the United Kingdom", "British", "London"),
    ("GE", "Georgia", "Georgian", "Tbilisi"),
    ("ID", "Indonesia", "Indonesian", "Jakarta"),
    ("IN", "India", "Indian", "New Delhi"),
    ("IR", "Iran", "Iranian", "Tehran"),
    ("IT", "Italy", "Italian", "Rome"),
    ("JO", "Jordan", "Jordanian", "Amman"),
    ("JP", "Japan", "Japanese", "Tokyo"),
    ("KE", "Kenya", "Kenyan", "Nairobi"),
    ("KG", "Kyrgyzstan", "Kyrgyz", "Bishkek"),
    ("KH", "Cambodia", "Cambodian", "Phnom Penh"),
    ("KR", "the Republic of Korea", "Korean", "Seoul"),
    ("KZ", "Kazakhstan", "Kazakh", "Astana"),
    ("LA", "the Lao People's Democratic Republic", "Lao", "Vientiane"),
    ("LK", "Sri Lanka", "Sri Lankan", "Colombo"),
    ("MN", "Mongolia", "Mongolian", "Ulaanbaatar"),
    ("MY", "Malaysia", "Malaysian", "Kuala Lumpur"),
    ("NG", "Nigeria", "Nigerian", "Abuja"),
    ("NL", "the Netherlands", "Dutch", "The Hague"),
    ("PH", "the Philippines", "Philippine", "Manila"),
    ("PK", "Pakistan", "Pakistani", "Islamabad"),
    ("QA", "Qatar", "Qatari", "Doha"),
    ("RU", "the Russian Federation", "Russian", "Moscow"),
    ("SA", "Saudi Arabia", "Saudi", "Riyadh"),
    ("SG", "Singapore", "Singaporean", "Singapore"),
    ("TH", "Thailand", "Thai", "Bangkok"),
    ("TJ", "Tajikistan", "Tajik", "Dushanbe"),
    ("TM", "Turkmenistan", "Turkmen", "Ashgabat"),
    ("TR", "Türkiye", "Turkish", "Ankara"),
    ("US", "the United States", "American", "Washington"),
    ("UZ", "Uzbekistan", "Uzbek", "Tashkent"),
    ("VN", "Viet Nam", "Vietnamese", "Hanoi"),
    ("ZA", "South Africa", "South African", "Pretoria"),
]
COUNTRY = {code: (name, demonym, capital) for code, name, demonym, capital in COUNTRIES}
CODES = [code for code, *_ in COUNTRIES]
EMBASSY_HOME, EMBASSY_HOST = "ID", "UZ"

TOPICS = [
    "Terrorism",
    "Extremism",
    "Separatism",
    "Drug trafficking",
    "Smuggling",
    "Illegal migration",
    "Human trafficking",
    "Regional security",
    "Border security",
    "Cybersecurity",
    "Money laundering",
    "Terrorist financing",
    "Maritime security",
    "Aviation security",
    "Customs cooperation",
    "Trade facilitation",
    "Energy",
    "Transport and logistics",
    "Water resources",
    "Disaster management",
    "Public health",
    "Education and training",
    "Information exchange",
    "Law enforcement training",
    "Mutual legal assistance",
    "Arms control",
    "Critical infrastructure",
    "Religious affairs",
    "Tourism",
    "Agriculture",
]

REGIONS = [
    "Regional",
    "Central Asian",
    "Asian",
    "Eurasian",
    "Indian Ocean",
    "Asia-Pacific",
    "Caspian",
    "Silk Road",
    "Southeast Asian",
    "Mediterranean",
    "Islamic",
    "International",
    "Inter-Parliamentary",
    "Black Sea",
]
THEMES = [
    "Counter-Terrorism",
    "Security",
    "Customs",
    "Drug Control",
    "Border Management",
    "Maritime Security",
    "Financial Intelligence",
    "Migration",
    "Energy",
    "Trade",
    "Disaster Management",
    "Cybersecurity",
    "Transport",
    "Water",
    "Police",
    "Public Health",
]
FORMS = [
    "Organization",
    "Forum",
    "Council",
    "Partnership",
    "Network",
    "Conference",
    "Initiative",
    "Union",
    "Commission",
]
PORTFOLIOS = [
    "Foreign Affairs",
    "Internal Affairs",
    "Justice",
    "Defence",
    "Finance",
    "Trade",
    "Energy",
    "Transport",
    "Health",
    "Education",
    "Emergency Situations",
    "Agriculture",
]
AGENCY_FORMS = [
    "National Agency for {theme}",
    "State Committee for {theme}",
    "{demonym} {theme} Agency",
    "National {theme} Service",
    "{demonym} {theme} Directorate",
]
FORMER_FORMS = {
    "Agency": "Committee",
    "Committee": "Agency",
    "Council": "Conference",
    "Conference": "Council",
    "Forum": "Council",
    "Service": "Department",
    "Directorate": "Department",
    "Organization": "Forum",
    "Network": "Forum",
    "Initiative": "Process",
    "Union": "Association",
    "Commission": "Committee",
    "Partnership": "Dialogue",
}
NGO_FORMS = [
    "{region} Institute for {theme} Studies",
    "{region} Centre for {theme} Research",
    "{theme} Research Foundation",
    "{region} {theme} Policy Network",
]
POSTS = {
    "intergovernmental": ["Secretary-General", "Deputy Secretary-General"],
    "permanent_body": [
        "Director of the Executive Committee",
        "Deputy Director of the Executive Committee",
    ],
    "secretariat": ["Head of the Secretariat", "Director for External Relations"],
    "ministry": ["Minister", "Deputy Minister", "Director of International Cooperation"],
    "national_agency": ["Head", "Deputy Head", "Director for International Cooperation"],
    "government": ["Prime Minister", "Deputy Prime Minister"],
    "diplomatic_mission": [
        "Ambassador",
        "Deputy Chief of Mission",
        "First Secretary (Political Affairs)",
    ],
    "non_governmental": ["Director", "Senior Fellow"],
}
GIVEN_NAMES = [
    "Aziz", "Bakhtiyor", "Dilnoza", "Farrukh", "Gulnara", "Jamshid", "Kamola", "Nodira",
    "Rustam", "Sardor", "Ahmad", "Budi", "Dewi", "Hendra", "Indah", "Joko", "Kartika",
    "Made", "Putri", "Rizky", "Wei", "Li", "Xiaoming", "Yan", "Zhang", "Anna", "Dmitry",
    "Elena", "Igor", "Olga", "Sergei", "Arjun", "Priya", "Rahul", "Sunita", "Omar",
    "Fatima", "Hassan", "Layla", "Yusuf", "Ayumi", "Hiroshi", "Ji-woo", "Min-jun",
    "Nguyen", "Thanh", "Maria", "Thomas", "Sophie", "James", "Claire", "Lukas", "Amina",
    "Kwame", "Tatiana", "Erlan", "Aigerim", "Bolat", "Nurlan", "Saule",
]  # fmt: skip
FAMILY_NAMES = [
    "Abdullaev", "Karimova", "Rakhimov", "Yusupova", "Tashkentov", "Saputra", "Wijaya",
    "Santoso", "Pratama", "Kusuma", "Hidayat", "Wang", "Chen", "Liu", "Zhao", "Ivanov",
    "Petrova", "Smirnov", "Kuznetsova", "Sharma", "Patel", "Gupta", "Khan", "Hussain",
    "Rahman", "Haddad", "Mansour", "Tanaka", "Suzuki", "Kim", "Park", "Tran", "Le",
    "Schmidt", "Müller", "Dubois", "Martin", "Rossi", "Garcia", "Smith", "Brown",
    "Okafor", "Mensah", "Nazarbayev", "Seitkali", "Omarov", "Bekova", "Yilmaz", "Demir",
    "Aliyev", "Mammadova", "Gelashvili", "Sargsyan", "Batbayar", "Ganbold",
]  # fmt: skip
SPELLINGS = [("kh", "h"), ("y", "i"), ("ov", "off"), ("j", "dj"), ("sh", "ch"), ("u", "ou")]
AGREEMENT_KINDS = [
    ("mou", "MOU", 50),
    ("agreement", "Agreement", 15),
    ("protocol", "Protocol", 10),
    ("letter_of_intent", "Letter of intent", 8),
    ("joint_declaration", "Joint declaration", 7),
    ("treaty", "Treaty", 5),
    ("other", "Arrangement", 5),
]
PENDING = {"proposed", "draft_agreed", "follow_up_requested", "under_negotiation", "signed"}
# Which step may follow which, and how often: a walk through these is an agreement's life.
NEXT_STEPS = {
    None: [("proposed", 55), ("draft_agreed", 25), ("under_negotiation", 20)],
    "proposed": [
        ("under_negotiation", 40),
        ("draft_agreed", 25),
        ("follow_up_requested", 30),
        ("withdrawn", 5),
    ],
    "under_negotiation": [
        ("under_negotiation", 15),
        ("draft_agreed", 35),
        ("follow_up_requested", 30),
        ("signed", 15),
        ("withdrawn", 5),
    ],
    "draft_agreed": [
        ("follow_up_requested", 40),
        ("under_negotiation", 25),
        ("signed", 30),
        ("withdrawn", 5),
    ],
    "follow_up_requested": [
        ("follow_up_requested", 15),
        ("under_negotiation", 35),
        ("draft_agreed", 20),
        ("signed", 25),
        ("withdrawn", 5),
    ],
    "signed": [("in_force", 100)],
    "in_force": [("expired", 60), ("terminated", 40)],
    "expired": [],
    "terminated": [],
    "withdrawn": [],
}
# Days from the step before to this one.
GAPS = {
    "proposed": (30, 400),
    "draft_agreed": (60, 500),
    "follow_up_requested": (60, 700),
    "under_negotiation": (30, 400),
    "signed": (30, 300),
    "in_force": (30, 365),
    "expired": (3 * 365, 10 * 365),
    "terminated": (365, 6 * 365),
    "withdrawn": (90, 900),
}
EVENT_SENTENCES = {
    "proposed": "{when}, the {a} proposed the {title} to the {b}.",
    "draft_agreed": "{when}, the {a} and the {b} agreed on a draft of the {title}.",
    "follow_up_requested": "{when}, the {a} asked the {b} to help follow up the {title}.",
    "under_negotiation": "{when}, the {a} and the {b} held a round of negotiations on the {title}.",
    "signed": "{when}, the {a} and the {b} signed the {title}.",
    "in_force": "{when}, the {title} entered into force.",
    "expired": "{when}, the {title} expired.",
    "terminated": "{when}, the {a} terminated the {title}.",
    "withdrawn": "{when}, the {a} withdrew its proposal of the {title}.",
}
MEETING_KINDS = {
    "proposed": ("visit", "Visit to present a proposal for the {title}"),
    "draft_agreed": ("negotiation", "Working group on the draft {title}"),
    "follow_up_requested": ("meeting", "Meeting on the follow-up of the {title}"),
    "under_negotiation": ("negotiation", "Negotiation round on the {title}"),
    "signed": ("conference", "Signing of the {title}"),
    "in_force": ("call", "Call on the entry into force of the {title}"),
    "expired": ("meeting", "Review meeting on the {title}"),
    "terminated": ("meeting", "Meeting on the termination of the {title}"),
    "withdrawn": ("call", "Call on the withdrawal of the {title}"),
}
TIED_TO_MEETING = {
    "proposed": 0.25,
    "draft_agreed": 0.35,
    "follow_up_requested": 0.3,
    "under_negotiation": 0.35,
    "signed": 0.3,
    "in_force": 0.05,
    "expired": 0.02,
    "terminated": 0.1,
    "withdrawn": 0.1,
}
ACTIONS = [
    "Send comments on the draft to the {b}",
    "Facilitate the follow-up of the draft {kind}",
    "Arrange the next negotiation round",
    "Translate the draft into the official languages",
    "Obtain the approval of the Ministry of Foreign Affairs",
    "Propose dates for a signing ceremony",
    "Share the list of contact points",
    "Report to the capital on the state of the negotiations",
    "Check the draft against national legislation",
    "Nominate members of the joint working group",
    "Prepare a training programme under the {kind}",
    "Confirm the text of the final draft with the {b}",
    "Send the ratification instrument",
    "Organize an expert-level consultation",
    "Exchange diplomatic notes on the entry into force",
    "Follow up the request of the {a}",
    "Draft the implementation plan",
    "Brief the new head of the {b} on the {kind}",
]
OUTCOMES = [
    ("agreed", "The parties agreed to continue consultations on {topic}."),
    ("agreed", "The parties agreed to exchange information on {topic}."),
    ("requested", "The {a} requested assistance in {topic}."),
    ("requested", "The {a} requested an expert meeting on {topic}."),
    ("committed", "The {a} committed itself to send a delegation on {topic}."),
    ("stated", "The {a} stated its position on {topic}."),
]
SOURCE_KINDS = [
    ("Report of the Embassy on {topic} cooperation, {when}", "embassy"),
    ("Cable {year}/{number:04d}: {topic}", "embassy"),
    ("Press release: {topic} cooperation in {when}", "ministry"),
    ("Minutes of the joint working group on {topic}, {when}", "embassy"),
    ("Annual report {year}", "body"),
]
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


def generate(agreements, seed=1):
    """The whole data set for `agreements` agreements, as plain Python; see the module doc."""
    if agreements < 1:
        raise ValueError("at least one agreement")
    return _Generator(agreements, seed).run()


def fingerprint(data):
    """A digest of the generated data: equal digests, equal data."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


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


def acronym_of(words):
    parts = words.replace("-", " ").split()
    return "".join(p[0] for p in parts if p[0].isupper())


class _Generator:
    def __init__(self, agreements, seed):
        self.n = agreements
        self.rng = random.Random(seed)
        self.data = {table: [] for table in TABLES}
        self.sentences = []  # per source: the sentences its text is made of
        self.org = []  # per organization: what later steps need to know of it
        self.used = defaultdict(set)  # names and slugs already taken, by kind

    def run(self):
        self.make_topics()
        self.make_sources()
        self.make_organizations()
        self.make_other_names()
        self.make_memberships()
        self.make_people_and_posts()
        self.make_agreements()
        self.make_standalone_meetings()
        self.finish_sources()
        return self.data

    # -- helpers ---------------------------------------------------------------------

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

    # -- the records -----------------------------------------------------------------

    def make_topics(self):
        for name in TOPICS:
            self.data["topics"].append(
                {
                    "name": name,
                    "slug": slugify(name),
                    "description": f"Cooperation on {name.lower()}.",
                }
            )

    def make_sources(self):
        count = max(3, self.n // 20)
        by_year = defaultdict(list)
        for index in range(count):
            year = self.rng.randint(2000, 2026)
            month = self.rng.randint(1, 12)
            topic = self.rng.choice(TOPICS).lower()
            template, publisher = self.rng.choice(SOURCE_KINDS)
            title = template.format(
                topic=topic,
                when=f"{datetime.date(year, month, 1):%B %Y}",
                year=year,
                number=index + 1,
            )
            title = title[0].upper() + title[1:]
            date = self.weighted(
                [
                    (f"{year}-{month:02d}", 50),
                    (f"{year}", 25),
                    (f"{year}-{month:02d}-{self.rng.randint(1, 28):02d}", 15),
                    ("", 10),
                ]
            )
            self.data["sources"].append(
                {
                    "title": title,
                    "slug": self.unique("source slug", slugify(title)[:90]),
                    "publisher": {
                        "embassy": "Embassy of Indonesia in Tashkent",
                        "ministry": "Ministry of Foreign Affairs of Indonesia",
                        "body": "Secretariat",
                    }[publisher],
                    "date": date,
                    "url": f"https://reports.example.org/{year}/{index + 1}"
                    if self.rng.random() < 0.5
                    else "",
                    "text": "",
                }
            )
            self.sentences.append([])
            by_year[year].append(index)
        years = sorted(by_year)
        self.sources_of_year = {
            year: by_year[min(years, key=lambda y, year=year: (abs(y - year), y))]
            for year in range(1995, 2031)
        }

    def finish_sources(self):
        for source, sentences in zip(self.data["sources"], self.sentences, strict=True):
            paragraphs = [source["title"]]
            if not sentences:
                sentences = ["The parties met and agreed to continue their cooperation."]
            for start in range(0, len(sentences), 4):
                paragraphs.append(" ".join(sentences[start : start + 4]))
            source["text"] = "\n\n".join(paragraphs)

    def add_organization(self, row, *, country=None, seat_country=None, year=None):
        row = {
            "acronym": "",
            "parent": None,
            "home_country": None,
            "accredited_to": None,
            "seat": "",
            "founded": "",
            "description": "",
            **row,
        }
        row["name"] = self.unique("organization name", row["name"], 300)
        if row["acronym"]:
            row["acronym"] = self.unique("acronym", row["acronym"], 50)
        row["slug"] = self.unique("organization slug", slugify(row["acronym"] or row["name"])[:95])
        short = row["acronym"] or row["name"]
        sentence = f"The {row['name']}" + (f" ({row['acronym']})" if row["acronym"] else "")
        sentence += f" has its seat in {row['seat']}." if row["seat"] else " took part."
        row.update(self.cite(year or self.rng.randint(2005, 2025), sentence, 0.3))
        self.data["organizations"].append(row)
        self.org.append(
            {
                "short": short,
                "kind": row["kind"],
                "country": country or seat_country or EMBASSY_HOST,
                "city": row["seat"] or COUNTRY[country or EMBASSY_HOST][2],
                "posts": [],
            }
        )
        return len(self.data["organizations"]) - 1

    def make_organizations(self):
        rng = self.rng
        self.embassy = self.add_organization(
            {
                "name": "Embassy of Indonesia in Tashkent",
                "kind": "diplomatic_mission",
                "home_country": EMBASSY_HOME,
                "accredited_to": EMBASSY_HOST,
                "seat": "Tashkent",
            },
            country=EMBASSY_HOST,
        )
        self.igos = []
        for _ in range(max(3, self.n // 250)):
            region, theme, form = rng.choice(REGIONS), rng.choice(THEMES), rng.choice(FORMS)
            name = f"{region} {theme} {form}"
            seat_country = rng.choice(CODES)
            founded_year = rng.randint(1985, 2012)
            members = rng.sample(CODES, rng.randint(4, 25))
            igo = self.add_organization(
                {
                    "name": name,
                    "acronym": acronym_of(name),
                    "kind": "intergovernmental",
                    "seat": COUNTRY[seat_country][2],
                    "founded": self.weighted(
                        [
                            (f"{founded_year}", 60),
                            (f"{founded_year}-{rng.randint(1, 12):02d}", 20),
                            ("", 20),
                        ]
                    ),
                    "description": f"An organization of {len(members)} states for "
                    f"{theme.lower()} cooperation.",
                },
                seat_country=seat_country,
                year=founded_year,
            )
            self.igos.append((igo, members, founded_year))
            acronym = self.data["organizations"][igo]["acronym"]
            if rng.random() < 0.7:
                body = f"Regional {theme} Structure of the {name}"
                self.add_organization(
                    {
                        "name": body,
                        "acronym": f"R{acronym_of(theme)}S-{acronym}",
                        "kind": "permanent_body",
                        "parent": igo,
                        "seat": COUNTRY[seat_country][2],
                        "description": f"The permanent body of the {acronym} on {theme.lower()}.",
                    },
                    seat_country=seat_country,
                )
            if rng.random() < 0.6:
                self.add_organization(
                    {
                        "name": f"Secretariat of the {name}",
                        "acronym": f"{acronym} Secretariat",
                        "kind": "secretariat",
                        "parent": igo,
                        "seat": COUNTRY[seat_country][2],
                    },
                    seat_country=seat_country,
                )

        ministries = defaultdict(list)
        for _ in range(max(8, self.n // 8)):
            code = rng.choice(CODES)
            country, demonym, capital = COUNTRY[code]
            draw = rng.random()
            row = {"home_country": code, "seat": capital}
            if draw < 0.35:
                portfolio = rng.choice(PORTFOLIOS)
                name = f"Ministry of {portfolio} of {country}"
                row |= {
                    "name": name,
                    "acronym": f"M{acronym_of(portfolio)}-{code}",
                    "kind": "ministry",
                }
            elif draw < 0.4 and f"Government of {country}" not in self.used["organization name"]:
                row |= {"name": f"Government of {country}", "kind": "government"}
            else:
                theme = rng.choice(THEMES)
                name = rng.choice(AGENCY_FORMS).format(theme=theme, demonym=demonym)
                row |= {
                    "name": name,
                    "acronym": f"{acronym_of(name)}-{code}",
                    "kind": "national_agency",
                }
                if ministries[code] and rng.random() < 0.3:
                    row["parent"] = rng.choice(ministries[code])
            index = self.add_organization(row, country=code)
            if row["kind"] == "ministry":
                ministries[code].append(index)

        for _ in range(max(2, self.n // 100)):
            home, host = rng.sample(CODES, 2)
            self.add_organization(
                {
                    "name": f"Embassy of {COUNTRY[home][0]} in {COUNTRY[host][2]}",
                    "kind": "diplomatic_mission",
                    "home_country": home,
                    "accredited_to": host,
                    "seat": COUNTRY[host][2],
                },
                country=host,
            )
        for _ in range(max(2, self.n // 100)):
            name = rng.choice(NGO_FORMS).format(
                region=rng.choice(REGIONS), theme=rng.choice(THEMES)
            )
            code = rng.choice(CODES) if rng.random() < 0.5 else None
            self.add_organization(
                {
                    "name": name,
                    "kind": "non_governmental",
                    "home_country": code,
                    "seat": COUNTRY[code][2] if code else "",
                },
                country=code,
            )

        # Some bodies are party to many agreements, most to a few.
        weight_of_kind = {
            "permanent_body": 12,
            "secretariat": 6,
            "intergovernmental": 4,
            "national_agency": 3,
            "ministry": 2,
            "government": 1,
            "diplomatic_mission": 0.3,
            "non_governmental": 0.5,
        }
        weights = [weight_of_kind[o["kind"]] * rng.paretovariate(2.0) for o in self.org]
        weights[self.embassy] = 0
        self.party_weights = list(accumulate(weights))

    def make_other_names(self):
        rng = self.rng
        for index, row in enumerate(self.data["organizations"]):
            draw = rng.random()
            count = 2 if draw < 0.1 else 1 if draw < 0.45 else 0
            names = []
            words = row["name"].split()
            for word in words:
                if word in FORMER_FORMS:
                    former = row["name"].replace(word, FORMER_FORMS[word], 1)
                    names.append((former, "Former name"))
                    break
            if " of " in row["name"]:
                names.append((row["name"].split(" of ")[0] + f" ({self.org[index]['short']})", ""))
            names.append((f"Interim {row['name']}", "Name in its first years"))
            names.append((row["name"].upper(), "As written in some reports"))
            seen = {row["name"]}
            for name, note in names[:count]:
                name = name[:300]
                if name in seen:
                    continue
                seen.add(name)
                self.data["organization_names"].append(
                    {
                        "organization": index,
                        "name": name,
                        "note": note,
                        **self.cite(
                            rng.randint(2005, 2025),
                            f"The {row['name']} is also known as the {name}.",
                            0.3,
                        ),
                    }
                )

    def make_memberships(self):
        rng = self.rng
        for igo, members, founded in self.igos:
            acronym = self.data["organizations"][igo]["acronym"]
            for code in members:
                country = COUNTRY[code][0]
                start_day = self.day_between(datetime.date(max(founded, 1995), 1, 1), HORIZON)
                draw = rng.random()
                rows = []
                if draw < 0.45:
                    rows.append(("member", start_day, None, False))
                elif draw < 0.55:  # the source says only that it was a member on a day
                    rows.append(("member", None, None, False))
                elif draw < 0.75:
                    member_day = start_day + datetime.timedelta(days=rng.randint(365, 8 * 365))
                    if member_day < HORIZON:
                        rows.append(("observer", start_day, member_day, False))
                        rows.append(("member", member_day, None, False))
                    else:
                        rows.append(("observer", start_day, None, False))
                elif draw < 0.83:
                    rows.append(("observer", start_day, None, False))
                elif draw < 0.93:
                    ended = rng.random() < 0.3
                    rows.append(("dialogue_partner", start_day, None, ended))
                else:
                    end_day = start_day + datetime.timedelta(days=rng.randint(2 * 365, 15 * 365))
                    rows.append(
                        ("member", start_day, end_day if end_day < HORIZON else None, False)
                    )
                for status, since, until, ended in rows:
                    if since is None:
                        attested = self.day_between(datetime.date(2005, 1, 1), HORIZON)
                        start, year = "", attested.year
                        attested = attested.isoformat()
                    else:
                        # A start that is also the end of an earlier status is a known day.
                        follows = any(u == since for _, _, u, _ in rows)
                        start = partial_text(since, DAY if follows else self.precision(0.65, 0.2))
                        attested, year = "", since.year
                    status_text = status.replace("_", " ")
                    sentence = (
                        f"{country[0].upper()}{country[1:]} is a {status_text} of the {acronym}."
                    )
                    if since is not None:
                        sentence = (
                            f"{when(start)}, {country} became a {status_text} of the {acronym}."
                        )
                    self.data["memberships"].append(
                        {
                            "organization": igo,
                            "country": code,
                            "status": status,
                            "start": start,
                            "end": until.isoformat() if until else "",
                            "ended": ended,
                            "attested": attested,
                            "note": "The source gives no start date." if since is None else "",
                            **self.cite(year, sentence, 0.5),
                        }
                    )

    def make_person(self, honorific):
        rng = self.rng
        name = f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}"
        other = ""
        if rng.random() < 0.15:
            old, new = rng.choice(SPELLINGS)
            if old in name:
                other = name.replace(old, new)
        row = {
            "honorific": honorific,
            "name": name,
            "slug": self.unique("person slug", slugify(name)[:90]),
            "other_names": other,
            "note": "",
            "source": None,
            "passage": "",
        }
        self.data["people"].append(row)
        return len(self.data["people"]) - 1

    def make_people_and_posts(self):
        rng = self.rng
        for index, org in enumerate(self.org):
            row = self.data["organizations"][index]
            titles = POSTS[org["kind"]]
            count = rng.choices([1, 2, 3], [60, 30, 10])[0]
            for number, title in enumerate(titles[:count]):
                if org["kind"] == "diplomatic_mission" and number == 0:
                    home, host = row["home_country"], row["accredited_to"]
                    title = f"Ambassador of {COUNTRY[home][0]} to {COUNTRY[host][0]}"
                terms = []
                since = self.day_between(datetime.date(1997, 1, 1), datetime.date(2004, 12, 31))
                while since < HORIZON:
                    until = since + datetime.timedelta(days=rng.randint(3 * 365, 8 * 365))
                    current = until >= HORIZON
                    known = rng.random() >= 0.12
                    term = {"title": title, "organization": index, "note": ""}
                    if known:
                        honorific = (
                            "H.E."
                            if number == 0 and org["kind"] in ("diplomatic_mission", "government")
                            else rng.choice(["Mr.", "Ms.", "Dr.", "Mr.", "Ms."])
                        )
                        person = self.make_person(honorific)
                        start = partial_text(since, self.precision(0.7, 0.2))
                        term |= {
                            "holder": person,
                            "start": start,
                            "end": "" if current else partial_text(until, self.precision(0.7, 0.2)),
                            "ended": False,
                            "attested": "",
                        }
                        people = self.data["people"][person]
                        sentence = (
                            f"{when(start)}, {people['honorific']} {people['name']} "
                            f"became {title} of the {org['short']}."
                        )
                        term |= self.cite(since.year, sentence, 0.4)
                        if rng.random() < 0.2:
                            people |= self.cite(since.year, sentence, 1)
                    else:
                        seen = self.day_between(since, min(until, HORIZON))
                        term |= {
                            "holder": None,
                            "start": "",
                            "end": "",
                            "ended": not current,
                            "attested": seen.isoformat(),
                            "note": "The source does not name the holder."
                            if rng.random() < 0.3
                            else "",
                        }
                        sentence = (
                            f"{when(seen.isoformat())}, the {title} of the {org['short']} attended."
                        )
                        term |= self.cite(seen.year, sentence, 0.4)
                        person = None
                    self.data["positions"].append(term)
                    position = len(self.data["positions"]) - 1
                    terms.append((position, since, None if current else until, person))
                    since = until
                org["posts"].append(terms)

    def participants_for(self, meeting, orgs, day, citation):
        """Who came for each organization: the holder of one of its posts, or a named envoy."""
        rng = self.rng
        for number, org in enumerate(orgs):
            for seat in range(rng.choices([1, 2, 3], [55, 35, 10])[0]):
                position, person = self.holder_on(org, day)
                if position is None:
                    # No post of it is known to have been held then: a named envoy.
                    envoys = self.org[org].setdefault("envoys", [])
                    if not envoys or rng.random() < 0.3:
                        envoys.append(self.make_person(rng.choice(["Mr.", "Ms.", "Dr."])))
                    person = rng.choice(envoys)
                capacity = "Head of delegation" if seat == 0 else "Member of the delegation"
                if number == 0 and seat == 0 and rng.random() < 0.3:
                    capacity = "Host"
                self.data["participants"].append(
                    {
                        "meeting": meeting,
                        "person": person,
                        "position": position,
                        "organization": org,
                        "capacity": capacity,
                        **(citation if rng.random() < 0.3 else {"source": None, "passage": ""}),
                    }
                )

    def add_meeting(self, *, date, title, kind, orgs, topics, day, purpose):
        rng = self.rng
        host = self.weighted([(orgs[-1], 50), (orgs[0], 30), (self.embassy, 20)])
        city, country = self.org[host]["city"], self.org[host]["country"]
        title = self.unique(f"meeting {date}", title[:290], 300)
        sentence = f"{when(date)}, delegations of the " + " and the ".join(
            self.org[o]["short"] for o in orgs
        )
        sentence += f" met in {city}."
        citation = self.cite(bounds(date)[0].year, sentence, 0.6)
        extra = [rng.randrange(len(TOPICS))] if rng.random() < 0.3 else []
        self.data["meetings"].append(
            {
                "title": title,
                "date": date,
                "kind": kind,
                "city": city,
                "country": country,
                "purpose": purpose,
                "summary": sentence if rng.random() < 0.5 else "",
                "topics": sorted(set(topics) | set(extra)),
                **citation,
            }
        )
        meeting = len(self.data["meetings"]) - 1
        self.participants_for(meeting, orgs, day, citation)
        for _ in range(rng.choices([0, 1, 2], [40, 40, 20])[0]):
            kind, text = rng.choice(OUTCOMES)
            org = rng.choice(orgs)
            description = text.format(
                a=self.org[org]["short"], topic=TOPICS[rng.choice(topics)].lower()
            )
            self.data["outcomes"].append(
                {
                    "meeting": meeting,
                    "kind": kind,
                    "organization": org,
                    "description": description,
                    **(citation if rng.random() < 0.5 else {"source": None, "passage": ""}),
                }
            )
        return meeting

    def life_of_an_agreement(self):
        """[(kind, day)]: 3 to 8 steps, in order, none after HORIZON."""
        rng = self.rng
        while True:
            length = rng.randint(3, 8)
            day = self.day_between(EARLIEST, datetime.date(2024, 12, 31))
            steps, kind = [], None
            while len(steps) < length and NEXT_STEPS[kind]:
                kind = self.weighted(NEXT_STEPS[kind])
                if steps:
                    day += datetime.timedelta(days=rng.randint(*GAPS[kind]))
                if day > HORIZON:
                    break
                steps.append((kind, day))
            if len(steps) >= 3:
                return steps

    def dated(self, steps):
        """Each step's date as text, some known only to the month or the year.

        A step's whole span ends before the next one's begins, so the latest step
        is the status whatever the precision.
        """
        texts = []
        previous_last = None
        for number, (_, day) in enumerate(steps):
            following = steps[number + 1][1] if number + 1 < len(steps) else None
            text = partial_text(day, self.precision())
            first, last = bounds(text)
            if (previous_last is not None and first <= previous_last) or (
                following is not None and last >= following
            ):
                text, last = day.isoformat(), day
            texts.append(text)
            previous_last = last
        return texts

    def make_agreements(self):
        rng = self.rng
        kinds = [(kind, label) for kind, label, _ in AGREEMENT_KINDS]
        kind_weights = [weight for *_, weight in AGREEMENT_KINDS]
        orgs = range(len(self.org))
        for _ in range(self.n):
            kind, label = rng.choices(kinds, kind_weights)[0]
            a = rng.choices(orgs, cum_weights=self.party_weights)[0]
            b = a
            while b == a:
                b = rng.choices(orgs, cum_weights=self.party_weights)[0]
            topics = sorted(rng.sample(range(len(TOPICS)), rng.choices([1, 2, 3], [50, 35, 15])[0]))
            topic = TOPICS[topics[0]].lower()
            short_a, short_b = self.org[a]["short"], self.org[b]["short"]
            steps = self.life_of_an_agreement()
            title = f"{label} on cooperation in {topic} between {short_a} and {short_b}"
            if title in self.used["agreement title"]:
                title += f" ({steps[0][1].year})"
            title = self.unique("agreement title", title, 300)
            name_a = self.data["organizations"][a]["name"]
            name_b = self.data["organizations"][b]["name"]
            agreement = len(self.data["agreements"])
            self.data["agreements"].append(
                {
                    "title": title,
                    "kind": kind,
                    "summary": f"Cooperation in {topic} between the {name_a} and the {name_b}."
                    if rng.random() < 0.7
                    else "",
                    "topics": topics,
                    **self.cite(
                        steps[0][1].year,
                        f"The {title} is between the {name_a} and the {name_b}.",
                        0.4,
                    ),
                }
            )
            citation = self.data["agreements"][-1]
            for org in (a, b):
                self.data["parties"].append(
                    {
                        "agreement": agreement,
                        "organization": org,
                        "source": citation["source"] if rng.random() < 0.3 else None,
                        "passage": "",
                    }
                )
                if self.data["parties"][-1]["source"] is not None:
                    self.data["parties"][-1]["passage"] = citation["passage"]

            events = []
            for (step, day), date in zip(steps, self.dated(steps), strict=True):
                sentence = EVENT_SENTENCES[step].format(
                    when=when(date), a=short_a, b=short_b, title=title
                )
                meeting = None
                if rng.random() < TIED_TO_MEETING[step]:
                    meeting_kind, meeting_title = MEETING_KINDS[step]
                    meeting = self.add_meeting(
                        date=date,
                        title=meeting_title.format(title=title),
                        kind=meeting_kind,
                        orgs=[a, b] if rng.random() < 0.7 else [a, b, self.embassy],
                        topics=topics,
                        day=day,
                        purpose=f"To discuss the {title}." if rng.random() < 0.6 else "",
                    )
                self.data["events"].append(
                    {
                        "agreement": agreement,
                        "kind": step,
                        "date": date,
                        "meeting": meeting,
                        "description": sentence if rng.random() < 0.8 else "",
                        **self.cite(day.year, sentence, 0.5),
                    }
                )
                events.append((step, day, date, meeting))
            self.make_follow_ups(agreement, events, a, b, kind)

    def make_follow_ups(self, agreement, events, a, b, kind):
        rng = self.rng
        pending = events[-1][0] in PENDING
        count = rng.choices([0, 1, 2, 3], [25, 40, 25, 10] if pending else [70, 30, 0, 0])[0]
        actions = rng.sample(ACTIONS, count)
        asked = [e for e in events if e[0] == "follow_up_requested"] or events
        for action in actions:
            _, day, date, meeting = rng.choice(asked)
            responsible = self.weighted([(b, 60), (a, 25), (self.embassy, 15)])
            requester = a if responsible != a else b
            if pending:
                state = self.weighted(
                    [("open", 50), ("in_progress", 15), ("done", 25), ("dropped", 10)]
                )
            else:
                state = self.weighted([("done", 75), ("dropped", 25)])
            self.add_follow_up(
                action=action.format(
                    a=self.org[requester]["short"],
                    b=self.org[responsible]["short"],
                    kind=dict((k, lbl) for k, lbl, _ in AGREEMENT_KINDS)[kind],
                ),
                agreement=agreement,
                meeting=meeting,
                requester=requester,
                responsible=responsible,
                day=day,
                date=date,
                state=state,
            )

    def add_follow_up(
        self, *, action, agreement, meeting, requester, responsible, day, date, state
    ):
        rng = self.rng
        requested_on = "" if meeting is not None and rng.random() < 0.15 else date
        due = ""
        if rng.random() < 0.75:
            due_day = day + datetime.timedelta(days=rng.randint(30, 540))
            due = partial_text(due_day, DAY if rng.random() < 0.85 else MONTH)
        closed_on = ""
        if state == "done" or (state == "dropped" and rng.random() < 0.6):
            closed_day = min(day + datetime.timedelta(days=rng.randint(10, 500)), HORIZON)
            closed_on = partial_text(max(closed_day, bounds(date)[1]), DAY)
        requester_person = self.holder_on(requester, day)[1] if rng.random() < 0.5 else None
        responsible_person = self.holder_on(responsible, day)[1] if rng.random() < 0.5 else None
        sentence = (
            f"{when(date)}, the {self.org[requester]['short']} asked the "
            f"{self.org[responsible]['short']} to {action[0].lower()}{action[1:]}."
        )
        self.data["follow_ups"].append(
            {
                "action": action,
                "details": sentence if rng.random() < 0.3 else "",
                "agreement": agreement,
                "meeting": meeting,
                "requested_by_organization": requester,
                "requested_by_person": requester_person,
                "responsible_organization": responsible,
                "responsible_person": responsible_person,
                "requested_on": requested_on,
                "due": due,
                "state": state,
                "closed_on": closed_on,
                **self.cite(day.year, sentence, 0.4),
            }
        )

    def make_standalone_meetings(self):
        """Calls and visits of the embassy that no agreement came from."""
        rng = self.rng
        orgs = range(len(self.org))
        for _ in range(max(2, self.n // 10)):
            other = self.embassy
            while other == self.embassy:
                other = rng.choices(orgs, cum_weights=self.party_weights)[0]
            day = self.day_between(datetime.date(2005, 1, 1), HORIZON)
            date = partial_text(day, self.precision(0.9, 0.07))
            topics = sorted(rng.sample(range(len(TOPICS)), rng.randint(1, 3)))
            short = self.org[other]["short"]
            kind, title = self.weighted(
                [
                    (("courtesy_call", f"Courtesy call of the Ambassador on the {short}"), 40),
                    (("call", f"Call with the {short} on {TOPICS[topics[0]].lower()}"), 25),
                    (
                        ("conference", f"Conference on {TOPICS[topics[0]].lower()} by the {short}"),
                        15,
                    ),
                    (("meeting", f"Meeting of the Ambassador with the {short}"), 20),
                ]
            )
            meeting = self.add_meeting(
                date=date,
                title=title,
                kind=kind,
                orgs=[self.embassy, other],
                topics=topics,
                day=day,
                purpose="To exchange views." if rng.random() < 0.5 else "",
            )
            if rng.random() < 0.25:
                self.add_follow_up(
                    action=rng.choice(
                        ["Send the minutes of the meeting", "Arrange a follow-up visit"]
                    ),
                    agreement=None,
                    meeting=meeting,
                    requester=other,
                    responsible=self.embassy,
                    day=day,
                    date=date,
                    state=self.weighted([("open", 40), ("done", 50), ("dropped", 10)]),
                )


# -- writing ----------------------------------------------------------------------------

COUNTRY_REF = "countries"
# table: (model, {field: the table it refers to})
MODELS = {
    "topics": (Topic, {}),
    "sources": (Source, {}),
    "organizations": (
        Organization,
        {"parent": "organizations", "home_country": COUNTRY_REF, "accredited_to": COUNTRY_REF},
    ),
    "organization_names": (OrganizationName, {"organization": "organizations"}),
    "memberships": (Membership, {"organization": "organizations", "country": COUNTRY_REF}),
    "people": (Person, {}),
    "positions": (Position, {"organization": "organizations", "holder": "people"}),
    "meetings": (Meeting, {"country": COUNTRY_REF}),
    "participants": (
        Participant,
        {
            "meeting": "meetings",
            "person": "people",
            "position": "positions",
            "organization": "organizations",
        },
    ),
    "outcomes": (Outcome, {"meeting": "meetings", "organization": "organizations"}),
    "agreements": (Agreement, {}),
    "parties": (AgreementParty, {"agreement": "agreements", "organization": "organizations"}),
    "events": (AgreementEvent, {"agreement": "agreements", "meeting": "meetings"}),
    "follow_ups": (
        FollowUp,
        {
            "agreement": "agreements",
            "meeting": "meetings",
            "requested_by_organization": "organizations",
            "requested_by_person": "people",
            "responsible_organization": "organizations",
            "responsible_person": "people",
        },
    ),
}
CHUNK = 2000


class Progress:
    """One line on stderr, rewritten in place: a bar, the rows written, the table."""

    def __init__(self, total, stream=None, width=30):
        self.total, self.done, self.width = max(total, 1), 0, width
        self.stream = stream if stream is not None else sys.stderr
        self.shown_at = 0.0

    def advance(self, count, label):
        self.done += count
        now = time.monotonic()
        if now - self.shown_at >= 0.2 or self.done >= self.total:
            self.shown_at = now
            filled = self.width * self.done // self.total
            bar = "#" * filled + "." * (self.width - filled)
            percent = 100 * self.done // self.total
            self.stream.write(
                f"\r  [{bar}] {percent:3d}% {self.done:,}/{self.total:,} rows  {label:<20}"
            )
            self.stream.flush()

    def close(self):
        self.stream.write("\n")
        self.stream.flush()


def write(data, *, reason, progress=None, batch_size=500):
    """Insert the generated records with their history rows; return {table: count}."""
    return _Writer(data, reason, progress, batch_size).run()


class _Writer:
    def __init__(self, data, reason, progress, batch_size):
        self.data, self.reason, self.batch_size = data, reason, batch_size
        self.progress = progress or Progress(0, stream=_Null())
        self.pks = {}
        self.counts = {}

    def run(self):
        self.countries = dict(Country.objects.values_list("code", "pk"))
        missing = sorted({code for code in CODES if code not in self.countries})
        if missing:
            raise CommandError(f"Countries missing from the database: {', '.join(missing)}.")
        with transaction.atomic():
            self.write_topics()
            for table in TABLES[1:]:
                if table == "organizations":
                    self.write_organizations()
                else:
                    self.pks[table] = self.insert(table, self.data[table])
                if table in ("meetings", "agreements"):
                    self.write_topic_links(table)
                if table == "events":
                    self.refresh_status()
        # Fresh statistics for the query planner after a bulk load: without them SQLite
        # picks the follow-ups' state index over their agreement's, for one.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return self.counts

    def refresh_status(self):
        """Bulk inserts send no signals: set the agreements' status from their events here."""
        pks = self.pks["agreements"]
        for start in range(0, len(pks), CHUNK):
            Agreement.objects.filter(pk__in=pks[start : start + CHUNK]).refresh_status()

    def write_topics(self):
        rows = self.data["topics"]
        existing = dict(
            Topic.objects.filter(slug__in=[r["slug"] for r in rows]).values_list("slug", "pk")
        )
        new = [r for r in rows if r["slug"] not in existing]
        self.progress.advance(len(rows) - len(new), "topics")
        created = dict(zip((r["slug"] for r in new), self.insert("topics", new), strict=True))
        self.pks["topics"] = [existing.get(r["slug"]) or created[r["slug"]] for r in rows]

    def write_organizations(self):
        # Parents first: a child needs its parent's key.
        rows = self.data["organizations"]
        self.pks["organizations"] = [None] * len(rows)
        for has_parent in (False, True):
            numbers = [i for i, row in enumerate(rows) if (row["parent"] is not None) == has_parent]
            pks = self.insert("organizations", [rows[i] for i in numbers])
            for number, pk in zip(numbers, pks, strict=True):
                self.pks["organizations"][number] = pk

    def instance(self, model, refs, row):
        values = {}
        for name, value in row.items():
            if name == "topics":
                continue
            target = "sources" if name == "source" else refs.get(name)
            if target is None:
                values[name] = value
            elif value is None:
                values[f"{name}_id"] = None
            elif target == COUNTRY_REF:
                values[f"{name}_id"] = self.countries[value]
            else:
                values[f"{name}_id"] = self.pks[target][value]
        return model(**values)

    def insert(self, table, rows):
        model, refs = MODELS[table]
        pks = []
        for start in range(0, len(rows), CHUNK):
            objects = [self.instance(model, refs, row) for row in rows[start : start + CHUNK]]
            created = bulk_create_recorded(
                model, objects, reason=self.reason, batch_size=self.batch_size
            )
            pks.extend(obj.pk for obj in created)
            self.progress.advance(len(objects), table)
        if None in pks:
            raise CommandError("The database did not return the keys of new rows.")
        self.counts[table] = self.counts.get(table, 0) + len(rows)
        return pks

    def write_topic_links(self, table):
        """The topics of meetings or agreements, and the same in their history rows."""
        model = MODELS[table][0]
        through = model.topics.through
        owner = f"{model._meta.model_name}_id"
        historical = model.history.model
        historical_links = apps.get_model(model._meta.app_label, f"{historical.__name__}_topics")
        owner_pks = self.pks[table]
        links = [
            (owner_pks[number], self.pks["topics"][topic])
            for number, row in enumerate(self.data[table])
            for topic in row["topics"]
        ]
        for start in range(0, len(links), CHUNK):
            chunk = links[start : start + CHUNK]
            created = through.objects.bulk_create(
                [through(**{owner: pk, "topic_id": topic}) for pk, topic in chunk],
                batch_size=self.batch_size,
            )
            history_of = {}
            owners = sorted({pk for pk, _ in chunk})
            for first in range(0, len(owners), self.batch_size):
                history_of.update(
                    historical.objects.filter(
                        id__in=owners[first : first + self.batch_size], history_type="+"
                    ).values_list("id", "history_id")
                )
            historical_links.objects.bulk_create(
                [
                    historical_links(
                        history_id=history_of[getattr(link, owner)],
                        id=link.pk,
                        **{owner: getattr(link, owner), "topic_id": link.topic_id},
                    )
                    for link in created
                ],
                batch_size=self.batch_size,
            )
            self.progress.advance(len(chunk), f"{table} topics")
        self.counts[f"{table} topics"] = len(links)


class _Null:
    def write(self, text):
        pass

    def flush(self):
        pass


def rows_to_write(data):
    return sum(len(rows) for rows in data.values()) + sum(
        len(row["topics"]) for table in ("meetings", "agreements") for row in data[table]
    )


class Command(BaseCommand):
    help = (
        "Fill the database with a synthetic, realistic data set of N agreements and "
        "everything around them (development and benchmarks only)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agreements", type=int, required=True, metavar="N")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same data.")
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (production settings)."
        )

    def handle(self, *args, agreements, seed, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Synthetic data is for development and benchmarks: run it with "
                "DJANGO_DEBUG=1, or pass --force to write it into this database anyway."
            )
        if agreements < 1:
            raise CommandError("--agreements must be at least 1.")
        reason = f"Synthetic data (seed {seed})"
        if Agreement.history.filter(history_change_reason__startswith="Synthetic data").exists():
            raise CommandError(
                "This database already holds synthetic data: seed a freshly migrated one."
            )
        started = time.perf_counter()
        data = generate(agreements, seed)
        generated = time.perf_counter()
        progress = Progress(rows_to_write(data))
        # The generated rows live until the end: spare the garbage collector from walking
        # them again at every collection (a quarter of the time at 10,000 agreements).
        gc.freeze()
        try:
            counts = write(data, reason=reason, progress=progress)
        except IntegrityError as error:
            raise CommandError(
                f"The data clashes with records already here ({error}): seed a fresh database."
            ) from error
        finally:
            gc.unfreeze()
            progress.close()
        finished = time.perf_counter()
        records = sum(v for k, v in counts.items() if not k.endswith("topics"))
        self.stdout.write(
            "  ".join(f"{table.replace('_', ' ')}: {count:,}" for table, count in counts.items())
        )
        self.stdout.write(
            f"Seeded {agreements:,} agreements (seed {seed}): {records:,} records and as many "
            f"history rows in {finished - started:.1f} s "
            f"(generating {generated - started:.1f} s, writing {finished - generated:.1f} s)."
        )
