"""Agreements: their parties, and the steps of their lives as events, some taken at a
meeting, each followed by the follow-ups asked for."""

import datetime

from bench.seed.follow_ups import make_follow_ups
from bench.seed.meetings import add_meeting
from bench.seed.topics import TOPICS
from bench.seed.world import EARLIEST, HORIZON, bounds, partial_text, when

AGREEMENT_KINDS = [
    ("mou", "MOU", 50),
    ("agreement", "Agreement", 15),
    ("protocol", "Protocol", 10),
    ("letter_of_intent", "Letter of intent", 8),
    ("joint_declaration", "Joint declaration", 7),
    ("treaty", "Treaty", 5),
    ("other", "Arrangement", 5),
]

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


def life_of_an_agreement(world):
    """[(kind, day)]: 3 to 8 steps, in order, none after HORIZON."""
    rng = world.rng
    while True:
        length = rng.randint(3, 8)
        day = world.day_between(EARLIEST, datetime.date(2024, 12, 31))
        steps, kind = [], None
        while len(steps) < length and NEXT_STEPS[kind]:
            kind = world.weighted(NEXT_STEPS[kind])
            if steps:
                day += datetime.timedelta(days=rng.randint(*GAPS[kind]))
            if day > HORIZON:
                break
            steps.append((kind, day))
        if len(steps) >= 3:
            return steps


def dated(world, steps):
    """Each step's date as text, some known only to the month or the year.

    A step's whole span ends before the next one's begins, so the latest step
    is the status whatever the precision.
    """
    texts = []
    previous_last = None
    for number, (_, day) in enumerate(steps):
        following = steps[number + 1][1] if number + 1 < len(steps) else None
        text = partial_text(day, world.precision())
        first, last = bounds(text)
        if (previous_last is not None and first <= previous_last) or (
            following is not None and last >= following
        ):
            text, last = day.isoformat(), day
        texts.append(text)
        previous_last = last
    return texts


def make_agreements(world):
    rng = world.rng
    kinds = [(kind, label) for kind, label, _ in AGREEMENT_KINDS]
    kind_weights = [weight for *_, weight in AGREEMENT_KINDS]
    orgs = range(len(world.org))
    for _ in range(world.n):
        kind, label = rng.choices(kinds, kind_weights)[0]
        a = rng.choices(orgs, cum_weights=world.party_weights)[0]
        b = a
        while b == a:
            b = rng.choices(orgs, cum_weights=world.party_weights)[0]
        topics = sorted(rng.sample(range(len(TOPICS)), rng.choices([1, 2, 3], [50, 35, 15])[0]))
        topic = TOPICS[topics[0]].lower()
        short_a, short_b = world.org[a]["short"], world.org[b]["short"]
        steps = life_of_an_agreement(world)
        title = f"{label} on cooperation in {topic} between {short_a} and {short_b}"
        if title in world.used["agreement title"]:
            title += f" ({steps[0][1].year})"
        title = world.unique("agreement title", title, 300)
        name_a = world.data["organizations"][a]["name"]
        name_b = world.data["organizations"][b]["name"]
        agreement = len(world.data["agreements"])
        world.data["agreements"].append(
            {
                "title": title,
                "kind": kind,
                "summary": f"Cooperation in {topic} between the {name_a} and the {name_b}."
                if rng.random() < 0.7
                else "",
                "topics": topics,
                **world.cite(
                    steps[0][1].year,
                    f"The {title} is between the {name_a} and the {name_b}.",
                    0.4,
                ),
            }
        )
        citation = world.data["agreements"][-1]
        for org in (a, b):
            world.data["parties"].append(
                {
                    "agreement": agreement,
                    "organization": org,
                    "source": citation["source"] if rng.random() < 0.3 else None,
                    "passage": "",
                }
            )
            if world.data["parties"][-1]["source"] is not None:
                world.data["parties"][-1]["passage"] = citation["passage"]

        events = []
        for (step, day), date in zip(steps, dated(world, steps), strict=True):
            sentence = EVENT_SENTENCES[step].format(
                when=when(date), a=short_a, b=short_b, title=title
            )
            meeting = None
            if rng.random() < TIED_TO_MEETING[step]:
                meeting_kind, meeting_title = MEETING_KINDS[step]
                meeting = add_meeting(
                    world,
                    date=date,
                    title=meeting_title.format(title=title),
                    kind=meeting_kind,
                    orgs=[a, b] if rng.random() < 0.7 else [a, b, world.embassy],
                    topics=topics,
                    day=day,
                    purpose=f"To discuss the {title}." if rng.random() < 0.6 else "",
                )
            world.data["events"].append(
                {
                    "agreement": agreement,
                    "kind": step,
                    "date": date,
                    "meeting": meeting,
                    "description": sentence if rng.random() < 0.8 else "",
                    **world.cite(day.year, sentence, 0.5),
                }
            )
            events.append((step, day, date, meeting))
        make_follow_ups(world, agreement, events, a, b, label)
