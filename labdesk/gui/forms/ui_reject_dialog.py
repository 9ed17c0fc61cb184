# Generated from ui/dialogs/reject_dialog.ui by pyside6-uic — do not edit
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'reject_dialog.ui'
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
from PySide6.QtWidgets import (QAbstractButton, QApplication, QComboBox, QDialog,
    QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel,
    QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton,
    QSizePolicy, QSpacerItem, QVBoxLayout, QWidget)

class Ui_RejectDialog(object):
    def setupUi(self, RejectDialog):
        if not RejectDialog.objectName():
            RejectDialog.setObjectName(u"RejectDialog")
        RejectDialog.resize(860, 560)
        self.mainLayout = QVBoxLayout(RejectDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.headline = QLabel(RejectDialog)
        self.headline.setObjectName(u"headline")
        self.headline.setProperty(u"role", u"title")

        self.mainLayout.addWidget(self.headline)

        self.caseLabel = QLabel(RejectDialog)
        self.caseLabel.setObjectName(u"caseLabel")
        self.caseLabel.setProperty(u"role", u"muted")
        self.caseLabel.setWordWrap(True)

        self.mainLayout.addWidget(self.caseLabel)

        self.columns = QHBoxLayout()
        self.columns.setObjectName(u"columns")
        self.inputColumn = QVBoxLayout()
        self.inputColumn.setObjectName(u"inputColumn")
        self.form = QFormLayout()
        self.form.setObjectName(u"form")
        self.form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.reasonLabel = QLabel(RejectDialog)
        self.reasonLabel.setObjectName(u"reasonLabel")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.reasonLabel)

        self.reasonCombo = QComboBox(RejectDialog)
        self.reasonCombo.setObjectName(u"reasonCombo")

        self.form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.reasonCombo)

        self.noteLabel = QLabel(RejectDialog)
        self.noteLabel.setObjectName(u"noteLabel")
        self.noteLabel.setAlignment(Qt.AlignLeading|Qt.AlignLeft|Qt.AlignTop)

        self.form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.noteLabel)

        self.noteEdit = QPlainTextEdit(RejectDialog)
        self.noteEdit.setObjectName(u"noteEdit")
        self.noteEdit.setTabChangesFocus(True)

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.noteEdit)


        self.inputColumn.addLayout(self.form)

        self.attachmentsHeading = QLabel(RejectDialog)
        self.attachmentsHeading.setObjectName(u"attachmentsHeading")
        self.attachmentsHeading.setProperty(u"role", u"section")

        self.inputColumn.addWidget(self.attachmentsHeading)

        self.attachmentList = QListWidget(RejectDialog)
        self.attachmentList.setObjectName(u"attachmentList")
        self.attachmentList.setMaximumSize(QSize(16777215, 110))

        self.inputColumn.addWidget(self.attachmentList)

        self.attachmentButtons = QHBoxLayout()
        self.attachmentButtons.setObjectName(u"attachmentButtons")
        self.addFileButton = QPushButton(RejectDialog)
        self.addFileButton.setObjectName(u"addFileButton")
        self.addFileButton.setAutoDefault(False)

        self.attachmentButtons.addWidget(self.addFileButton)

        self.addSnapshotButton = QPushButton(RejectDialog)
        self.addSnapshotButton.setObjectName(u"addSnapshotButton")
        self.addSnapshotButton.setAutoDefault(False)

        self.attachmentButtons.addWidget(self.addSnapshotButton)

        self.removeButton = QPushButton(RejectDialog)
        self.removeButton.setObjectName(u"removeButton")
        self.removeButton.setAutoDefault(False)

        self.attachmentButtons.addWidget(self.removeButton)

        self.attachmentSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.attachmentButtons.addItem(self.attachmentSpacer)


        self.inputColumn.addLayout(self.attachmentButtons)


        self.columns.addLayout(self.inputColumn)

        self.previewColumn = QVBoxLayout()
        self.previewColumn.setObjectName(u"previewColumn")
        self.previewHeading = QLabel(RejectDialog)
        self.previewHeading.setObjectName(u"previewHeading")
        self.previewHeading.setProperty(u"role", u"section")

        self.previewColumn.addWidget(self.previewHeading)

        self.previewEdit = QPlainTextEdit(RejectDialog)
        self.previewEdit.setObjectName(u"previewEdit")
        self.previewEdit.setFocusPolicy(Qt.ClickFocus)
        self.previewEdit.setReadOnly(True)

        self.previewColumn.addWidget(self.previewEdit)


        self.columns.addLayout(self.previewColumn)

        self.columns.setStretch(0, 3)
        self.columns.setStretch(1, 2)

        self.mainLayout.addLayout(self.columns)

        self.problemLabel = QLabel(RejectDialog)
        self.problemLabel.setObjectName(u"problemLabel")
        self.problemLabel.setWordWrap(True)
        self.problemLabel.setProperty(u"role", u"error")

        self.mainLayout.addWidget(self.problemLabel)

        self.buttonBox = QDialogButtonBox(RejectDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Ok)

        self.mainLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.reasonLabel.setBuddy(self.reasonCombo)
        self.noteLabel.setBuddy(self.noteEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.reasonCombo, self.noteEdit)
        QWidget.setTabOrder(self.noteEdit, self.attachmentList)
        QWidget.setTabOrder(self.attachmentList, self.addFileButton)
        QWidget.setTabOrder(self.addFileButton, self.addSnapshotButton)
        QWidget.setTabOrder(self.addSnapshotButton, self.removeButton)

        self.retranslateUi(RejectDialog)

        QMetaObject.connectSlotsByName(RejectDialog)
    # setupUi

    def retranslateUi(self, RejectDialog):
        RejectDialog.setWindowTitle(QCoreApplication.translate("RejectDialog", u"Reject case", None))
        self.headline.setText(QCoreApplication.translate("RejectDialog", u"Reject case", None))
        self.caseLabel.setText(QCoreApplication.translate("RejectDialog", u"Case", None))
        self.reasonLabel.setText(QCoreApplication.translate("RejectDialog", u"&Reason:", None))
#if QT_CONFIG(tooltip)
        self.reasonCombo.setToolTip(QCoreApplication.translate("RejectDialog", u"Why the lab cannot make this case as submitted (required)", None))
#endif // QT_CONFIG(tooltip)
        self.noteLabel.setText(QCoreApplication.translate("RejectDialog", u"&Note to the clinic:", None))
        self.noteEdit.setPlaceholderText(QCoreApplication.translate("RejectDialog", u"What the clinic should correct, in words a dentist's assistant understands", None))
        self.attachmentsHeading.setText(QCoreApplication.translate("RejectDialog", u"Attachments", None))
#if QT_CONFIG(tooltip)
        self.attachmentList.setToolTip(QCoreApplication.translate("RejectDialog", u"Files the clinic receives with the rejection. Photo metadata (GPS, camera, time) is removed before sending.", None))
#endif // QT_CONFIG(tooltip)
        self.addFileButton.setText(QCoreApplication.translate("RejectDialog", u"Attach &file\u2026", None))
        self.addSnapshotButton.setText(QCoreApplication.translate("RejectDialog", u"Attach current &scan view\u2026", None))
        self.removeButton.setText(QCoreApplication.translate("RejectDialog", u"Re&move", None))
        self.previewHeading.setText(QCoreApplication.translate("RejectDialog", u"What the clinic will read", None))
        self.problemLabel.setText("")
    # retranslateUi

