"""Named-entity mentions with canonical names, their counts and their co-occurrences.

Canonical names come, in this order of authority, from the user's ``corpus/entities.csv``
(:mod:`.authority`), the shipped alias table ``data/aliases.csv`` (:mod:`.aliases`), and, within
a column, a fuller name written elsewhere in it (:mod:`.canonical`). The tables are built in
:mod:`.tables` from the mentions the shared spaCy pass tagged (:mod:`.mentions`).
"""
from ..entity_rules import ENTITY_LABELS
from .aliases import Alias, alias_rows, compatible, lookup, shipped_aliases
from .authority import AUTHORITY_FILE, DECISIONS, Authority, AuthorityEntry, parse_authority
from .tables import entities, entity_cooccurrence, entity_counts, entity_tables, wikidata_id

__all__ = [
    "AUTHORITY_FILE", "DECISIONS", "ENTITY_LABELS", "Alias", "Authority", "AuthorityEntry", "alias_rows", "compatible",
    "entities", "entity_cooccurrence", "entity_counts", "entity_tables", "lookup", "parse_authority",
    "shipped_aliases", "wikidata_id",
]
