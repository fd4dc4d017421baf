"""Actions at home: what participants take back from a visit, and their progress."""
