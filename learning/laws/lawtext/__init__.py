"""Law-text tools (法律文本): numerals, LawRefBook markdown, the packaged laws.db, citations.

Pure Python: nothing here imports Django, so importers and tests can use it directly.
"""
