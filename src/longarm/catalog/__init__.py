"""The read side: one redacted, indexed read model per database, and the filters every presenter shares."""

from longarm.catalog.catalog import Catalog

__all__ = ["Catalog"]
