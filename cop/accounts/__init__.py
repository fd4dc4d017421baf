"""Accounts: sign-in, passwords, roles held across the whole installation."""
