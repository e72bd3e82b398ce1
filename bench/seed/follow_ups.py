"""Follow-ups: what one organization asked another to do, after an agreement's step or a meeting."""

import datetime

from bench.seed.world import DAY, HORIZON, MONTH, bounds, partial_text, when

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


def make_follow_ups(world, agreement, events, a, b, kind):
    """The follow-ups asked for along an agreement's steps; `kind` is how its title names it."""
    # Imported here: the package imports no model until `python -m bench.seed` sets Django up.
    from agreements.models import EventKind

    rng = world.rng
    pending = events[-1][0] in EventKind.pending()
    count = rng.choices([0, 1, 2, 3], [25, 40, 25, 10] if pending else [70, 30, 0, 0])[0]
    actions = rng.sample(ACTIONS, count)
    asked = [e for e in events if e[0] == "follow_up_requested"] or events
    for action in actions:
        _, day, date, meeting = rng.choice(asked)
        responsible = world.weighted([(b, 60), (a, 25), (world.embassy, 15)])
        requester = a if responsible != a else b
        if pending:
            state = world.weighted(
                [("open", 50), ("in_progress", 15), ("done", 25), ("dropped", 10)]
            )
        else:
            state = world.weighted([("done", 75), ("dropped", 25)])
        add_follow_up(
            world,
            action=action.format(
                a=world.org[requester]["short"],
                b=world.org[responsible]["short"],
                kind=kind,
            ),
            agreement=agreement,
            meeting=meeting,
            requester=requester,
            responsible=responsible,
            day=day,
            date=date,
            state=state,
        )


def add_follow_up(world, *, action, agreement, meeting, requester, responsible, day, date, state):
    rng = world.rng
    requested_on = "" if meeting is not None and rng.random() < 0.15 else date
    due = ""
    if rng.random() < 0.75:
        due_day = day + datetime.timedelta(days=rng.randint(30, 540))
        due = partial_text(due_day, DAY if rng.random() < 0.85 else MONTH)
    closed_on = ""
    if state == "done" or (state == "dropped" and rng.random() < 0.6):
        closed_day = min(day + datetime.timedelta(days=rng.randint(10, 500)), HORIZON)
        closed_on = partial_text(max(closed_day, bounds(date)[1]), DAY)
    requester_person = world.holder_on(requester, day)[1] if rng.random() < 0.5 else None
    responsible_person = world.holder_on(responsible, day)[1] if rng.random() < 0.5 else None
    sentence = (
        f"{when(date)}, the {world.org[requester]['short']} asked the "
        f"{world.org[responsible]['short']} to {action[0].lower()}{action[1:]}."
    )
    world.data["follow_ups"].append(
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
            **world.cite(day.year, sentence, 0.4),
        }
    )
