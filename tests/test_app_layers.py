"""The apps stand on each other in one direction: reading → agreements → meetings → cooperation,
and desk → agreements, beside reading.

The core app imports nothing from the apps above it; they add their parts of its pages
(cooperation/organization_page.py). Only the project's URL configuration and settings,
which name every app, may reach up.
"""

import ast
import re
from pathlib import Path

import pytest
from django.template.loader import get_template

from cooperation import charts

ROOT = Path(__file__).resolve().parent.parent
ABOVE = {
    "cooperation": {"meetings", "agreements", "reading", "desk"},
    "meetings": {"agreements", "reading", "desk"},
    "agreements": {"reading", "desk"},
    "reading": {"desk"},
    "desk": {"reading"},
}
REACH_UP = {"cooperation/urls.py", "cooperation/settings.py"}


def upward_imports(source, above):
    """The modules from `above` (app names) that the Python `source` imports."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module]
        else:
            continue
        found += [name for name in names if name.split(".")[0] in above]
    return found


def test_the_check_finds_an_import_from_above():
    source = "from agreements.rows import rows_of\nimport meetings.models\n"
    assert upward_imports(source, {"agreements", "meetings"}) == [
        "agreements.rows",
        "meetings.models",
    ]


@pytest.mark.parametrize("app", sorted(ABOVE))
def test_an_app_imports_nothing_from_the_apps_above_it(app):
    reaching_up = {
        str(path.relative_to(ROOT)): upward_imports(path.read_text(), ABOVE[app])
        for path in sorted((ROOT / app).rglob("*.py"))
        if str(path.relative_to(ROOT)) not in REACH_UP
    }
    assert {path: found for path, found in reaching_up.items() if found} == {}


def test_the_membership_chart_takes_its_geometry_from_the_charts_module():
    # Every size and position is a value from cooperation/charts.py, not a number in the
    # template: the only numbers in its SVG are the truncation of a country's name.
    template = Path(get_template("cooperation/_membership_chart.html").origin.name)
    svg = template.read_text().split("<svg", 1)[1].split("</svg>", 1)[0]
    assert [n for n in numbers_written_in(svg) if n != "24"] == []
    assert charts.CHART_RIGHT < charts.CHART_WIDTH and charts.CHART_LEFT < charts.CHART_RIGHT


def numbers_written_in(markup):
    """The numbers written as literals in a template's markup: attribute values and
    filter arguments (viewBox's origin, "0 0", aside)."""
    markup = markup.replace('viewBox="0 0 ', 'viewBox="')
    return re.findall(r'(?:="|:\'|:)(-?\d+)', markup)
