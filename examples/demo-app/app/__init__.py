"""Invoice service of the secgate demo app. Deliberately vulnerable: see README.md."""
