"""The Alembic migrations create exactly the tables the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from core.db import Base, upgrade_database
from migrations.models import import_all_models


def test_migrations_match_models(engine):
    import_all_models()
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_upgrading_twice_is_harmless(database_url):
    upgrade_database(database_url)
    upgrade_database(database_url)
