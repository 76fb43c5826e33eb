"""The indicator catalogue: one YAML file per indicator, validated by pydantic."""

from etl.catalogue.models import Indicator, load_catalogue

__all__ = ["Indicator", "load_catalogue"]
