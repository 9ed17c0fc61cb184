"""What travels with a case on the lab floor: work tickets and tray labels with the case number
as a Code 128 barcode, as vector PDF or on a printer.

``ticket_content`` (no Qt) decides what a ticket and a label say; ``code128`` turns a case
number into bars; ``render`` (QtGui only, no widgets) paints them on any paged device — a
``QPdfWriter`` for "Save as PDF" and ``labdesk-cli tickets``, a ``QPrinter`` for the print
preview. The barcode is drawn as filled rectangles, so the PDF stays sharp at any zoom and a
scanner reads it from paper.
"""
