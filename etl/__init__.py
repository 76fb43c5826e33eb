"""cpop ETL: raw national and local files -> DuckDB warehouse at 2011 data zone grain."""

__version__ = "0.1.0"
