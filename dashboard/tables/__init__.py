"""Row shaping for tables: pure functions from query frames to display rows."""
