"""Pure plotly figure builders (no Dash, no data access): easy to unit-test."""
