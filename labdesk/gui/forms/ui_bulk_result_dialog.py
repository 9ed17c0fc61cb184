# Generated from ui/dialogs/bulk_result_dialog.ui by pyside6-uic — do not edit
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'bulk_result_dialog.ui'
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
    QDialogButtonBox, QHeaderView, QLabel, QSizePolicy,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

class Ui_BulkResultDialog(object):
    def setupUi(self, BulkResultDialog):
        if not BulkResultDialog.objectName():
            BulkResultDialog.setObjectName(u"BulkResultDialog")
        BulkResultDialog.resize(640, 480)
        self.mainLayout = QVBoxLayout(BulkResultDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.headline = QLabel(BulkResultDialog)
        self.headline.setObjectName(u"headline")
        self.headline.setProperty(u"role", u"title")

        self.mainLayout.addWidget(self.headline)

        self.summaryLabel = QLabel(BulkResultDialog)
        self.summaryLabel.setObjectName(u"summaryLabel")
        self.summaryLabel.setWordWrap(True)
        self.summaryLabel.setTextFormat(Qt.RichText)

        self.mainLayout.addWidget(self.summaryLabel)

        self.resultTable = QTableWidget(BulkResultDialog)
        if (self.resultTable.columnCount() < 3):
            self.resultTable.setColumnCount(3)
        __qtablewidgetitem = QTableWidgetItem()
        self.resultTable.setHorizontalHeaderItem(0, __qtablewidgetitem)
        __qtablewidgetitem1 = QTableWidgetItem()
        self.resultTable.setHorizontalHeaderItem(1, __qtablewidgetitem1)
        __qtablewidgetitem2 = QTableWidgetItem()
        self.resultTable.setHorizontalHeaderItem(2, __qtablewidgetitem2)
        self.resultTable.setObjectName(u"resultTable")
        self.resultTable.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.resultTable.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.resultTable.setAlternatingRowColors(True)
        self.resultTable.horizontalHeader().setStretchLastSection(True)
        self.resultTable.verticalHeader().setVisible(False)

        self.mainLayout.addWidget(self.resultTable)

        self.hintLabel = QLabel(BulkResultDialog)
        self.hintLabel.setObjectName(u"hintLabel")
        self.hintLabel.setWordWrap(True)
        self.hintLabel.setProperty(u"role", u"muted")

        self.mainLayout.addWidget(self.hintLabel)

        self.buttonBox = QDialogButtonBox(BulkResultDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.Close)

        self.mainLayout.addWidget(self.buttonBox)


        self.retranslateUi(BulkResultDialog)

        QMetaObject.connectSlotsByName(BulkResultDialog)
    # setupUi

    def retranslateUi(self, BulkResultDialog):
        BulkResultDialog.setWindowTitle(QCoreApplication.translate("BulkResultDialog", u"Result", None))
        self.headline.setText(QCoreApplication.translate("BulkResultDialog", u"Result", None))
        self.summaryLabel.setText("")
        ___qtablewidgetitem = self.resultTable.horizontalHeaderItem(0)
        ___qtablewidgetitem.setText(QCoreApplication.translate("BulkResultDialog", u"Case", None))
        ___qtablewidgetitem1 = self.resultTable.horizontalHeaderItem(1)
        ___qtablewidgetitem1.setText(QCoreApplication.translate("BulkResultDialog", u"Result", None))
        ___qtablewidgetitem2 = self.resultTable.horizontalHeaderItem(2)
        ___qtablewidgetitem2.setText(QCoreApplication.translate("BulkResultDialog", u"Details", None))
        self.hintLabel.setText("")
    # retranslateUi

