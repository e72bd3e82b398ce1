"""People, and the posts of each organization they held, term after term."""

import datetime

from django.utils.text import slugify

from bench.seed.countries import COUNTRY
from bench.seed.world import HORIZON, partial_text, when

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


def make_person(world, honorific):
    rng = world.rng
    name = f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}"
    other = ""
    if rng.random() < 0.15:
        old, new = rng.choice(SPELLINGS)
        if old in name:
            other = name.replace(old, new)
    row = {
        "honorific": honorific,
        "name": name,
        "slug": world.unique("person slug", slugify(name)[:90]),
        "other_names": other,
        "note": "",
        "source": None,
        "passage": "",
    }
    world.data["people"].append(row)
    return len(world.data["people"]) - 1


def make_people_and_posts(world):
    rng = world.rng
    for index, org in enumerate(world.org):
        row = world.data["organizations"][index]
        titles = POSTS[org["kind"]]
        count = rng.choices([1, 2, 3], [60, 30, 10])[0]
        for number, title in enumerate(titles[:count]):
            if org["kind"] == "diplomatic_mission" and number == 0:
                home, host = row["home_country"], row["accredited_to"]
                title = f"Ambassador of {COUNTRY[home][0]} to {COUNTRY[host][0]}"
            terms = []
            since = world.day_between(datetime.date(1997, 1, 1), datetime.date(2004, 12, 31))
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
                    person = make_person(world, honorific)
                    start = partial_text(since, world.precision(0.7, 0.2))
                    term |= {
                        "holder": person,
                        "start": start,
                        "end": "" if current else partial_text(until, world.precision(0.7, 0.2)),
                        "ended": False,
                        "attested": "",
                    }
                    people = world.data["people"][person]
                    sentence = (
                        f"{when(start)}, {people['honorific']} {people['name']} "
                        f"became {title} of the {org['short']}."
                    )
                    term |= world.cite(since.year, sentence, 0.4)
                    if rng.random() < 0.2:
                        people |= world.cite(since.year, sentence, 1)
                else:
                    seen = world.day_between(since, min(until, HORIZON))
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
                    term |= world.cite(seen.year, sentence, 1)  # the source that saw it
                    person = None
                world.data["positions"].append(term)
                position = len(world.data["positions"]) - 1
                terms.append((position, since, None if current else until, person))
                since = until
            org["posts"].append(terms)
