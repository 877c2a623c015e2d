from django.db import migrations

# The languages of the staff UI and of claimants at the time of writing; add more in the admin.
LANGUAGES = {
    "en": "English", "es": "Spanish", "ru": "Russian", "fr": "French", "ky": "Kyrgyz", "uz": "Uzbek",
    "ar": "Arabic", "ne": "Nepali", "my": "Burmese", "km": "Khmer", "th": "Thai", "id": "Indonesian",
    "tl": "Tagalog", "ht": "Haitian Creole", "bn": "Bengali", "kk": "Kazakh", "tg": "Tajik", "vi": "Vietnamese",
    "hi": "Hindi", "ur": "Urdu", "si": "Sinhala", "am": "Amharic", "sw": "Swahili", "pt": "Portuguese",
}


def add_languages(apps, schema_editor):
    Language = apps.get_model("paralegals", "Language")
    for code, name in LANGUAGES.items():
        Language.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("paralegals", "0001_initial")]
    operations = [migrations.RunPython(add_languages, migrations.RunPython.noop)]
