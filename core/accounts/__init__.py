"""User accounts, roles and authentication."""
