"""Is there a working OpenGL? Asked before the 3D view is created (no pyqtgraph needed)."""

from __future__ import annotations

from PySide6 import QtGui

_gl_probe: tuple[bool, str] | None = None


def opengl_available() -> tuple[bool, str]:
    """(True, description) when an OpenGL 2.1+ context can be created, else (False, why).

    Creates a QOpenGLContext on a QOffscreenSurface; needs a QGuiApplication. The answer is
    cached for the process.
    """
    global _gl_probe
    if _gl_probe is not None:
        return _gl_probe
    app = QtGui.QGuiApplication.instance()
    if app is None:
        return False, "no Qt application is running"
    platform = QtGui.QGuiApplication.platformName()
    if platform in ("offscreen", "minimal"):
        _gl_probe = (False, f"the '{platform}' display has no OpenGL")
        return _gl_probe
    context = QtGui.QOpenGLContext()
    if not context.create():
        _gl_probe = (False, "an OpenGL context could not be created")
        return _gl_probe
    surface = QtGui.QOffscreenSurface()
    surface.setFormat(context.format())
    surface.create()
    try:
        if not surface.isValid() or not context.makeCurrent(surface):
            _gl_probe = (False, "an OpenGL context could not be made current")
            return _gl_probe
        fmt = context.format()
        version = (fmt.majorVersion(), fmt.minorVersion())
        context.doneCurrent()
        if not context.isOpenGLES() and version < (2, 1):
            _gl_probe = (False, f"OpenGL {version[0]}.{version[1]} found, 2.1 is needed")
        else:
            _gl_probe = (True, f"OpenGL {version[0]}.{version[1]}")
        return _gl_probe
    finally:
        surface.destroy()
