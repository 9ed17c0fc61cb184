# Generated from ui/dialogs/cancel_dialog.ui by pyside6-uic — do not edit
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'cancel_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QDialog, QDialogButtonBox,
    QLabel, QPlainTextEdit, QSizePolicy, QVBoxLayout,
    QWidget)

class Ui_CancelDialog(object):
    def setupUi(self, CancelDialog):
        if not CancelDialog.objectName():
            CancelDialog.setObjectName(u"CancelDialog")
        CancelDialog.resize(540, 360)
        self.mainLayout = QVBoxLayout(CancelDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.headline = QLabel(CancelDialog)
        self.headline.setObjectName(u"headline")
        self.headline.setProperty(u"role", u"title")

        self.mainLayout.addWidget(self.headline)

        self.caseLabel = QLabel(CancelDialog)
        self.caseLabel.setObjectName(u"caseLabel")
        self.caseLabel.setWordWrap(True)
        self.caseLabel.setProperty(u"role", u"muted")

        self.mainLayout.addWidget(self.caseLabel)

        self.warningLabel = QLabel(CancelDialog)
        self.warningLabel.setObjectName(u"warningLabel")
        self.warningLabel.setWordWrap(True)
        self.warningLabel.setProperty(u"role", u"warning")

        self.mainLayout.addWidget(self.warningLabel)

        self.reasonLabel = QLabel(CancelDialog)
        self.reasonLabel.setObjectName(u"reasonLabel")

        self.mainLayout.addWidget(self.reasonLabel)

        self.reasonEdit = QPlainTextEdit(CancelDialog)
        self.reasonEdit.setObjectName(u"reasonEdit")
        self.reasonEdit.setTabChangesFocus(True)

        self.mainLayout.addWidget(self.reasonEdit)

        self.billingLabel = QLabel(CancelDialog)
        self.billingLabel.setObjectName(u"billingLabel")
        self.billingLabel.setWordWrap(True)
        self.billingLabel.setProperty(u"role", u"muted")

        self.mainLayout.addWidget(self.billingLabel)

        self.problemLabel = QLabel(CancelDialog)
        self.problemLabel.setObjectName(u"problemLabel")
        self.problemLabel.setWordWrap(True)
        self.problemLabel.setProperty(u"role", u"error")

        self.mainLayout.addWidget(self.problemLabel)

        self.buttonBox = QDialogButtonBox(CancelDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Ok)

        self.mainLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.reasonLabel.setBuddy(self.reasonEdit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(CancelDialog)

        QMetaObject.connectSlotsByName(CancelDialog)
    # setupUi

    def retranslateUi(self, CancelDialog):
        CancelDialog.setWindowTitle(QCoreApplication.translate("CancelDialog", u"Cancel case", None))
        self.headline.setText(QCoreApplication.translate("CancelDialog", u"Cancel case", None))
        self.caseLabel.setText(QCoreApplication.translate("CancelDialog", u"Case", None))
        self.warningLabel.setText(QCoreApplication.translate("CancelDialog", u"Cancelling is final: the case cannot be resumed or reopened.", None))
        self.reasonLabel.setText(QCoreApplication.translate("CancelDialog", u"&Reason (the clinic sees it):", None))
        self.billingLabel.setText("")
        self.problemLabel.setText("")
    # retranslateUi

