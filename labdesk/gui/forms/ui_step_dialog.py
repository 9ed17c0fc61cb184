# Generated from ui/dialogs/step_dialog.ui by pyside6-uic — do not edit
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'step_dialog.ui'
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

class Ui_StepDialog(object):
    def setupUi(self, StepDialog):
        if not StepDialog.objectName():
            StepDialog.setObjectName(u"StepDialog")
        StepDialog.resize(520, 320)
        self.mainLayout = QVBoxLayout(StepDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.headline = QLabel(StepDialog)
        self.headline.setObjectName(u"headline")
        self.headline.setProperty(u"role", u"title")

        self.mainLayout.addWidget(self.headline)

        self.caseLabel = QLabel(StepDialog)
        self.caseLabel.setObjectName(u"caseLabel")
        self.caseLabel.setWordWrap(True)
        self.caseLabel.setProperty(u"role", u"muted")

        self.mainLayout.addWidget(self.caseLabel)

        self.transitionLabel = QLabel(StepDialog)
        self.transitionLabel.setObjectName(u"transitionLabel")
        self.transitionLabel.setProperty(u"role", u"section")

        self.mainLayout.addWidget(self.transitionLabel)

        self.explanationLabel = QLabel(StepDialog)
        self.explanationLabel.setObjectName(u"explanationLabel")
        self.explanationLabel.setWordWrap(True)

        self.mainLayout.addWidget(self.explanationLabel)

        self.noteLabel = QLabel(StepDialog)
        self.noteLabel.setObjectName(u"noteLabel")

        self.mainLayout.addWidget(self.noteLabel)

        self.noteEdit = QPlainTextEdit(StepDialog)
        self.noteEdit.setObjectName(u"noteEdit")
        self.noteEdit.setTabChangesFocus(True)

        self.mainLayout.addWidget(self.noteEdit)

        self.buttonBox = QDialogButtonBox(StepDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Ok)

        self.mainLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.noteLabel.setBuddy(self.noteEdit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(StepDialog)

        QMetaObject.connectSlotsByName(StepDialog)
    # setupUi

    def retranslateUi(self, StepDialog):
        StepDialog.setWindowTitle(QCoreApplication.translate("StepDialog", u"Move on", None))
        self.headline.setText(QCoreApplication.translate("StepDialog", u"Move on", None))
        self.caseLabel.setText(QCoreApplication.translate("StepDialog", u"Case", None))
        self.transitionLabel.setText("")
        self.explanationLabel.setText("")
        self.noteLabel.setText(QCoreApplication.translate("StepDialog", u"&Note for the case history (optional):", None))
    # retranslateUi

