"""Contacts between practitioners, and whether they add up to a community of practice."""
