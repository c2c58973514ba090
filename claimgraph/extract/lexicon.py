"""Words the rules look for: reporting verbs, pronouns, titles and organisation nouns."""

from __future__ import annotations

import re

#: Reporting verbs in the forms wire copy uses (past, present, present perfect's participle).
REPORTING_VERBS = frozenset(
    [
        "said",
        "says",
        "say",
        "told",
        "tells",
        "added",
        "adds",
        "stated",
        "states",
        "denied",
        "denies",
        "announced",
        "announces",
        "confirmed",
        "confirms",
        "warned",
        "warns",
        "noted",
        "notes",
        "insisted",
        "insists",
        "claimed",
        "claims",
        "revealed",
        "reveals",
        "argued",
        "argues",
        "explained",
        "explains",
        "described",
        "describes",
        "acknowledged",
        "acknowledges",
        "admitted",
        "admits",
        "urged",
        "urges",
        "asserted",
        "asserts",
        "maintained",
        "maintains",
        "reiterated",
        "reiterates",
        "stressed",
        "stresses",
        "emphasised",
        "emphasized",
        "pledged",
        "promised",
        "predicted",
        "estimated",
        "accused",
        "accuses",
        "rejected",
        "rejects",
        "disputed",
        "disputes",
        "declared",
        "declares",
        "wrote",
        "writes",
        "ruled",
        "rules",
        "replied",
        "responded",
        "countered",
        "suggested",
        "suggests",
        "alleged",
        "alleges",
        "predicted",
        "forecast",
    ]
)

#: Verbs that stop a sentence being the speaker's words when used in the passive.
PASSIVE_AUXILIARIES = frozenset(["was", "were", "is", "are", "been", "be", "being"])

#: Words allowed between a subject and its reporting verb ("has also said").
VERB_PREFIXES = frozenset(
    [
        "has",
        "have",
        "had",
        "also",
        "later",
        "previously",
        "repeatedly",
        "again",
        "earlier",
        "then",
        "publicly",
        "separately",
        "had",
        "already",
        "once",
    ]
)

PERSONAL_PRONOUNS = {"he": "male", "she": "female", "him": "male", "her": "female"}
GROUP_PRONOUNS = frozenset({"they", "it", "we"})

#: Titles written before a name ("deputy spokesperson Vedant Patel", "Dr. Ines Moravec").
TITLE_WORDS = frozenset(
    [
        "president",
        "prime",
        "minister",
        "foreign",
        "finance",
        "defence",
        "defense",
        "interior",
        "health",
        "water",
        "deputy",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "governor",
        "secretary",
        "chairman",
        "chairwoman",
        "chair",
        "general",
        "director",
        "chief",
        "senator",
        "minister",
        "dr",
        "dr.",
        "mr",
        "mr.",
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "sir",
        "ambassador",
        "commander",
        "colonel",
        "major",
        "lieutenant",
        "captain",
        "admiral",
        "king",
        "queen",
        "prince",
        "mayor",
        "judge",
        "justice",
        "speaker",
        "leader",
        "vice",
        "former",
        "acting",
        "state",
        "senior",
        "political",
        "advisor",
        "adviser",
        "pm",
    ]
)

#: Words that make a capitalised name an organisation, not a person.
ORGANISATION_WORDS = frozenset(
    [
        "ministry",
        "department",
        "office",
        "council",
        "agency",
        "bank",
        "fund",
        "union",
        "party",
        "federation",
        "board",
        "court",
        "commission",
        "committee",
        "authority",
        "army",
        "navy",
        "police",
        "government",
        "university",
        "institute",
        "company",
        "corporation",
        "group",
        "pharma",
        "inc",
        "ltd",
        "league",
        "association",
        "organisation",
        "organization",
        "forces",
        "force",
        "coalition",
        "parliament",
        "assembly",
        "senate",
        "congress",
        "service",
        "services",
        "bureau",
        "news",
        "wire",
        "network",
        "times",
        "post",
        "tribune",
    ]
)

#: Role nouns that can stand for a person ("the spokeswoman said", "an advisor revealed").
ROLE_NOUNS = frozenset(
    [
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "advisor",
        "adviser",
        "minister",
        "governor",
        "president",
        "chairman",
        "chairwoman",
        "chair",
        "director",
        "secretary",
        "official",
        "officials",
        "officer",
        "commander",
        "leader",
        "head",
        "economist",
        "economists",
        "analyst",
        "analysts",
        "diplomat",
        "ambassador",
        "envoy",
        "negotiator",
        "prosecutor",
        "judge",
        "mayor",
        "chief",
        "aide",
        "lawyer",
    ]
)

#: Gendered role nouns, so "she" does not land on a spokesman.
ROLE_GENDER = {
    "spokesman": "male",
    "chairman": "male",
    "spokeswoman": "female",
    "chairwoman": "female",
}

#: Words one role noun may be written as; "the spokesperson" finds a spokeswoman.
ROLE_SYNONYMS = {
    "spokesman": "spokesperson",
    "spokeswoman": "spokesperson",
    "adviser": "advisor",
    "chairwoman": "chair",
    "chairman": "chair",
}

#: Particles inside personal names ("Abu Mahdi al-Muhandis", "Ursula von der Leyen").
NAME_PARTICLES = frozenset(
    [
        "al",
        "el",
        "bin",
        "ibn",
        "de",
        "da",
        "di",
        "van",
        "von",
        "der",
        "den",
        "la",
        "le",
        "du",
        "abu",
    ]
)

#: Channels named in the attribution, as the seed writes them.
CHANNELS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"\bin an interview with ([A-Z][\w’'-]*(?: [A-Z][\w’'-]*)*)"),
        "interview with {0}",
    ),
    (re.compile(r"\btold ([A-Z][\w’'-]*(?: [A-Z][\w’'-]*)*)"), "interview with {0}"),
    (re.compile(r"\b(?:in|at) a (press|news) conference\b"), "{0} conference"),
    (re.compile(r"\btold a (press|news) conference\b"), "{0} conference"),
    (re.compile(r"\b(?:in|at) a (?:press )?briefing\b"), "press briefing"),
    (re.compile(r"\bin a (?:written |joint |separate )?statement\b"), "statement"),
    (re.compile(r"\bin a speech\b"), "speech"),
    (re.compile(r"\btold reporters\b"), "remarks to reporters"),
    (re.compile(r"\btold (parliament|state television|a rally)\b"), "{0}"),
)


def role_key(word: str) -> str:
    """The form a role noun is compared in."""
    lowered = word.lower().strip(".,")
    return ROLE_SYNONYMS.get(lowered, lowered)
