"""Audit log of changes to shared content and answer keys (who, what, when, before → after)."""
