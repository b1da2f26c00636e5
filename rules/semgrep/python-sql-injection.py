# Test cases for secgate.python.sql-injection (semgrep --test).
import sqlite3

conn = sqlite3.connect(":memory:")
cur = conn.cursor()


def by_percent(name):
    # ruleid: secgate.python.sql-injection
    cur.execute("SELECT * FROM users WHERE name = '%s'" % name)


def by_concat(name):
    # ruleid: secgate.python.sql-injection
    cur.execute("SELECT * FROM users WHERE name = '" + name + "'")


def by_format(name):
    # ruleid: secgate.python.sql-injection
    cur.execute("SELECT * FROM users WHERE name = '{}'".format(name))


def by_fstring(name):
    # ruleid: secgate.python.sql-injection
    conn.execute(f"SELECT * FROM users WHERE name = '{name}'")


def by_variable(name):
    query = "DELETE FROM users WHERE name = '%s'" % name
    # ruleid: secgate.python.sql-injection
    cur.execute(query)


def by_many(rows, table):
    # ruleid: secgate.python.sql-injection
    cur.executemany("INSERT INTO " + table + " VALUES (?, ?)", rows)


def parameterised(name):
    # ok: secgate.python.sql-injection
    cur.execute("SELECT * FROM users WHERE name = ?", (name,))


def constant():
    # ok: secgate.python.sql-injection
    cur.execute("SELECT * FROM users " + "ORDER BY name")


def plain_fstring():
    # ok: secgate.python.sql-injection
    cur.execute(f"SELECT count(*) FROM users")


def not_a_query(name):
    # ok: secgate.python.sql-injection
    print("hello %s" % name)


def by_fstring_variable(uid):
    sql = f"SELECT * FROM orders WHERE user_id = {uid}"
    # ruleid: secgate.python.sql-injection
    cur.execute(sql)


def constant_variable():
    sql = "SELECT * FROM orders"
    # ok: secgate.python.sql-injection
    cur.execute(sql)
