# Generated from resources/labdesk.qrc by pyside6-rcc — do not edit
# Resource object code (Python 3)
# Created by: object code
# Created by: The Resource Compiler for Qt version 6.11.3
# WARNING! All changes made in this file will be lost!

from PySide6 import QtCore

qt_resource_data = b"\
\x00\x00\x01\xb2\
/\
* Dark theme onl\
y. Fusion draws \
check boxes with\
 the window colo\
ur darkened: inv\
isible on a\x0a   d\
ark window. */\x0aQ\
CheckBox::indica\
tor { width: 13p\
x; height: 13px;\
 border: 1px sol\
id #9aa3ae;\x0a    \
border-radius: 3\
px; background: \
#2b313a; }\x0aQChec\
kBox::indicator:\
checked { backgr\
ound: #2f6fde; b\
order-color: #5b\
8def;\x0a    image:\
 url(:/labdesk/i\
cons/check.svg);\
 }\x0aQCheckBox::in\
dicator:disabled\
 { border-color:\
 #4b5563; backgr\
ound: #23282f; }\
\x0a\
\x00\x00\x03B\
/\
* The few rules \
a palette cannot\
 express: sectio\
n headings, chip\
s and badges.\x0a  \
 Placeholders (a\
 name between tw\
o at signs) are \
filled from the \
theme's Palette\x0a\
   (labdesk/gui/\
theme.py). */\x0aQL\
abel[role=\x22muted\
\x22] { color: @mut\
ed@; }\x0aQLabel[ro\
le=\x22section\x22] { \
font-weight: 600\
; margin-top: 8p\
x; }\x0aQLabel[role\
=\x22title\x22] { font\
-size: 16pt; fon\
t-weight: 600; }\
\x0aQLabel[role=\x22ch\
ip\x22] { border-ra\
dius: 9px; paddi\
ng: 2px 10px; fo\
nt-weight: 600; \
}\x0aQLabel[role=\x22b\
adge\x22] {\x0a    bac\
kground: @badge_\
bg@; color: @bad\
ge_fg@;\x0a    bord\
er-radius: 8px; \
padding: 1px 8px\
; font-weight: 6\
00;\x0a}\x0aQLabel[rol\
e=\x22error\x22] { col\
or: @error@; }\x0aQ\
ListWidget#queue\
List::item { pad\
ding: 6px 8px; }\
\x0aQFrame[role=\x22ca\
rd\x22] { border: 1\
px solid palette\
(mid); border-ra\
dius: 6px; }\x0aQTo\
olButton#qt_tool\
bar_ext_button {\
 qproperty-icon:\
 url(:/labdesk/i\
cons/toolbar_mor\
e_@more@.svg); }\
\x0a\
\x00\x00\x00\xfd\
<\
svg xmlns=\x22http:\
//www.w3.org/200\
0/svg\x22 width=\x2216\
\x22 height=\x2216\x22 vi\
ewBox=\x220 0 16 16\
\x22>\x0a  <path d=\x22M3\
.5 4 L7.5 8 L3.5\
 12 M8.5 4 L12.5\
 8 L8.5 12\x22 fill\
=\x22none\x22 stroke=\x22\
#e5e9f0\x22\x0a       \
 stroke-width=\x221\
.8\x22 stroke-linec\
ap=\x22round\x22 strok\
e-linejoin=\x22roun\
d\x22/>\x0a</svg>\x0a\
\x00\x00\x01q\
<\
svg xmlns=\x22http:\
//www.w3.org/200\
0/svg\x22 width=\x2264\
\x22 height=\x2264\x22 vi\
ewBox=\x220 0 64 64\
\x22>\x0a  <rect x=\x222\x22\
 y=\x222\x22 width=\x2260\
\x22 height=\x2260\x22 rx\
=\x2214\x22 fill=\x22#1d4\
ed8\x22/>\x0a  <path d\
=\x22M20 14c-6 0-9 \
5-9 11 0 6 3 10 \
4 16 1 6 2 11 6 \
11 4 0 4-7 6-12 \
1-3 3-4 5-4s4 1 \
5 4\x0a           c\
2 5 2 12 6 12 4 \
0 5-5 6-11 1-6 4\
-10 4-16 0-6-3-1\
1-9-11-5 0-7 3-1\
2 3s-7-3-12-3z\x22\x0a\
        fill=\x22#f\
fffff\x22/>\x0a</svg>\x0a\
\
\x00\x00\x00\xe3\
<\
svg xmlns=\x22http:\
//www.w3.org/200\
0/svg\x22 width=\x2214\
\x22 height=\x2214\x22 vi\
ewBox=\x220 0 14 14\
\x22>\x0a  <path d=\x22M3\
 7.2 L5.8 10 L11\
 4\x22 fill=\x22none\x22 \
stroke=\x22#ffffff\x22\
 stroke-width=\x222\
\x22\x0a        stroke\
-linecap=\x22round\x22\
 stroke-linejoin\
=\x22round\x22/>\x0a</svg\
>\x0a\
\x00\x00\x00\xfd\
<\
svg xmlns=\x22http:\
//www.w3.org/200\
0/svg\x22 width=\x2216\
\x22 height=\x2216\x22 vi\
ewBox=\x220 0 16 16\
\x22>\x0a  <path d=\x22M3\
.5 4 L7.5 8 L3.5\
 12 M8.5 4 L12.5\
 8 L8.5 12\x22 fill\
=\x22none\x22 stroke=\x22\
#374151\x22\x0a       \
 stroke-width=\x221\
.8\x22 stroke-linec\
ap=\x22round\x22 strok\
e-linejoin=\x22roun\
d\x22/>\x0a</svg>\x0a\
"

qt_resource_name = b"\
\x00\x07\
\x02x\xac{\
\x00l\
\x00a\x00b\x00d\x00e\x00s\x00k\
\x00\x05\
\x00o\xa6S\
\x00i\
\x00c\x00o\x00n\x00s\
\x00\x06\
\x07\xac\x02\xc3\
\x00s\
\x00t\x00y\x00l\x00e\x00s\
\x00\x08\
\x08\x8eU\xe3\
\x00d\
\x00a\x00r\x00k\x00.\x00q\x00s\x00s\
\x00\x0b\
\x0cz\xa9\xe3\
\x00l\
\x00a\x00b\x00d\x00e\x00s\x00k\x00.\x00q\x00s\x00s\
\x00\x15\
\x08\xfe\xfbG\
\x00t\
\x00o\x00o\x00l\x00b\x00a\x00r\x00_\x00m\x00o\x00r\x00e\x00_\x00d\x00a\x00r\x00k\
\x00.\x00s\x00v\x00g\
\x00\x0b\
\x0cz\xab\x87\
\x00l\
\x00a\x00b\x00d\x00e\x00s\x00k\x00.\x00s\x00v\x00g\
\x00\x09\
\x0b\x9e\x89\x07\
\x00c\
\x00h\x00e\x00c\x00k\x00.\x00s\x00v\x00g\
\x00\x16\
\x0a\xfd3'\
\x00t\
\x00o\x00o\x00l\x00b\x00a\x00r\x00_\x00m\x00o\x00r\x00e\x00_\x00l\x00i\x00g\x00h\
\x00t\x00.\x00s\x00v\x00g\
"

qt_resource_struct = b"\
\x00\x00\x00\x00\x00\x02\x00\x00\x00\x01\x00\x00\x00\x01\
\x00\x00\x00\x00\x00\x02\x00\x00\x00\x02\x00\x00\x00\x02\
\x00\x00\x00\x14\x00\x02\x00\x00\x00\x04\x00\x00\x00\x06\
\x00\x00\x00$\x00\x02\x00\x00\x00\x02\x00\x00\x00\x04\
\x00\x00\x006\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\
\x00\x00\x00L\x00\x00\x00\x00\x00\x01\x00\x00\x01\xb6\
\x00\x00\x00h\x00\x00\x00\x00\x00\x01\x00\x00\x04\xfc\
\x00\x00\x00\xcc\x00\x00\x00\x00\x00\x01\x00\x00\x08Y\
\x00\x00\x00\xb4\x00\x00\x00\x00\x00\x01\x00\x00\x07r\
\x00\x00\x00\x98\x00\x00\x00\x00\x00\x01\x00\x00\x05\xfd\
"

def qInitResources():
    QtCore.qRegisterResourceData(0x01, qt_resource_struct, qt_resource_name, qt_resource_data)

def qCleanupResources():
    QtCore.qUnregisterResourceData(0x01, qt_resource_struct, qt_resource_name, qt_resource_data)

qInitResources()
