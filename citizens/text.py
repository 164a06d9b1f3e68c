"""Folding Vietnamese text for accent- and case-insensitive matching."""

import unicodedata


def fold(text: str) -> str:
    """`Nguyễn  Văn ĐẠT` → `nguyen van dat`: no diacritics, `đ` as `d`, lower case,
    single spaces."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.lower().split())
