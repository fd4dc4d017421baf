"""Date polls: candidate dates both sides answer, with each country's public holidays shown."""
