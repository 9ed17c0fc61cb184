"""The demo's "try as" list: sign in again as another demo user with one choice.

Only ``labdesk --demo`` shows it; the passwords are the demo's own, so nothing is typed.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QMessageBox, QStatusBar, QWidget

from labdesk.services.workstation import Workstation


class DemoUserCombo(QComboBox):
    """The demo users by label; choosing one signs in as that user."""

    def __init__(
        self,
        workstation: Workstation,
        users: tuple[tuple[str, str], ...],
        status: QStatusBar,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ws = workstation
        self._status = status  # "Signing in as …" while it happens
        self.setObjectName("demoRoleCombo")
        self.setToolTip("Demo only: sign in again as another demo user")
        for username, label in users:
            self.addItem(label, username)
        self.activated.connect(self.on_activated)

    def show_user(self, username: str) -> None:
        """Follow a sign-in made elsewhere (the dialog, a test) without signing in again."""
        i = self.findData(username)
        if i >= 0:
            self.setCurrentIndex(i)

    def on_activated(self, index: int) -> None:
        demo = self.ws.demo
        if demo is None:
            return
        username = self.itemData(index)
        session = self.ws.session
        if session is not None and username == session.user.username:
            return
        self._status.showMessage(f"Signing in as {username}…")
        self.setEnabled(False)

        def done(_user: object) -> None:
            self.setEnabled(True)
            self._status.clearMessage()

        def failed(exc: BaseException) -> None:
            done(None)
            QMessageBox.warning(self, "Demo", f"Could not sign in as {username}: {exc}")

        from labdesk.client.demo import DEMO_PASSWORD

        self.ws.sign_in(
            demo.url, username, DEMO_PASSWORD, remember=False, on_done=done, on_error=failed
        )
