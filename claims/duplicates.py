"""
The same thing logged twice: how alike two claims must be before the desk and the importer
treat a new one as the claim already on file, and when two responses are the same response.
"""

import re
import unicodedata

from claims.models import Claim, Response

# At or above this similarity (claims.importer.similar) a claim is taken to be the same claim:
# the importer links to it by default, and the desk asks for a deliberate confirmation before
# logging a new one next to it.
VERY_SIMILAR = 0.8

# Typographic quotes and apostrophes as their plain forms ("It\u2019s fake" is "It's fake").
_PLAIN = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00ab": '"',
        "\u00bb": '"',
    }
)


def very_similar(claims: list[Claim]) -> Claim | None:
    """The most alike of `claims` (as similar_claims returns them) if it is the same claim."""
    for claim in claims:
        if getattr(claim, "similarity", 0) >= VERY_SIMILAR:
            return claim
    return None


def normalise_quote(quote: str) -> str:
    """A quote as compared: one case, plain quotes, single spaces, no outer punctuation."""
    text = unicodedata.normalize("NFKC", quote or "").translate(_PLAIN).casefold()
    text = " ".join(text.split())
    return re.sub(r"^[\W_]+|[\W_]+$", "", text)


def same_response(*, claim: Claim, responder, stance: str, quote: str, report) -> Response | None:
    """The response already logged on this claim by this responder, with this stance and
    quote, reported in this report: a second import of the same article finds it."""
    wanted = normalise_quote(quote)
    candidates = Response.objects.current().filter(
        claim=claim, responder=responder, stance=stance, report=report
    )
    for response in candidates.order_by("pk"):
        if normalise_quote(response.quote) == wanted:
            return response
    return None
