"""Knowledge-base models."""
