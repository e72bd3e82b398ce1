"""Reading an organization's page in tests."""


def page_part(response, app):
    """The values of `app`'s part of an organization's page (cooperation/organization_page.py)."""
    (part,) = [
        part
        for part in response.context["parts"]
        if part["template_name"] == f"organization_page/{app}.html"
    ]
    return part
