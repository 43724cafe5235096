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


def test_a_retargeted_synonym_keeps_an_admin_s_own_wording(tmp_path):
    # knowledge_0018 points CCER at 核证自愿减排量 (the wording both carbon rules hold); a bureau
    # that had already reworded the entry keeps its own
    from alembic import command
    from sqlalchemy import create_engine, text

    from core.db import alembic_config

    url = f"sqlite:///{tmp_path / 'retarget.db'}"
    command.upgrade(alembic_config(url), "knowledge_0017")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE synonym SET canonical = '自愿减排量' WHERE term = 'ccer'"))
    upgrade_database(url)
    with engine.connect() as connection:
        reworded = connection.execute(text("SELECT canonical FROM synonym WHERE term = 'ccer'"))
        assert reworded.scalar_one() == "自愿减排量"
    command.upgrade(alembic_config(f"sqlite:///{tmp_path / 'fresh.db'}"), "heads")
    with create_engine(f"sqlite:///{tmp_path / 'fresh.db'}").connect() as connection:
        fresh = connection.execute(text("SELECT canonical FROM synonym WHERE term = 'ccer'"))
        assert fresh.scalar_one() == "核证自愿减排量"
    engine.dispose()


def test_a_database_upgraded_through_the_first_wording_of_a_revision_gets_the_second(tmp_path):
    # knowledge_0031 first replaced 转给 by 转让; a database that ran that wording is mended by
    # knowledge_0034, and a fresh one holds the same
    from alembic import command
    from sqlalchemy import create_engine, text

    from core.db import alembic_config

    url = f"sqlite:///{tmp_path / 'first_wording.db'}"
    command.upgrade(alembic_config(url), "knowledge_0033")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE synonym SET canonical = '转让' WHERE term = '转给'"))
    upgrade_database(url)
    with engine.connect() as connection:
        mended = connection.execute(text("SELECT canonical FROM synonym WHERE term = '转给'"))
        assert mended.scalar_one() == "转给 转让"
    engine.dispose()
