"""Which of the clauses our library requires a vendor's agreement has: for each topic, present,
weak, missing or denied, with the sentence that decides it, quoted as the document says it.

The method (contract_clauses/README.md says more): the agreement is cut into sentences, an
item of a list keeping the words that introduce it. A sentence is about a topic when its cues
(cues.py) match. Who it binds is the last party named before its verb (`shall`, `s'engage à`,
`may`...). It counts for the vendor when it obliges the vendor (or grants the organisation a
right, for audits); it is weak when it hedges or falls short of our figures, and a refusal
when it frees the vendor of the duty (or denies the right). Across a topic's sentences a
refusal decides, then a shortfall in figures, then a plain obligation, then a hedged one.
A document that names no processing for the customer is not an agreement: nothing is found.

Pure: paragraphs in, findings out. No network, no model downloaded: the rules are the method."""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from vendortrack.contracts import cues
from vendortrack.contracts.reading import ITEM, Paragraph, without_number

# Recorded with each check and each decision on it: raise it with any change to the rules
# (tests/contracts/test_check.py pins the cues' fingerprint to it).
CHECKER_VERSION = 2  # 2: what three held-out sets taught (contract_clauses/README.md)
# The topics the rules read, in the order `contracts check` reports them. Each is both a topic of
# addenda.library.TOPICS (which orders them differently) and the id of the clause on it.
TOPICS = (
    "protection",
    "audit",
    "purpose",
    "access_requests",
    "breach",
    "return_destruction",
    "sub_processors",
    "cross_border",
    "personnel",
)
FINDINGS = ("present", "weak", "missing", "denied")
# Which sentence decides a topic. "reports": the vendor sends its own audit reports, weak,
# and the least said: a sentence that limits our audits to them says more.
RANK = {"denied": 4, "short": 3, "present": 2, "weak": 1, "reports": 0}
AS_FOUND = {"short": "weak", "reports": "weak"}
LONGEST_SENTENCE = 2_000  # characters; contracts' long sentences run to about 800
ABBREVIATIONS = re.compile(
    r"(?:\b(?:e\.g|i\.e|etc|inc|ltd|co|corp|art|arts|s|ss|no|nos|p|pp|cf|vol|sec|par|al|"
    r"M|Mr|Mrs|Ms|Dr|St|c\.-à-d|p\.\s?ex|ex|min|max|approx)|\b[A-Z])\.$",
)
SENTENCE_BREAK = re.compile(
    r"(?<=[.!?])\s+(?=[(\"“«A-ZÀ-ÖØ-Þ0-9])"
    r"|(?<=;)\s+(?=(?:and\s+|or\s+|et\s+|ou\s+)?\(?[a-z0-9ivx]{1,4}[.)]\s)"
)
WORDS = re.compile(r"[a-zà-ÿœ']+", re.IGNORECASE)
ENGLISH = frozenset({
    "the", "and", "of", "to", "shall", "will", "any", "with", "for", "or", "be", "is", "by",
    "this", "that", "which", "such", "its", "from", "as", "on", "under", "an", "are", "not", "all",
})  # fmt: skip
FRENCH = frozenset({
    "le", "la", "les", "des", "et", "du", "une", "est", "pour", "par", "au", "aux", "sur", "dans",
    "qui", "ou", "ne", "pas", "être", "à", "ce", "cette", "son", "ses", "leur", "sont",
})  # fmt: skip
VENDOR_DUTIES = 3  # sentences binding the vendor on personal information make an agreement
LANGUAGE_SHARE = 0.12  # of a document's words, at least, are common English or French words


@dataclass(frozen=True)
class Standard:
    """The organisation's own figures, which the agreement's are held to (Settings)."""

    breach_hours: int = 72
    notice_days: int = 30


@dataclass(frozen=True)
class Sentence:
    text: str  # verbatim, as a quote
    context: str  # the words that introduce it, for a list item; else ""
    paragraph: Paragraph

    @property
    def full(self) -> str:
        return f"{self.context} {self.text}" if self.context else self.text


@dataclass(frozen=True)
class Finding:
    clause: str
    finding: str  # one of FINDINGS
    quote: str = ""
    where: str = ""
    figures: dict = field(default_factory=dict)  # what was compared: {"hours": 96, "limit": 72}
    context: str = ""  # the paragraph the quote is in

    def as_json(self) -> dict:
        return {"clause": self.clause, "finding": self.finding, "quote": self.quote,
                "where": self.where}  # fmt: skip


@dataclass(frozen=True)
class Report:
    language: str  # "en", "fr" or "other"
    findings: list[Finding]
    is_agreement: bool


@dataclass(frozen=True)
class _Verdict:
    kind: str  # a key of RANK
    figures: dict = field(default_factory=dict)


def check(paragraphs: list[Paragraph], standard: Standard, vendor_names=(), library=None) -> Report:
    """The finding for every topic, then, given the clause library, for each of its other
    clauses (by their key phrases); is_agreement False (and all missing) for a document that
    holds no processing obligation, such as an NDA or a privacy notice."""
    sentences = list(split(paragraphs))
    language = language_of(" ".join(p.text for p in paragraphs))
    if not is_processing_agreement(sentences):
        return Report(language, [Finding(topic, "missing") for topic in TOPICS], False)
    parties = Parties.of(paragraphs, vendor_names)
    findings = [decide(topic, sentences, parties, standard) for topic in TOPICS]
    is_agreement = any(finding.finding != "missing" for finding in findings)
    if library is not None:
        others = [c for c in library.ordered() if c.id not in TOPICS]
        findings += [by_phrases(clause, sentences) for clause in others]
    return Report(language, findings, is_agreement)


def by_phrases(clause, sentences: list[Sentence]) -> Finding:
    """A library clause the rules do not read (the SCCs, cooperation, liability...): "present"
    where a sentence holds one of its key phrases (its `detect`), for legal to confirm or
    reject; else "missing". Weaker evidence than the rules', and the page says so."""
    phrases = [_comparable(p) for lang in clause.detect for p in clause.detect[lang]]
    for sentence in sentences:
        if any(phrase in _comparable(sentence.text) for phrase in phrases):
            paragraph = sentence.paragraph
            return Finding(clause.id, "present", sentence.text, paragraph.where, {}, paragraph.text)
    return Finding(clause.id, "missing")


def _comparable(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).casefold()


# --- sentences and language ------------------------------------------------------------------


def split(paragraphs: Iterable[Paragraph]) -> Iterator[Sentence]:
    """Each paragraph's sentences; the items of a list keep the sentence that introduced them."""
    lead_in, numbered = "", False
    for paragraph in paragraphs:
        if paragraph.is_heading:
            lead_in = ""
            continue
        if not _item_of(paragraph.text, numbered):
            lead_in = ""
        pieces = _pieces(without_number(paragraph.text))  # the number is in `where`
        for piece in pieces:
            yield Sentence(piece, lead_in, paragraph)
        if paragraph.text.rstrip().endswith(":"):
            lead_in = pieces[-1] if pieces else ""
            numbered = paragraph.text != without_number(paragraph.text)


def _item_of(text: str, lead_in_numbered: bool) -> bool:
    """Whether a paragraph continues the list a lead-in opened: an item ("(a)", "-", "1."), or
    words that go on in lower case. After a numbered lead-in ("2. The Customer shall:"), the
    next number is the next section, not an item."""
    if lead_in_numbered and text != without_number(text):
        return False
    return bool(ITEM.match(text)) or text[:1].islower()


def _pieces(text: str) -> list[str]:
    pieces, start = [], 0
    for match in SENTENCE_BREAK.finditer(text):
        # Only the words just before the break: "e.g." or "Inc." is the last word or two.
        if ABBREVIATIONS.search(text[max(start, match.start() - 12) : match.start()]):
            continue
        pieces.append(text[start : match.start()].strip())
        start = match.end()
    pieces.append(text[start:].strip())
    return [part for piece in pieces if piece for part in _bounded(piece)]


def _bounded(piece: str) -> list[str]:
    """A "sentence" longer than any a contract writes (a file of run-on text) in parts, cut
    between words: the cues then cost each part its length, never the whole text's."""
    if len(piece) <= LONGEST_SENTENCE:
        return [piece]
    parts, start = [], 0
    while start < len(piece):
        end = min(start + LONGEST_SENTENCE, len(piece))
        cut = piece.rfind(" ", start, end) if end < len(piece) else end
        end = cut if cut > start else end
        parts.append(piece[start:end].strip())
        start = end
    return [part for part in parts if part]


def language_of(text: str) -> str:
    """ "en" or "fr", by their common words; "other" when neither is common enough."""
    words = [word.lower() for word in WORDS.findall(text)]
    english = [word for word in words if word in ENGLISH]
    french = [word for word in words if word in FRENCH]
    common = max(english, french, key=len)
    # Two different words at least: German shares "des", Spanish "de" and "la".
    if len(common) < LANGUAGE_SHARE * len(words) or len(set(common)) < 2:
        return "other"
    return "en" if len(english) >= len(french) else "fr"


def is_processing_agreement(sentences: list[Sentence]) -> bool:
    """Personal information, processed for the customer: said in so many words, or by the
    vendor binding itself on personal information again and again (a services agreement's
    privacy schedule). An NDA, a licence or a privacy notice does neither."""
    text = " ".join(sentence.text for sentence in sentences)
    personal = personal_information(sentences)
    if not personal.search(text):
        return False
    if cues.CUSTOMER_DATA.search(text) or any(_processed_for_the_customer(s) for s in sentences):
        return True
    duties = sum(
        bool(cues.VENDOR_ROLE_DUTY.search(s.full) and personal.search(s.full)) for s in sentences
    )
    return duties >= VENDOR_DUTIES


def _processed_for_the_customer(sentence: Sentence) -> bool:
    """Information handled for the customer, in one sentence: not "services rendered on behalf
    of the Client" in a recruitment agency's definition of pay."""
    found = cues.PROCESSING_FOR_THE_CUSTOMER.search(sentence.full)
    return bool(found) and bool(cues.INFORMATION.search(sentence.full))


def personal_information(sentences: list[Sentence]) -> re.Pattern:
    """The words for personal information, with the names this agreement gives it: a US
    exhibit's "Participant Data" or a BAA's "Protected Information", defined as information
    about identifiable people, and then never called "personal information" again."""
    names = []
    for sentence in sentences:
        defined = cues.DEFINITION.search(sentence.text)
        if defined and cues.ABOUT_PEOPLE.search(sentence.text[defined.end() :]):
            names.append(rf"(?<![-\w]){re.escape(defined.group(1))}(?![-\w])")
    return re.compile("|".join([cues.PERSONAL.pattern, *names]), re.IGNORECASE)


# --- parties ----------------------------------------------------------------------------------

DEFINED = re.compile(
    r"[(（]\s*(?:ci-après\s+|hereinafter\s+|the\s+|individually\s+)?(?:désignée?\s+)?"
    r"(?:«\s*|[\"“])([^\"”»]{2,40}?)(?:\s*»|[\"”])"
)


@dataclass(frozen=True)
class Parties:
    """The names of the vendor and of the customer in this agreement, beyond the usual words."""

    vendor: re.Pattern
    customer: re.Pattern

    @classmethod
    def of(cls, paragraphs: list[Paragraph], vendor_names=()) -> "Parties":
        vendor, customer, unknown = list(vendor_names), [], []
        defined = [
            (match, paragraph.text)
            for paragraph in paragraphs[:60]  # parties are named at the start
            for match in DEFINED.finditer(paragraph.text)
        ]
        # Where the customer is defined by its role ("the Merchant"), another name defined is
        # not the customer's, whatever words surround it ("... De Nederlandsche Bank").
        customer_named = any(cues.CUSTOMER.fullmatch(m.group(1).strip()) for m, _ in defined)
        for match, text in defined:
            name = match.group(1).strip()
            if cues.VENDOR.search(name) or cues.CUSTOMER.search(name):
                continue  # one of the usual words already
            role = _role_around(text[max(0, match.start() - 200) : match.end()])
            if role == "customer" and customer_named:
                role = None
            {"vendor": vendor, "customer": customer, None: unknown}[role].append(name)
        # A name defined with no role ("Postlane Inc. ("Postlane")") that binds itself again
        # and again is the vendor's: an agreement's duties are mostly the vendor's.
        text = " ".join(p.text for p in paragraphs)
        vendor += [name for name in unknown if _binds_itself(name, text)]
        return cls(_names(vendor, cues.VENDOR), _names(customer, cues.CUSTOMER))


def _role_around(words: str) -> str | None:
    """The role the words before a defined name give it: "the customer ... ("Acme")"."""
    if cues.CUSTOMER.search(words) and not cues.VENDOR.search(words):
        return "customer"
    return "vendor" if cues.VENDOR.search(words) else None


SELF_BINDING = 3  # sentences in which a name is followed by "shall", "will", "s'engage"...


def _binds_itself(name: str, text: str) -> bool:
    duty = rf"\b{re.escape(name)}\s+(?:shall|will|must|agrees|s['’]engage|doit|devra)\b"
    return len(re.findall(duty, text)) >= SELF_BINDING


def _names(names: list[str], usual: re.Pattern) -> re.Pattern:
    if not names:
        return usual
    # Not \b: a name may end in a full stop ("Acme Inc.").
    own = "|".join(rf"(?<![-\w]){re.escape(name)}(?![-\w])" for name in names)
    return re.compile(f"{usual.pattern}|{own}", re.IGNORECASE)


def subject(text: str, verb: re.Match, parties: Parties) -> str | None:
    """ "vendor" or "customer": of the parties named before the verb, the last one that acts
    (named just before the verb, or followed by a verb of its own: "the Prestataire traite
    ..., conformément aux instructions du Client, et s'interdit"), else the last named."""
    before = text[: verb.start()]
    named = []
    for role, pattern in (("vendor", parties.vendor), ("customer", parties.customer)):
        for match in pattern.finditer(before):
            if _complement(before, match):
                continue
            rest = before[match.end() :]
            acts = re.fullmatch(rf"\s*{BEFORE_VERB}\s*", rest) is not None or _verb_follows(rest)
            named.append((acts, match.end(), role))
    if not named:
        return None
    adjacent = [each for each in named if ADJACENT.fullmatch(before[each[1] :])]
    if adjacent:
        return adjacent[-1][2]
    acting = {role for acts, _, role in named if acts}
    if acting:
        return "vendor" if "vendor" in acting else "customer"
    return max(named)[2]


# A party named as a noun's complement is not the one that acts: "the Renseignements de la
# Banque seront ...", "les employés du Fournisseur sont tenus", "Bank Information shall be ...".
OF_A_NOUN = re.compile(r"(?:\bof\s+(?:the\s+)?|\bd[eu]\s+|\bde\s+la\s+|\bdes\s+|\bd['’]\s*)$", re.I)
# "Customer's data", or a defined term in capitals ("Bank Information"); not a verb ("records").
DATA_NOUN = re.compile(
    r"['’]s\s+(?:[Pp]ersonal\s+)?(?:[Dd]ata|[Ii]nformation|[Rr]ecords|[Ff]iles)\b"
    r"|\s+(?:Personal\s+)?(?:Data|Information|Records|Files)\b"
)


def _complement(text: str, party: re.Match) -> bool:
    return bool(OF_A_NOUN.search(text[: party.start()]) or DATA_NOUN.match(text, party.end()))


def _role(name: str, parties: Parties) -> str:
    """Whose name this is: the vendor's, the customer's, or neither ("unnamed")."""
    name = re.sub(r"^(?:the\s+|le\s+|la\s+|l['’])", "", name, flags=re.IGNORECASE)
    if parties.vendor.fullmatch(name):
        return "vendor"
    return "customer" if parties.customer.fullmatch(name) else "unnamed"


def _verb_follows(text: str) -> bool:
    # A word, not the "n" of "n'est".
    following = re.match(rf"\s+{BEFORE_VERB}([a-zà-ÿ]{{2,}})\b(?!['’])", text)
    return bool(following) and not NOT_A_VERB.match(following.group(1))


@dataclass(frozen=True)
class Reading:
    """What one sentence does: who it binds, and how."""

    obliges: str | None  # the party a duty binds
    permits: str | None  # the party a permission is given to
    no_duty: str | None  # the party freed of a duty
    no_right: str | None  # the party denied a right

    @classmethod
    def of(cls, text: str, parties: Parties) -> "Reading":
        found = {}
        for name, pattern in (
            ("no_duty", cues.NO_DUTY),
            ("no_right", cues.NO_RIGHT),
            ("obliges", cues.OBLIGES),
            ("permits", cues.PERMITS),
        ):
            verb = pattern.search(text)
            found[name] = (subject(text, verb, parties) or "unnamed") if verb else None
        if not found["obliges"] and not found["no_duty"]:
            # Duties stated in the present: "Le Prestataire notifie le Client...", "the
            # Supplier deletes...": the party that acts is the one a verb follows.
            found["obliges"] = _acting_party(text, parties)
        if licensed := cues.LICENSED.search(text):
            found["permits"] = _role(next(g for g in licensed.groups() if g), parties)
        if found["obliges"] == "customer" and cues.TOLD_PASSIVE.search(text):
            found["obliges"] = "unnamed"  # "the Customer will be notified": told, by the vendor
        return cls(**found)

    @property
    def binds_vendor(self) -> bool:
        return self.obliges in ("vendor", "unnamed")


# Words after a party's name that are not a verb it governs.
NOT_A_VERB = re.compile(
    r"(?:['’]s|of|and|or|to|in|for|with|from|by|under|as|at|on|that|which|who|whom|is|are|was|"
    r"be|been|has|have|had|may|can|not|no|a|an|the|its|their|his|her|all|any|each|every|this|"
    r"these|those|such|within|without|if|where|when|before|after|during|upon|into|hereby|"
    r"et|ou|de|du|des|à|au|aux|en|dans|pour|par|sur|qui|que|dont|peut|peuvent|pourra|pourront|"
    r"pouvons|pourrons|pouvez|pourrez|"
    r"le|la|les|un|une|ce|cette|ces|ses|son|sa|leur|leurs|tout|toute|tous|toutes|lorsque|si|"
    r"avant|après|pendant|sans|est|sont|ont|a)$",
    re.IGNORECASE,
)
# What may stand between the party and its verb: an adverb, a negation, a pronoun.
# Each pronoun a whole word: "legally" is no "le" + "gally" (which made the search exponential).
BEFORE_VERB = r"(?:\w+ly\s+|ne\s+|n['’]\s*|(?:lui|leur|les|le|la|y|en|se)\b\s*|[ls]['’]\s*)*"


# Between a party and its verb: its companions ("we and our Sub-processors may"), an adverb...
COMPANIONS = r"(?:(?:and|or|et|ou)\s+(?:its|our|their|ses|nos|leurs)\s+[-\w]+(?:\s+[-\w]+)?\s*)?"
ADJACENT = re.compile(rf"\s*{COMPANIONS}{BEFORE_VERB}\s*", re.IGNORECASE)

PRONOUN = re.compile(r"\b(?:it|celui-ci|celle-ci|il|elle)\b", re.IGNORECASE)


def _acting_party(text: str, parties: Parties) -> str | None:
    """The party whose name a lower-case verb follows ("the Supplier notifies", "le
    Prestataire n'utilise"), the vendor first: a sentence that has the vendor act is about
    the vendor's duty, whatever else the customer does in it."""
    mentions = sorted(
        (match.start(), match.end(), role)
        for role, pattern in (("vendor", parties.vendor), ("customer", parties.customer))
        for match in pattern.finditer(text)
        if not _complement(text, match)
    )
    acting = {role for _, end, role in mentions if _verb_follows(text[end:])}
    # "..., celui-ci la transmet": a pronoun acts for the party named last before it.
    for pronoun in PRONOUN.finditer(text):
        before = [role for start, _, role in mentions if start < pronoun.start()]
        if before and _verb_follows(text[pronoun.end() :]):
            acting.add(before[-1])
    return "vendor" if "vendor" in acting else next(iter(acting), None)


# --- topics -----------------------------------------------------------------------------------


def decide(topic: str, sentences: list[Sentence], parties: Parties, standard: Standard):
    best: tuple[tuple[int, bool], Sentence, _Verdict] | None = None
    for sentence in sentences:
        if cues.DEFINITION.search(sentence.text) or not ABOUT[topic](sentence):
            continue
        verdict = JUDGE[topic](sentence, Reading.of(sentence.full, parties), standard)
        if verdict and verdict.kind == "denied" and not _refuses_topic(sentence, topic):
            verdict = None  # it refuses something else the sentence also speaks of
        # Of two sentences alike, one that says "shall" decides over one read from its verb.
        rank = (RANK[verdict.kind], bool(cues.OBLIGES.search(sentence.full))) if verdict else None
        if rank and (best is None or rank > best[0]):
            best = (rank, sentence, verdict)
    if best is None:
        return Finding(topic, "missing")
    _, sentence, verdict = best
    finding = AS_FOUND.get(verdict.kind, verdict.kind)
    paragraph = sentence.paragraph
    return Finding(topic, finding, sentence.text, paragraph.where, verdict.figures, paragraph.text)


REFUSAL_REACH = 120  # characters between the refusing words and the topic they refuse


def _refuses_topic(sentence: Sentence, topic: str) -> bool:
    """Whether the sentence's refusal is of this topic: "we make no commitment as to the
    location, ... and our sub-processors" refuses a commitment on place, not on sub-processors.
    A permission that frees the vendor (its own purposes, any country) is the topic itself."""
    text = sentence.text
    refusal = cues.NO_DUTY.search(text) or cues.NO_RIGHT.search(text)
    if refusal is None or (topic in FREE_CUES and FREE_CUES[topic].search(text)):
        return True
    # The topic named after the refusal ("no obligation to notify ... breaches"), or just before
    # it ("requests from individuals ..., and we shall not be obliged to assist").
    return any(
        -REFUSAL_REACH <= found.start() - refusal.start() <= REFUSAL_REACH
        for found in TOPIC_CUES[topic].finditer(text)
    )


def _duty(
    sentence: Sentence, reading: Reading, *, free: re.Pattern | None = None
) -> _Verdict | None:
    """The usual reading: a refusal, a hedged duty, a duty, or nothing said by the vendor."""
    text = sentence.full
    if cues.LIABILITY.search(text) and not cues.OBLIGES.search(text):
        return None  # who answers for a failure, not a duty: "ne saurait être tenu responsable"
    if reading.no_duty in ("vendor", "unnamed") and not cues.EXCEPT.search(sentence.text):
        return _Verdict("denied")
    if free and reading.permits in ("vendor", "unnamed") and _frees(free, sentence.text):
        return _Verdict("denied")
    if reading.binds_vendor:
        return _Verdict("weak") if cues.HEDGE.search(text) else _Verdict("present")
    return None


NEGATED = re.compile(r"\b(?:not|never|jamais|pas|ni)\b(?:\s+\w+){0,3}\s*$", re.IGNORECASE)


def _frees(pattern: re.Pattern, text: str) -> bool:
    """Words that free the vendor ("without notice", "any country"), unless negated: "but
    never without informing the Client", "shall not do so without consent"."""
    return any(not NEGATED.search(text[: found.start()]) for found in pattern.finditer(text))


def _judge_protection(sentence, reading, standard):
    return _duty(sentence, reading)


def _judge_audit(sentence, reading, standard):
    text = sentence.text
    reports = cues.AUDIT_REPORTS.search(sentence.full)
    if (
        reading.no_right in ("customer", "unnamed")
        or reading.no_duty in ("vendor", "unnamed")
        or cues.GRANTS_NO_RIGHT.search(text)
    ):
        if reports or cues.EXCEPT.search(text) or cues.ONLY_REPORTS.search(text):
            return _Verdict("weak")  # a limit (to reports, to once a year), not a refusal
        return _Verdict("denied")
    if reading.obliges == "customer" and reports:
        return _Verdict("weak")  # the customer undertakes to audit through reports only
    grants = reading.permits == "customer" or (
        reading.binds_vendor and cues.AUDIT_GRANT.search(sentence.full)
    )
    if not grants:
        return _reports_given(sentence, reading, reports)
    if reports and (cues.ONLY_REPORTS.search(text) or not cues.REAL_AUDIT.search(text)):
        return _Verdict("weak")  # verified through the vendor's reports, not audited
    return _Verdict("weak") if cues.HEDGE.search(sentence.full) else _Verdict("present")


def _reports_given(sentence, reading, reports) -> _Verdict | None:
    """The vendor sends its own reports (SOC 2, a certificate): verification by paper."""
    if reading.binds_vendor and reports and cues.REPORTS_GIVEN.search(sentence.full):
        return _Verdict("reports")
    return None


def _judge_purpose(sentence, reading, standard):
    if reading.permits in ("vendor", "unnamed") and _frees(cues.PURPOSE_FREE, sentence.text):
        return _Verdict("denied")
    if not cues.PURPOSE_LIMIT.search(sentence.full):
        return None
    return _duty(sentence, reading)


def _judge_breach(sentence, reading, standard):
    verdict = _duty(sentence, reading)
    if verdict is None or verdict.kind == "denied":
        return verdict
    hours = _period_near(cues.NOTIFY, sentence.text)
    if hours is not None and hours > standard.breach_hours:
        return _Verdict("short", {"hours": hours, "limit": standard.breach_hours})
    return verdict


def _judge_return(sentence, reading, standard):
    if cues.KEEP_FREELY.search(sentence.text):
        return _Verdict("denied")
    verdict = _duty(sentence, reading)
    if verdict and verdict.kind == "present":
        on_request = cues.ON_REQUEST_ONLY.search(sentence.full)
        if on_request and not cues.END_OF_SERVICE.search(sentence.full):
            return _Verdict("weak")
    return verdict


def _judge_sub_processors(sentence, reading, standard):
    free = _frees(cues.SUB_PROCESSORS_FREE, sentence.text)
    # "without notice or consent" names a control only to refuse it; a general authorisation
    # given in advance is none.
    rest = cues.GENERAL_AUTHORISATION.sub(" ", cues.SUB_PROCESSORS_FREE.sub(" ", sentence.full))
    controlled = cues.SUB_PROCESSOR_CONTROL.search(rest)
    if reading.permits in ("vendor", "unnamed") and free and not controlled:
        return _Verdict("denied")
    if not controlled:
        return None
    verdict = _duty(sentence, reading)
    if verdict is None and reading.permits in ("vendor", "unnamed"):
        verdict = _Verdict("present")  # free to engage them, on the control the sentence sets
    if verdict and verdict.kind == "present" and _told_too_late(rest):
        verdict = _Verdict("weak")
    hours = _period_near(cues.SUB_PROCESSOR_CONTROL, sentence.text)
    if verdict and verdict.kind != "denied" and hours is not None:
        days = round(hours / 24)
        if days < standard.notice_days:
            return _Verdict("short", {"days": days, "limit": standard.notice_days})
    return verdict


def _told_too_late(control: str) -> bool:
    """The customer told of a sub-processor once it is engaged, with no say: too late to
    object ("shall notify Business of any subcontractor engaged")."""
    told = cues.TOLD.search(control)
    return bool(told) and not (cues.SAY_IN_IT.search(control) or cues.BEFOREHAND.search(control))


def _judge_cross_border(sentence, reading, standard):
    return _duty(sentence, reading, free=cues.TRANSFER_FREE)


def _judge_with(also: re.Pattern):
    def judge(sentence, reading, standard):
        return _duty(sentence, reading) if also.search(sentence.full) else None

    return judge


def _period_near(words: re.Pattern, text: str) -> int | None:
    """The period, in hours, that a notice is given in: the one nearest the words of notice
    ("30 days' notice", "notify ... within 24 hours"), not another the sentence also sets ("a
    final report within 30 days"); None if it names none."""
    periods = list(cues.DURATION.finditer(text))
    if not periods:
        return None
    notice = words.search(text)
    if notice is None:
        return _hours(periods[0])
    nearest = min(
        periods, key=lambda p: min(abs(p.start() - notice.end()), abs(notice.start() - p.end()))
    )
    return _hours(nearest)


def _hours(match: re.Match) -> int:
    amount, unit = match.group(1).lower(), match.group(3).lower().rstrip("s")
    number = int(amount) if amount.isdigit() else cues.NUMBER_WORDS[amount]
    return number * cues.HOURS_PER.get(unit.split()[0], 24)


def _about(pattern: re.Pattern, *, unless: re.Pattern | None = None):
    def about(sentence: Sentence) -> bool:
        return bool(pattern.search(sentence.text)) and not (unless and unless.search(sentence.text))

    return about


def _about_breach(sentence: Sentence) -> bool:
    return bool(cues.BREACH.search(sentence.full)) and bool(cues.NOTIFY.search(sentence.text))


def _about_return(sentence: Sentence) -> bool:
    """Giving back or destroying the data when the service ends (or on request), or keeping it
    as long as the vendor likes; not the "accidental destruction" of a breach, nor a person's
    request for erasure."""
    if cues.KEEP_FREELY.search(sentence.text):
        return True
    return (
        bool(cues.RETURN_DESTRUCTION.search(sentence.text))
        and bool(cues.RETURNED.search(sentence.full))
        and bool(
            cues.END_OF_SERVICE.search(sentence.full) or cues.ON_REQUEST_ONLY.search(sentence.full)
        )
        and not cues.ACCESS_REQUESTS.search(sentence.full)
    )


def _about_protection(sentence: Sentence) -> bool:
    """The vendor's safeguards; not a breach, nor those it asks of a sub-processor ("we will
    require each Sub-processor to protect ..."), which is the sub-processors' topic."""
    safeguard = cues.PROTECTION.search(sentence.text)
    asked = cues.ASKED_OF_SUB_PROCESSORS.search(sentence.text)
    if not safeguard or (asked and asked.start() < safeguard.start()):
        return False
    return not _about_breach(sentence)


# What frees the vendor outright on a topic, a permission rather than a refusal.
FREE_CUES = {
    "purpose": cues.PURPOSE_FREE,
    "sub_processors": cues.SUB_PROCESSORS_FREE,
    "cross_border": cues.TRANSFER_FREE,
    "return_destruction": cues.KEEP_FREELY,
}
TOPIC_CUES = {
    "protection": cues.PROTECTION,
    "audit": cues.AUDIT,
    "purpose": cues.PURPOSE,
    "access_requests": cues.ACCESS_REQUESTS,
    "breach": cues.BREACH,
    "return_destruction": cues.RETURN_DESTRUCTION,
    "sub_processors": cues.SUB_PROCESSORS,
    "cross_border": cues.CROSS_BORDER,
    "personnel": cues.PERSONNEL,
}
ABOUT = {
    "protection": _about_protection,
    "audit": _about(cues.AUDIT),
    "purpose": _about(cues.PURPOSE, unless=cues.ACCESS_REQUESTS),
    "access_requests": _about(cues.ACCESS_REQUESTS),
    "breach": _about_breach,
    "return_destruction": _about_return,
    "sub_processors": _about(cues.SUB_PROCESSORS),
    "cross_border": _about(cues.CROSS_BORDER),
    "personnel": _about(cues.PERSONNEL),
}
JUDGE = {
    "protection": _judge_protection,
    "audit": _judge_audit,
    "purpose": _judge_purpose,
    "access_requests": _judge_with(cues.ACCESS_ACTION),
    "breach": _judge_breach,
    "return_destruction": _judge_return,
    "sub_processors": _judge_sub_processors,
    "cross_border": _judge_cross_border,
    "personnel": _judge_with(cues.CONFIDENTIALITY),
}
