"""Postal addresses from OSM ``addr:*`` tags, in the order the country writes them.

Most countries write the street before the house number (``Simonkatu 7``, ``Landstraße 2``);
:data:`NUMBER_FIRST` lists those that write the number first (``7 Avenue de la Costa``).
Chinese and Japanese addresses (street in CJK script) are written without a space
(``人民南路一段86号``). Postcode and town follow (``3500 Krems``); missing parts are left out.
"""

from __future__ import annotations

from collections.abc import Mapping

#: ISO 3166-1 countries that write the house number before the street.
NUMBER_FIRST = frozenset(
    {"US", "CA", "GB", "IE", "AU", "NZ", "FR", "MC", "LU", "BE-FR", "IL", "SG", "MY", "PH", "ZA"}
)


def _cjk(text: str) -> bool:
    return any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in text)


def format_address(tags: Mapping[str, str], *, country: str | None = None) -> str:
    """One line for the ``addr:*`` *tags*; ``""`` when there is no street or place.

    Parameters
    ----------
    tags
        OSM tags (``addr:street``, ``addr:housenumber``, ``addr:postcode``, ``addr:city``,
        ``addr:place``, ``addr:country``).
    country
        ISO 3166-1 alpha-2 code used when the tags have no ``addr:country``.
    """
    street = tags.get("addr:street") or tags.get("addr:place") or ""
    if not street:
        return ""
    number = tags.get("addr:housenumber", "")
    where = (tags.get("addr:country") or country or "").upper()
    if _cjk(street):
        return f"{street}{number}"  # town and postcode come first in CJK order: left out
    if not number:
        line = street
    elif where in NUMBER_FIRST:
        line = f"{number} {street}"
    else:
        line = f"{street} {number}"
    town = " ".join(t for t in (tags.get("addr:postcode", ""), tags.get("addr:city", "")) if t)
    return f"{line}, {town}" if town else line
