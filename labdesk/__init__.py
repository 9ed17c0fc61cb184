"""LabDesk: the workstation application of a dental laboratory."""

# The one home of the version: the wheel (pyproject.toml, dynamic), About, the portal's
# /health and the frozen app all read it from here.
__version__ = "0.1.0"
