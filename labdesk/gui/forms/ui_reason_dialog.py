# Generated from ui/dialogs/reason_dialog.ui by pyside6-uic — do not edit
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'reason_dialog.ui'
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
from PySide6.QtWidgets import (QAbstractButton, QApplication, QComboBox, QDialog,
    QDialogButtonBox, QFormLayout, QLabel, QPlainTextEdit,
    QSizePolicy, QVBoxLayout, QWidget)

class Ui_ReasonDialog(object):
    def setupUi(self, ReasonDialog):
        if not ReasonDialog.objectName():
            ReasonDialog.setObjectName(u"ReasonDialog")
        ReasonDialog.resize(560, 400)
        self.mainLayout = QVBoxLayout(ReasonDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.headline = QLabel(ReasonDialog)
        self.headline.setObjectName(u"headline")
        self.headline.setProperty(u"role", u"title")

        self.mainLayout.addWidget(self.headline)

        self.caseLabel = QLabel(ReasonDialog)
        self.caseLabel.setObjectName(u"caseLabel")
        self.caseLabel.setWordWrap(True)
        self.caseLabel.setProperty(u"role", u"muted")

        self.mainLayout.addWidget(self.caseLabel)

        self.form = QFormLayout()
        self.form.setObjectName(u"form")
        self.form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.reasonLabel = QLabel(ReasonDialog)
        self.reasonLabel.setObjectName(u"reasonLabel")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.reasonLabel)

        self.reasonCombo = QComboBox(ReasonDialog)
        self.reasonCombo.setObjectName(u"reasonCombo")

        self.form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.reasonCombo)

        self.noteLabel = QLabel(ReasonDialog)
        self.noteLabel.setObjectName(u"noteLabel")
        self.noteLabel.setAlignment(Qt.AlignLeading|Qt.AlignLeft|Qt.AlignTop)

        self.form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.noteLabel)

        self.noteEdit = QPlainTextEdit(ReasonDialog)
        self.noteEdit.setObjectName(u"noteEdit")
        self.noteEdit.setTabChangesFocus(True)

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.noteEdit)


        self.mainLayout.addLayout(self.form)

        self.noticeLabel = QLabel(ReasonDialog)
        self.noticeLabel.setObjectName(u"noticeLabel")
        self.noticeLabel.setWordWrap(True)
        self.noticeLabel.setProperty(u"role", u"warning")

        self.mainLayout.addWidget(self.noticeLabel)

        self.billingLabel = QLabel(ReasonDialog)
        self.billingLabel.setObjectName(u"billingLabel")
        self.billingLabel.setWordWrap(True)
        self.billingLabel.setProperty(u"role", u"muted")

        self.mainLayout.addWidget(self.billingLabel)

        self.problemLabel = QLabel(ReasonDialog)
        self.problemLabel.setObjectName(u"problemLabel")
        self.problemLabel.setWordWrap(True)
        self.problemLabel.setProperty(u"role", u"error")

        self.mainLayout.addWidget(self.problemLabel)

        self.buttonBox = QDialogButtonBox(ReasonDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Ok)

        self.mainLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.reasonLabel.setBuddy(self.reasonCombo)
        self.noteLabel.setBuddy(self.noteEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.reasonCombo, self.noteEdit)

        self.retranslateUi(ReasonDialog)

        QMetaObject.connectSlotsByName(ReasonDialog)
    # setupUi

    def retranslateUi(self, ReasonDialog):
        ReasonDialog.setWindowTitle(QCoreApplication.translate("ReasonDialog", u"Give a reason", None))
        self.headline.setText(QCoreApplication.translate("ReasonDialog", u"Give a reason", None))
        self.caseLabel.setText(QCoreApplication.translate("ReasonDialog", u"Case", None))
        self.reasonLabel.setText(QCoreApplication.translate("ReasonDialog", u"&Reason:", None))
        self.noteLabel.setText(QCoreApplication.translate("ReasonDialog", u"&Note:", None))
        self.noticeLabel.setText("")
        self.billingLabel.setText("")
        self.problemLabel.setText("")
    # retranslateUi

