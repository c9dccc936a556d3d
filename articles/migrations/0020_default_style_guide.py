"""A small default house style guide and the copy desk's settings; editors change both in the admin."""

from django.db import migrations

GUIDE = [
    ("Kiev", "Kyiv", "The Ukrainian spelling, which AP and most English-language newsrooms use since 2019."),
    ("Kharkov", "Kharkiv", "The Ukrainian spelling of Ukraine's second city."),
    ("Lugansk", "Luhansk", "The Ukrainian spelling, as AP writes it."),
    ("Donbass", "Donbas", "The Ukrainian spelling, as AP writes it."),
    ("Byelorussia", "Belarus", "The country's name since 1991."),
    ("e-mail", "email", ""),
    ("web site", "website", ""),
    ("on-line", "online", ""),
]


def add_guide(apps, schema_editor):
    StyleEntry = apps.get_model("articles", "StyleEntry")
    for discouraged, preferred, note in GUIDE:
        StyleEntry.objects.get_or_create(discouraged=discouraged, defaults={"preferred": preferred, "note": note})
    apps.get_model("articles", "HouseStyle").objects.get_or_create(pk=1)


def remove_guide(apps, schema_editor):
    apps.get_model("articles", "StyleEntry").objects.filter(discouraged__in=[entry[0] for entry in GUIDE]).delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0019_copy_desk")]

    operations = [migrations.RunPython(add_guide, remove_guide)]
