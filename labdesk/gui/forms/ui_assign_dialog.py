# Generated from ui/dialogs/assign_dialog.ui by pyside6-uic — do not edit
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'assign_dialog.ui'
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
    QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QSizePolicy, QVBoxLayout, QWidget)

class Ui_AssignDialog(object):
    def setupUi(self, AssignDialog):
        if not AssignDialog.objectName():
            AssignDialog.setObjectName(u"AssignDialog")
        AssignDialog.resize(440, 400)
        self.mainLayout = QVBoxLayout(AssignDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.headline = QLabel(AssignDialog)
        self.headline.setObjectName(u"headline")
        self.headline.setProperty(u"role", u"title")

        self.mainLayout.addWidget(self.headline)

        self.caseLabel = QLabel(AssignDialog)
        self.caseLabel.setObjectName(u"caseLabel")
        self.caseLabel.setWordWrap(True)
        self.caseLabel.setProperty(u"role", u"muted")

        self.mainLayout.addWidget(self.caseLabel)

        self.filterEdit = QLineEdit(AssignDialog)
        self.filterEdit.setObjectName(u"filterEdit")
        self.filterEdit.setClearButtonEnabled(True)

        self.mainLayout.addWidget(self.filterEdit)

        self.peopleList = QListWidget(AssignDialog)
        self.peopleList.setObjectName(u"peopleList")
        self.peopleList.setAlternatingRowColors(True)

        self.mainLayout.addWidget(self.peopleList)

        self.buttonBox = QDialogButtonBox(AssignDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Ok)

        self.mainLayout.addWidget(self.buttonBox)

        QWidget.setTabOrder(self.filterEdit, self.peopleList)

        self.retranslateUi(AssignDialog)

        QMetaObject.connectSlotsByName(AssignDialog)
    # setupUi

    def retranslateUi(self, AssignDialog):
        AssignDialog.setWindowTitle(QCoreApplication.translate("AssignDialog", u"Assign case", None))
        self.headline.setText(QCoreApplication.translate("AssignDialog", u"Assign case", None))
        self.caseLabel.setText(QCoreApplication.translate("AssignDialog", u"Case", None))
        self.filterEdit.setPlaceholderText(QCoreApplication.translate("AssignDialog", u"Type to find a person", None))
    # retranslateUi

