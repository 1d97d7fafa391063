"""Importers and exporters: native JSON, CSV, FHIR, wearables and other apps."""
