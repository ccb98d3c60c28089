"""Skip a two-second import that nothing here needs; imported first by the command line and by pytest.

rfc3987-syntax (installed with JupyterLab through jsonschema's format extras) compiles an Earley
grammar when it is imported, and jsonschema imports it on import: two seconds added to every command
and every test process, since reading a notebook (nbformat, nbval) or validating the data
(Frictionless) imports jsonschema. None of the schemas checked here uses the "iri" formats it serves,
so it is marked absent (jsonschema then leaves those two formats unchecked). pytest loads this module
as a plugin (`-p resetlab.fastimport` in pyproject.toml), before nbval imports jsonschema.
"""
import sys

sys.modules.setdefault("rfc3987_syntax", None)
