"""The checks' own fixtures and hooks. A kata with tables fills the grading database here, in a
`pytest_kata_setup_database(db, schema, seed)` hook whose answer the checks get as `dataset`
(see katas/shop-api/checks/conftest.py); this skeleton's exercise needs none.
"""
