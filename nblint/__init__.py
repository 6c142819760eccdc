"""nblint: lint the notebook pods a platform will really create."""

__version__ = "0.1.0"

#: Where nblint is published; each rule's documentation is ``docs/rules/<id>.md`` there.
HOMEPAGE = "https://github.com/nblint/nblint"
#: A rule's documentation page, ``{rule}`` standing for its id (SARIF ``helpUri``, ``explain``).
RULE_DOCS_URL = HOMEPAGE + "/blob/main/docs/rules/{rule}.md"
