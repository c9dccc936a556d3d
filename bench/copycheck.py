"""Every copy desk check over a 2,000-word story, as the editor's panel runs them on each pause in typing.

    .venv/bin/python bench/copycheck.py [--runs 200]

No database: the checks are pure functions. Times `copydesk.check_story` (headline, standfirst and body) over
stories of 2,000 words in the body:

- wire copy: the sample wire story (articles/demo/wire-minsk-militia.txt) repeated, faults and all;
- synthetic: paragraphs of bench/stories.py's news-like sentences, clean;

with the default style guide (migration 0020), with a guide of 200 entries, and with curly quotes on (every
straight quote and apostrophe a finding). Prints the fastest run, the median and the 95th percentile in ms
(on a shared machine the fastest is the truest). Target: under 20 ms.
"""

import argparse
import importlib
import os
import statistics
import sys
import time
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")

import django  # noqa: E402

django.setup()

from articles import copydesk  # noqa: E402
from articles.copydesk import House, StyleRule  # noqa: E402
from bench.stories import SAMPLES, StoryWriter  # noqa: E402

WORDS = 2000
DEFAULT_GUIDE = importlib.import_module("articles.migrations.0020_default_style_guide").GUIDE


def wire_story():
    lines = (SAMPLES / "wire-minsk-militia.txt").read_text().split("\n\n")
    headline, paragraphs = lines[0].strip(), [p.strip() for p in lines[2:] if p.strip()]
    body, words = [], 0
    while words < WORDS:
        paragraph = paragraphs[len(body) % len(paragraphs)]
        body.append(f"<p>{escape(paragraph)}</p>")
        words += len(paragraph.split())
    return headline, paragraphs[0], "".join(body), words


def synthetic_story():
    writer = StoryWriter(seed=18)
    body, words = [], 0
    while words < WORDS:
        text = " ".join(writer.random.choices(writer.sentences, k=3))
        body.append(f"<p>{text}</p>")
        words += text.count(" ") + 1
    return writer.headline(), writer.standfirst(), "".join(body), words


def big_guide():
    """The default guide and 192 more entries of the same shape (place names and spellings)."""
    extra = tuple(StyleRule(f"Placename{n}", f"Place name {n}") for n in range(96)) + tuple(
        StyleRule(f"spelling-{n}", f"spelling{n}", whole_word=False, case_sensitive=True) for n in range(96)
    )
    return tuple(StyleRule(*entry) for entry in DEFAULT_GUIDE) + extra


def time_checks(house, story, runs):
    headline, standfirst, body, _ = story
    findings = copydesk.check_story(house, headline=headline, standfirst=standfirst, body=body)  # warms the caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        copydesk.check_story(house, headline=headline, standfirst=standfirst, body=body)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return times[0], statistics.median(times), times[int(len(times) * 0.95) - 1], len(findings)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    guide = tuple(StyleRule(*entry) for entry in DEFAULT_GUIDE)
    houses = {
        f"default guide ({len(guide)} entries)": House(style=guide),
        "200-entry guide": House(style=big_guide()),
        "default guide, curly quotes": House(style=guide, curly_quotes=True),
    }
    stories = {"wire copy": wire_story(), "synthetic": synthetic_story()}
    print("| story | house | words | findings | fastest ms | median ms | p95 ms |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for story_name, story in stories.items():
        for house_name, house in houses.items():
            fastest, median, p95, found = time_checks(house, story, args.runs)
            print(
                f"| {story_name} | {house_name} | {story[3]:,} | {found} | {fastest:.1f} | {median:.1f} | {p95:.1f} |"
            )


if __name__ == "__main__":
    main()
