"""The Qt-free client core: account and session, sync engine, files, inbox rows and index,
action requests and offers. The GUI (through :mod:`labdesk.services`) and ``labdesk-cli`` both
run on it; nothing here imports Qt."""
