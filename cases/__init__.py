"""Typical cases (典型案例): written, published and retired by national and provincial admins."""
