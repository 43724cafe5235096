"""Question-bank and contest models."""
