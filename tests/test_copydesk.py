"""The copy desk's checks on real copy: what each finds, where, the fix it offers, and what it leaves alone."""

from html import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles import copydesk
from articles.copydesk import House, StyleRule
from articles.management.commands.load_demo import SAMPLE_STORY

GUIDE = (
    StyleRule("Kiev", "Kyiv", "AP since 2019."),
    StyleRule("Byelorussia", "Belarus"),
    StyleRule("e-mail", "email"),
    StyleRule("Lugansk", "Luhansk"),
    StyleRule("US", "U.S.", case_sensitive=True),
    StyleRule("judgement", "judgment", whole_word=False),
)
HOUSE = House(style=GUIDE)


def found(text, field="body", house=HOUSE, check=None):
    """(check, text found, suggestion) for each finding in `text`."""
    return [
        (f.check, f.text, f.suggestion)
        for f in copydesk.check_field(field, text, house)
        if check is None or f.check == check
    ]


def sample_body():
    paragraphs = SAMPLE_STORY.read_text().split("\n\n")[2:]
    return "".join(f"<p>{escape(paragraph.strip())}</p>" for paragraph in paragraphs)


def test_the_sample_wire_story_shows_its_three_kinds_of_fault():
    findings = copydesk.check_field("body", sample_body(), HOUSE)

    assert [(f.check, f.text, f.suggestion) for f in findings if f.check != "style"] == [
        ("glued", "Defense MinistryDefense Ministry", "Defense Ministry"),
        ("apostrophe", "Moscow s", "Moscow's"),
    ]
    assert [f.text for f in findings if f.check == "style"] == ["Kiev", "Kiev", "Lugansk", "US", "Kiev", "Kiev"]
    assert {f.check for f in findings} == {"glued", "apostrophe", "style"}  # "Lukashenko's", "people's" pass


def test_each_finding_indexes_the_html_as_given_and_its_fix_reads_right():
    body = sample_body()
    findings = copydesk.check_field("body", body, HOUSE)
    fixed, applied = copydesk.apply(body, findings, html=True)

    assert all(body[f.start : f.end] == f.text for f in findings)
    assert len(applied) == len(findings)
    assert "according to the Defense Ministry." in fixed
    assert "Moscow&#x27;s eventual recognition" in fixed
    assert "accused Kyiv of setting up" in fixed
    assert copydesk.check_field("body", fixed, HOUSE) == []


# House style ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Talks in Kiev.", [("Kiev", "Kyiv")]),
        ("KIEV TALKS END.", [("KIEV", "KYIV")]),
        ("Kiev's mayor spoke.", [("Kiev", "Kyiv")]),
        ("Send an E-mail today.", [("E-mail", "Email")]),
        ("Soviet Byelorussia voted.", [("Byelorussia", "Belarus")]),
        ("The US and us.", [("US", "U.S.")]),  # case-sensitive: "us" is not the country
        ("Their judgements differ.", [("judgement", "judgment")]),  # not a whole-word entry
    ],
)
def test_house_style_entries_are_found_with_the_house_form_in_the_same_capitals(text, expected):
    assert [(t, s) for _, t, s in found(text, check="style")] == expected


@pytest.mark.parametrize(
    "text",
    [
        "The Kievan Rus was a medieval state.",  # a whole-word entry is not part of another word
        "Talks in Kyiv.",
        '<p><a href="https://example.org/Kiev/e-mail">the report</a></p>',  # an attribute
        "<p>See https://example.org/Kiev for the report.</p>",  # a URL in the text
        '<p><img src="/media/kiev.jpg" alt="Kiev at night"></p>',
        "<p><!-- Kiev --><script>var kiev = 'Kiev';</script>Quiet.</p>",
    ],
)
def test_house_style_leaves_other_words_urls_attributes_and_scripts_alone(text):
    assert found(text, check="style") == []


def test_a_house_style_note_is_part_of_the_message():
    [finding] = copydesk.check_field("headline", "Kiev talks end", HOUSE)
    assert finding.message == "“Kyiv”, not “Kiev”. AP since 2019."


# Repeats ---------------------------------------------------------------------------------------------------


def test_a_phrase_glued_to_its_own_repeat_is_found():
    text = "according to the Defense MinistryDefense Ministry and the EU’s High RepresentativeHigh Representative."
    assert found(text, field="standfirst", check="glued") == [
        ("glued", "Defense MinistryDefense Ministry", "Defense Ministry"),
        ("glued", "High RepresentativeHigh Representative", "High Representative"),
    ]
    assert found("World War II ended. The Walla Walla festival, McDonald's and iPhones.", check="glued") == []


@pytest.mark.parametrize(
    ("text", "repeated", "fix"),
    [
        ("He said the the talks failed.", "the the", "the"),
        ("The the talks failed.", "The the", "The"),
        ("He said the the the talks failed.", "the the the", "the"),
        ("in the in the morning", "in the in the", "in the"),
        ("the Defense Ministry Defense Ministry said", "Defense Ministry Defense Ministry", "Defense Ministry"),
        ("It rained on on Tuesday.", "on on", "on"),
    ],
)
def test_a_word_or_phrase_followed_by_its_repeat_is_found(text, repeated, fix):
    assert found(text, field="standfirst", check="repeat") == [("repeat", repeated, fix)]


@pytest.mark.parametrize(
    "text",
    [
        "World War II ended. Walla Walla is a town. The US-led bloc met.",
        "He said that that was wrong, and she had had enough.",
        "They flew to Bora Bora and Baden Baden.",
        "The vote was 2 2 at first.",
        "Kiev. Kiev was quiet.",
        "He said no. No one listened.",
        "Bye bye, said the minister.",
    ],
)
def test_repeats_that_are_real_english_or_names_are_left_alone(text):
    assert found(text, field="standfirst", check="repeat") == []


# Lost apostrophes ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "word", "fix"),
    [
        ("Moscow s eventual recognition", "Moscow s", "Moscow's"),
        ("The harbour s owners agreed.", "harbour s", "harbour's"),
        ("it s over, and that s that", "it s", "it's"),
        ("Kraków s mayor", "Kraków s", "Kraków's"),
    ],
)
def test_a_possessive_that_lost_its_apostrophe_is_found(text, word, fix):
    assert found(text, field="standfirst", check="apostrophe")[0] == ("apostrophe", word, fix)


@pytest.mark.parametrize(
    "text",
    [
        "Lukashenko's government and the people's militia.",
        "Drop the final s in the plural.",
        "Spell it with a silent s and an s-bend.",
        "Type s to save, press s again.",
        "The letter s is the most common.",
        "Speed in m s-1 and km s−1.",
        "NATO s members",  # all capitals: an abbreviation, not a word that lost its apostrophe
    ],
)
def test_real_possessives_and_the_letter_s_are_left_alone(text):
    assert found(text, field="standfirst", check="apostrophe") == []


def test_the_apostrophe_fix_is_curly_where_the_house_uses_curly_quotes():
    curly = House(curly_quotes=True)
    assert found("Moscow s reply", field="standfirst", house=curly, check="apostrophe") == [
        ("apostrophe", "Moscow s", "Moscow’s")
    ]


# Spacing, quotes, brackets ---------------------------------------------------------------------------------


def test_doubled_spaces_and_a_space_before_punctuation_are_found():
    assert found("Talks  resumed , and ended .", field="standfirst", check="spacing") == [
        ("spacing", "  ", " "),
        ("spacing", " ,", ","),
        ("spacing", " .", "."),
    ]


def test_a_doubled_space_in_html_is_one_a_reader_sees():
    body = "<p>Talks\n    resumed <em> today</em>.</p><p>Then&nbsp; they ended.</p>"
    assert found(body, check="spacing") == [("spacing", "&nbsp; ", " ")]


@pytest.mark.parametrize("text", ["Version .NET 8 is out.", "Rates rose by .5 points.", "He paused ... then spoke."])
def test_spaces_before_dots_that_belong_are_left_alone(text):
    assert found(text, field="standfirst", check="spacing") == []


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("“We will not retreat, he said.", "“"),
        ("We will not retreat,” he said.", "”"),
        ('He said: "We will not retreat.', '"'),
    ],
)
def test_an_unbalanced_double_quote_is_found(text, mark):
    assert found(text, field="standfirst", check="quotes") == [("quotes", mark, None)]


@pytest.mark.parametrize(
    "body",
    [
        "<p>“He told me ‘never’, and meant it,” she said.</p>",  # quotes inside quotes
        "<p>“The first paragraph of a long quote.</p><p>“And its last paragraph,” he said.</p>",  # runs on
        "<p>The player is 6'2\" tall.</p>",  # inches, not a quote
        "<p>The Minsk agreements’ terms; the ’90s.</p>",  # single quotes are apostrophes too
    ],
)
def test_balanced_quotes_quotes_inside_quotes_and_running_quotes_pass(body):
    assert found(body, check="quotes") == []


def test_unbalanced_brackets_are_found_but_list_markers_and_smileys_are_not():
    assert found("The bloc (NATO said [twice) met.", field="standfirst", check="brackets") == [
        ("brackets", "(", None),
        ("brackets", "[", None),
        ("brackets", ")", None),
    ]
    assert found("Choose a) peace or b) war :)", field="standfirst", check="brackets") == []


def test_straight_quotes_are_findings_only_where_the_house_uses_curly_ones():
    text = "\"It's over,\" he said of the '90s and the 'deal'."
    assert found(text, field="standfirst", check="curly-quotes") == []
    curly = House(curly_quotes=True)
    fixes = [s for _, _, s in found(text, field="standfirst", house=curly, check="curly-quotes")]
    assert fixes == ["“", "’", "”", "’", "‘", "’"]


# Length and headline case -------------------------------------------------------------------------------------


def test_a_sentence_over_the_house_limit_is_found_with_its_length():
    long = " ".join(f"word{n}" for n in range(46)) + "."
    [finding] = copydesk.check_field("body", f"<p>Short one. {long} Short again.</p>", HOUSE)
    assert (finding.check, finding.text, finding.suggestion) == ("long-sentence", long, None)
    assert finding.message == "A long sentence: 46 words (the house's limit is 45)."
    assert found(f"<p>{long}</p>", house=House(longest_sentence=50)) == []


def test_a_paragraph_over_the_house_limit_is_found():
    paragraph = " ".join(["Short sentence here."] * 41)  # 123 words
    assert [c for c, _, _ in found(f"<p>{paragraph}</p>")] == ["long-paragraph"]
    assert found(f"<p>{paragraph}</p>", house=House(longest_paragraph=200)) == []


@pytest.mark.parametrize(
    ("headline", "finding"),
    [
        ("Minsk Wants To Create People's Militia To Deter Russia", "title case"),
        ("MINSK WANTS A PEOPLE'S MILITIA", "capitals"),
        ("Minsk wants to create people's militia to deter Russia", None),
        ("NATO and EU leaders meet in Brussels", None),
        ("Lukashenko meets Putin in Sochi", None),
        ("Kyiv: what next", None),
    ],
)
def test_a_headline_in_title_case_or_capitals_is_found_when_the_house_uses_sentence_case(headline, finding):
    messages = [f.message for f in copydesk.check_field("headline", headline, HOUSE) if f.check == "headline-case"]
    assert [finding in m for m in messages] == ([True] if finding else [])
    assert found(headline, field="headline", house=House(sentence_case_headlines=False), check="headline-case") == []


def test_a_fix_across_formatting_is_left_to_the_editor():
    [finding] = copydesk.check_field("body", "<p>the <em>the</em> talks</p>", HOUSE)
    assert (finding.check, finding.text, finding.suggestion) == ("repeat", "the <em>the", None)


def test_the_importers_mend_fixes_only_wire_faults_and_says_which():
    body = "<p>The Defense MinistryDefense Ministry in Kiev said Moscow s offer was the the best.</p>"
    text, mended = copydesk.mend("body", body, HOUSE)
    assert text == "<p>The Defense Ministry in Kiev said Moscow&#x27;s offer was the the best.</p>"
    assert [(f.check, f.shown) for f in mended] == [
        ("glued", "Defense MinistryDefense Ministry"),
        ("apostrophe", "Moscow s"),
    ]


# Properties ------------------------------------------------------------------------------------------------

ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=300)
HTML_TEXT = st.lists(
    st.one_of(
        ANY_TEXT,
        st.sampled_from(["<p>", "</p>", "<em>", "</em>", "<br>", '<a href="https://x.org/the the">', "</a>", "&amp;"]),
        st.sampled_from(["Kiev", "the the", " s ", "  ", "&nbsp;", "“", '"', "(", "Moscow s", "MinistryMinistry"]),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=HTML_TEXT, field=st.sampled_from(["headline", "standfirst", "body"]))
def test_checks_never_raise_and_every_finding_indexes_the_text(text, field):
    for finding in copydesk.check_field(field, text, HOUSE):
        assert 0 <= finding.start < finding.end <= len(text)
        assert text[finding.start : finding.end] == finding.text


@settings(max_examples=300, deadline=None)
@given(text=HTML_TEXT.filter(lambda t: "<" not in t and "&" not in t))
def test_a_fix_applied_at_its_place_makes_that_finding_go(text):
    for finding in copydesk.check_field("standfirst", text, HOUSE):
        if finding.suggestion is None:
            continue
        fixed, _ = copydesk.apply(text, [finding])
        again = copydesk.check_field("standfirst", fixed, HOUSE)
        assert not any(f.check == finding.check and f.start == finding.start and f.text == finding.text for f in again)


@settings(max_examples=300, deadline=None)
@given(body=HTML_TEXT)
def test_a_fix_applied_in_story_html_makes_that_finding_go(body):
    for finding in copydesk.check_field("body", body, HOUSE):
        if finding.suggestion is None:
            continue
        fixed, _ = copydesk.apply(body, [finding], html=True)
        again = copydesk.check_field("body", fixed, HOUSE)
        assert not any(f.check == finding.check and f.start == finding.start and f.text == finding.text for f in again)
