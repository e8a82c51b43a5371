"""Small grammars for the cells of a project overview, one module per cell kind.

`core` is the tokenizer and a handful of parser combinators; `period`, `participants`,
`money` and `handover` build a grammar for their kind of cell out of them, so a new way
of writing a period or an exclusion is one more alternative in a rule, not one more
regular expression. Every grammar is pure (no database); names are resolved later in
`importers.resolve`. The Hypothesis strategies in tests/importers/test_grammar.py
generate phrasings from the same rules.
"""
