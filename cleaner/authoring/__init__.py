"""Tools for rule authors: mining draft rules from a corpus."""
