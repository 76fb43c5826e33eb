"""cpop dashboard: Dash pages over the read-only warehouse (see dashboard/app.py)."""
