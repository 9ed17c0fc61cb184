# Generated from ui/dialogs/expected_date_dialog.ui by pyside6-uic — do not edit
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'expected_date_dialog.ui'
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
from PySide6.QtWidgets import (QAbstractButton, QApplication, QDateEdit, QDialog,
    QDialogButtonBox, QFormLayout, QLabel, QPlainTextEdit,
    QSizePolicy, QVBoxLayout, QWidget)

class Ui_ExpectedDateDialog(object):
    def setupUi(self, ExpectedDateDialog):
        if not ExpectedDateDialog.objectName():
            ExpectedDateDialog.setObjectName(u"ExpectedDateDialog")
        ExpectedDateDialog.resize(520, 360)
        self.mainLayout = QVBoxLayout(ExpectedDateDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.headline = QLabel(ExpectedDateDialog)
        self.headline.setObjectName(u"headline")
        self.headline.setProperty(u"role", u"title")

        self.mainLayout.addWidget(self.headline)

        self.caseLabel = QLabel(ExpectedDateDialog)
        self.caseLabel.setObjectName(u"caseLabel")
        self.caseLabel.setWordWrap(True)
        self.caseLabel.setProperty(u"role", u"muted")

        self.mainLayout.addWidget(self.caseLabel)

        self.form = QFormLayout()
        self.form.setObjectName(u"form")
        self.form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.dueTitle = QLabel(ExpectedDateDialog)
        self.dueTitle.setObjectName(u"dueTitle")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.dueTitle)

        self.dueLabel = QLabel(ExpectedDateDialog)
        self.dueLabel.setObjectName(u"dueLabel")

        self.form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.dueLabel)

        self.expectedLabel = QLabel(ExpectedDateDialog)
        self.expectedLabel.setObjectName(u"expectedLabel")

        self.form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.expectedLabel)

        self.expectedEdit = QDateEdit(ExpectedDateDialog)
        self.expectedEdit.setObjectName(u"expectedEdit")
        self.expectedEdit.setCalendarPopup(True)
        self.expectedEdit.setDisplayFormat(u"ddd d MMM yyyy")

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.expectedEdit)

        self.noteLabel = QLabel(ExpectedDateDialog)
        self.noteLabel.setObjectName(u"noteLabel")
        self.noteLabel.setAlignment(Qt.AlignLeading|Qt.AlignLeft|Qt.AlignTop)

        self.form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.noteLabel)

        self.noteEdit = QPlainTextEdit(ExpectedDateDialog)
        self.noteEdit.setObjectName(u"noteEdit")
        self.noteEdit.setTabChangesFocus(True)

        self.form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.noteEdit)


        self.mainLayout.addLayout(self.form)

        self.problemLabel = QLabel(ExpectedDateDialog)
        self.problemLabel.setObjectName(u"problemLabel")
        self.problemLabel.setWordWrap(True)
        self.problemLabel.setProperty(u"role", u"error")

        self.mainLayout.addWidget(self.problemLabel)

        self.buttonBox = QDialogButtonBox(ExpectedDateDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Ok)

        self.mainLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.expectedLabel.setBuddy(self.expectedEdit)
        self.noteLabel.setBuddy(self.noteEdit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(ExpectedDateDialog)

        QMetaObject.connectSlotsByName(ExpectedDateDialog)
    # setupUi

    def retranslateUi(self, ExpectedDateDialog):
        ExpectedDateDialog.setWindowTitle(QCoreApplication.translate("ExpectedDateDialog", u"Expected date", None))
        self.headline.setText(QCoreApplication.translate("ExpectedDateDialog", u"Expected date", None))
        self.caseLabel.setText(QCoreApplication.translate("ExpectedDateDialog", u"Case", None))
        self.dueTitle.setText(QCoreApplication.translate("ExpectedDateDialog", u"Clinic asked for:", None))
        self.dueLabel.setText("")
        self.expectedLabel.setText(QCoreApplication.translate("ExpectedDateDialog", u"&Lab expects:", None))
        self.noteLabel.setText(QCoreApplication.translate("ExpectedDateDialog", u"&Note to the clinic:", None))
        self.noteEdit.setPlaceholderText(QCoreApplication.translate("ExpectedDateDialog", u"Why the date changes (needed when it is later than the clinic asked for)", None))
        self.problemLabel.setText("")
    # retranslateUi

