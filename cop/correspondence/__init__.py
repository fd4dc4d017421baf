"""Correspondence with hosts: every message kept as written and in translation."""
