"""The directory: organisations and the people who work in them."""
