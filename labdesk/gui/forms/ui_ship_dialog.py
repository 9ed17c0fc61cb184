# Generated from ui/dialogs/ship_dialog.ui by pyside6-uic — do not edit
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'ship_dialog.ui'
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
from PySide6.QtWidgets import (QAbstractButton, QApplication, QCheckBox, QComboBox,
    QDateEdit, QDialog, QDialogButtonBox, QFormLayout,
    QLabel, QLineEdit, QSizePolicy, QSpacerItem,
    QVBoxLayout, QWidget)

class Ui_ShipDialog(object):
    def setupUi(self, ShipDialog):
        if not ShipDialog.objectName():
            ShipDialog.setObjectName(u"ShipDialog")
        ShipDialog.resize(520, 250)
        self.mainLayout = QVBoxLayout(ShipDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.headline = QLabel(ShipDialog)
        self.headline.setObjectName(u"headline")
        self.headline.setProperty(u"role", u"title")

        self.mainLayout.addWidget(self.headline)

        self.caseLabel = QLabel(ShipDialog)
        self.caseLabel.setObjectName(u"caseLabel")
        self.caseLabel.setWordWrap(True)
        self.caseLabel.setProperty(u"role", u"muted")

        self.mainLayout.addWidget(self.caseLabel)

        self.form = QFormLayout()
        self.form.setObjectName(u"form")
        self.form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.carrierLabel = QLabel(ShipDialog)
        self.carrierLabel.setObjectName(u"carrierLabel")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.carrierLabel)

        self.carrierCombo = QComboBox(ShipDialog)
        self.carrierCombo.setObjectName(u"carrierCombo")

        self.form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.carrierCombo)

        self.trackingLabel = QLabel(ShipDialog)
        self.trackingLabel.setObjectName(u"trackingLabel")

        self.form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.trackingLabel)

        self.trackingEdit = QLineEdit(ShipDialog)
        self.trackingEdit.setObjectName(u"trackingEdit")
        self.trackingEdit.setClearButtonEnabled(True)

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.trackingEdit)

        self.expectedCheck = QCheckBox(ShipDialog)
        self.expectedCheck.setObjectName(u"expectedCheck")

        self.form.setWidget(2, QFormLayout.ItemRole.LabelRole, self.expectedCheck)

        self.expectedEdit = QDateEdit(ShipDialog)
        self.expectedEdit.setObjectName(u"expectedEdit")
        self.expectedEdit.setCalendarPopup(True)
        self.expectedEdit.setDisplayFormat(u"ddd d MMM yyyy")

        self.form.setWidget(2, QFormLayout.ItemRole.FieldRole, self.expectedEdit)


        self.mainLayout.addLayout(self.form)

        self.noticeLabel = QLabel(ShipDialog)
        self.noticeLabel.setObjectName(u"noticeLabel")
        self.noticeLabel.setWordWrap(True)
        self.noticeLabel.setProperty(u"role", u"muted")

        self.mainLayout.addWidget(self.noticeLabel)

        self.verticalSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.mainLayout.addItem(self.verticalSpacer)

        self.problemLabel = QLabel(ShipDialog)
        self.problemLabel.setObjectName(u"problemLabel")
        self.problemLabel.setWordWrap(True)
        self.problemLabel.setProperty(u"role", u"error")

        self.mainLayout.addWidget(self.problemLabel)

        self.buttonBox = QDialogButtonBox(ShipDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Ok)

        self.mainLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.carrierLabel.setBuddy(self.carrierCombo)
        self.trackingLabel.setBuddy(self.trackingEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.carrierCombo, self.trackingEdit)
        QWidget.setTabOrder(self.trackingEdit, self.expectedCheck)
        QWidget.setTabOrder(self.expectedCheck, self.expectedEdit)

        self.retranslateUi(ShipDialog)

        QMetaObject.connectSlotsByName(ShipDialog)
    # setupUi

    def retranslateUi(self, ShipDialog):
        ShipDialog.setWindowTitle(QCoreApplication.translate("ShipDialog", u"Ship case", None))
        self.headline.setText(QCoreApplication.translate("ShipDialog", u"Ship case", None))
        self.caseLabel.setText(QCoreApplication.translate("ShipDialog", u"Case", None))
        self.carrierLabel.setText(QCoreApplication.translate("ShipDialog", u"&Carrier:", None))
        self.trackingLabel.setText(QCoreApplication.translate("ShipDialog", u"&Tracking number:", None))
        self.trackingEdit.setPlaceholderText(QCoreApplication.translate("ShipDialog", u"Scan or type the label's tracking number", None))
        self.expectedCheck.setText(QCoreApplication.translate("ShipDialog", u"&Expected delivery:", None))
        self.noticeLabel.setText(QCoreApplication.translate("ShipDialog", u"The dentist is notified by e-mail with the carrier and tracking number.", None))
        self.problemLabel.setText("")
    # retranslateUi

