"""Phone numbers in contact lines, as tappable ``tel:`` links.

Contacts are free text from the request (``"Local guide: Li Wei, +86 138 0000 0000"``).
The numbers in them are found with ``phonenumbers`` (Google's libphonenumber) and turned
into ``tel:`` URIs in E.164 form; the text around them stays text. Only numbers written in
international form (``+86 ...``) are linked: a local number's country is not known here.
"""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers


@dataclass(frozen=True)
class Part:
    """A piece of a contact line: plain text, or a phone number with its ``tel:`` URI."""

    text: str
    tel: str = ""


def contact_parts(line: str) -> list[Part]:
    """*line* cut into text and phone-number parts, in order."""
    parts: list[Part] = []
    done = 0
    for match in phonenumbers.PhoneNumberMatcher(line, None):
        if match.start > done:
            parts.append(Part(line[done : match.start]))
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        parts.append(Part(match.raw_string, tel=f"tel:{e164}"))
        done = match.end
    if done < len(line):
        parts.append(Part(line[done:]))
    return parts


def contact_lines(lines: list[str]) -> list[list[Part]]:
    """Each contact line of *lines* as its parts (:func:`contact_parts`)."""
    return [contact_parts(line) for line in lines]
