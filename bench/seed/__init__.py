"""A synthetic, realistic data set for development and the benchmarks.

    DJANGO_DEBUG=1 .venv/bin/python -m bench.seed --agreements 10000 [--seed 1] [--force]

Two separate steps:

- `generate(agreements, seed)` makes the whole data set as plain Python (lists of
  dicts of strings, ints, bools and None; a reference to another record is its index
  in that record's list, a country is its ISO code; a record that quotes a source has
  the source's index and the words quoted as "source" and "passage"). It touches no
  database, and the same arguments always give the same data (`fingerprint()` says so
  in one string).
- `bench.seed.writing.write(data, reason=...)` turns it into records with bulk inserts
  through `bulk_create_recorded()`, so every record gets its history row ("+"), with
  `reason` as the change reason; the topics of meetings and agreements go through their
  through tables, with the historical m2m rows beside them. A record's source and
  passage (and a status's or a post's date attested on) go last, into a Citation of its
  own. `seed_database()` there does both steps, with the checks and the progress bar of
  the command line.

Each module makes one kind of record, in the order `generate` calls them: topics,
sources, organizations (and their other names), memberships, people (and their posts),
agreements (their parties, events, and the meetings and follow-ups of their steps),
meetings (the embassy's calls and visits besides); world.py holds what they share.

Sizes grow with the number of agreements: at 10,000 (seed 1) there are 1,538
organizations, 10,773 people, 11,616 posts, 13,850 meetings with 48,886 participants,
46,550 agreement events, 7,323 follow-ups and 61,784 citations: 245,541 records,
written with their history in about 50 s on SQLite. Dates run from 2000 to HORIZON, a
fixed day, so the data does not depend on the day it is generated; due dates run a
little past it.

This package imports no model, so that `python -m bench.seed` can set Django up first.
"""

import hashlib
import json

from bench.seed.agreements import make_agreements
from bench.seed.meetings import make_standalone_meetings
from bench.seed.memberships import make_memberships
from bench.seed.organizations import make_organizations, make_other_names
from bench.seed.people import make_people_and_posts
from bench.seed.sources import finish_sources, make_sources
from bench.seed.topics import make_topics
from bench.seed.world import World


def generate(agreements, seed=1):
    """The whole data set for `agreements` agreements, as plain Python; see the module doc."""
    if agreements < 1:
        raise ValueError("at least one agreement")
    world = World(agreements, seed)
    make_topics(world)
    make_sources(world)
    make_organizations(world)
    make_other_names(world)
    make_memberships(world)
    make_people_and_posts(world)
    make_agreements(world)
    make_standalone_meetings(world)
    # Last: a source's text is the sentences quoted from it by everything above.
    finish_sources(world)
    return world.data


def fingerprint(data):
    """A digest of the generated data: equal digests, equal data."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
