"""Scan meshes: load (STL, PLY, OBJ), check, decimate for display, pick. numpy only, no Qt."""

from labdesk.mesh.checks import ScanReport, check_scan
from labdesk.mesh.decimate import decimate
from labdesk.mesh.load import MAX_FILE_BYTES, RawMesh, finish_scan, load_scan, read_mesh
from labdesk.mesh.picking import RayPicker, pick
from labdesk.mesh.scan import Scan, ScanError

__all__ = [
    "MAX_FILE_BYTES",
    "RawMesh",
    "RayPicker",
    "Scan",
    "ScanError",
    "ScanReport",
    "check_scan",
    "decimate",
    "finish_scan",
    "load_scan",
    "pick",
    "read_mesh",
]
