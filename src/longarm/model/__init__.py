"""The evidence data model: entity kinds, enumerations, value types and statements.

``model.yaml`` (beside this package) declares the kinds, their properties and
the enumerations with their labels; ``values`` holds one validator per value
type; ``statement`` the statement and its row. Nothing here reads or writes a
database: the ledger writes statements, the catalog reads them.
"""

from longarm.model.schema import Enumeration, Kind, Property, enumeration, enumerations, kinds, property_label
from longarm.model.statement import CURATED, STATEMENT_COLUMNS, Statement
from longarm.model.values import (
    ID_PATTERN,
    DatePrecision,
    InvalidValue,
    LocationPrecision,
    country_code,
    date_precision,
    normalise_value,
)

__all__ = [
    "CURATED",
    "ID_PATTERN",
    "STATEMENT_COLUMNS",
    "DatePrecision",
    "Enumeration",
    "InvalidValue",
    "Kind",
    "LocationPrecision",
    "Property",
    "Statement",
    "country_code",
    "date_precision",
    "enumeration",
    "enumerations",
    "kinds",
    "normalise_value",
    "property_label",
]
