"""Readers of foreign cassette formats: each turns one file into plain `Exchange` values.

`replay._importer` picks the reader, then decodes, sanitises and saves what it returns.
"""
