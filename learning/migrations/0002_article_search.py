from django.db import migrations, models

# The article search index (see learning/law_search.py).
# SQLite: an FTS5 external-content table over learning_article's two token columns, kept in
# step by triggers (so bulk_create and bulk_update keep it current).
# PostgreSQL: a GIN index on a weighted 'simple' tsvector of the same two columns.
SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE learning_article_fts USING fts5(
        names_tokens, search_tokens, content='learning_article', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER learning_article_fts_ai AFTER INSERT ON learning_article BEGIN
        INSERT INTO learning_article_fts(rowid, names_tokens, search_tokens)
        VALUES (new.id, new.names_tokens, new.search_tokens);
    END""",
    """CREATE TRIGGER learning_article_fts_ad AFTER DELETE ON learning_article BEGIN
        INSERT INTO learning_article_fts(learning_article_fts, rowid, names_tokens, search_tokens)
        VALUES ('delete', old.id, old.names_tokens, old.search_tokens);
    END""",
    """CREATE TRIGGER learning_article_fts_au AFTER UPDATE OF names_tokens, search_tokens
        ON learning_article BEGIN
        INSERT INTO learning_article_fts(learning_article_fts, rowid, names_tokens, search_tokens)
        VALUES ('delete', old.id, old.names_tokens, old.search_tokens);
        INSERT INTO learning_article_fts(rowid, names_tokens, search_tokens)
        VALUES (new.id, new.names_tokens, new.search_tokens);
    END""",
    "INSERT INTO learning_article_fts(learning_article_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS learning_article_fts_ai",
    "DROP TRIGGER IF EXISTS learning_article_fts_ad",
    "DROP TRIGGER IF EXISTS learning_article_fts_au",
    "DROP TABLE IF EXISTS learning_article_fts",
]
PG_VECTOR = (
    "(setweight(to_tsvector('simple'::regconfig, names_tokens), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, search_tokens), 'B'))"
)
PG_FORWARD = [f"CREATE INDEX learning_article_search_gin ON learning_article USING gin ({PG_VECTOR})"]
PG_BACKWARD = ["DROP INDEX IF EXISTS learning_article_search_gin"]


def forward(apps, schema_editor):
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}.get(
        schema_editor.connection.vendor, []
    )
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": PG_BACKWARD}.get(
        schema_editor.connection.vendor, []
    )
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="names_tokens",
            field=models.TextField(blank=True, editable=False, verbose_name="检索分词（名称）"),
        ),
        migrations.RunPython(forward, backward),
    ]
