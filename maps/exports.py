"""The outputs of an itinerary in another language than the delegation's first.

Writing the exports (PDF, print HTML, ICS, GPX, CSV) is :func:`tours.outputs.write_exports`,
over the one registry of formats in :mod:`tours.outputs`; ``maps`` only draws.
"""

from __future__ import annotations

from maps.i18n import language_code
from tours._errors import InputError
from tours.itinerary import Itinerary


def in_language(itinerary: Itinerary, language: str) -> Itinerary:
    """*itinerary* with *language* first among the delegation's languages (others kept)."""
    code = language_code(language)
    others = [tag for tag in itinerary.delegation.languages if _code_or_tag(tag) != code]
    delegation = itinerary.delegation.model_copy(update={"languages": [code, *others]})
    return itinerary.model_copy(update={"delegation": delegation})


def _code_or_tag(tag: str) -> str:
    """The catalog code of *tag*, or the tag itself for a language without a catalog."""
    try:
        return language_code(tag)
    except InputError:
        return tag
