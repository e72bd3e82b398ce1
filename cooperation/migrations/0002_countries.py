"""Every ISO 3166-1 country, from pycountry; running it again brings names up to date."""

import pycountry
from django.db import migrations


def load_countries(apps, schema_editor):
    Country = apps.get_model("cooperation", "Country")
    for country in pycountry.countries:
        Country.objects.update_or_create(
            code=country.alpha_2,
            defaults={
                "alpha_3": country.alpha_3,
                "name": getattr(country, "common_name", None) or country.name,
                "official_name": getattr(country, "official_name", ""),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("cooperation", "0001_initial")]

    operations = [migrations.RunPython(load_countries, migrations.RunPython.noop)]
