"""Vietnamese text rules: accent-insensitive folding and alphabetical sort keys.

Pure functions with no ORM imports. The sort key is stored in the database so that
lists can be ordered and paginated there; it is made of lowercase hex digits only, so
SQLite's BINARY collation and any PostgreSQL collation order it identically.
"""

import unicodedata

# The Vietnamese alphabet: Ă after A, Â after Ă, Đ after D, Ê after E, Ô then Ơ after O, Ư after U.
# F, J, W and Z are not Vietnamese letters but occur in names, so they take their Latin places.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"

# Tones come after the base letter, in the dictionary order: level, grave, hook, tilde, acute, dot.
TONE_MARKS = {
    "\u0300": 1,  # huyền
    "\u0309": 2,  # hỏi
    "\u0303": 3,  # ngã
    "\u0301": 4,  # sắc
    "\u0323": 5,  # nặng
}
# Marks that make a separate letter rather than a tone.
LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn

DIGITS = "0123456789"
_PRIMARY = {letter: index for index, letter in enumerate(ALPHABET)}


def _letters(text: str) -> list[tuple[str, int]]:
    """Split text into (base letter, tone) pairs; the base keeps ă â ê ô ơ ư đ."""
    pairs = []
    for char in unicodedata.normalize("NFC", text).lower():
        decomposed = unicodedata.normalize("NFD", char)
        tone = 0
        kept = ""
        for part in decomposed:
            if part in TONE_MARKS:
                tone = TONE_MARKS[part]
            elif unicodedata.combining(part) and part not in LETTER_MARKS:
                continue
            else:
                kept += part
        pairs.append((unicodedata.normalize("NFC", kept), tone))
    return pairs


def fold(text: str) -> str:
    """Lowercase text without diacritics, with đ as d and runs of spaces as one.

    "Tân Hồng" and "tan  hong" both fold to "tan hong".
    """
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.lower().split())


def _primary_code(letter: str) -> int:
    """A code for one letter: space first, then numbers, then the alphabet, then the rest."""
    if letter.isspace():
        return 1
    if letter in _PRIMARY:
        return 16 + _PRIMARY[letter]
    # Punctuation and other scripts sort after letters, by code point, keeping the key finite.
    return 64 + min(ord(letter[0]), 0xFFFF)


def sort_key(text: str) -> str:
    """A key whose plain string order is Vietnamese alphabetical order.

    Letters are compared first (ignoring tones); tones decide only between names
    that are otherwise equal, as in a Vietnamese dictionary. Numbers compare by
    value, so "Cụm số 2" comes before "Cụm số 10". Each letter is five hex digits;
    "00000" ends the letters so that a prefix sorts before its extensions.
    """
    pairs = _letters(" ".join(text.split()))
    blocks = []
    digits = ""
    for letter, _tone in pairs + [("", 0)]:
        if letter and letter in DIGITS:
            digits += letter
            continue
        if digits:
            number = digits.lstrip("0") or "0"
            # A number is a marker, its length, then its digits: shorter numbers are smaller.
            blocks += [2, 3 + len(number)] + [3 + int(d) for d in number]
            digits = ""
        if letter:
            blocks.append(_primary_code(letter))
    primary = "".join(f"{code:05x}" for code in blocks)
    tones = "".join(str(tone) for _letter, tone in pairs)
    return primary + "00000" + tones
