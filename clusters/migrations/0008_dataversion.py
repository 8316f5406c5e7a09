import uuid

from django.db import migrations, models


def create_row(apps, schema_editor):
    apps.get_model("clusters", "DataVersion").objects.create(token=uuid.uuid4().hex)


class Migration(migrations.Migration):
    dependencies = [
        ("clusters", "0007_periodresult"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
