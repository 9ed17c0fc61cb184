# Generated from ui/dialogs/intake_dialog.ui by pyside6-uic — do not edit
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'intake_dialog.ui'
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
    QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
    QHeaderView, QLabel, QListWidget, QListWidgetItem,
    QProgressBar, QPushButton, QSizePolicy, QSplitter,
    QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

class Ui_IntakeDialog(object):
    def setupUi(self, IntakeDialog):
        if not IntakeDialog.objectName():
            IntakeDialog.setObjectName(u"IntakeDialog")
        IntakeDialog.resize(1180, 780)
        IntakeDialog.setAcceptDrops(False)
        self.mainLayout = QVBoxLayout(IntakeDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.headline = QLabel(IntakeDialog)
        self.headline.setObjectName(u"headline")
        self.headline.setProperty(u"role", u"title")

        self.mainLayout.addWidget(self.headline)

        self.sourceLabel = QLabel(IntakeDialog)
        self.sourceLabel.setObjectName(u"sourceLabel")
        self.sourceLabel.setWordWrap(True)
        self.sourceLabel.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.sourceLabel.setProperty(u"role", u"muted")

        self.mainLayout.addWidget(self.sourceLabel)

        self.progressRow = QWidget(IntakeDialog)
        self.progressRow.setObjectName(u"progressRow")
        self.progressLayout = QHBoxLayout(self.progressRow)
        self.progressLayout.setObjectName(u"progressLayout")
        self.progressLayout.setContentsMargins(0, 0, 0, 0)
        self.stageLabel = QLabel(self.progressRow)
        self.stageLabel.setObjectName(u"stageLabel")
        self.stageLabel.setMinimumSize(QSize(280, 0))

        self.progressLayout.addWidget(self.stageLabel)

        self.progressBar = QProgressBar(self.progressRow)
        self.progressBar.setObjectName(u"progressBar")
        self.progressBar.setMaximum(0)
        self.progressBar.setTextVisible(False)

        self.progressLayout.addWidget(self.progressBar)


        self.mainLayout.addWidget(self.progressRow)

        self.splitter = QSplitter(IntakeDialog)
        self.splitter.setObjectName(u"splitter")
        self.splitter.setOrientation(Qt.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.orderColumn = QWidget(self.splitter)
        self.orderColumn.setObjectName(u"orderColumn")
        self.orderLayout = QVBoxLayout(self.orderColumn)
        self.orderLayout.setObjectName(u"orderLayout")
        self.orderLayout.setContentsMargins(0, 0, 6, 0)
        self.orderForm = QFormLayout()
        self.orderForm.setObjectName(u"orderForm")
        self.orderForm.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.patientTitle = QLabel(self.orderColumn)
        self.patientTitle.setObjectName(u"patientTitle")

        self.orderForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.patientTitle)

        self.patientLabel = QLabel(self.orderColumn)
        self.patientLabel.setObjectName(u"patientLabel")
        self.patientLabel.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.orderForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.patientLabel)

        self.dentistTitle = QLabel(self.orderColumn)
        self.dentistTitle.setObjectName(u"dentistTitle")

        self.orderForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.dentistTitle)

        self.dentistCombo = QComboBox(self.orderColumn)
        self.dentistCombo.setObjectName(u"dentistCombo")
        self.dentistCombo.setEnabled(False)

        self.orderForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.dentistCombo)

        self.dentistNote = QLabel(self.orderColumn)
        self.dentistNote.setObjectName(u"dentistNote")
        self.dentistNote.setWordWrap(True)
        self.dentistNote.setProperty(u"role", u"muted")

        self.orderForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.dentistNote)

        self.clinicTitle = QLabel(self.orderColumn)
        self.clinicTitle.setObjectName(u"clinicTitle")

        self.orderForm.setWidget(3, QFormLayout.ItemRole.LabelRole, self.clinicTitle)

        self.clinicLabel = QLabel(self.orderColumn)
        self.clinicLabel.setObjectName(u"clinicLabel")
        self.clinicLabel.setWordWrap(True)

        self.orderForm.setWidget(3, QFormLayout.ItemRole.FieldRole, self.clinicLabel)

        self.dueTitle = QLabel(self.orderColumn)
        self.dueTitle.setObjectName(u"dueTitle")

        self.orderForm.setWidget(4, QFormLayout.ItemRole.LabelRole, self.dueTitle)

        self.dueLabel = QLabel(self.orderColumn)
        self.dueLabel.setObjectName(u"dueLabel")

        self.orderForm.setWidget(4, QFormLayout.ItemRole.FieldRole, self.dueLabel)

        self.notesTitle = QLabel(self.orderColumn)
        self.notesTitle.setObjectName(u"notesTitle")

        self.orderForm.setWidget(5, QFormLayout.ItemRole.LabelRole, self.notesTitle)

        self.notesLabel = QLabel(self.orderColumn)
        self.notesLabel.setObjectName(u"notesLabel")
        self.notesLabel.setWordWrap(True)
        self.notesLabel.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.orderForm.setWidget(5, QFormLayout.ItemRole.FieldRole, self.notesLabel)


        self.orderLayout.addLayout(self.orderForm)

        self.itemsTitle = QLabel(self.orderColumn)
        self.itemsTitle.setObjectName(u"itemsTitle")
        self.itemsTitle.setProperty(u"role", u"section")

        self.orderLayout.addWidget(self.itemsTitle)

        self.itemsLabel = QLabel(self.orderColumn)
        self.itemsLabel.setObjectName(u"itemsLabel")
        self.itemsLabel.setWordWrap(True)
        self.itemsLabel.setTextFormat(Qt.RichText)

        self.orderLayout.addWidget(self.itemsLabel)

        self.chartHolder = QVBoxLayout()
        self.chartHolder.setObjectName(u"chartHolder")

        self.orderLayout.addLayout(self.chartHolder)

        self.problemsTitle = QLabel(self.orderColumn)
        self.problemsTitle.setObjectName(u"problemsTitle")
        self.problemsTitle.setProperty(u"role", u"section")

        self.orderLayout.addWidget(self.problemsTitle)

        self.problemList = QListWidget(self.orderColumn)
        self.problemList.setObjectName(u"problemList")
        self.problemList.setMaximumSize(QSize(16777215, 180))
        self.problemList.setWordWrap(True)
        self.problemList.setAlternatingRowColors(True)

        self.orderLayout.addWidget(self.problemList)

        self.splitter.addWidget(self.orderColumn)
        self.scanColumn = QWidget(self.splitter)
        self.scanColumn.setObjectName(u"scanColumn")
        self.scanLayout = QVBoxLayout(self.scanColumn)
        self.scanLayout.setObjectName(u"scanLayout")
        self.scanLayout.setContentsMargins(6, 0, 0, 0)
        self.scansTitle = QLabel(self.scanColumn)
        self.scansTitle.setObjectName(u"scansTitle")
        self.scansTitle.setProperty(u"role", u"section")

        self.scanLayout.addWidget(self.scansTitle)

        self.scanList = QTreeWidget(self.scanColumn)
        self.scanList.setObjectName(u"scanList")
        self.scanList.setRootIsDecorated(False)
        self.scanList.setWordWrap(True)
        self.scanList.setMaximumSize(QSize(16777215, 120))

        self.scanLayout.addWidget(self.scanList)

        self.viewerHolder = QVBoxLayout()
        self.viewerHolder.setObjectName(u"viewerHolder")

        self.scanLayout.addLayout(self.viewerHolder)

        self.viewerNote = QLabel(self.scanColumn)
        self.viewerNote.setObjectName(u"viewerNote")
        self.viewerNote.setWordWrap(True)
        self.viewerNote.setProperty(u"role", u"muted")

        self.scanLayout.addWidget(self.viewerNote)

        self.splitter.addWidget(self.scanColumn)

        self.mainLayout.addWidget(self.splitter)

        self.importAnywayCheck = QCheckBox(IntakeDialog)
        self.importAnywayCheck.setObjectName(u"importAnywayCheck")

        self.mainLayout.addWidget(self.importAnywayCheck)

        self.blockersLabel = QLabel(IntakeDialog)
        self.blockersLabel.setObjectName(u"blockersLabel")
        self.blockersLabel.setWordWrap(True)
        self.blockersLabel.setTextFormat(Qt.RichText)
        self.blockersLabel.setProperty(u"role", u"error")

        self.mainLayout.addWidget(self.blockersLabel)

        self.alreadyRow = QWidget(IntakeDialog)
        self.alreadyRow.setObjectName(u"alreadyRow")
        self.alreadyLayout = QHBoxLayout(self.alreadyRow)
        self.alreadyLayout.setObjectName(u"alreadyLayout")
        self.alreadyLayout.setContentsMargins(0, 0, 0, 0)
        self.alreadyLabel = QLabel(self.alreadyRow)
        self.alreadyLabel.setObjectName(u"alreadyLabel")
        self.alreadyLabel.setWordWrap(True)
        self.alreadyLabel.setProperty(u"role", u"warning")

        self.alreadyLayout.addWidget(self.alreadyLabel)

        self.openButton = QPushButton(self.alreadyRow)
        self.openButton.setObjectName(u"openButton")

        self.alreadyLayout.addWidget(self.openButton)


        self.mainLayout.addWidget(self.alreadyRow)

        self.buttonBox = QDialogButtonBox(IntakeDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Ok)

        self.mainLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.dentistTitle.setBuddy(self.dentistCombo)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(IntakeDialog)

        QMetaObject.connectSlotsByName(IntakeDialog)
    # setupUi

    def retranslateUi(self, IntakeDialog):
        IntakeDialog.setWindowTitle(QCoreApplication.translate("IntakeDialog", u"Import a scanner export", None))
        self.headline.setText(QCoreApplication.translate("IntakeDialog", u"Import a scanner export", None))
        self.sourceLabel.setText("")
        self.stageLabel.setText(QCoreApplication.translate("IntakeDialog", u"Reading the package\u2026", None))
        self.patientTitle.setText(QCoreApplication.translate("IntakeDialog", u"Patient:", None))
        self.patientLabel.setText(QCoreApplication.translate("IntakeDialog", u"\u2014", None))
        self.dentistTitle.setText(QCoreApplication.translate("IntakeDialog", u"&Dentist:", None))
        self.dentistNote.setText("")
        self.clinicTitle.setText(QCoreApplication.translate("IntakeDialog", u"Clinic:", None))
        self.clinicLabel.setText(QCoreApplication.translate("IntakeDialog", u"\u2014", None))
        self.dueTitle.setText(QCoreApplication.translate("IntakeDialog", u"Due date:", None))
        self.dueLabel.setText(QCoreApplication.translate("IntakeDialog", u"\u2014", None))
        self.notesTitle.setText(QCoreApplication.translate("IntakeDialog", u"Notes:", None))
        self.notesLabel.setText(QCoreApplication.translate("IntakeDialog", u"\u2014", None))
        self.itemsTitle.setText(QCoreApplication.translate("IntakeDialog", u"Items", None))
        self.itemsLabel.setText(QCoreApplication.translate("IntakeDialog", u"\u2014", None))
        self.problemsTitle.setText(QCoreApplication.translate("IntakeDialog", u"Problems", None))
        self.scansTitle.setText(QCoreApplication.translate("IntakeDialog", u"Scans", None))
        ___qtreewidgetitem = self.scanList.headerItem()
        ___qtreewidgetitem.setText(2, QCoreApplication.translate("IntakeDialog", u"Scan check", None))
        ___qtreewidgetitem.setText(1, QCoreApplication.translate("IntakeDialog", u"Used as", None))
        ___qtreewidgetitem.setText(0, QCoreApplication.translate("IntakeDialog", u"File", None))
        self.viewerNote.setText("")
        self.importAnywayCheck.setText(QCoreApplication.translate("IntakeDialog", u"Import &anyway: I have looked at the scan check and accept these scans", None))
        self.blockersLabel.setText("")
        self.alreadyLabel.setText("")
        self.openButton.setText(QCoreApplication.translate("IntakeDialog", u"&Open the case", None))
    # retranslateUi

