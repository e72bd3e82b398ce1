"""Organizations, from intergovernmental ones with their bodies to embassies and
NGOs, and the other names some of them go by."""

from collections import defaultdict
from itertools import accumulate

from django.utils.text import slugify

from bench.seed.countries import CODES, COUNTRY, EMBASSY_HOME, EMBASSY_HOST

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


def acronym_of(words):
    parts = words.replace("-", " ").split()
    return "".join(p[0] for p in parts if p[0].isupper())


def add_organization(world, row, *, country=None, seat_country=None, year=None):
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
    row["name"] = world.unique("organization name", row["name"], 300)
    if row["acronym"]:
        row["acronym"] = world.unique("acronym", row["acronym"], 50)
    row["slug"] = world.unique("organization slug", slugify(row["acronym"] or row["name"])[:95])
    short = row["acronym"] or row["name"]
    sentence = f"The {row['name']}" + (f" ({row['acronym']})" if row["acronym"] else "")
    sentence += f" has its seat in {row['seat']}." if row["seat"] else " took part."
    row.update(world.cite(year or world.rng.randint(2005, 2025), sentence, 0.3))
    world.data["organizations"].append(row)
    world.org.append(
        {
            "short": short,
            "kind": row["kind"],
            "country": country or seat_country or EMBASSY_HOST,
            "city": row["seat"] or COUNTRY[country or EMBASSY_HOST][2],
            "posts": [],
        }
    )
    return len(world.data["organizations"]) - 1


def make_organizations(world):
    rng = world.rng
    world.embassy = add_organization(
        world,
        {
            "name": "Embassy of Indonesia in Tashkent",
            "kind": "diplomatic_mission",
            "home_country": EMBASSY_HOME,
            "accredited_to": EMBASSY_HOST,
            "seat": "Tashkent",
        },
        country=EMBASSY_HOST,
    )
    world.igos = []
    for _ in range(max(3, world.n // 250)):
        region, theme, form = rng.choice(REGIONS), rng.choice(THEMES), rng.choice(FORMS)
        name = f"{region} {theme} {form}"
        seat_country = rng.choice(CODES)
        founded_year = rng.randint(1985, 2012)
        members = rng.sample(CODES, rng.randint(4, 25))
        igo = add_organization(
            world,
            {
                "name": name,
                "acronym": acronym_of(name),
                "kind": "intergovernmental",
                "seat": COUNTRY[seat_country][2],
                "founded": world.weighted(
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
        world.igos.append((igo, members, founded_year))
        acronym = world.data["organizations"][igo]["acronym"]
        if rng.random() < 0.7:
            body = f"Regional {theme} Structure of the {name}"
            add_organization(
                world,
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
            add_organization(
                world,
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
    for _ in range(max(8, world.n // 8)):
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
        elif draw < 0.4 and f"Government of {country}" not in world.used["organization name"]:
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
        index = add_organization(world, row, country=code)
        if row["kind"] == "ministry":
            ministries[code].append(index)

    for _ in range(max(2, world.n // 100)):
        home, host = rng.sample(CODES, 2)
        add_organization(
            world,
            {
                "name": f"Embassy of {COUNTRY[home][0]} in {COUNTRY[host][2]}",
                "kind": "diplomatic_mission",
                "home_country": home,
                "accredited_to": host,
                "seat": COUNTRY[host][2],
            },
            country=host,
        )
    for _ in range(max(2, world.n // 100)):
        name = rng.choice(NGO_FORMS).format(region=rng.choice(REGIONS), theme=rng.choice(THEMES))
        code = rng.choice(CODES) if rng.random() < 0.5 else None
        add_organization(
            world,
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
    weights = [weight_of_kind[o["kind"]] * rng.paretovariate(2.0) for o in world.org]
    weights[world.embassy] = 0
    world.party_weights = list(accumulate(weights))


def make_other_names(world):
    rng = world.rng
    for index, row in enumerate(world.data["organizations"]):
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
            names.append((row["name"].split(" of ")[0] + f" ({world.org[index]['short']})", ""))
        names.append((f"Interim {row['name']}", "Name in its first years"))
        names.append((row["name"].upper(), "As written in some reports"))
        seen = {row["name"]}
        for name, note in names[:count]:
            name = name[:300]
            if name in seen:
                continue
            seen.add(name)
            world.data["organization_names"].append(
                {
                    "organization": index,
                    "name": name,
                    "note": note,
                    **world.cite(
                        rng.randint(2005, 2025),
                        f"The {row['name']} is also known as the {name}.",
                        0.3,
                    ),
                }
            )
