"""Programmes, visits and who takes part in them."""
