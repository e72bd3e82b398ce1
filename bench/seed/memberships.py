"""The memberships of countries in the intergovernmental organizations."""

import datetime

from bench.seed.countries import COUNTRY
from bench.seed.world import DAY, HORIZON, partial_text, when


def make_memberships(world):
    rng = world.rng
    for igo, members, founded in world.igos:
        acronym = world.data["organizations"][igo]["acronym"]
        for code in members:
            country = COUNTRY[code][0]
            start_day = world.day_between(datetime.date(max(founded, 1995), 1, 1), HORIZON)
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
                rows.append(("member", start_day, end_day if end_day < HORIZON else None, False))
            for status, since, until, ended in rows:
                if since is None:
                    attested = world.day_between(datetime.date(2005, 1, 1), HORIZON)
                    start, year = "", attested.year
                    attested = attested.isoformat()
                else:
                    # A start that is also the end of an earlier status is a known day.
                    follows = any(u == since for _, _, u, _ in rows)
                    start = partial_text(since, DAY if follows else world.precision(0.65, 0.2))
                    attested, year = "", since.year
                status_text = status.replace("_", " ")
                sentence = f"{country[0].upper()}{country[1:]} is a {status_text} of the {acronym}."
                if since is not None:
                    sentence = f"{when(start)}, {country} became a {status_text} of the {acronym}."
                world.data["memberships"].append(
                    {
                        "organization": igo,
                        "country": code,
                        "status": status,
                        "start": start,
                        "end": until.isoformat() if until else "",
                        "ended": ended,
                        "attested": attested,
                        "note": "The source gives no start date." if since is None else "",
                        # A date attested is a source's: such a row always cites one.
                        **world.cite(year, sentence, 1 if attested else 0.5),
                    }
                )
