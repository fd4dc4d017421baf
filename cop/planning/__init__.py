"""The planning log of a visit: its checklist, the effort people spent and what it cost."""
