"""The site's own settings, with the benchmarks' URLs: the site's, plus a floor view."""

from cooperation.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
