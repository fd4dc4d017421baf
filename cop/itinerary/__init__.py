"""The itinerary of a visit: items in the host's time zone, who attends, and what to warn about."""
