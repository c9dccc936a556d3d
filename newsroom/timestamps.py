"""PostgreSQL holds times Python's datetime cannot: read them as the nearest time it can, a day inside its range.

Python's datetime ends at years 1 and 9999, so a stored 1 January of year 1 shown in New York (or 31 December
9999 in Minsk) overflows on its way to the page, and the database's own date arithmetic in the site's time
zone (the archive's and the admin's date lists) hands back years BC or 10000 that psycopg2 cannot read. The
one-day margin keeps every UTC offset's conversion inside the range; dates that far out are refused on input
(articles.models.validate_story_date), so this only ever meets rows written around the models.
"""

from datetime import UTC, date, datetime, timedelta

import psycopg2.extensions

MARGIN = timedelta(days=1)
FIRST, LAST = datetime.min + MARGIN, datetime.max - MARGIN
FIRST_UTC, LAST_UTC = FIRST.replace(tzinfo=UTC), LAST.replace(tzinfo=UTC)


def nearest_readable(default_caster, floor, ceiling):
    def cast(value, cursor):
        if value is None:
            return None
        try:
            moment = default_caster(value, cursor)
        except ValueError:  # a year BC or after 9999
            return floor if value.startswith("-") or value.endswith(" BC") else ceiling
        return min(max(moment, floor), ceiling)

    return cast


def register():
    """Install the readers for timestamptz, timestamp and date on every connection of this process."""
    casters = [
        (psycopg2.extensions.PYDATETIMETZ, FIRST_UTC, LAST_UTC),
        (psycopg2.extensions.PYDATETIME, FIRST, LAST),
        (psycopg2.extensions.PYDATE, date.min, date.max),
    ]
    for default_caster, floor, ceiling in casters:
        caster = nearest_readable(default_caster, floor, ceiling)
        psycopg2.extensions.register_type(
            psycopg2.extensions.new_type(default_caster.values, f"NEAREST_{default_caster.name}", caster)
        )
