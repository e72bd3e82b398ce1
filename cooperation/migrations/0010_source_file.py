from django.db import migrations, models

HELP_TEXT = (
    "The document as received: a .txt, .docx or .pdf file (a PDF with text, not a scan). "
    "Its text fills the text below, unless you type one."
)


class Migration(migrations.Migration):
    dependencies = [
        ("cooperation", "0009_country_other_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="source",
            name="file",
            field=models.FileField(
                blank=True,
                help_text=HELP_TEXT,
                max_length=255,
                upload_to="sources/%Y/",
                verbose_name="original file",
            ),
        ),
        migrations.AddField(
            model_name="historicalsource",
            name="file",
            field=models.TextField(
                blank=True,
                help_text=HELP_TEXT,
                max_length=255,
                verbose_name="original file",
            ),
        ),
    ]
