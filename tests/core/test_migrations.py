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


def _canonical_after_rewording(tmp_path, name: str, revision: str, term: str, wording: str):
    """The canonical wording of ``term`` once a database stopped at ``revision``, where it was
    reworded as ``wording``, is upgraded to the head."""
    from alembic import command
    from sqlalchemy import create_engine, text

    from core.db import alembic_config

    url = f"sqlite:///{tmp_path / name}"
    command.upgrade(alembic_config(url), revision)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE synonym SET canonical = :wording WHERE term = :term"),
            {"wording": wording, "term": term},
        )
    upgrade_database(url)
    with engine.connect() as connection:
        canonical = connection.execute(
            text("SELECT canonical FROM synonym WHERE term = :term"), {"term": term}
        ).scalar_one()
    engine.dispose()
    return canonical


def test_a_retargeted_synonym_keeps_an_admin_s_own_wording(tmp_path):
    # knowledge_0018 points CCER at 核证自愿减排量 (the wording both carbon rules hold); a bureau
    # that had already reworded the entry keeps its own
    from alembic import command
    from sqlalchemy import create_engine, text

    from core.db import alembic_config

    reworded = _canonical_after_rewording(
        tmp_path, "retarget.db", "knowledge_0017", "ccer", "自愿减排量"
    )
    assert reworded == "自愿减排量"
    command.upgrade(alembic_config(f"sqlite:///{tmp_path / 'fresh.db'}"), "heads")
    with create_engine(f"sqlite:///{tmp_path / 'fresh.db'}").connect() as connection:
        fresh = connection.execute(text("SELECT canonical FROM synonym WHERE term = 'ccer'"))
        assert fresh.scalar_one() == "核证自愿减排量"


def test_a_database_upgraded_through_the_first_wording_of_a_revision_gets_the_second(tmp_path):
    # knowledge_0031 first replaced 转给 by 转让; a database that ran that wording is mended by
    # knowledge_0034, and a fresh one holds the same
    mended = _canonical_after_rewording(
        tmp_path, "first_wording.db", "knowledge_0033", "转给", "转让"
    )
    assert mended == "转给 转让"
