"""The sign-in dialog (form: ``ui/sign_in_dialog.ui``).

Signing in runs in the background through the workstation facade; the dialog stays
responsive and says plainly what went wrong: a wrong password, a locked account, a portal that
cannot be reached, a certificate the computer does not trust. When a sign-in expires in the
middle of a shift the same dialog asks again, with the portal and username fixed, and the
window behind it keeps the open case and every pending action.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from labdesk.gui.forms.ui_sign_in_dialog import Ui_SignInDialog
from labdesk.services.tasks import Task

if TYPE_CHECKING:
    from labdesk.api.schemas import User


class SignsIn(Protocol):
    """What the dialog needs from the workstation facade."""

    @property
    def token_notice(self) -> str: ...

    def sign_in(
        self,
        server_url: str,
        username: str,
        password: str,
        *,
        remember: bool = ...,
        on_done: Callable[[User], None] | None = ...,
        on_error: Callable[[BaseException], None] | None = ...,
    ) -> Task[Any]: ...


def explain(exc: BaseException) -> str:
    """A sentence for the person about why signing in did not work."""
    from labdesk.api import errors

    if isinstance(exc, errors.LoginFailed):
        return "Wrong username or password. Check both and try again."
    if isinstance(exc, errors.TooManyAttempts):
        wait = (
            f" Try again in about {int(exc.retry_after // 60) + 1} min." if exc.retry_after else ""
        )
        return "This account is locked after too many failed sign-ins." + (
            wait or " Try again later or ask your lab administrator."
        )
    if isinstance(exc, errors.CertificateError):
        return str(exc) or "The portal's security certificate is not trusted by this computer."
    if isinstance(exc, errors.Offline):
        return f"{exc} You can keep working on cached cases; sign in when the portal is back."
    if isinstance(exc, errors.PortalError):
        return str(exc)
    return f"Signing in failed unexpectedly: {exc}"


class SignInDialog(QDialog):
    """Asks for the portal address, username and password, and signs in through ``facade``."""

    signed_in = Signal(object)  # User

    def __init__(
        self,
        facade: SignsIn,
        *,
        server_url: str = "",
        username: str = "",
        expired: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_SignInDialog()
        cast(Any, self.ui).setupUi(self)  # generated forms are untyped
        self._facade = facade
        self._task: Task[Any] | None = None
        self.user: User | None = None
        ok = self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Sign in")
        ok.setDefault(True)
        self.ui.busyBar.hide()
        self.ui.messageLabel.hide()
        self.ui.serverEdit.setText(server_url)
        self.ui.usernameEdit.setText(username)
        notice = facade.token_notice
        self.ui.noticeLabel.setText(notice)
        self.ui.noticeLabel.setVisible(bool(notice))
        if notice:
            self.ui.rememberCheck.setChecked(False)
            self.ui.rememberCheck.setEnabled(False)
            self.ui.rememberCheck.setToolTip(notice)
        if expired:
            self.setWindowTitle("Sign in again — LabDesk")
            self.ui.titleLabel.setText("Your sign-in has expired")
            self.ui.introLabel.setText(
                "Sign in again to go on. Your pending actions and the open case are kept."
            )
            self.ui.serverEdit.setReadOnly(True)
            self.ui.usernameEdit.setReadOnly(True)
        self.ui.buttonBox.accepted.connect(self.on_sign_in_clicked)
        self.ui.buttonBox.rejected.connect(self.reject)
        for edit in (self.ui.serverEdit, self.ui.usernameEdit, self.ui.passwordEdit):
            edit.textChanged.connect(self.on_input_changed)
        self.on_input_changed()
        first_empty = next(
            (
                e
                for e in (self.ui.serverEdit, self.ui.usernameEdit, self.ui.passwordEdit)
                if not e.text()
            ),
            self.ui.passwordEdit,
        )
        first_empty.setFocus(Qt.FocusReason.OtherFocusReason)
        self.adjustSize()

    @property
    def busy(self) -> bool:
        return self._task is not None

    def show_message(self, text: str) -> None:
        self.ui.messageLabel.setText(text)
        self.ui.messageLabel.setVisible(bool(text))
        self.adjustSize()

    def on_input_changed(self, _text: str = "") -> None:
        ready = all(e.text().strip() for e in (self.ui.serverEdit, self.ui.usernameEdit)) and bool(
            self.ui.passwordEdit.text()
        )
        ok = self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(ready and not self.busy)

    def on_sign_in_clicked(self) -> None:
        if self.busy:
            return
        server = self.ui.serverEdit.text().strip()
        username = self.ui.usernameEdit.text().strip()
        password = self.ui.passwordEdit.text()
        if not server or not username or not password:
            self.show_message("Fill in the portal address, your username and your password.")
            return
        if "://" not in server:
            server = f"https://{server}"
            self.ui.serverEdit.setText(server)
        self._set_busy(True)
        self.show_message("")
        self._task = self._facade.sign_in(
            server,
            username,
            password,
            remember=self.ui.rememberCheck.isChecked(),
            on_done=self.on_sign_in_finished,
            on_error=self.on_sign_in_failed,
        )

    def on_sign_in_finished(self, user: User) -> None:
        self._task = None
        self._set_busy(False)
        self.user = user
        self.ui.passwordEdit.clear()
        self.signed_in.emit(user)
        self.accept()

    def on_sign_in_failed(self, exc: BaseException) -> None:
        from labdesk.api import errors

        self._task = None
        self._set_busy(False)
        self.show_message(explain(exc))
        if isinstance(exc, errors.LoginFailed):
            self.ui.passwordEdit.selectAll()
            self.ui.passwordEdit.setFocus()
        elif isinstance(exc, errors.Offline | errors.CertificateError):
            self.ui.serverEdit.setFocus()

    def _set_busy(self, busy: bool) -> None:
        self.ui.busyBar.setVisible(busy)
        for widget in (self.ui.usernameEdit, self.ui.passwordEdit, self.ui.rememberCheck):
            widget.setEnabled(
                not busy
                and (widget is not self.ui.rememberCheck or (not self._facade.token_notice))
            )
        self.ui.serverEdit.setEnabled(not busy)
        self.on_input_changed()

    def reject(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
        super().reject()
