"""A line of text in a row (a capacity, a note, a post's title) is typed in a box that
wraps and grows rather than scroll out of sight, and is saved as one line."""

import re

from meetings.models import Meeting
from tests.admin_forms import admin_url, form_values


def test_a_rows_line_of_text_is_typed_in_a_growing_box_and_saved_as_one_line(
    staff_client, tashkent
):
    meeting = Meeting.objects.get(date="2013-08-20")
    url = admin_url(Meeting, "change", meeting.pk)
    page = staff_client.get(url).text
    assert re.search(r'<textarea name="participants-0-capacity"[^>]*class="line-of-text"', page)
    data = form_values(staff_client.get(url))
    data["participants-0-capacity"] = "Indonesian Ambassador\r\nto Uzbekistan"
    assert staff_client.post(url, data).status_code == 302
    participant = meeting.participants.order_by("pk").first()
    assert participant.capacity == "Indonesian Ambassador to Uzbekistan"


def test_a_records_own_form_keeps_its_one_line_box(staff_client, tashkent):
    meeting = Meeting.objects.get(date="2013-08-20")
    participant = meeting.participants.order_by("pk").first()
    page = staff_client.get(admin_url(type(participant), "change", participant.pk)).text
    assert re.search(r'<input type="text" name="capacity"', page)
