# Generated from ui/dialogs/tags_memo_dialog.ui by pyside6-uic — do not edit
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'tags_memo_dialog.ui'
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
    QLabel, QLineEdit, QPlainTextEdit, QSizePolicy,
    QVBoxLayout, QWidget)

class Ui_TagsMemoDialog(object):
    def setupUi(self, TagsMemoDialog):
        if not TagsMemoDialog.objectName():
            TagsMemoDialog.setObjectName(u"TagsMemoDialog")
        TagsMemoDialog.resize(520, 380)
        self.mainLayout = QVBoxLayout(TagsMemoDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.headline = QLabel(TagsMemoDialog)
        self.headline.setObjectName(u"headline")
        self.headline.setProperty(u"role", u"title")

        self.mainLayout.addWidget(self.headline)

        self.caseLabel = QLabel(TagsMemoDialog)
        self.caseLabel.setObjectName(u"caseLabel")
        self.caseLabel.setWordWrap(True)
        self.caseLabel.setProperty(u"role", u"muted")

        self.mainLayout.addWidget(self.caseLabel)

        self.tagsLabel = QLabel(TagsMemoDialog)
        self.tagsLabel.setObjectName(u"tagsLabel")

        self.mainLayout.addWidget(self.tagsLabel)

        self.tagsEdit = QLineEdit(TagsMemoDialog)
        self.tagsEdit.setObjectName(u"tagsEdit")
        self.tagsEdit.setClearButtonEnabled(True)

        self.mainLayout.addWidget(self.tagsEdit)

        self.memoLabel = QLabel(TagsMemoDialog)
        self.memoLabel.setObjectName(u"memoLabel")

        self.mainLayout.addWidget(self.memoLabel)

        self.memoEdit = QPlainTextEdit(TagsMemoDialog)
        self.memoEdit.setObjectName(u"memoEdit")
        self.memoEdit.setTabChangesFocus(True)

        self.mainLayout.addWidget(self.memoEdit)

        self.problemLabel = QLabel(TagsMemoDialog)
        self.problemLabel.setObjectName(u"problemLabel")
        self.problemLabel.setWordWrap(True)
        self.problemLabel.setProperty(u"role", u"error")

        self.mainLayout.addWidget(self.problemLabel)

        self.buttonBox = QDialogButtonBox(TagsMemoDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Ok)

        self.mainLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.tagsLabel.setBuddy(self.tagsEdit)
        self.memoLabel.setBuddy(self.memoEdit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(TagsMemoDialog)

        QMetaObject.connectSlotsByName(TagsMemoDialog)
    # setupUi

    def retranslateUi(self, TagsMemoDialog):
        TagsMemoDialog.setWindowTitle(QCoreApplication.translate("TagsMemoDialog", u"Tags and memo", None))
        self.headline.setText(QCoreApplication.translate("TagsMemoDialog", u"Tags and memo", None))
        self.caseLabel.setText(QCoreApplication.translate("TagsMemoDialog", u"Case", None))
        self.tagsLabel.setText(QCoreApplication.translate("TagsMemoDialog", u"&Tags (separated by commas):", None))
        self.tagsEdit.setPlaceholderText(QCoreApplication.translate("TagsMemoDialog", u"e.g. tray 4, implant, rush", None))
        self.memoLabel.setText(QCoreApplication.translate("TagsMemoDialog", u"&Memo (for the lab only; the clinic does not see it):", None))
        self.problemLabel.setText("")
    # retranslateUi

