# Generated from ui/dialogs/hold_dialog.ui by pyside6-uic — do not edit
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'hold_dialog.ui'
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

class Ui_HoldDialog(object):
    def setupUi(self, HoldDialog):
        if not HoldDialog.objectName():
            HoldDialog.setObjectName(u"HoldDialog")
        HoldDialog.resize(560, 400)
        self.mainLayout = QVBoxLayout(HoldDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.headline = QLabel(HoldDialog)
        self.headline.setObjectName(u"headline")
        self.headline.setProperty(u"role", u"title")

        self.mainLayout.addWidget(self.headline)

        self.caseLabel = QLabel(HoldDialog)
        self.caseLabel.setObjectName(u"caseLabel")
        self.caseLabel.setWordWrap(True)
        self.caseLabel.setProperty(u"role", u"muted")

        self.mainLayout.addWidget(self.caseLabel)

        self.form = QFormLayout()
        self.form.setObjectName(u"form")
        self.form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.reasonLabel = QLabel(HoldDialog)
        self.reasonLabel.setObjectName(u"reasonLabel")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.reasonLabel)

        self.reasonCombo = QComboBox(HoldDialog)
        self.reasonCombo.setObjectName(u"reasonCombo")

        self.form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.reasonCombo)

        self.noteLabel = QLabel(HoldDialog)
        self.noteLabel.setObjectName(u"noteLabel")
        self.noteLabel.setAlignment(Qt.AlignLeading|Qt.AlignLeft|Qt.AlignTop)

        self.form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.noteLabel)

        self.noteEdit = QPlainTextEdit(HoldDialog)
        self.noteEdit.setObjectName(u"noteEdit")
        self.noteEdit.setTabChangesFocus(True)

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.noteEdit)


        self.mainLayout.addLayout(self.form)

        self.noticeLabel = QLabel(HoldDialog)
        self.noticeLabel.setObjectName(u"noticeLabel")
        self.noticeLabel.setWordWrap(True)
        self.noticeLabel.setProperty(u"role", u"warning")

        self.mainLayout.addWidget(self.noticeLabel)

        self.problemLabel = QLabel(HoldDialog)
        self.problemLabel.setObjectName(u"problemLabel")
        self.problemLabel.setWordWrap(True)
        self.problemLabel.setProperty(u"role", u"error")

        self.mainLayout.addWidget(self.problemLabel)

        self.buttonBox = QDialogButtonBox(HoldDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Ok)

        self.mainLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.reasonLabel.setBuddy(self.reasonCombo)
        self.noteLabel.setBuddy(self.noteEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.reasonCombo, self.noteEdit)

        self.retranslateUi(HoldDialog)

        QMetaObject.connectSlotsByName(HoldDialog)
    # setupUi

    def retranslateUi(self, HoldDialog):
        HoldDialog.setWindowTitle(QCoreApplication.translate("HoldDialog", u"Put case on hold", None))
        self.headline.setText(QCoreApplication.translate("HoldDialog", u"Put case on hold", None))
        self.caseLabel.setText(QCoreApplication.translate("HoldDialog", u"Case", None))
        self.reasonLabel.setText(QCoreApplication.translate("HoldDialog", u"&Reason:", None))
        self.noteLabel.setText(QCoreApplication.translate("HoldDialog", u"&Note to the dentist:", None))
        self.noteEdit.setPlaceholderText(QCoreApplication.translate("HoldDialog", u"What the lab needs from the dentist to carry on", None))
        self.noticeLabel.setText(QCoreApplication.translate("HoldDialog", u"The dentist is notified by e-mail AND SMS as soon as the case is on hold.", None))
        self.problemLabel.setText("")
    # retranslateUi

