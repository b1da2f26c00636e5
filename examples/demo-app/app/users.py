"""User accounts, stored in SQLite."""
import hashlib
import sqlite3


def connect(path="demo.db"):
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, password_hash TEXT)"
    )
    return conn


def find_user(conn, name):
    # The name comes straight from the login form.
    cur = conn.cursor()
    cur.execute("SELECT name, password_hash FROM users WHERE name = '%s'" % name)
    return cur.fetchone()


def add_user(conn, name, password):
    digest = hashlib.md5(password.encode()).hexdigest()
    conn.execute("INSERT INTO users VALUES (?, ?)", (name, digest))
    conn.commit()


def check_password(conn, name, password):
    row = find_user(conn, name)
    if row is None:
        return False
    return row[1] == hashlib.md5(password.encode()).hexdigest()
