"""Dash pages: one module per page (register_page + layout(**url_args) + thin callbacks)."""
