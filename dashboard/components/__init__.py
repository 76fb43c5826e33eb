"""Reusable layout pieces; each is a pure function of data returning Dash components."""
