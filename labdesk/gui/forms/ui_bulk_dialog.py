# Generated from ui/dialogs/bulk_dialog.ui by pyside6-uic — do not edit
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'bulk_dialog.ui'
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
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QApplication, QDialog,
    QDialogButtonBox, QHeaderView, QLabel, QLineEdit,
    QSizePolicy, QTableWidget, QTableWidgetItem, QVBoxLayout,
    QWidget)

class Ui_BulkDialog(object):
    def setupUi(self, BulkDialog):
        if not BulkDialog.objectName():
            BulkDialog.setObjectName(u"BulkDialog")
        BulkDialog.resize(620, 480)
        self.mainLayout = QVBoxLayout(BulkDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.headline = QLabel(BulkDialog)
        self.headline.setObjectName(u"headline")
        self.headline.setProperty(u"role", u"title")

        self.mainLayout.addWidget(self.headline)

        self.summaryLabel = QLabel(BulkDialog)
        self.summaryLabel.setObjectName(u"summaryLabel")
        self.summaryLabel.setWordWrap(True)

        self.mainLayout.addWidget(self.summaryLabel)

        self.casesTable = QTableWidget(BulkDialog)
        if (self.casesTable.columnCount() < 4):
            self.casesTable.setColumnCount(4)
        __qtablewidgetitem = QTableWidgetItem()
        self.casesTable.setHorizontalHeaderItem(0, __qtablewidgetitem)
        __qtablewidgetitem1 = QTableWidgetItem()
        self.casesTable.setHorizontalHeaderItem(1, __qtablewidgetitem1)
        __qtablewidgetitem2 = QTableWidgetItem()
        self.casesTable.setHorizontalHeaderItem(2, __qtablewidgetitem2)
        __qtablewidgetitem3 = QTableWidgetItem()
        self.casesTable.setHorizontalHeaderItem(3, __qtablewidgetitem3)
        self.casesTable.setObjectName(u"casesTable")
        self.casesTable.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.casesTable.setSelectionMode(QAbstractItemView.NoSelection)
        self.casesTable.setAlternatingRowColors(True)
        self.casesTable.horizontalHeader().setStretchLastSection(True)
        self.casesTable.verticalHeader().setVisible(False)

        self.mainLayout.addWidget(self.casesTable)

        self.noteLabel = QLabel(BulkDialog)
        self.noteLabel.setObjectName(u"noteLabel")

        self.mainLayout.addWidget(self.noteLabel)

        self.noteEdit = QLineEdit(BulkDialog)
        self.noteEdit.setObjectName(u"noteEdit")

        self.mainLayout.addWidget(self.noteEdit)

        self.buttonBox = QDialogButtonBox(BulkDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Ok)

        self.mainLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.noteLabel.setBuddy(self.noteEdit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(BulkDialog)

        QMetaObject.connectSlotsByName(BulkDialog)
    # setupUi

    def retranslateUi(self, BulkDialog):
        BulkDialog.setWindowTitle(QCoreApplication.translate("BulkDialog", u"Apply to several cases", None))
        self.headline.setText(QCoreApplication.translate("BulkDialog", u"Apply to several cases", None))
        self.summaryLabel.setText("")
        ___qtablewidgetitem = self.casesTable.horizontalHeaderItem(0)
        ___qtablewidgetitem.setText(QCoreApplication.translate("BulkDialog", u"Case", None))
        ___qtablewidgetitem1 = self.casesTable.horizontalHeaderItem(1)
        ___qtablewidgetitem1.setText(QCoreApplication.translate("BulkDialog", u"Patient", None))
        ___qtablewidgetitem2 = self.casesTable.horizontalHeaderItem(2)
        ___qtablewidgetitem2.setText(QCoreApplication.translate("BulkDialog", u"Status", None))
        ___qtablewidgetitem3 = self.casesTable.horizontalHeaderItem(3)
        ___qtablewidgetitem3.setText(QCoreApplication.translate("BulkDialog", u"Will be", None))
        self.noteLabel.setText(QCoreApplication.translate("BulkDialog", u"&Note for each case's history (optional):", None))
    # retranslateUi

