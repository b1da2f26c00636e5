"""Invoice files and their cache keys."""
import hashlib
import os

INVOICE_DIR = os.environ.get("INVOICE_DIR", "invoices")


def etag(body):
    # Used as an HTTP cache key for invoice PDFs.
    return hashlib.sha1(body).hexdigest()


def invoice_path(number):
    return os.path.join(INVOICE_DIR, "%d.pdf" % int(number))


def list_invoices(conn, customer):
    # Parameterised: this one is fine.
    return conn.execute(
        "SELECT number, total FROM invoices WHERE customer = ?", (customer,)
    ).fetchall()
