"""One module per national source: find its files in ``data/raw/<source>/<release>/``,
validate them, and land them in the ``raw`` schema as text (``staging`` SQL types them)."""
