"""iCalendar (RFC 5545) out of cop's itineraries, and into them from hosts' agendas."""
