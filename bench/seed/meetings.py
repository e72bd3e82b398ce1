"""Meetings with their participants and outcomes: those an agreement's steps were
taken at (`add_meeting`, called by the agreements' generator), and the embassy's
other calls and visits."""

import datetime

from bench.seed.follow_ups import add_follow_up
from bench.seed.people import make_person
from bench.seed.topics import TOPICS
from bench.seed.world import HORIZON, bounds, partial_text, when

OUTCOMES = [
    ("agreed", "The parties agreed to continue consultations on {topic}."),
    ("agreed", "The parties agreed to exchange information on {topic}."),
    ("requested", "The {a} requested assistance in {topic}."),
    ("requested", "The {a} requested an expert meeting on {topic}."),
    ("committed", "The {a} committed itself to send a delegation on {topic}."),
    ("stated", "The {a} stated its position on {topic}."),
]


def participants_for(world, meeting, orgs, day, citation):
    """Who came for each organization: the holder of one of its posts, or a named envoy."""
    rng = world.rng
    for number, org in enumerate(orgs):
        for seat in range(rng.choices([1, 2, 3], [55, 35, 10])[0]):
            position, person = world.holder_on(org, day)
            if position is None:
                # No post of it is known to have been held then: a named envoy.
                envoys = world.org[org].setdefault("envoys", [])
                if not envoys or rng.random() < 0.3:
                    envoys.append(make_person(world, rng.choice(["Mr.", "Ms.", "Dr."])))
                person = rng.choice(envoys)
            capacity = "Head of delegation" if seat == 0 else "Member of the delegation"
            if number == 0 and seat == 0 and rng.random() < 0.3:
                capacity = "Host"
            world.data["participants"].append(
                {
                    "meeting": meeting,
                    "person": person,
                    "position": position,
                    "organization": org,
                    "capacity": capacity,
                    **(citation if rng.random() < 0.3 else {"source": None, "passage": ""}),
                }
            )


def add_meeting(world, *, date, title, kind, orgs, topics, day, purpose):
    rng = world.rng
    host = world.weighted([(orgs[-1], 50), (orgs[0], 30), (world.embassy, 20)])
    city, country = world.org[host]["city"], world.org[host]["country"]
    title = world.unique(f"meeting {date}", title[:290], 300)
    sentence = f"{when(date)}, delegations of the " + " and the ".join(
        world.org[o]["short"] for o in orgs
    )
    sentence += f" met in {city}."
    citation = world.cite(bounds(date)[0].year, sentence, 0.6)
    extra = [rng.randrange(len(TOPICS))] if rng.random() < 0.3 else []
    world.data["meetings"].append(
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
    meeting = len(world.data["meetings"]) - 1
    participants_for(world, meeting, orgs, day, citation)
    for _ in range(rng.choices([0, 1, 2], [40, 40, 20])[0]):
        kind, text = rng.choice(OUTCOMES)
        org = rng.choice(orgs)
        description = text.format(
            a=world.org[org]["short"], topic=TOPICS[rng.choice(topics)].lower()
        )
        world.data["outcomes"].append(
            {
                "meeting": meeting,
                "kind": kind,
                "organization": org,
                "description": description,
                **(citation if rng.random() < 0.5 else {"source": None, "passage": ""}),
            }
        )
    return meeting


def make_standalone_meetings(world):
    """Calls and visits of the embassy that no agreement came from."""
    rng = world.rng
    orgs = range(len(world.org))
    for _ in range(max(2, world.n // 10)):
        other = world.embassy
        while other == world.embassy:
            other = rng.choices(orgs, cum_weights=world.party_weights)[0]
        day = world.day_between(datetime.date(2005, 1, 1), HORIZON)
        date = partial_text(day, world.precision(0.9, 0.07))
        topics = sorted(rng.sample(range(len(TOPICS)), rng.randint(1, 3)))
        short = world.org[other]["short"]
        kind, title = world.weighted(
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
        meeting = add_meeting(
            world,
            date=date,
            title=title,
            kind=kind,
            orgs=[world.embassy, other],
            topics=topics,
            day=day,
            purpose="To exchange views." if rng.random() < 0.5 else "",
        )
        if rng.random() < 0.25:
            add_follow_up(
                world,
                action=rng.choice(["Send the minutes of the meeting", "Arrange a follow-up visit"]),
                agreement=None,
                meeting=meeting,
                requester=other,
                responsible=world.embassy,
                day=day,
                date=date,
                state=world.weighted([("open", 40), ("done", 50), ("dropped", 10)]),
            )
