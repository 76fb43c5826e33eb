"""Pure page logic (no Dash, no DuckDB): filtering and shaping that the pages call."""
