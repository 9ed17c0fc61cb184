# Generated from ui/dialogs/accept_dialog.ui by pyside6-uic — do not edit
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'accept_dialog.ui'
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
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QApplication, QCheckBox,
    QDialog, QDialogButtonBox, QFormLayout, QHeaderView,
    QLabel, QSizePolicy, QSpacerItem, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget)

class Ui_AcceptDialog(object):
    def setupUi(self, AcceptDialog):
        if not AcceptDialog.objectName():
            AcceptDialog.setObjectName(u"AcceptDialog")
        AcceptDialog.resize(640, 390)
        self.mainLayout = QVBoxLayout(AcceptDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.headline = QLabel(AcceptDialog)
        self.headline.setObjectName(u"headline")
        self.headline.setProperty(u"role", u"title")

        self.mainLayout.addWidget(self.headline)

        self.caseLabel = QLabel(AcceptDialog)
        self.caseLabel.setObjectName(u"caseLabel")
        self.caseLabel.setWordWrap(True)
        self.caseLabel.setProperty(u"role", u"muted")

        self.mainLayout.addWidget(self.caseLabel)

        self.itemsHeading = QLabel(AcceptDialog)
        self.itemsHeading.setObjectName(u"itemsHeading")
        self.itemsHeading.setProperty(u"role", u"section")

        self.mainLayout.addWidget(self.itemsHeading)

        self.itemsTable = QTableWidget(AcceptDialog)
        if (self.itemsTable.columnCount() < 4):
            self.itemsTable.setColumnCount(4)
        __qtablewidgetitem = QTableWidgetItem()
        self.itemsTable.setHorizontalHeaderItem(0, __qtablewidgetitem)
        __qtablewidgetitem1 = QTableWidgetItem()
        self.itemsTable.setHorizontalHeaderItem(1, __qtablewidgetitem1)
        __qtablewidgetitem2 = QTableWidgetItem()
        self.itemsTable.setHorizontalHeaderItem(2, __qtablewidgetitem2)
        __qtablewidgetitem3 = QTableWidgetItem()
        self.itemsTable.setHorizontalHeaderItem(3, __qtablewidgetitem3)
        self.itemsTable.setObjectName(u"itemsTable")
        self.itemsTable.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.itemsTable.setSelectionMode(QAbstractItemView.NoSelection)
        self.itemsTable.setFocusPolicy(Qt.NoFocus)
        self.itemsTable.setAlternatingRowColors(True)
        self.itemsTable.verticalHeader().setVisible(False)

        self.mainLayout.addWidget(self.itemsTable)

        self.factsForm = QFormLayout()
        self.factsForm.setObjectName(u"factsForm")
        self.dueTitle = QLabel(AcceptDialog)
        self.dueTitle.setObjectName(u"dueTitle")

        self.factsForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.dueTitle)

        self.dueLabel = QLabel(AcceptDialog)
        self.dueLabel.setObjectName(u"dueLabel")

        self.factsForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.dueLabel)

        self.filesTitle = QLabel(AcceptDialog)
        self.filesTitle.setObjectName(u"filesTitle")
        self.filesTitle.setAlignment(Qt.AlignLeading|Qt.AlignLeft|Qt.AlignTop)

        self.factsForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.filesTitle)

        self.filesLabel = QLabel(AcceptDialog)
        self.filesLabel.setObjectName(u"filesLabel")
        self.filesLabel.setWordWrap(True)
        self.filesLabel.setTextFormat(Qt.RichText)

        self.factsForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.filesLabel)

        self.nextTitle = QLabel(AcceptDialog)
        self.nextTitle.setObjectName(u"nextTitle")

        self.factsForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.nextTitle)

        self.nextLabel = QLabel(AcceptDialog)
        self.nextLabel.setObjectName(u"nextLabel")
        self.nextLabel.setWordWrap(True)

        self.factsForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.nextLabel)


        self.mainLayout.addLayout(self.factsForm)

        self.verticalSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.mainLayout.addItem(self.verticalSpacer)

        self.warningLabel = QLabel(AcceptDialog)
        self.warningLabel.setObjectName(u"warningLabel")
        self.warningLabel.setWordWrap(True)
        self.warningLabel.setProperty(u"role", u"warning")

        self.mainLayout.addWidget(self.warningLabel)

        self.unopenedCheck = QCheckBox(AcceptDialog)
        self.unopenedCheck.setObjectName(u"unopenedCheck")

        self.mainLayout.addWidget(self.unopenedCheck)

        self.buttonBox = QDialogButtonBox(AcceptDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Ok)

        self.mainLayout.addWidget(self.buttonBox)


        self.retranslateUi(AcceptDialog)

        QMetaObject.connectSlotsByName(AcceptDialog)
    # setupUi

    def retranslateUi(self, AcceptDialog):
        AcceptDialog.setWindowTitle(QCoreApplication.translate("AcceptDialog", u"Accept case", None))
        self.headline.setText(QCoreApplication.translate("AcceptDialog", u"Accept case", None))
        self.caseLabel.setText(QCoreApplication.translate("AcceptDialog", u"Case", None))
        self.itemsHeading.setText(QCoreApplication.translate("AcceptDialog", u"What you accept", None))
        ___qtablewidgetitem = self.itemsTable.horizontalHeaderItem(0)
        ___qtablewidgetitem.setText(QCoreApplication.translate("AcceptDialog", u"Item", None))
        ___qtablewidgetitem1 = self.itemsTable.horizontalHeaderItem(1)
        ___qtablewidgetitem1.setText(QCoreApplication.translate("AcceptDialog", u"Material", None))
        ___qtablewidgetitem2 = self.itemsTable.horizontalHeaderItem(2)
        ___qtablewidgetitem2.setText(QCoreApplication.translate("AcceptDialog", u"Teeth", None))
        ___qtablewidgetitem3 = self.itemsTable.horizontalHeaderItem(3)
        ___qtablewidgetitem3.setText(QCoreApplication.translate("AcceptDialog", u"Shade", None))
        self.dueTitle.setText(QCoreApplication.translate("AcceptDialog", u"Due:", None))
        self.dueLabel.setText("")
        self.filesTitle.setText(QCoreApplication.translate("AcceptDialog", u"Files:", None))
        self.filesLabel.setText("")
        self.nextTitle.setText(QCoreApplication.translate("AcceptDialog", u"Goes to:", None))
        self.nextLabel.setText("")
        self.warningLabel.setText(QCoreApplication.translate("AcceptDialog", u"Acceptance locks the case for the clinic: the dentist can no longer change it. It cannot be undone.", None))
        self.unopenedCheck.setText(QCoreApplication.translate("AcceptDialog", u"I accept without having opened every file", None))
    # retranslateUi

