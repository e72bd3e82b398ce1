"""A time limit on each database statement of the web process (DJANGO_STATEMENT_TIMEOUT).

gunicorn kills a worker whose request runs past its timeout (30 s), but PostgreSQL
goes on running the query the worker had sent, for nobody. So on PostgreSQL every
connection the web process opens is given a `statement_timeout` below that: a
statement that runs longer is cancelled by the database itself, and the request
answers 503 ("took too long", cooperation.views.server_error).

Only the web process: cooperation/wsgi.py calls limit_statement_time(). Management
commands (migrate, load_records) and the benchmarks' seeding (bench.seed) never import
it and run to their end, and so do the tests, which call it themselves where they test
it. It is set per connection when the connection opens (Django's connection_created
signal), so it costs one statement per connection, not per request, and query counts do
not change.
"""

from django.db.backends.signals import connection_created

DISPATCH_UID = "cooperation.statement_timeout"


def limit_statement_time(seconds):
    """Cancel any statement that runs longer than `seconds`, on every PostgreSQL
    connection opened from now on in this process; 0 sets no limit."""
    unlimit_statement_time()
    if not seconds:
        return
    milliseconds = max(1, round(seconds * 1000))

    def set_statement_timeout(sender, connection, **kwargs):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = %s", [milliseconds])

    connection_created.connect(set_statement_timeout, weak=False, dispatch_uid=DISPATCH_UID)


def unlimit_statement_time():
    """Connections opened from now on have no limit (those open keep theirs)."""
    connection_created.disconnect(dispatch_uid=DISPATCH_UID)
