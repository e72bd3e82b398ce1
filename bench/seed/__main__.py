"""Fill the database with a synthetic data set: `python -m bench.seed --agreements N`.

Run from the checkout's root, with the site's settings (DJANGO_SETTINGS_MODULE, or
cooperation.settings) and the database DATABASE_URL names; see bench/seed/__init__.py.
"""

import argparse
import os
import sys

import django


def main():
    parser = argparse.ArgumentParser(
        prog="python -m bench.seed",
        description="Fill the database with a synthetic, realistic data set of N agreements "
        "and everything around them (development and benchmarks only).",
    )
    parser.add_argument("--agreements", type=int, required=True, metavar="N")
    parser.add_argument("--seed", type=int, default=1, help="Same seed, same data.")
    parser.add_argument(
        "--force", action="store_true", help="Run even with DEBUG off (production settings)."
    )
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="No progress bar (there is none either when stderr is not a terminal).",
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cooperation.settings")
    django.setup()
    # The models can be imported only once Django is set up.
    from bench.seed.writing import SeedError, seed_database

    try:
        summary = seed_database(
            args.agreements, args.seed, force=args.force, progress=False if args.quiet else None
        )
    except SeedError as error:
        sys.exit(f"Error: {error}")
    print(summary)


if __name__ == "__main__":
    main()
