"""The database side of search: text search configuration, the search document and word list, triggers.

PostgreSQL only. Used by migration 0003_search and, when LANGUAGE_CODE changes, by articles.apps.
"""

from django.conf import settings
from django.db import connections

# Django language code (its first part) -> PostgreSQL text search configuration.
CONFIG_FOR_LANGUAGE = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "nn": "norwegian",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}


def config_for(language_code):
    """The text search configuration for a Django language code; 'simple' (no stemming) when PostgreSQL has none."""
    return CONFIG_FOR_LANGUAGE.get(language_code.lower().split("-")[0], "simple")


def config_function_sql(config):
    return f"""
CREATE OR REPLACE FUNCTION articles_search_config() RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT '{config}'::regconfig $$;
"""


# ts_headline marks matches with these private-use characters; articles.search escapes the text and then
# turns them into <mark> tags, so nothing from the story's HTML reaches the page unescaped.
MARK_START = "\ue000"
MARK_STOP = "\ue001"

# A search result's snippet. ts_headline parses and stems every word it is given, the most costly part of a
# results page when it read whole bodies: so it reads about 90 words of the body (600 characters) from just
# before the first word that begins like one of the query's stems ('militia', 'agreement'; a stem ending in i
# also as y, so 'citi' finds "city"), and the whole body only when that part has no match after all. When no
# word of the body begins like a stem (most often a story found by its headline, topics or bylines) it reads
# the body's opening: ts_headline without a match shows the opening words, the same from 90 words as from the
# whole body. So a match only a stem that is not how its words begin finds ("skies" for 'sky') shows unmarked
# when it lies past the opening. A cut never leaves half a tag or a word; the part's last word is cut from the
# end of the reversed text, since a regular expression anchored at the end is retried at every position (0.13 ms
# a story, as much as the snippet itself).
SNIPPET_SQL = rf"""
CREATE OR REPLACE FUNCTION articles_snippet(body text, query tsquery, config regconfig) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  options CONSTANT text := 'StartSel={MARK_START}, StopSel={MARK_STOP}, MaxWords=35, MinWords=15, MaxFragments=2, '
                           'FragmentDelimiter=" … "';
  stems text;
  hit integer;
  first integer;
  cut integer;
  part text;
  snippet text;
BEGIN
  SELECT string_agg(regexp_replace(regexp_replace(replace(stem[1], '''''', ''''), '([^[:alnum:]])', '\\\1', 'g'),
                                   'i$', '[iy]'), '|')
    INTO stems FROM regexp_matches(query::text, '''((?:[^'']|'''')+)''', 'g') AS stem;
  hit := coalesce(regexp_instr(body, '\m(' || stems || ')', 1, 1, 0, 'i'), 0);
  first := greatest(1, hit - 200);
  part := substr(body, first, 600);
  IF first > 1 THEN
    part := regexp_replace(regexp_replace(part, '^\S*\s', ''), '^[^<>]*>', '');
  END IF;
  IF first + 600 <= length(body) THEN
    cut := regexp_instr(reverse(part), '\s');
    IF cut > 0 THEN
      part := left(part, -cut);
    END IF;
    part := regexp_replace(part, '<[^<>]*$', '');
  END IF;
  -- Found by its headline, summary or credits: the body's first 15 words, as ts_headline gives them (it counts
  -- an entity such as &#x27; as a word too), in half its time.
  IF hit = 0 THEN
    RETURN coalesce(substring(articles_plain_text(part) FROM '^(\s*(?:\S+\s+){{0,14}}\S*[[:alnum:]])'), '');
  END IF;
  snippet := ts_headline(config, articles_plain_text(part), query, options);
  IF strpos(snippet, '{MARK_START}') > 0 THEN
    RETURN snippet;
  END IF;
  RETURN ts_headline(config, articles_plain_text(body), query, options);
END $$;
"""


def search_functions_sql(to_vector):
    """The functions filling a story's search document and the word list; `to_vector(config, text)` is the SQL
    function that makes the body's vector: to_tsvector until migration 0014, articles_fitting_tsvector since."""
    return f"""
-- The one definition of what a story's search document holds: headline A, standfirst and tags B,
-- body C, bylines D. The default parser skips HTML tags and entities, so the body goes in as it is.
CREATE OR REPLACE FUNCTION articles_refresh_search(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO articles_searchdocument (article_id, published_at, section_id, vector)
  SELECT a.id, a.published_at, a.section_id,
         setweight(to_tsvector(articles_search_config(), a.headline), 'A')
      || setweight(to_tsvector(articles_search_config(), a.standfirst), 'B')
      || setweight(to_tsvector(articles_search_config(), coalesce(
           (SELECT string_agg(t.name, ' ') FROM articles_article_tags at JOIN articles_tag t ON t.id = at.tag_id
             WHERE at.article_id = a.id), '')), 'B')
      || setweight({to_vector}(articles_search_config(), a.body), 'C')
      || setweight(to_tsvector(articles_search_config(), coalesce(
           (SELECT string_agg(au.name, ' ') FROM articles_byline b JOIN articles_author au ON au.id = b.author_id
             WHERE b.article_id = a.id), '')), 'D')
    FROM articles_article a
   WHERE a.id = ANY(ids)
  ON CONFLICT (article_id) DO UPDATE
    SET published_at = EXCLUDED.published_at, section_id = EXCLUDED.section_id, vector = EXCLUDED.vector;
$$;

CREATE OR REPLACE FUNCTION articles_collect_words(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO articles_searchword (word)
  SELECT DISTINCT w
    FROM articles_article a,
         unnest(tsvector_to_array({to_vector}('simple',
           a.headline || ' ' || a.standfirst || ' ' || articles_plain_text(a.body)))) AS w
   WHERE a.id = ANY(ids) AND length(w) BETWEEN 3 AND 40 AND w ~ '^[[:alpha:]]+$'
  ON CONFLICT DO NOTHING;
$$;
"""


FORWARD_SQL = (
    r"""
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Body HTML as text for snippets and the word list: tags become single spaces; entities stay (the parser
-- skips them, articles.search decodes them after escaping), and the snippet markers cannot come from the copy.
CREATE FUNCTION articles_plain_text(html text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT translate(regexp_replace(replace(coalesce(html, ''), '&nbsp;', ' '), '(\s*<[^>]*>\s*)+', ' ', 'g'),
                   U&'\E000\E001', '')
$$;

-- Django creates the table (SearchDocument); the database deletes a story's document with the story.
ALTER TABLE articles_searchdocument ADD CONSTRAINT articles_searchdocument_article
  FOREIGN KEY (article_id) REFERENCES articles_article (id) ON DELETE CASCADE;
CREATE INDEX articles_searchdocument_vector ON articles_searchdocument USING gin (vector);
CREATE INDEX articles_searchdocument_published ON articles_searchdocument (published_at DESC);
CREATE INDEX articles_searchdocument_section ON articles_searchdocument (section_id, published_at DESC);
-- Word frequencies for the planner: with the default 100 it knows only the commonest words and may walk the
-- archive by date looking for a rare one. 1000 keeps the frequencies of the 10,000 commonest words.
ALTER TABLE articles_searchdocument ALTER COLUMN vector SET STATISTICS 1000;

-- Every word of the archive once, for "Did you mean" (trigram distance, nearest first).
CREATE TABLE articles_searchword (word text PRIMARY KEY);
CREATE INDEX articles_searchword_trgm ON articles_searchword USING gist (word gist_trgm_ops);

"""
    + search_functions_sql("to_tsvector")
    + r"""
CREATE FUNCTION articles_search_article_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM articles_refresh_search(ARRAY[NEW.id]);
  PERFORM articles_collect_words(ARRAY[NEW.id]);
  RETURN NULL;
END $$;

CREATE FUNCTION articles_search_credit_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM articles_refresh_search(ARRAY[OLD.article_id]);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM articles_refresh_search(ARRAY[NEW.article_id]);
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION articles_search_name_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'articles_tag' THEN
    PERFORM articles_refresh_search(ARRAY(SELECT article_id FROM articles_article_tags WHERE tag_id = NEW.id));
  ELSE
    PERFORM articles_refresh_search(ARRAY(SELECT article_id FROM articles_byline WHERE author_id = NEW.id));
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER articles_search_article_insert AFTER INSERT ON articles_article
  FOR EACH ROW EXECUTE FUNCTION articles_search_article_changed();
CREATE TRIGGER articles_search_article_update AFTER UPDATE OF headline, standfirst, body, published_at, section_id
  ON articles_article
  FOR EACH ROW WHEN (OLD.headline IS DISTINCT FROM NEW.headline OR OLD.standfirst IS DISTINCT FROM NEW.standfirst
                     OR OLD.body IS DISTINCT FROM NEW.body OR OLD.published_at IS DISTINCT FROM NEW.published_at
                     OR OLD.section_id IS DISTINCT FROM NEW.section_id)
  EXECUTE FUNCTION articles_search_article_changed();
CREATE TRIGGER articles_search_byline AFTER INSERT OR UPDATE OR DELETE ON articles_byline
  FOR EACH ROW EXECUTE FUNCTION articles_search_credit_changed();
CREATE TRIGGER articles_search_tagging AFTER INSERT OR UPDATE OR DELETE ON articles_article_tags
  FOR EACH ROW EXECUTE FUNCTION articles_search_credit_changed();
CREATE TRIGGER articles_search_tag_name AFTER UPDATE OF name ON articles_tag
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION articles_search_name_changed();
CREATE TRIGGER articles_search_author_name AFTER UPDATE OF name ON articles_author
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION articles_search_name_changed();

SELECT articles_refresh_search(ARRAY(SELECT id FROM articles_article));
SELECT articles_collect_words(ARRAY(SELECT id FROM articles_article));
"""
)

# A tsvector holds at most 1 MB of words and their positions (and positions up to 16,383): a longer story is
# indexed as far as fits, so saving it never fails. A text under PLAIN_BYTES cannot reach the limit (a word
# and its position take at most three times its bytes) and takes the plain path, without a subtransaction;
# a longer one is cut by a quarter until its vector fits in FITTING_BYTES, room left for the headline and the rest.
PLAIN_BYTES = 300_000
FITTING_BYTES = 900_000
FITTING_SQL = f"""
CREATE OR REPLACE FUNCTION articles_fitting_tsvector(config regconfig, document text) RETURNS tsvector
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
  vector tsvector;
  kept integer := length(document);
BEGIN
  IF octet_length(document) <= {PLAIN_BYTES} THEN
    RETURN to_tsvector(config, document);
  END IF;
  LOOP
    BEGIN
      vector := to_tsvector(config, left(document, kept));
      IF pg_column_size(vector) <= {FITTING_BYTES} THEN
        RETURN vector;
      END IF;
    EXCEPTION WHEN program_limit_exceeded THEN
      NULL;
    END;
    kept := kept * 3 / 4;
  END LOOP;
END $$;
""" + search_functions_sql("articles_fitting_tsvector")

UNFITTING_SQL = (
    search_functions_sql("to_tsvector")
    + """
DROP FUNCTION IF EXISTS articles_fitting_tsvector(regconfig, text);
"""
)

REVERSE_SQL = """
DROP TRIGGER IF EXISTS articles_search_author_name ON articles_author;
DROP TRIGGER IF EXISTS articles_search_tag_name ON articles_tag;
DROP TRIGGER IF EXISTS articles_search_tagging ON articles_article_tags;
DROP TRIGGER IF EXISTS articles_search_byline ON articles_byline;
DROP TRIGGER IF EXISTS articles_search_article_update ON articles_article;
DROP TRIGGER IF EXISTS articles_search_article_insert ON articles_article;
DROP FUNCTION IF EXISTS articles_search_name_changed();
DROP FUNCTION IF EXISTS articles_search_credit_changed();
DROP FUNCTION IF EXISTS articles_search_article_changed();
DROP FUNCTION IF EXISTS articles_collect_words(bigint[]);
DROP FUNCTION IF EXISTS articles_refresh_search(bigint[]);
DROP TABLE IF EXISTS articles_searchword;
ALTER TABLE articles_searchdocument DROP CONSTRAINT IF EXISTS articles_searchdocument_article;
DROP INDEX IF EXISTS articles_searchdocument_vector;
DROP INDEX IF EXISTS articles_searchdocument_published;
DROP INDEX IF EXISTS articles_searchdocument_section;
DROP FUNCTION IF EXISTS articles_plain_text(text);
DROP FUNCTION IF EXISTS articles_search_config();
"""


# Each story's words without positions, in a row of their own (articles.models.SearchWords), for the walks by
# date that find a common word's newest matches. A trigger keeps them in step with the search document, also
# when the bench loader writes documents with triggers off (ENABLE ALWAYS).
WORDS_SQL = """
ALTER TABLE articles_searchwords ALTER COLUMN words SET STORAGE MAIN;
ALTER TABLE articles_searchwords ADD CONSTRAINT articles_searchwords_article
  FOREIGN KEY (article_id) REFERENCES articles_article (id) ON DELETE CASCADE;
CREATE INDEX articles_searchwords_published ON articles_searchwords (published_at DESC);
CREATE INDEX articles_searchwords_section ON articles_searchwords (section_id, published_at DESC);

CREATE FUNCTION articles_search_words_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO articles_searchwords (article_id, published_at, section_id, words)
  VALUES (NEW.article_id, NEW.published_at, NEW.section_id, strip(NEW.vector))
  ON CONFLICT (article_id) DO UPDATE
    SET published_at = EXCLUDED.published_at, section_id = EXCLUDED.section_id, words = EXCLUDED.words;
  RETURN NULL;
END $$;
CREATE TRIGGER articles_search_words AFTER INSERT OR UPDATE ON articles_searchdocument
  FOR EACH ROW EXECUTE FUNCTION articles_search_words_changed();
ALTER TABLE articles_searchdocument ENABLE ALWAYS TRIGGER articles_search_words;
"""

# After the trigger is in place, a range of stories a transaction: saves go on meanwhile (their trigger's rows
# win), and one that meets a story of the range being filled waits for that range only.
WORDS_FILL_SQL = """
INSERT INTO articles_searchwords (article_id, published_at, section_id, words)
SELECT article_id, published_at, section_id, strip(vector) FROM articles_searchdocument
 WHERE article_id >= %s AND article_id < %s
ON CONFLICT (article_id) DO NOTHING
"""

UNWORDS_SQL = """
DROP TRIGGER IF EXISTS articles_search_words ON articles_searchdocument;
DROP FUNCTION IF EXISTS articles_search_words_changed();
"""


def follow_language_setting(using="default", **kwargs):
    """After migrate: when LANGUAGE_CODE now asks for another configuration, switch to it and rebuild every document."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    wanted = config_for(settings.LANGUAGE_CODE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regprocedure('articles_search_config()') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return
        cursor.execute("SELECT articles_search_config()::text")
        if cursor.fetchone()[0] == wanted:
            return
        cursor.execute(config_function_sql(wanted))
        cursor.execute("SELECT articles_refresh_search(ARRAY(SELECT id FROM articles_article))")
