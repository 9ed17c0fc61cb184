"""LabDesk: the workstation application of a dental laboratory."""

__version__ = "0.1.0"
