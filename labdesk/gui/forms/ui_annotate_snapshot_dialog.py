# Generated from ui/dialogs/annotate_snapshot_dialog.ui by pyside6-uic — do not edit
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'annotate_snapshot_dialog.ui'
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
    QHBoxLayout, QLabel, QSizePolicy, QSpacerItem,
    QToolButton, QVBoxLayout, QWidget)

class Ui_AnnotateSnapshotDialog(object):
    def setupUi(self, AnnotateSnapshotDialog):
        if not AnnotateSnapshotDialog.objectName():
            AnnotateSnapshotDialog.setObjectName(u"AnnotateSnapshotDialog")
        AnnotateSnapshotDialog.resize(820, 620)
        self.mainLayout = QVBoxLayout(AnnotateSnapshotDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.hintLabel = QLabel(AnnotateSnapshotDialog)
        self.hintLabel.setObjectName(u"hintLabel")
        self.hintLabel.setWordWrap(True)
        self.hintLabel.setProperty(u"role", u"muted")

        self.mainLayout.addWidget(self.hintLabel)

        self.toolRow = QHBoxLayout()
        self.toolRow.setObjectName(u"toolRow")
        self.arrowButton = QToolButton(AnnotateSnapshotDialog)
        self.arrowButton.setObjectName(u"arrowButton")
        self.arrowButton.setCheckable(True)
        self.arrowButton.setChecked(True)
        self.arrowButton.setAutoExclusive(True)
        self.arrowButton.setToolButtonStyle(Qt.ToolButtonTextOnly)

        self.toolRow.addWidget(self.arrowButton)

        self.circleButton = QToolButton(AnnotateSnapshotDialog)
        self.circleButton.setObjectName(u"circleButton")
        self.circleButton.setCheckable(True)
        self.circleButton.setAutoExclusive(True)
        self.circleButton.setToolButtonStyle(Qt.ToolButtonTextOnly)

        self.toolRow.addWidget(self.circleButton)

        self.clearButton = QToolButton(AnnotateSnapshotDialog)
        self.clearButton.setObjectName(u"clearButton")
        self.clearButton.setToolButtonStyle(Qt.ToolButtonTextOnly)

        self.toolRow.addWidget(self.clearButton)

        self.toolSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.toolRow.addItem(self.toolSpacer)


        self.mainLayout.addLayout(self.toolRow)

        self.canvasHost = QWidget(AnnotateSnapshotDialog)
        self.canvasHost.setObjectName(u"canvasHost")
        sizePolicy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        sizePolicy.setHorizontalStretch(0)
        sizePolicy.setVerticalStretch(1)
        sizePolicy.setHeightForWidth(self.canvasHost.sizePolicy().hasHeightForWidth())
        self.canvasHost.setSizePolicy(sizePolicy)
        self.canvasLayout = QVBoxLayout(self.canvasHost)
        self.canvasLayout.setObjectName(u"canvasLayout")
        self.canvasLayout.setContentsMargins(0, 0, 0, 0)

        self.mainLayout.addWidget(self.canvasHost)

        self.buttonBox = QDialogButtonBox(AnnotateSnapshotDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Ok)

        self.mainLayout.addWidget(self.buttonBox)


        self.retranslateUi(AnnotateSnapshotDialog)

        QMetaObject.connectSlotsByName(AnnotateSnapshotDialog)
    # setupUi

    def retranslateUi(self, AnnotateSnapshotDialog):
        AnnotateSnapshotDialog.setWindowTitle(QCoreApplication.translate("AnnotateSnapshotDialog", u"Attach the current scan view", None))
        self.hintLabel.setText(QCoreApplication.translate("AnnotateSnapshotDialog", u"Drag on the picture to point at the problem. Choose an arrow or a circle; \u201cClear\u201d starts again.", None))
        self.arrowButton.setText(QCoreApplication.translate("AnnotateSnapshotDialog", u"&Arrow", None))
        self.circleButton.setText(QCoreApplication.translate("AnnotateSnapshotDialog", u"&Circle", None))
        self.clearButton.setText(QCoreApplication.translate("AnnotateSnapshotDialog", u"C&lear", None))
    # retranslateUi

