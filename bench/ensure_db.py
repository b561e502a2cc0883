"""Create the PostgreSQL database named in DATABASE_URL if it does not exist (bench targets).

Usage: python bench/ensure_db.py   (reads DATABASE_URL; does nothing for SQLite)
"""

import os
import sys

import environ
import psycopg2
from psycopg2 import sql


def main() -> int:
    config = environ.Env.db_url_config(os.environ.get("DATABASE_URL", "sqlite:///bench.sqlite3"))
    if "postgresql" not in config["ENGINE"]:
        return 0
    conn = psycopg2.connect(
        host=config.get("HOST") or "127.0.0.1", port=config.get("PORT") or 5432,
        user=config.get("USER") or "postgres", password=config.get("PASSWORD") or None, dbname="postgres",
    )
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cur.fetchone() is None:
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            print(f"created database {config['NAME']}")
    conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
