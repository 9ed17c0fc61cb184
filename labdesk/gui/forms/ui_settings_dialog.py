# Generated from ui/settings_dialog.ui by pyside6-uic — do not edit
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'settings_dialog.ui'
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
    QDialog, QDialogButtonBox, QFormLayout, QGroupBox,
    QHBoxLayout, QLabel, QLineEdit, QPushButton,
    QSizePolicy, QSpacerItem, QSpinBox, QVBoxLayout,
    QWidget)

class Ui_SettingsDialog(object):
    def setupUi(self, SettingsDialog):
        if not SettingsDialog.objectName():
            SettingsDialog.setObjectName(u"SettingsDialog")
        SettingsDialog.resize(560, 380)
        self.mainLayout = QVBoxLayout(SettingsDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.portalGroup = QGroupBox(SettingsDialog)
        self.portalGroup.setObjectName(u"portalGroup")
        self.portalForm = QFormLayout(self.portalGroup)
        self.portalForm.setObjectName(u"portalForm")
        self.portalForm.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.serverLabel = QLabel(self.portalGroup)
        self.serverLabel.setObjectName(u"serverLabel")

        self.portalForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.serverLabel)

        self.serverEdit = QLineEdit(self.portalGroup)
        self.serverEdit.setObjectName(u"serverEdit")

        self.portalForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.serverEdit)

        self.syncLabel = QLabel(self.portalGroup)
        self.syncLabel.setObjectName(u"syncLabel")

        self.portalForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.syncLabel)

        self.syncIntervalSpin = QSpinBox(self.portalGroup)
        self.syncIntervalSpin.setObjectName(u"syncIntervalSpin")
        self.syncIntervalSpin.setMinimum(5)
        self.syncIntervalSpin.setMaximum(3600)
        self.syncIntervalSpin.setValue(30)

        self.portalForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.syncIntervalSpin)


        self.mainLayout.addWidget(self.portalGroup)

        self.displayGroup = QGroupBox(SettingsDialog)
        self.displayGroup.setObjectName(u"displayGroup")
        self.displayForm = QFormLayout(self.displayGroup)
        self.displayForm.setObjectName(u"displayForm")
        self.notationLabel = QLabel(self.displayGroup)
        self.notationLabel.setObjectName(u"notationLabel")

        self.displayForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.notationLabel)

        self.notationCombo = QComboBox(self.displayGroup)
        self.notationCombo.setObjectName(u"notationCombo")

        self.displayForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.notationCombo)

        self.themeLabel = QLabel(self.displayGroup)
        self.themeLabel.setObjectName(u"themeLabel")

        self.displayForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.themeLabel)

        self.themeCombo = QComboBox(self.displayGroup)
        self.themeCombo.setObjectName(u"themeCombo")

        self.displayForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.themeCombo)


        self.mainLayout.addWidget(self.displayGroup)

        self.printingGroup = QGroupBox(SettingsDialog)
        self.printingGroup.setObjectName(u"printingGroup")
        self.printingForm = QFormLayout(self.printingGroup)
        self.printingForm.setObjectName(u"printingForm")
        self.ticketSizeLabel = QLabel(self.printingGroup)
        self.ticketSizeLabel.setObjectName(u"ticketSizeLabel")

        self.printingForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.ticketSizeLabel)

        self.ticketSizeCombo = QComboBox(self.printingGroup)
        self.ticketSizeCombo.setObjectName(u"ticketSizeCombo")

        self.printingForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.ticketSizeCombo)

        self.labelSizeLabel = QLabel(self.printingGroup)
        self.labelSizeLabel.setObjectName(u"labelSizeLabel")

        self.printingForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.labelSizeLabel)

        self.labelSizeCombo = QComboBox(self.printingGroup)
        self.labelSizeCombo.setObjectName(u"labelSizeCombo")

        self.printingForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.labelSizeCombo)

        self.printOnAcceptCheck = QCheckBox(self.printingGroup)
        self.printOnAcceptCheck.setObjectName(u"printOnAcceptCheck")

        self.printingForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.printOnAcceptCheck)


        self.mainLayout.addWidget(self.printingGroup)

        self.cacheGroup = QGroupBox(SettingsDialog)
        self.cacheGroup.setObjectName(u"cacheGroup")
        self.cacheForm = QFormLayout(self.cacheGroup)
        self.cacheForm.setObjectName(u"cacheForm")
        self.cacheForm.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.cacheDirLabel = QLabel(self.cacheGroup)
        self.cacheDirLabel.setObjectName(u"cacheDirLabel")

        self.cacheForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.cacheDirLabel)

        self.cacheDirLayout = QHBoxLayout()
        self.cacheDirLayout.setObjectName(u"cacheDirLayout")
        self.cacheDirEdit = QLineEdit(self.cacheGroup)
        self.cacheDirEdit.setObjectName(u"cacheDirEdit")

        self.cacheDirLayout.addWidget(self.cacheDirEdit)

        self.browseButton = QPushButton(self.cacheGroup)
        self.browseButton.setObjectName(u"browseButton")

        self.cacheDirLayout.addWidget(self.browseButton)


        self.cacheForm.setLayout(0, QFormLayout.ItemRole.FieldRole, self.cacheDirLayout)

        self.cacheLimitLabel = QLabel(self.cacheGroup)
        self.cacheLimitLabel.setObjectName(u"cacheLimitLabel")

        self.cacheForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.cacheLimitLabel)

        self.cacheLimitSpin = QSpinBox(self.cacheGroup)
        self.cacheLimitSpin.setObjectName(u"cacheLimitSpin")
        self.cacheLimitSpin.setMinimum(100)
        self.cacheLimitSpin.setMaximum(1000000)
        self.cacheLimitSpin.setSingleStep(256)

        self.cacheForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.cacheLimitSpin)

        self.cacheSizeCaption = QLabel(self.cacheGroup)
        self.cacheSizeCaption.setObjectName(u"cacheSizeCaption")

        self.cacheForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.cacheSizeCaption)

        self.cacheSizeLabel = QLabel(self.cacheGroup)
        self.cacheSizeLabel.setObjectName(u"cacheSizeLabel")

        self.cacheForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.cacheSizeLabel)


        self.mainLayout.addWidget(self.cacheGroup)

        self.intakeGroup = QGroupBox(SettingsDialog)
        self.intakeGroup.setObjectName(u"intakeGroup")
        self.intakeForm = QFormLayout(self.intakeGroup)
        self.intakeForm.setObjectName(u"intakeForm")
        self.watchDirLabel = QLabel(self.intakeGroup)
        self.watchDirLabel.setObjectName(u"watchDirLabel")

        self.intakeForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.watchDirLabel)

        self.watchDirLayout = QHBoxLayout()
        self.watchDirLayout.setObjectName(u"watchDirLayout")
        self.watchDirEdit = QLineEdit(self.intakeGroup)
        self.watchDirEdit.setObjectName(u"watchDirEdit")

        self.watchDirLayout.addWidget(self.watchDirEdit)

        self.watchBrowseButton = QPushButton(self.intakeGroup)
        self.watchBrowseButton.setObjectName(u"watchBrowseButton")

        self.watchDirLayout.addWidget(self.watchBrowseButton)


        self.intakeForm.setLayout(0, QFormLayout.ItemRole.FieldRole, self.watchDirLayout)


        self.mainLayout.addWidget(self.intakeGroup)

        self.verticalSpacer = QSpacerItem(20, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.mainLayout.addItem(self.verticalSpacer)

        self.buttonBox = QDialogButtonBox(SettingsDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok|QDialogButtonBox.StandardButton.RestoreDefaults)

        self.mainLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.serverLabel.setBuddy(self.serverEdit)
        self.syncLabel.setBuddy(self.syncIntervalSpin)
        self.notationLabel.setBuddy(self.notationCombo)
        self.themeLabel.setBuddy(self.themeCombo)
        self.ticketSizeLabel.setBuddy(self.ticketSizeCombo)
        self.labelSizeLabel.setBuddy(self.labelSizeCombo)
        self.cacheDirLabel.setBuddy(self.cacheDirEdit)
        self.cacheLimitLabel.setBuddy(self.cacheLimitSpin)
        self.watchDirLabel.setBuddy(self.watchDirEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.serverEdit, self.syncIntervalSpin)
        QWidget.setTabOrder(self.syncIntervalSpin, self.notationCombo)
        QWidget.setTabOrder(self.notationCombo, self.themeCombo)
        QWidget.setTabOrder(self.themeCombo, self.cacheDirEdit)
        QWidget.setTabOrder(self.cacheDirEdit, self.browseButton)
        QWidget.setTabOrder(self.browseButton, self.cacheLimitSpin)

        self.retranslateUi(SettingsDialog)

        QMetaObject.connectSlotsByName(SettingsDialog)
    # setupUi

    def retranslateUi(self, SettingsDialog):
        SettingsDialog.setWindowTitle(QCoreApplication.translate("SettingsDialog", u"Settings \u2014 LabDesk", None))
        self.portalGroup.setTitle(QCoreApplication.translate("SettingsDialog", u"Portal", None))
        self.serverLabel.setText(QCoreApplication.translate("SettingsDialog", u"Portal &address", None))
        self.syncLabel.setText(QCoreApplication.translate("SettingsDialog", u"Check for &changes every", None))
        self.syncIntervalSpin.setSuffix(QCoreApplication.translate("SettingsDialog", u" s", None))
        self.displayGroup.setTitle(QCoreApplication.translate("SettingsDialog", u"Display", None))
        self.notationLabel.setText(QCoreApplication.translate("SettingsDialog", u"&Tooth numbering", None))
        self.themeLabel.setText(QCoreApplication.translate("SettingsDialog", u"T&heme", None))
        self.printingGroup.setTitle(QCoreApplication.translate("SettingsDialog", u"Tickets and labels", None))
        self.ticketSizeLabel.setText(QCoreApplication.translate("SettingsDialog", u"Work ticket &paper", None))
        self.labelSizeLabel.setText(QCoreApplication.translate("SettingsDialog", u"Tray &label size", None))
        self.printOnAcceptCheck.setText(QCoreApplication.translate("SettingsDialog", u"Print the work ticket when I &accept a case", None))
        self.cacheGroup.setTitle(QCoreApplication.translate("SettingsDialog", u"Offline cache", None))
        self.cacheDirLabel.setText(QCoreApplication.translate("SettingsDialog", u"&Location", None))
        self.browseButton.setText(QCoreApplication.translate("SettingsDialog", u"&Browse\u2026", None))
        self.cacheLimitLabel.setText(QCoreApplication.translate("SettingsDialog", u"Space for &files", None))
        self.cacheLimitSpin.setSuffix(QCoreApplication.translate("SettingsDialog", u" MB", None))
        self.cacheSizeCaption.setText(QCoreApplication.translate("SettingsDialog", u"In use", None))
        self.cacheSizeLabel.setText(QCoreApplication.translate("SettingsDialog", u"Measuring\u2026", None))
        self.cacheSizeLabel.setProperty(u"role", QCoreApplication.translate("SettingsDialog", u"muted", None))
        self.intakeGroup.setTitle(QCoreApplication.translate("SettingsDialog", u"Scanner exports", None))
        self.watchDirLabel.setText(QCoreApplication.translate("SettingsDialog", u"&Watch folder", None))
        self.watchDirEdit.setPlaceholderText(QCoreApplication.translate("SettingsDialog", u"none: new exports are not picked up by themselves", None))
#if QT_CONFIG(tooltip)
        self.watchDirEdit.setToolTip(QCoreApplication.translate("SettingsDialog", u"New iTero, exocad, Medit or 3Shape exports saved in this folder open the import preview.", None))
#endif // QT_CONFIG(tooltip)
        self.watchBrowseButton.setText(QCoreApplication.translate("SettingsDialog", u"B&rowse\u2026", None))
    # retranslateUi

