"""Read replicas: anonymous readers' pages read a streaming replica, everything else reads the primary.

`DATABASE_REPLICA_URLS` adds the aliases `replica_0`, `replica_1`, ... (newsroom/settings.py). The page cache's
middleware (articles/pagecache.py) picks the database of each reader's request and runs the view inside
`reading_from(alias)`; `ReplicaRouter` sends the ORM's reads there and every write and migration to the
primary, "default". Code that opens a cursor itself asks `reader_alias()` which connection to use.

A replica is read only once it has replayed the primary's write-ahead log past a position the caller names
(the last purge's: articles/pagecache.py); until then the primary serves. Replay only moves forward, so a
replica seen past a position is trusted with it, without asking again, for RECHECK_AFTER seconds: choosing
the replica costs at most one small query a second in each process, and a replica that has gone away is
noticed within that second. One whose check fails is left alone for RETRY_AFTER seconds, readers reading
another replica or the primary meanwhile; so is one lost in the middle of a reader's request, whose page the
page cache's middleware then makes again on the primary. A URL must name one server: through a pool of standbys the
check could be answered by one and the page by another.
"""

import contextvars
import logging
import random
import time
from contextlib import contextmanager
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)
RECHECK_AFTER = 1.0
RETRY_AFTER = 5.0
clock = time.monotonic

_reading_from = contextvars.ContextVar("reading_from", default=None)
# In this process: each replica's replay position when last asked, and when; until when a failed one is skipped.
_replayed = {}
_down_until = {}


def replicas():
    return settings.DATABASE_REPLICAS


def reader_alias():
    """The database this request reads: the one chosen for a reader's request, else the primary."""
    return _reading_from.get() or DEFAULT_DB_ALIAS


@contextmanager
def reading_from(alias):
    token = _reading_from.set(alias)
    try:
        yield
    finally:
        _reading_from.reset(token)


def reads_primary(view):
    """For views that must see what was saved a moment ago whoever asks (previews): never a replica."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        with reading_from(DEFAULT_DB_ALIAS):
            return view(request, *args, **kwargs)

    return wrapped


def wal_position(alias, position_sql):
    with connections[alias].cursor() as cursor:
        cursor.execute(f"SELECT {position_sql} - '0/0'::pg_lsn")
        position = cursor.fetchone()[0]
    return None if position is None else int(position)


def primary_position():
    """A position in the primary's write-ahead log at or past the end of every transaction committed so far.

    How far the log has been written (`pg_current_wal_lsn()`): a commit returns only once its record is
    written, and that position is counted as a replica's replay position is, to the end of a record. With
    synchronous_commit off a commit returns sooner, so then how far records have been inserted: past every
    commit too, but when it falls just after a page header, replay reaches it only with the next record.
    """
    return wal_position(
        DEFAULT_DB_ALIAS,
        "CASE current_setting('synchronous_commit') WHEN 'off' THEN pg_current_wal_insert_lsn() "
        "ELSE pg_current_wal_lsn() END",
    )


def replayed_past(alias, position):
    replayed, asked_at = _replayed.get(alias, (-1, 0.0))
    if replayed >= position and clock() - asked_at < RECHECK_AFTER:
        return True
    replayed = wal_position(alias, "pg_last_wal_replay_lsn()")
    if replayed is None:
        # Not in recovery: a primary (a promoted replica, or the primary itself named as a replica) has
        # every transaction it holds.
        return True
    _replayed[alias] = (replayed, clock())
    return replayed >= position


def replica_past(position):
    """A replica that has replayed the primary's log past `position`, or None. Replicas are tried in
    random order, so readers spread over them."""
    aliases = replicas()
    start = random.randrange(len(aliases))
    for alias in [*aliases[start:], *aliases[:start]]:
        if _down_until.get(alias, 0.0) > clock():
            continue
        try:
            if replayed_past(alias, position):
                return alias
        except DatabaseError as exc:
            lost(alias, exc)
    states = [replica_state(alias) for alias in aliases]
    reason = "replicas-down" if set(states) == {"down"} else "replicas-behind"
    replicas_now = ",".join(f"{alias}:{state}" for alias, state in zip(aliases, states, strict=True))
    logger.info("reads=primary reason=%s purge_lsn=%s replicas=%s", reason, lsn(position), replicas_now)
    return None


def lost(alias, error):
    """A replica that failed a check or a reader's query: left alone for RETRY_AFTER seconds."""
    _down_until[alias] = clock() + RETRY_AFTER
    logger.warning("replica=down alias=%s error=%r retry_in_s=%s", alias, error, RETRY_AFTER)


def replica_state(alias):
    if _down_until.get(alias, 0.0) > clock():
        return "down"
    return lsn(_replayed[alias][0]) if alias in _replayed else "unknown"


def lsn(position):
    """A position as PostgreSQL writes it (0/16B3740)."""
    return f"{position >> 32:X}/{position & 0xFFFFFFFF:X}"


class ReplicaRouter:
    """Reads go where `reading_from` says (nowhere said: Django's default choice); writes and migrations
    go to the primary."""

    def db_for_read(self, model, **hints):
        return _reading_from.get()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
