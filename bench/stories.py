"""Synthetic stories that look like a newsroom archive: sections, bylines with roles, tags, 20 years of dates.

Text is built from English news vocabulary with a Zipf-like word frequency (function words common, names
rare), so text search sees a realistic mix of very common, common and rare terms. Bodies are clean HTML
(paragraphs, the odd subheading and quote) of the kind articles/sanitize.py keeps unchanged.
"""

import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape, unescape
from itertools import accumulate
from pathlib import Path

from faker.providers.address.en_US import Provider as Address
from faker.providers.lorem.en_US import Provider as Lorem
from faker.providers.person.en_US import Provider as Person

# The wire sample (shared/samples/000_b48d73fa71903dbf.txt), kept with the demo content.
SAMPLES = Path(__file__).resolve().parent.parent / "articles" / "demo"

SECTIONS = [
    ("News", "news"),
    ("World", "world"),
    ("Politics", "politics"),
    ("Business", "business"),
    ("Science", "science"),
    ("Technology", "technology"),
    ("Health", "health"),
    ("Sport", "sport"),
    ("Culture", "culture"),
    ("Opinion", "opinion"),
    ("Environment", "environment"),
    ("Education", "education"),
]
ARTICLE_TYPES = ["news"] * 14 + ["analysis", "analysis", "opinion", "review", "explainer"]
FUNCTION_WORDS = [
    "the", "of", "and", "to", "a", "in", "that", "is", "for", "on", "was", "with", "he", "it", "as", "at", "by",
    "said", "from", "his", "be", "have", "has", "are", "an", "not", "but", "they", "were", "which", "this", "will",
    "their", "had", "who", "been", "after", "also", "its", "more", "would", "there", "about", "over", "new", "one",
    "than", "two", "first", "when", "last", "into", "she", "her", "up", "all", "could", "or", "other",
]  # fmt: skip
# The most frequent content words of news copy lead the vocabulary; sample and dictionary words follow, then a
# long tail of coined words, so a rare word is found in a handful of stories and a common one in many.
HEAD_WORDS = [
    "government", "police", "people", "year", "minister", "president", "week", "country", "city", "report",
    "officials", "state", "million", "court", "election", "party", "company", "military", "border", "talks",
]  # fmt: skip
TAIL_WORDS = 60_000
SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"] + ["stra", "vel", "mon", "tor", "ish", "ank"]
PLACES = [
    "Minsk", "Kyiv", "Moscow", "Warsaw", "Vilnius", "Riga", "Berlin", "Paris", "Brussels", "London",
    "Madrid", "Rome", "Athens", "Ankara", "Cairo", "Nairobi", "Lagos", "Delhi", "Beijing", "Tokyo",
    "Seoul", "Manila", "Jakarta", "Sydney", "Ottawa", "Washington", "Mexico", "Brasilia", "Lima", "Santiago",
]  # fmt: skip
NEWS_NAMES = ["Lukashenko", "Khrenin", "Putin", "Zelensky", "Macron", "Scholz", "Tusk", "Sunak", "Modi", "Lula"]
TWENTY_YEARS = timedelta(days=365 * 20)
CORRECTION_KINDS = ["correction", "correction", "clarification", "update"]
BATCH = 2_000  # stories drawn from one seed (the first story's id); load_stories.py COPYs one batch at a time


@dataclass
class Story:
    headline: str
    body: str
    words: int
    status: str
    published_at: datetime
    standfirst: str
    dateline: str
    article_type: str
    section: object
    correction: tuple | None  # (kind, note)
    credits: list  # [(author, role)]
    tags: list


def sample_words():
    words = []
    for path in sorted(SAMPLES.glob("*.txt")) if SAMPLES.is_dir() else []:
        words += re.findall(r"[A-Za-z][a-z']+", path.read_text(encoding="utf-8", errors="replace"))
    return words


def zipf(size, flattening):
    """Cumulative Zipf-Mandelbrot weights: 1 / (rank + flattening), so the head words are common, not everywhere."""
    return list(accumulate(1 / (rank + flattening) for rank in range(1, size + 1)))


class StoryWriter:
    """Writes stories deterministically from a seed."""

    def __init__(self, seed):
        self.random = random.Random(seed)
        known = list(dict.fromkeys(w.lower() for w in sample_words() + list(Lorem.word_list)))
        known = [w for w in known if w not in FUNCTION_WORDS and w not in HEAD_WORDS]
        self.random.shuffle(known)
        coined = {"".join(self.random.choices(SYLLABLES, k=self.random.randint(2, 4))) for _ in range(TAIL_WORDS)}
        self.content = HEAD_WORDS + known + sorted(coined - set(known))
        self.proper_first = list(Person.first_names)
        self.proper_last = list(Person.last_names)
        self.proper = PLACES + NEWS_NAMES + self.proper_last + list(Address.states)
        self.random.shuffle(self.proper)
        # Zipf over content words and over names, with a steady share of function words.
        self.content_weights = zipf(len(self.content), 50)
        self.proper_weights = zipf(len(self.proper), 10)
        # Escaped once here, so a body is joined from ready-made HTML text.
        self.sentences = [escape(self._sentence()) for _ in range(150_000)]

    def _sentence(self):
        rnd = self.random
        length = rnd.randint(9, 30)
        words = []
        for _ in range(length):
            roll = rnd.random()
            if roll < 0.42:
                words.append(rnd.choice(FUNCTION_WORDS))
            elif roll < 0.93:
                words.append(rnd.choices(self.content, cum_weights=self.content_weights)[0])
            else:
                words.append(rnd.choices(self.proper, cum_weights=self.proper_weights)[0])
        if length > 14:
            words[length // 2] += ","
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def headline(self):
        rnd = self.random
        words = rnd.choices(self.content, cum_weights=self.content_weights, k=rnd.randint(4, 9))
        words.append(rnd.choice(self.proper))
        rnd.shuffle(words)
        text = " ".join(words)
        return text[0].upper() + text[1:]

    def body(self):
        """Clean HTML and its word count: 5-14 paragraphs of 2-4 sentences (about 200-800 words, 550 on average)."""
        rnd = self.random
        parts, words = [], 0
        for index in range(rnd.randint(5, 14)):
            text = " ".join(rnd.choices(self.sentences, k=rnd.randint(2, 4)))
            words += text.count(" ") + 1
            if index and index % 7 == 0 and rnd.random() < 0.5:
                parts.append(f"<h2>{rnd.choice(self.sentences)[:60].rsplit(' ', 1)[0].rstrip(',.')}</h2>")
            elif index and rnd.random() < 0.05:
                parts.append(f"<blockquote><p>{text}</p></blockquote>")
                continue
            parts.append(f"<p>{text}</p>")
        return "".join(parts), words

    def standfirst(self):
        """Plain text, not HTML."""
        return unescape(" ".join(self.random.choices(self.sentences, k=self.random.randint(1, 2))))[:600]

    def published_at(self, now):
        """Spread over 20 years, busier in recent years (the archive grows)."""
        return now - TWENTY_YEARS * (self.random.random() ** 1.6)

    def status(self):
        roll = self.random.random()
        if roll < 0.95:
            return "published"
        return ["draft", "review", "withdrawn", "scheduled"][int((roll - 0.95) / 0.0125)]

    def author_name(self):
        return self.random.choice(self.proper_first) + " " + self.random.choice(self.proper_last)

    def tag_name(self):
        return f"{self.random.choice(self.proper)} {self.random.choice(self.content[:800])}".title()

    def credits(self, authors):
        """Several bylines per story with roles: one or two writers, sometimes extra reporting, sometimes photos."""
        rnd = self.random
        chosen = rnd.sample(authors, 4)
        credits = [(chosen[0], "by")]
        if rnd.random() < 0.35:
            credits.append((chosen[1], "by"))
        if rnd.random() < 0.3:
            credits.append((chosen[2], "additional"))
        if rnd.random() < 0.25:
            credits.append((chosen[3], "photos"))
        return credits


def stories(writer, first_id, count, moment, sections, authors, tags):
    """(id, Story) from first_id on, the same whichever site loads them: the draws are seeded every BATCH ids.

    A scheduled story is published in the coming days (its date in the future), the others in the past 20 years.
    """
    for story_id in range(first_id, first_id + count):
        if (story_id - first_id) % BATCH == 0:
            writer.random.seed(story_id)
        rnd = writer.random
        headline = writer.headline()
        body, words = writer.body()
        status = writer.status()
        published_at = writer.published_at(moment)
        if status == "scheduled":
            status, published_at = "published", moment + (moment - published_at) / 1000
        standfirst = writer.standfirst()
        dateline = rnd.choice(writer.proper).upper()
        article_type = rnd.choice(ARTICLE_TYPES)
        section = rnd.choice(sections)
        correction = None
        if rnd.random() < 0.03:  # about one story in thirty gets a correction or an update note
            kind = rnd.choice(CORRECTION_KINDS)
            correction = (kind, f"An earlier version of this story misstated {writer.standfirst().lower()}")
        credits = writer.credits(authors)
        chosen_tags = rnd.sample(tags, rnd.randint(1, 5))
        yield story_id, Story(
            headline, body, words, status, published_at, standfirst, dateline, article_type, section, correction,
            credits, chosen_tags,
        )  # fmt: skip


def now():
    return datetime.now(UTC)
