"""Autogenerate the next migration on one domain's branch.

Usage: ``python -m migrations.new_revision DOMAIN "message"`` (or ``make migration``).
Upgrades a scratch SQLite database to every head, then compares it with the models; review the
file it writes, and keep only the changes of DOMAIN's own tables.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory

from core.db import alembic_config


def main(domain: str, message: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        cfg = alembic_config(f"sqlite:///{Path(tmp) / 'scratch.db'}")
        command.upgrade(cfg, "heads")
        script = ScriptDirectory.from_config(cfg)
        existing = [r for r in script.walk_revisions() if r.revision.startswith(f"{domain}_")]
        number = len(existing) + 1
        rev_id = f"{domain}_{number:04d}"
        if existing:
            command.revision(
                cfg, message=message, autogenerate=True, rev_id=rev_id, head=f"{domain}@head"
            )
        else:
            command.revision(
                cfg,
                message=message,
                autogenerate=True,
                rev_id=rev_id,
                head="base",
                branch_label=domain,
                depends_on="core_0001" if domain != "core" else None,
            )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "changes")
