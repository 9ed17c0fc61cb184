# Generated from ui/dialogs/qc_dialog.ui by pyside6-uic — do not edit
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'qc_dialog.ui'
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
    QFrame, QGridLayout, QGroupBox, QHBoxLayout,
    QLabel, QPushButton, QRadioButton, QSizePolicy,
    QSpacerItem, QVBoxLayout, QWidget)

class Ui_QcDialog(object):
    def setupUi(self, QcDialog):
        if not QcDialog.objectName():
            QcDialog.setObjectName(u"QcDialog")
        QcDialog.resize(720, 430)
        self.mainLayout = QVBoxLayout(QcDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.headline = QLabel(QcDialog)
        self.headline.setObjectName(u"headline")
        self.headline.setProperty(u"role", u"title")

        self.mainLayout.addWidget(self.headline)

        self.caseLabel = QLabel(QcDialog)
        self.caseLabel.setObjectName(u"caseLabel")
        self.caseLabel.setWordWrap(True)
        self.caseLabel.setProperty(u"role", u"muted")

        self.mainLayout.addWidget(self.caseLabel)

        self.checklistFrame = QFrame(QcDialog)
        self.checklistFrame.setObjectName(u"checklistFrame")
        self.checklistFrame.setFrameShape(QFrame.StyledPanel)
        self.checklistFrame.setProperty(u"role", u"card")
        self.checklistGrid = QGridLayout(self.checklistFrame)
        self.checklistGrid.setObjectName(u"checklistGrid")
        self.checklistGrid.setHorizontalSpacing(14)
        self.pointHeader = QLabel(self.checklistFrame)
        self.pointHeader.setObjectName(u"pointHeader")
        self.pointHeader.setProperty(u"role", u"section")

        self.checklistGrid.addWidget(self.pointHeader, 0, 0, 1, 1)

        self.passHeader = QLabel(self.checklistFrame)
        self.passHeader.setObjectName(u"passHeader")
        self.passHeader.setProperty(u"role", u"section")

        self.checklistGrid.addWidget(self.passHeader, 0, 1, 1, 1)

        self.failHeader = QLabel(self.checklistFrame)
        self.failHeader.setObjectName(u"failHeader")
        self.failHeader.setProperty(u"role", u"section")

        self.checklistGrid.addWidget(self.failHeader, 0, 2, 1, 1)

        self.noteHeader = QLabel(self.checklistFrame)
        self.noteHeader.setObjectName(u"noteHeader")
        self.noteHeader.setProperty(u"role", u"section")

        self.checklistGrid.addWidget(self.noteHeader, 0, 3, 1, 1)


        self.mainLayout.addWidget(self.checklistFrame)

        self.toolsRow = QHBoxLayout()
        self.toolsRow.setObjectName(u"toolsRow")
        self.allPassButton = QPushButton(QcDialog)
        self.allPassButton.setObjectName(u"allPassButton")
        self.allPassButton.setAutoDefault(False)

        self.toolsRow.addWidget(self.allPassButton)

        self.toolsSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.toolsRow.addItem(self.toolsSpacer)


        self.mainLayout.addLayout(self.toolsRow)

        self.backToGroup = QGroupBox(QcDialog)
        self.backToGroup.setObjectName(u"backToGroup")
        self.backToLayout = QHBoxLayout(self.backToGroup)
        self.backToLayout.setObjectName(u"backToLayout")
        self.backToProduction = QRadioButton(self.backToGroup)
        self.backToProduction.setObjectName(u"backToProduction")

        self.backToLayout.addWidget(self.backToProduction)

        self.backToFinishing = QRadioButton(self.backToGroup)
        self.backToFinishing.setObjectName(u"backToFinishing")

        self.backToLayout.addWidget(self.backToFinishing)

        self.backToSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.backToLayout.addItem(self.backToSpacer)


        self.mainLayout.addWidget(self.backToGroup)

        self.verticalSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.mainLayout.addItem(self.verticalSpacer)

        self.resultLabel = QLabel(QcDialog)
        self.resultLabel.setObjectName(u"resultLabel")
        self.resultLabel.setWordWrap(True)

        self.mainLayout.addWidget(self.resultLabel)

        self.buttonBox = QDialogButtonBox(QcDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Ok)

        self.mainLayout.addWidget(self.buttonBox)


        self.retranslateUi(QcDialog)

        QMetaObject.connectSlotsByName(QcDialog)
    # setupUi

    def retranslateUi(self, QcDialog):
        QcDialog.setWindowTitle(QCoreApplication.translate("QcDialog", u"QC sign-off", None))
        self.headline.setText(QCoreApplication.translate("QcDialog", u"QC sign-off", None))
        self.caseLabel.setText(QCoreApplication.translate("QcDialog", u"Case", None))
        self.pointHeader.setText(QCoreApplication.translate("QcDialog", u"Checkpoint", None))
        self.passHeader.setText(QCoreApplication.translate("QcDialog", u"Pass", None))
        self.failHeader.setText(QCoreApplication.translate("QcDialog", u"Fail", None))
        self.noteHeader.setText(QCoreApplication.translate("QcDialog", u"Note", None))
        self.allPassButton.setText(QCoreApplication.translate("QcDialog", u"&All pass", None))
#if QT_CONFIG(tooltip)
        self.allPassButton.setToolTip(QCoreApplication.translate("QcDialog", u"Mark every checkpoint as passed", None))
#endif // QT_CONFIG(tooltip)
        self.backToGroup.setTitle(QCoreApplication.translate("QcDialog", u"Send the case back to", None))
        self.backToProduction.setText(QCoreApplication.translate("QcDialog", u"&Production", None))
        self.backToFinishing.setText(QCoreApplication.translate("QcDialog", u"F&inishing", None))
        self.resultLabel.setText("")
    # retranslateUi

