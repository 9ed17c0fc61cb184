# Generated from ui/dialogs/conflict_dialog.ui by pyside6-uic — do not edit
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'conflict_dialog.ui'
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
from PySide6.QtWidgets import (QApplication, QDialog, QGroupBox, QHBoxLayout,
    QLabel, QPushButton, QSizePolicy, QSpacerItem,
    QVBoxLayout, QWidget)

class Ui_ConflictDialog(object):
    def setupUi(self, ConflictDialog):
        if not ConflictDialog.objectName():
            ConflictDialog.setObjectName(u"ConflictDialog")
        ConflictDialog.resize(760, 270)
        self.mainLayout = QVBoxLayout(ConflictDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.headline = QLabel(ConflictDialog)
        self.headline.setObjectName(u"headline")
        self.headline.setProperty(u"role", u"title")

        self.mainLayout.addWidget(self.headline)

        self.explanationLabel = QLabel(ConflictDialog)
        self.explanationLabel.setObjectName(u"explanationLabel")
        self.explanationLabel.setWordWrap(True)

        self.mainLayout.addWidget(self.explanationLabel)

        self.sides = QHBoxLayout()
        self.sides.setObjectName(u"sides")
        self.mineGroup = QGroupBox(ConflictDialog)
        self.mineGroup.setObjectName(u"mineGroup")
        self.mineLayout = QVBoxLayout(self.mineGroup)
        self.mineLayout.setObjectName(u"mineLayout")
        self.mineLabel = QLabel(self.mineGroup)
        self.mineLabel.setObjectName(u"mineLabel")
        self.mineLabel.setWordWrap(True)
        self.mineLabel.setTextFormat(Qt.RichText)
        self.mineLabel.setAlignment(Qt.AlignLeading|Qt.AlignLeft|Qt.AlignTop)
        self.mineLabel.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.mineLayout.addWidget(self.mineLabel)


        self.sides.addWidget(self.mineGroup)

        self.theirsGroup = QGroupBox(ConflictDialog)
        self.theirsGroup.setObjectName(u"theirsGroup")
        self.theirsLayout = QVBoxLayout(self.theirsGroup)
        self.theirsLayout.setObjectName(u"theirsLayout")
        self.theirsLabel = QLabel(self.theirsGroup)
        self.theirsLabel.setObjectName(u"theirsLabel")
        self.theirsLabel.setWordWrap(True)
        self.theirsLabel.setTextFormat(Qt.RichText)
        self.theirsLabel.setAlignment(Qt.AlignLeading|Qt.AlignLeft|Qt.AlignTop)
        self.theirsLabel.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.theirsLayout.addWidget(self.theirsLabel)


        self.sides.addWidget(self.theirsGroup)


        self.mainLayout.addLayout(self.sides)

        self.verdictLabel = QLabel(ConflictDialog)
        self.verdictLabel.setObjectName(u"verdictLabel")
        self.verdictLabel.setWordWrap(True)

        self.mainLayout.addWidget(self.verdictLabel)

        self.verticalSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.mainLayout.addItem(self.verticalSpacer)

        self.choiceRow = QHBoxLayout()
        self.choiceRow.setObjectName(u"choiceRow")
        self.applyAgainButton = QPushButton(ConflictDialog)
        self.applyAgainButton.setObjectName(u"applyAgainButton")

        self.choiceRow.addWidget(self.applyAgainButton)

        self.discardButton = QPushButton(ConflictDialog)
        self.discardButton.setObjectName(u"discardButton")
        self.discardButton.setAutoDefault(False)

        self.choiceRow.addWidget(self.discardButton)

        self.choiceSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.choiceRow.addItem(self.choiceSpacer)

        self.laterButton = QPushButton(ConflictDialog)
        self.laterButton.setObjectName(u"laterButton")
        self.laterButton.setAutoDefault(False)

        self.choiceRow.addWidget(self.laterButton)


        self.mainLayout.addLayout(self.choiceRow)


        self.retranslateUi(ConflictDialog)

        QMetaObject.connectSlotsByName(ConflictDialog)
    # setupUi

    def retranslateUi(self, ConflictDialog):
        ConflictDialog.setWindowTitle(QCoreApplication.translate("ConflictDialog", u"Needs attention", None))
        self.headline.setText(QCoreApplication.translate("ConflictDialog", u"Your action met a change made elsewhere", None))
        self.explanationLabel.setText("")
        self.mineGroup.setTitle(QCoreApplication.translate("ConflictDialog", u"What you did", None))
        self.mineLabel.setText("")
        self.theirsGroup.setTitle(QCoreApplication.translate("ConflictDialog", u"The case on the portal now", None))
        self.theirsLabel.setText("")
        self.verdictLabel.setText("")
        self.applyAgainButton.setText(QCoreApplication.translate("ConflictDialog", u"&Apply again on the current state", None))
        self.discardButton.setText(QCoreApplication.translate("ConflictDialog", u"&Discard my action", None))
        self.laterButton.setText(QCoreApplication.translate("ConflictDialog", u"Decide &later", None))
    # retranslateUi

