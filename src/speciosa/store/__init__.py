"""The only code that knows SQL: tables, queries, migrations, backup."""
