from django import forms


class AsOfForm(forms.Form):
    """`?as_of=YYYY-MM-DD`: a page as it stood on that day."""

    as_of = forms.DateField(
        label="As of",
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the day as YYYY-MM-DD, e.g. 2013-08-20."},
        help_text="Show the page as it stood on this day.",
    )
