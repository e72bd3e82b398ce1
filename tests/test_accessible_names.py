"""Every box a screen reader lands on has a name, and a chart that scrolls sideways on a
phone can be reached with the keyboard (axe's "label" and "scrollable-region-focusable")."""

import re

import pytest

from agreements.models import Agreement

pytestmark = pytest.mark.django_db


def inputs_named(html, name):
    return re.findall(rf'<input[^>]*name="{name}"[^>]*>', html)


@pytest.mark.parametrize(
    ("url", "names", "expected"),
    [
        (
            "/agreements/",
            ["last_activity_after", "last_activity_before"],
            ["Last activity from", "Last activity until"],
        ),
        ("/meetings/", ["date_after", "date_before"], ["Between, from", "Between, until"]),
    ],
)
def test_both_boxes_of_a_day_range_have_a_name(analyst_client, url, names, expected):
    html = analyst_client.get(url).text
    for name, label in zip(names, expected, strict=True):
        (box,) = inputs_named(html, name)
        assert f'aria-label="{label}"' in box


def test_the_charts_can_be_reached_with_the_keyboard(analyst_client, tashkent):
    agreement = Agreement.objects.order_by("pk").first()
    agreement_page = analyst_client.get(agreement.get_absolute_url()).text
    organization_page = analyst_client.get("/organizations/sco/").text
    assert '<figure class="chart timeline" tabindex="0">' in agreement_page
    assert '<figure class="chart memberships" tabindex="0">' in organization_page
