"""Speciosa: a private, evidence-first kratom journal and safety tool."""

__version__ = "0.1.0"
