"""Fill a migrated database with N synthetic stories, fast: COPY in batches from two worker processes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench .venv/bin/python bench/load_stories.py 1000000

Adds to what is there (run 10000, then 90000, then 900000 to measure each size). The bulk path skips
Article.save(), so the bodies are generated as clean HTML and every search document is built by the
database's own articles_refresh_search() (the function the triggers call), batch by batch. Triggers and
foreign-key checks are off in the loading sessions (session_replication_role = replica). Indexes the load
does not need are dropped first and built again at the end: the GIN index on one connection while the
others are built and the tables vacuumed on another (a GIN build uses one core). The archive's word list is
filled from the generator's vocabulary.
"""

import argparse
import io
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from multiprocessing import Pool
from pathlib import Path

import psycopg2

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stories import BATCH, SECTIONS, StoryWriter, now, stories  # noqa: E402

AUTHORS = 600
TAGS = 3_000
ARTICLE_COLUMNS = (
    "id, headline, slug, standfirst, body, dateline, source, article_type, status, published_at, word_count, "
    "created_at, modified_at, section_id, version, preview_key, seo_title, seo_description, social_headline, "
    "social_description"
)
LOADED_TABLES = ["articles_article", "articles_byline", "articles_article_tags", "articles_correction"]
SEARCH_TABLE = "articles_searchdocument"
# Kept while loading: primary keys (ON CONFLICT, foreign keys), and the unique indexes led by article_id
# that articles_refresh_search() finds a story's tags and bylines with.
INDEXES_SQL = """
SELECT t.relname, i.indexrelid::regclass::text, c.conname, pg_get_indexdef(i.indexrelid), pg_get_constraintdef(c.oid)
  FROM pg_index i
  JOIN pg_class t ON t.oid = i.indrelid
  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0]
  LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = t.oid
 WHERE t.relname = ANY(%s) AND NOT i.indisprimary
   AND NOT (i.indisunique AND a.attname = 'article_id' AND t.relname IN ('articles_byline', 'articles_article_tags'))
"""


def connect():
    connection = psycopg2.connect(os.environ["DATABASE_URL"])
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica; SET synchronous_commit = off")
    return connection


def copy(cursor, table, columns, rows):
    buffer = io.StringIO("".join("\t".join(map(str, row)) + "\n" for row in rows))
    cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)


def ensure_people_and_places(connection, writer):
    """Sections, authors and tags the stories use; returns their ids."""
    with connection.cursor() as cursor:
        for order, (name, slug) in enumerate(SECTIONS):
            cursor.execute(
                "INSERT INTO articles_section (name, slug, description, \"order\") VALUES (%s, %s, '', %s) "
                "ON CONFLICT (slug) DO NOTHING",
                [name, slug, order],
            )
        for number in range(AUTHORS):
            name = writer.author_name()
            cursor.execute(
                "INSERT INTO articles_author (name, slug, bio, is_organisation) VALUES (%s, %s, '', false) "
                "ON CONFLICT (slug) DO NOTHING",
                [name, f"bench-author-{number}"],
            )
        for number in range(TAGS):
            name = writer.tag_name()
            cursor.execute(
                "INSERT INTO articles_tag (name, slug) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                [name, f"bench-tag-{number}"],
            )
        cursor.execute("SELECT id FROM articles_section WHERE slug = ANY(%s)", [[slug for _, slug in SECTIONS]])
        sections = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT id FROM articles_author WHERE slug LIKE 'bench-author-%%'")
        authors = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT id FROM articles_tag WHERE slug LIKE 'bench-tag-%%'")
        tags = [row[0] for row in cursor.fetchall()]
    connection.commit()
    return sections, authors, tags


WRITER = {}  # one per worker process: its sentence pool takes a while to build


def load_batch(job):
    first_id, count, sections, authors, tags = job
    if "writer" not in WRITER:
        WRITER["writer"] = StoryWriter(seed=0)
    writer = WRITER["writer"]
    articles, bylines, taggings, corrections = [], [], [], []
    for article_id, story in stories(writer, first_id, count, now(), sections, authors, tags):
        published_at = story.published_at.isoformat()
        articles.append((
            article_id, story.headline, f"story-{article_id}", story.standfirst, story.body, story.dateline, "",
            story.article_type, story.status, published_at, story.words, published_at, published_at,
            story.section, 1, f"bench-{article_id}", "", "", "", "",
        ))  # fmt: skip
        if story.correction:
            kind, note = story.correction
            corrections.append((article_id, kind, note, (story.published_at + timedelta(hours=6)).isoformat()))
        for position, (author_id, role) in enumerate(story.credits):
            bylines.append((article_id, author_id, role, position))
        for tag_id in story.tags:
            taggings.append((article_id, tag_id))
    connection = connect()
    with connection, connection.cursor() as cursor:
        copy(cursor, "articles_article", ARTICLE_COLUMNS, articles)
        copy(cursor, "articles_byline", "article_id, author_id, role, position", bylines)
        copy(cursor, "articles_article_tags", "article_id, tag_id", taggings)
        copy(cursor, "articles_correction", "article_id, kind, note, created_at", corrections)
        cursor.execute(
            "SELECT articles_refresh_search(ARRAY(SELECT generate_series(%s::bigint, %s::bigint)))",
            [first_id, first_id + count - 1],
        )
    connection.close()
    return count


def refresh_statistics(connection):
    """Fresh statistics for the tables articles_refresh_search() reads; autovacuum may be off, or too late.

    Without them the planner takes the tags for a tiny table and its guess of a story's credits grows with
    the archive, until it scans every tag for every story (3 ms a story at 200,000 stories).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE articles_section, articles_author, articles_tag, articles_article, articles_byline, "
            "articles_article_tags"
        )
    connection.commit()


def drop_indexes(connection):
    """Drop the indexes the load does not need; returns (name, SQL) that build them again, search table first."""
    with connection.cursor() as cursor:
        cursor.execute(INDEXES_SQL, [[SEARCH_TABLE, *LOADED_TABLES]])
        found = sorted(cursor.fetchall(), key=lambda row: row[0] != SEARCH_TABLE)
        rebuild = []
        for table, index, constraint, index_sql, constraint_sql in found:
            if constraint:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {constraint}")
                rebuild.append((constraint, f"ALTER TABLE {table} ADD CONSTRAINT {constraint} {constraint_sql}"))
            else:
                cursor.execute(f"DROP INDEX {index}")
                rebuild.append((index, index_sql))
    connection.commit()
    return rebuild


def timed(label, cursor, sql, started):
    cursor.execute(sql)
    print(f"  {label:<60} done at {time.monotonic() - started:5.0f} s", flush=True)


def autocommit_cursor():
    connection = psycopg2.connect(os.environ["DATABASE_URL"])
    connection.autocommit = True
    return connection.cursor()


def build_search_index(started):
    """The GIN index, then the search table's vacuum and statistics: one long build on one core."""
    cursor = autocommit_cursor()
    # A small sort area is faster here: the build's key tree stays in the CPU caches.
    cursor.execute("SET maintenance_work_mem = '64MB'")
    timed("GIN index", cursor, f"CREATE INDEX {SEARCH_TABLE}_vector ON {SEARCH_TABLE} USING gin (vector)", started)
    timed(f"VACUUM ANALYZE {SEARCH_TABLE}", cursor, f"VACUUM ANALYZE {SEARCH_TABLE}", started)
    # The stories' stripped words, written by the search document's trigger (articles/search_sql.py).
    timed("VACUUM ANALYZE articles_searchwords", cursor, "VACUUM ANALYZE articles_searchwords", started)
    cursor.connection.close()


def build_other_indexes(rebuild, started):
    """Every other dropped index and constraint, then VACUUM ANALYZE of the story tables, on the other core."""
    cursor = autocommit_cursor()
    cursor.execute("SET maintenance_work_mem = '512MB'; SET max_parallel_maintenance_workers = 0")
    for name, sql in rebuild:
        timed(name, cursor, sql, started)
    for table in LOADED_TABLES:
        timed(f"VACUUM ANALYZE {table}", cursor, f"VACUUM ANALYZE {table}", started)
    cursor.connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stories", type=int)
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()
    started = time.monotonic()
    writer = StoryWriter(seed=0)
    connection = psycopg2.connect(os.environ["DATABASE_URL"])
    sections, authors, tags = ensure_people_and_places(connection, writer)
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) + 1 FROM articles_article")
        first_id = cursor.fetchone()[0]
        cursor.execute(f"DROP INDEX IF EXISTS {SEARCH_TABLE}_vector")
    connection.commit()
    rebuild = drop_indexes(connection)
    refresh_statistics(connection)
    jobs = [
        (start, min(BATCH, first_id + options.stories - start), sections, authors, tags)
        for start in range(first_id, first_id + options.stories, BATCH)
    ]
    done = 0
    try:
        with Pool(options.workers) as pool:
            for count in pool.imap_unordered(load_batch, jobs):
                done += count
                if done % 50_000 < BATCH:
                    print(f"{done:>9,} stories  {time.monotonic() - started:7.0f} s", flush=True)
                    refresh_statistics(connection)
        print(f"Rows loaded in {time.monotonic() - started:.0f} s; indexing.", flush=True)
    finally:
        # Whatever happened, the database gets its indexes back.
        with ThreadPoolExecutor(2) as threads:
            search_index = threads.submit(build_search_index, started)
            other_indexes = threads.submit(build_other_indexes, rebuild, started)
            for task in (search_index, other_indexes):
                task.result()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO articles_searchword (word) SELECT DISTINCT lower(w) FROM unnest(%s::text[]) AS w "
            "WHERE length(w) BETWEEN 3 AND 40 AND w ~ '^[[:alpha:]]+$' ON CONFLICT DO NOTHING",
            [writer.content + [w for name in writer.proper for w in name.split()]],
        )
        cursor.execute("SELECT setval(pg_get_serial_sequence('articles_article', 'id'), max(id)) FROM articles_article")
        cursor.execute("SELECT count(*) FROM articles_article")
        total = cursor.fetchone()[0]
    connection.commit()
    print(f"Loaded {options.stories:,} stories in {time.monotonic() - started:.0f} s; the archive holds {total:,}.")


if __name__ == "__main__":
    main()
