"""The checks. Each reads one block (a paragraph, or a headline) and yields (start, end, suggestion, message).

Offsets are in the block's text; a suggestion of None means there is no mechanical fix. They run on every
keystroke pause in the editor, so each scans the text once in C (a regex, `str.split`) and looks closer
only at the few places that scan finds.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, count, repeat
from operator import eq


@dataclass(frozen=True)
class StyleRule:
    discouraged: str
    preferred: str
    note: str = ""
    whole_word: bool = True
    case_sensitive: bool = False


@dataclass(frozen=True)
class House:
    style: tuple = ()  # StyleRule, ...
    curly_quotes: bool = False
    sentence_case_headlines: bool = True
    longest_sentence: int = 45
    longest_paragraph: int = 120


@lru_cache(maxsize=32)
def style_patterns(rules):
    """A pattern per kind of entry (case-sensitive or not, whole word or not), longest forms first, with a lookup."""
    patterns = []
    for case_sensitive in (True, False):
        for whole_word in (True, False):
            group = [r for r in rules if (r.case_sensitive, r.whole_word) == (case_sensitive, whole_word)]
            forms = sorted({r.discouraged for r in group if r.discouraged}, key=lambda form: (-len(form), form))
            if not forms:
                continue
            alternatives = "|".join(re.escape(form) for form in forms)
            pattern = rf"(?<!\w)(?:{alternatives})(?!\w)" if whole_word else alternatives
            lookup = {}
            for rule in group:
                lookup.setdefault(rule.discouraged if case_sensitive else rule.discouraged.lower(), rule)
            flags = 0 if case_sensitive else re.IGNORECASE
            patterns.append((re.compile(pattern, flags), lookup, case_sensitive))
    return patterns


def matching_case(found, preferred):
    """The house form with the capitals of the form found: KIEV -> KYIV, E-mail -> Email."""
    if len(found) > 1 and found.isupper():
        return preferred.upper()
    if found[:1].isupper() and preferred[:1].islower():
        return preferred[:1].upper() + preferred[1:]
    return preferred


def house_style(block, house):
    for pattern, lookup, case_sensitive in style_patterns(house.style):
        for match in pattern.finditer(block.text):
            found = match[0]
            rule = lookup.get(found if case_sensitive else found.lower())
            if rule is None:
                continue
            suggestion = rule.preferred if case_sensitive else matching_case(found, rule.preferred)
            if suggestion == found:
                continue
            note = f" {rule.note}" if rule.note else ""
            yield match.start(), match.end(), suggestion, f"“{suggestion}”, not “{found}”.{note}"


# A phrase of two words or more glued to its own repeat ("Defense MinistryDefense Ministry"). A glued single
# word ("Walla Walla" written as one) is too often real.
GLUED_REPEAT = re.compile(r"\b([A-Z][\w'’-]*(?: [\w'’-]+){1,5})\1+\b")
TRAILING_PUNCTUATION = ".,;:!?)]}\"'”’…"
PHRASE_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
TOKEN = re.compile(r"\S+")
LONGEST_REPEAT = 5  # words in a repeated phrase
# Doubled on purpose in good English.
MEANT_TWICE = frozenset({
    "had", "that", "is", "bye", "ha", "hey", "no", "so", "very", "tut", "chop", "knock", "yada", "blah", "la",
    "hush", "tom", "pom",
})  # fmt: skip


# Where a glued repeat could start: a capital straight after a letter (MinistryDefense, IIWorld; McDonald too).
GLUE = re.compile(r"[a-z'’-][A-Z]|[A-Z]{2}[a-z]")


def glued_repeats(block, house):
    if GLUE.search(block.text):
        for match in GLUED_REPEAT.finditer(block.text):
            yield match.start(), match.end(), match[1], f"“{match[1]}” glued to its own repeat."


def repeats(block, house):
    text = block.text
    lowered = text.lower().split()  # case never makes or takes a space: these line up with block.words
    bare = list(map(str.rstrip, lowered, repeat(TRAILING_PUNCTUATION)))
    # Where a word comes back k words later, found in C (compress, map): few places, looked at closer below.
    candidates = sorted(
        (i, k) for k in range(1, LONGEST_REPEAT + 1) for i in compress(count(), map(eq, bare, bare[k:]))
    )
    spans, done = None, 0
    for i, k in candidates:
        if i < done or not bare[i] or bare[i : i + k] != bare[i + k : i + 2 * k]:
            continue
        if lowered[i : i + 2 * k - 1] != bare[i : i + 2 * k - 1] or not all(
            map(PHRASE_WORD.fullmatch, bare[i : i + k])
        ):
            continue  # "Kiev. Kiev", "2 2"
        copies = 2
        while (
            lowered[i + (copies - 1) * k : i + copies * k] == bare[i : i + k]
            and bare[i + copies * k : i + (copies + 1) * k] == bare[i : i + k]
        ):
            copies += 1
        words = block.words
        if k == 1 and (
            bare[i] in MEANT_TWICE or (words[i][:1].isupper() and words[i] == words[i + 1].rstrip(TRAILING_PUNCTUATION))
        ):
            continue  # "had had", and names such as "Walla Walla" or "Bora Bora"
        spans = spans or [match.span() for match in TOKEN.finditer(text)]
        last = i + copies * k - 1
        start, end = spans[i][0], spans[last][0] + len(words[last].rstrip(TRAILING_PUNCTUATION))
        phrase = text[start : spans[i + k - 1][1]]
        done = last + 1
        yield start, end, phrase, f"“{phrase}” repeated."


LOST_APOSTROPHE = re.compile(r" s(?=[\s,.;:!?]|$)")
WORD_BEFORE = re.compile(r"[^\W\d_]{2,}$")
# Where a lone s is the letter itself: "the letter s", "a silent s", "type s to save", "size s".
LETTER_S_AFTER = frozenset({
    "the", "an", "letter", "plural", "silent", "final", "extra", "lowercase", "small", "capital", "type",
    "press", "key", "size", "initial",
})  # fmt: skip


def apostrophes(block, house):
    text = block.text
    mark = "’" if house.curly_quotes else "'"
    for match in LOST_APOSTROPHE.finditer(text):
        word = WORD_BEFORE.search(text, max(0, match.start() - 60), match.start())
        if word is None or (word.start() and text[word.start() - 1].isalnum()):
            continue
        word = word[0]
        if not word[1:].islower() or word.lower() in LETTER_S_AFTER:
            continue
        suggestion = f"{word}{mark}s"
        start = match.start() - len(word)
        yield start, match.end(), suggestion, f"A possessive without its apostrophe: “{suggestion}”."


DOUBLED_SPACE = re.compile(r"[ \u00a0]{2,}")
SPACE_BEFORE = re.compile(r"[ \u00a0]+([,;:!?.])")


def spacing(block, house):
    text = block.text
    for match in SPACE_BEFORE.finditer(text):
        start, end = match.span()
        after = text[end : end + 1]
        if not text[start - 1 : start].isalnum() or after.isalnum() or (match[1] == "." and after == "."):
            continue  # ".NET", ".5", an ellipsis " ..."
        yield start, end, match[1], f"A space before “{match[1]}”."
    if "  " not in text and "\u00a0" not in text:
        return
    for match in DOUBLED_SPACE.finditer(text):
        start, end = match.span()
        if start == 0 or end == len(text) or text[end] in ",;:!?.":
            continue
        yield start, end, " ", "A doubled space."


STRAIGHT_QUOTE = re.compile("[\"']")
OPENING = " \u00a0\t\n([{‘“—–-/"


def straight_quotes(block, house):
    if not house.curly_quotes:
        return
    text = block.text
    for match in STRAIGHT_QUOTE.finditer(text):
        at = match.start()
        before, after = text[at - 1 : at], text[at + 1 : at + 2]
        if before.isdigit():
            continue  # feet and inches, minutes and seconds: primes, not quotes
        if match[0] == '"':
            curly = "“" if not before or before in OPENING else "”"
        elif before.isalnum() or after.isdigit():
            curly = "’"  # an apostrophe ("it’s", "’90s") or a closing quote
        else:
            curly = "‘" if not before or before in OPENING else "’"
        yield at, at + 1, curly, f"A straight quote: the house uses curly ones (“{curly}”)."


SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)")


def long_sentences(block, house):
    text, start = block.text, 0
    ends = [match.end() for match in SENTENCE_END.finditer(text)]
    if not ends or ends[-1] < len(text):
        ends.append(len(text))
    for end in ends:
        sentence = text[start:end]
        words = len(sentence.split())
        if words > house.longest_sentence:
            lead = len(sentence) - len(sentence.lstrip())
            message = f"A long sentence: {words} words (the house's limit is {house.longest_sentence})."
            yield start + lead, end, None, message
        start = end


def long_paragraph(block, house):
    words = len(block.words)
    if words > house.longest_paragraph:
        text = block.text
        start, end = len(text) - len(text.lstrip()), len(text.rstrip())
        yield start, end, None, f"A long paragraph: {words} words (the house's limit is {house.longest_paragraph})."


BRACKET = re.compile(r"[()\[\]{}]")
PAIRS = {")": "(", "]": "[", "}": "{"}
# A closing bracket that closes nothing: list markers ("a)", "2)") and smileys (":)").
LONE_CLOSING = re.compile(r"(?:(?<=\s)|^)[a-zA-Z0-9]{1,2}\)|[:;]-?[()]")


def brackets(block, house):
    text = block.text
    marks = list(BRACKET.finditer(text))
    if not marks:
        return
    skipped = {match.end() - 1 for match in LONE_CLOSING.finditer(text)} if ")" in text or "(" in text else set()
    opened = []
    for match in marks:
        at, mark = match.start(), match[0]
        if at in skipped:
            continue
        if mark not in PAIRS:
            opened.append((at, mark))
        elif opened and opened[-1][1] == PAIRS[mark]:
            opened.pop()
        else:
            yield at, at + 1, None, f"“{mark}” closes a bracket that was never opened."
    for at, mark in opened:
        yield at, at + 1, None, f"“{mark}” is never closed."


HEADLINE_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# Words title case leaves in lower case (AP and Chicago): their capitals do not make a headline title case.
SMALL_WORDS = frozenset({
    "a", "an", "the", "and", "but", "or", "nor", "for", "so", "yet", "as", "at", "by", "in", "of", "off", "on",
    "per", "to", "up", "via", "vs", "with", "from", "into", "onto", "over", "than",
})  # fmt: skip


def headline_case(block, house):
    if not house.sentence_case_headlines:
        return
    text = block.text
    words = HEADLINE_WORD.findall(text)
    if len(words) < 3:
        return
    if not any(c.islower() for c in text) and sum(len(w) > 1 for w in words) >= 3:
        yield 0, len(text), None, "A headline in capitals: the house writes headlines in sentence case."
        return
    later = [w for w in words[1:] if w.lower() not in SMALL_WORDS]
    capitalised = [w for w in later if w[:1].isupper()]
    if len(later) >= 3 and len(capitalised) == len(later) and sum(not w.isupper() for w in capitalised) >= 2:
        message = (
            "A headline in title case: the house writes headlines in sentence case (capitals for the first word "
            "and for names only)."
        )
        yield 0, len(text), None, message


def quote_marks(blocks):
    """Per block, the double quotes left unbalanced, as the checks yield them.

    Quotes balance over a field's paragraphs: a quotation that runs on opens each paragraph again and closes
    only in its last (the news convention), so an open quote is fine when the next paragraph opens one.
    Single quotes are left alone: ’ is also the apostrophe.
    """
    texts = [block.text for block in blocks]
    found = []
    for number, text in enumerate(texts):
        following = texts[number + 1].lstrip() if number + 1 < len(texts) else ""
        runs_on = following[:1] in {"“", '"'}
        problems, opened = [], []
        for match in re.finditer("[“”]", text):
            if match[0] == "“":
                opened.append(match.start())
            elif opened:
                opened.pop()
            else:
                problems.append((match.start(), "A closing quote mark with no opening one."))
        if opened and not runs_on:
            problems += [(at, "An opening quote mark that is never closed.") for at in opened]
        straight = [m.start() for m in re.finditer('"', text) if not text[m.start() - 1 : m.start()].isdigit()]
        if len(straight) % 2 and not runs_on:
            problems.append((straight[-1], "A quote mark that is never closed (or opened)."))
        found.append([(at, at + 1, None, message) for at, message in sorted(problems)])
    return found


BLOCK_CHECKS = {
    "style": house_style,
    "glued": glued_repeats,
    "repeat": repeats,
    "apostrophe": apostrophes,
    "spacing": spacing,
    "brackets": brackets,
    "curly-quotes": straight_quotes,
    "long-sentence": long_sentences,
    "long-paragraph": long_paragraph,
    "headline-case": headline_case,
}
