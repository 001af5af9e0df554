"""Postal addresses from OSM ``addr:*`` tags, in the order the country writes them.

Most countries write the street before the house number (``Simonkatu 7``, ``Landstraße 2``);
:data:`NUMBER_FIRST` lists those that write the number first (``7 Avenue de la Costa``).
Chinese and Japanese addresses (street in CJK script) are written from the largest unit to
the smallest without a space: province, city, district, street, number (``成都市总府路2号``);
a Chinese house number that is only digits gets its ``号``. Elsewhere postcode and town follow
(``Obere Landstraße 3, 3500 Krems``); missing parts are left out.
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
        return _cjk_address(tags, street, number, where)
    if not number:
        line = street
    elif where in NUMBER_FIRST:
        line = f"{number} {street}"
    else:
        line = f"{street} {number}"
    town = " ".join(t for t in (tags.get("addr:postcode", ""), tags.get("addr:city", "")) if t)
    return f"{line}, {town}" if town else line


def _cjk_address(tags: Mapping[str, str], street: str, number: str, country: str) -> str:
    """Province, city, district, street, number, with no spaces (parts in CJK script only:
    a Latin ``Chengdu`` has no place in a Chinese address)."""
    if number and country in {"", "CN"} and number[-1].isdigit() and not _cjk(number):
        number += "号"
    parts: list[str] = []
    for key in ("addr:province", "addr:state", "addr:city", "addr:district"):
        part = tags.get(key, "").strip()
        if part and _cjk(part) and part not in parts and part not in street:
            parts.append(part)
    return "".join(parts) + street + number
