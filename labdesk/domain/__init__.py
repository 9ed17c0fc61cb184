"""Pure-Python rules of the lab: lifecycle, teeth, reasons, due dates. No Qt, no I/O."""
