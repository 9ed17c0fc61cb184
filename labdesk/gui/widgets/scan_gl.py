"""The OpenGL half of the scan viewer: a head-lit mesh item and the 3D view.

Importing this module imports ``pyqtgraph.opengl`` and PyOpenGL (about half a second), so
only :mod:`labdesk.gui.widgets.scan_view` imports it, and only when a 3D view is actually
created. Nothing else in LabDesk may import it.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pyqtgraph.opengl as gl
from numpy.typing import NDArray
from OpenGL import GL
from pyqtgraph.opengl import shaders
from pyqtgraph.opengl.items.GLMeshItem import DirtyFlag
from PySide6 import QtCore, QtGui, QtWidgets

F64 = NDArray[np.float64]

# GLSL 1.20 (desktop GL 2.1+). Starting with "#version" stops pyqtgraph from compiling it as
# GLSL ES 1.00, which would need an extension for dFdx/dFdy.
_VERTEX_SHADER = """#version 120
uniform mat4 u_mvp;
uniform mat3 u_normal;
attribute vec4 a_position;
attribute vec3 a_normal;
attribute vec4 a_color;
varying vec4 v_color;
varying vec3 v_normal;
varying vec3 v_position;
void main() {
    v_normal = u_normal * a_normal;
    v_color = a_color;
    v_position = a_position.xyz;
    gl_Position = u_mvp * a_position;
}
"""

# A head-light: the light sits at the eye and shines along the view direction, so whatever
# faces the reviewer is lit (pyqtgraph's "shaded" program lights from a fixed direction,
# which leaves the side facing the camera dark). Two-sided, because a scan is an open shell
# and its inside shows through the border. u_flat derives the face normal from screen-space
# derivatives of the position: a triangle soup can be drawn before its normals exist.
_FRAGMENT_SHADER = """#version 120
uniform mat3 u_normal;
uniform float u_flat;
uniform float u_use_color;
uniform float u_opacity;
uniform float u_wire;
uniform float u_base[3];
varying vec4 v_color;
varying vec3 v_normal;
varying vec3 v_position;
void main() {
    if (u_wire > 0.5) {
        gl_FragColor = vec4(0.12, 0.14, 0.18, max(u_opacity, 0.6));
        return;
    }
    vec3 n;
    if (u_flat > 0.5) {
        n = u_normal * cross(dFdx(v_position), dFdy(v_position));
    } else {
        n = v_normal;
    }
    float len = length(n);
    float facing = len > 0.0 ? abs(n.z) / len : 1.0;
    vec3 base = mix(vec3(u_base[0], u_base[1], u_base[2]), v_color.rgb, u_use_color);
    float diffuse = 0.22 + 0.78 * facing;
    float specular = 0.14 * pow(facing, 24.0);
    vec3 rgb = base * diffuse + vec3(specular);
    if (!gl_FrontFacing) {
        rgb *= 0.85;
    }
    gl_FragColor = vec4(rgb, u_opacity);
}
"""

_OPAQUE = {
    GL.GL_DEPTH_TEST: True,
    GL.GL_BLEND: False,
    GL.GL_CULL_FACE: False,
    GL.GL_POLYGON_OFFSET_FILL: True,
    "glPolygonOffset": (1.0, 1.0),
}
_TRANSLUCENT = {
    GL.GL_DEPTH_TEST: True,
    GL.GL_BLEND: True,
    GL.GL_CULL_FACE: False,
    GL.GL_POLYGON_OFFSET_FILL: True,
    "glPolygonOffset": (1.0, 1.0),
    "glBlendFuncSeparate": (
        GL.GL_SRC_ALPHA,
        GL.GL_ONE_MINUS_SRC_ALPHA,
        GL.GL_ONE,
        GL.GL_ONE_MINUS_SRC_ALPHA,
    ),
}


def headlight_shader() -> Any:
    """A head-light program object per mesh item (it carries the item's uniforms); the
    compiled GL program behind it is shared by all items of a view (see ScanMeshItem.paint).
    """
    return shaders.ShaderProgram(
        "labdesk-headlight",
        [shaders.VertexShader(_VERTEX_SHADER), shaders.FragmentShader(_FRAGMENT_SHADER)],
        uniforms={
            "u_flat": [0.0],
            "u_use_color": [0.0],
            "u_opacity": [1.0],
            "u_wire": [0.0],
            "u_base": [0.86, 0.84, 0.80],
        },
    )


class ScanMeshItem(gl.GLMeshItem):  # type: ignore[misc]
    """A GLMeshItem fed straight from numpy arrays (no MeshData: its normals are a Python
    loop), drawn with the head-light, optionally as a flat-shaded triangle soup, with an
    optional wireframe pass on top."""

    def __init__(self) -> None:
        self._shader = headlight_shader()
        super().__init__(shader=self._shader, glOptions=_OPAQUE, smooth=True)
        self._dirty = DirtyFlag(0)
        self._wireframe = False
        self.n_faces = 0

    def set_arrays(
        self,
        positions: NDArray[np.float32],
        faces: NDArray[np.int32] | None,
        normals: NDArray[np.float32] | None,
        colors: NDArray[np.uint8] | None,
    ) -> None:
        """Positions (n, 3); faces (m, 3) or None for a soup of n / 3 triangles; normals None
        for flat shading; colours uint8 RGB/RGBA per vertex or None."""
        self.vertexes = np.ascontiguousarray(positions, dtype=np.float32)
        self.faces = None if faces is None else _as_uint32(faces)
        self.normals = None if normals is None else np.ascontiguousarray(normals, np.float32)
        if colors is not None and colors.shape[1] == 3:
            rgba = np.empty((len(colors), 4), dtype=np.uint8)
            rgba[:, :3] = colors
            rgba[:, 3] = 255
            colors = rgba
        self.colors = None if colors is None else np.ascontiguousarray(colors, np.uint8)
        self.n_faces = len(self.vertexes) // 3 if faces is None else len(faces)
        self._shader["u_flat"] = [1.0 if normals is None else 0.0]
        self._dirty = DirtyFlag.POSITION | DirtyFlag.NORMAL | DirtyFlag.COLOR | DirtyFlag.FACES
        self.update()

    @property
    def has_colors(self) -> bool:
        return self.colors is not None

    def set_style(
        self,
        *,
        opacity: float,
        use_color: bool,
        wireframe: bool,
        base: tuple[float, float, float],
    ) -> None:
        self._shader["u_opacity"] = [float(opacity)]
        self._shader["u_use_color"] = [1.0 if use_color and self.colors is not None else 0.0]
        self._shader["u_base"] = list(base)
        self._wireframe = wireframe
        self.setGLOptions(_OPAQUE if opacity >= 0.999 else _TRANSLUCENT)
        self.setDepthValue(0 if opacity >= 0.999 else 1)  # translucent after opaque
        self.update()

    def parseMeshData(self) -> DirtyFlag:
        dirty, self._dirty = self._dirty, DirtyFlag(0)
        return dirty

    def paint(self) -> None:
        if self.vertexes is None:
            return
        # One compiled program per view (per GL context) instead of one per item: compiling
        # (and, on llvmpipe, JIT-compiling each state variant) costs more than drawing.
        view = self.view()
        shared = getattr(view, "headlight_program", None)
        if shared is not None:
            self._shader.prog = shared
        super().paint()
        if shared is None and view is not None:
            view.headlight_program = self._shader.prog
        if self._wireframe:
            self._shader["u_wire"] = [1.0]
            GL.glPolygonMode(GL.GL_FRONT_AND_BACK, GL.GL_LINE)
            try:
                super().paint()
            finally:
                GL.glPolygonMode(GL.GL_FRONT_AND_BACK, GL.GL_FILL)
                self._shader["u_wire"] = [0.0]

    def release_gl(self) -> None:
        """Free the GPU buffers (the view's context must be current)."""
        for name in (
            "m_vbo_position",
            "m_vbo_normal",
            "m_vbo_color",
            "m_ibo_faces",
            "m_vbo_edgeVerts",
            "m_ibo_edges",
        ):
            buffer = getattr(self, name, None)
            if buffer is not None and buffer.isCreated():
                buffer.destroy()


def _as_uint32(faces: NDArray[np.int32]) -> NDArray[np.uint32]:
    """The index buffer GL wants, as a view of the scan's own int32 faces (indices are never
    negative) instead of a 12 MB copy per million triangles."""
    faces = np.ascontiguousarray(faces)
    if faces.dtype == np.int32:
        return faces.view(np.uint32)
    return faces.astype(np.uint32)


class ScanGLView(gl.GLViewWidget):  # type: ignore[misc]
    """GLViewWidget with click detection (for measuring), right-drag pan, and an
    ``interacting`` flag so the scene can draw lighter meshes while the camera moves."""

    clicked = QtCore.Signal(QtCore.QPointF)
    interaction_changed = QtCore.Signal(bool)
    rendered = QtCore.Signal()  # after each frame is drawn (overlays follow the camera)

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.interacting = False
        self.frames_painted = 0
        self.headlight_program: int | None = None  # compiled once, shared by the items
        self._press: QtCore.QPointF | None = None
        self._moved = False
        self._wheel_timer = QtCore.QTimer(self)
        self._wheel_timer.setSingleShot(True)
        self._wheel_timer.setInterval(250)
        self._wheel_timer.timeout.connect(lambda: self._set_interacting(False))

    def paintGL(self) -> None:
        super().paintGL()
        self.frames_painted += 1
        QtCore.QTimer.singleShot(0, self, self._emit_rendered)

    def _emit_rendered(self) -> None:
        self.rendered.emit()

    def _set_interacting(self, value: bool) -> None:
        if value != self.interacting:
            self.interacting = value
            self.interaction_changed.emit(value)

    def mousePressEvent(self, ev: QtGui.QMouseEvent) -> None:
        self._press = ev.position()
        self._moved = False
        super().mousePressEvent(ev)

    def mouseMoveEvent(self, ev: QtGui.QMouseEvent) -> None:
        if self._press is not None and not self._moved:
            delta = ev.position() - self._press
            if abs(delta.x()) + abs(delta.y()) > 3:
                self._moved = True
                self._set_interacting(True)
        if ev.buttons() == QtCore.Qt.MouseButton.RightButton:
            last = getattr(self, "mousePos", ev.position())
            diff = ev.position() - last
            self.mousePos = ev.position()
            self.pan(diff.x(), diff.y(), 0, relative="view")
            return
        super().mouseMoveEvent(ev)

    def mouseReleaseEvent(self, ev: QtGui.QMouseEvent) -> None:
        was_click = self._press is not None and not self._moved
        self._press = None
        self._set_interacting(False)
        if was_click and ev.button() == QtCore.Qt.MouseButton.LeftButton:
            self.clicked.emit(ev.position())
        super().mouseReleaseEvent(ev)

    def keyPressEvent(self, ev: QtGui.QKeyEvent) -> None:
        if ev.key() in self.noRepeatKeys:  # arrow keys orbit: draw the light mesh meanwhile
            self._set_interacting(True)
        super().keyPressEvent(ev)

    def keyReleaseEvent(self, ev: QtGui.QKeyEvent) -> None:
        super().keyReleaseEvent(ev)
        if ev.key() in self.noRepeatKeys and not ev.isAutoRepeat() and not self.keysPressed:
            self._set_interacting(False)

    def wheelEvent(self, ev: QtGui.QWheelEvent) -> None:
        self._set_interacting(True)
        self._wheel_timer.start()
        super().wheelEvent(ev)

    # -------------------------------------------------------------- projection

    def mvp_matrix(self) -> F64:
        """Projection x view as a numpy 4x4 (row-major), for the widget's current size."""
        w, h = max(self.width(), 1), max(self.height(), 1)
        region = (0, 0, w, h)
        m = self.projectionMatrix(region, region) * self.viewMatrix()
        return np.array(m.data(), dtype=np.float64).reshape(4, 4).T

    def ray_at(self, pos: QtCore.QPointF) -> tuple[F64, F64]:
        """Origin and direction (world coordinates) of the ray under a widget position."""
        w, h = max(self.width(), 1), max(self.height(), 1)
        x = 2.0 * pos.x() / w - 1.0
        y = 1.0 - 2.0 * pos.y() / h
        inv = np.linalg.inv(self.mvp_matrix())
        near = inv @ np.array([x, y, -1.0, 1.0])
        far = inv @ np.array([x, y, 1.0, 1.0])
        near = near[:3] / near[3]
        far = far[:3] / far[3]
        return near, far - near

    def project(self, point: F64 | list[float]) -> QtCore.QPointF:
        """Widget position of a world point."""
        w, h = max(self.width(), 1), max(self.height(), 1)
        clip = self.mvp_matrix() @ np.append(np.asarray(point, dtype=np.float64), 1.0)
        ndc = clip[:3] / clip[3]
        return QtCore.QPointF((ndc[0] + 1.0) * 0.5 * w, (1.0 - ndc[1]) * 0.5 * h)


def _sphere(segments: int = 12) -> tuple[NDArray[np.float32], NDArray[np.int32]]:
    """A unit UV sphere."""
    theta = np.linspace(0.0, np.pi, segments + 1)
    phi = np.linspace(0.0, 2.0 * np.pi, 2 * segments + 1)
    t, p = np.meshgrid(theta, phi, indexing="ij")
    pts = np.stack([np.sin(t) * np.cos(p), np.sin(t) * np.sin(p), np.cos(t)], axis=-1)
    return pts.reshape(-1, 3).astype(np.float32), _grid(segments + 1, 2 * segments + 1)


def _grid(rows: int, cols: int) -> NDArray[np.int32]:
    idx = np.arange(rows * cols).reshape(rows, cols)
    a, b = idx[:-1, :-1].ravel(), idx[1:, :-1].ravel()
    c, d = idx[1:, 1:].ravel(), idx[:-1, 1:].ravel()
    return np.concatenate([np.stack([a, b, c], 1), np.stack([a, c, d], 1)]).astype(np.int32)


def _tube(a: F64, b: F64, radius: float, segments: int = 16) -> NDArray[np.float32]:
    """Corners of a closed-side cylinder from a to b (returned as vertices for a grid)."""
    axis = b - a
    length = float(np.linalg.norm(axis))
    axis = axis / length if length > 0 else np.array([0.0, 0.0, 1.0])
    helper = np.array([1.0, 0.0, 0.0]) if abs(axis[0]) < 0.9 else np.array([0.0, 1.0, 0.0])
    u = np.cross(axis, helper)
    u /= np.linalg.norm(u)
    v = np.cross(axis, u)
    ang = np.linspace(0.0, 2.0 * np.pi, segments + 1)
    ring = radius * (np.cos(ang)[:, None] * u + np.sin(ang)[:, None] * v)
    return np.stack([a + ring, b + ring]).reshape(-1, 3).astype(np.float32)


class MeasureOverlay:
    """Two picked points, the segment between them and its length, drawn over the scan.

    Markers are meshes drawn with the item's own shader program rather than pyqtgraph's
    scatter and line items: those share one compiled program between all views, which is
    invalid in the context of a second viewer (every new case detail makes one). The length
    is a QLabel floating over the view (pyqtgraph's GLTextItem paints with QPainter after raw
    GL calls, which Qt's GL paint engine does not survive here); snapshots paint it in.
    """

    _NO_DEPTH: ClassVar[dict[Any, Any]] = {
        GL.GL_DEPTH_TEST: False,
        GL.GL_BLEND: False,
        GL.GL_CULL_FACE: False,
    }

    def __init__(self, view: ScanGLView) -> None:
        self._view = view
        self._sphere = _sphere()
        self._anchor: F64 | None = None
        self.markers = [ScanMeshItem(), ScanMeshItem()]
        self.line = ScanMeshItem()
        for item, colour in (
            (self.markers[0], (0.95, 0.3, 0.25)),
            (self.markers[1], (0.95, 0.3, 0.25)),
            (self.line, (1.0, 0.85, 0.15)),
        ):
            item.set_style(opacity=1.0, use_color=False, wireframe=False, base=colour)
            item.setGLOptions(self._NO_DEPTH)
            item.setDepthValue(10)
            item.setVisible(False)
            view.addItem(item)
        self.label = QtWidgets.QLabel(view)
        self.label.setObjectName("measureLabel")
        self.label.setStyleSheet(
            "QLabel#measureLabel { color: rgb(255, 235, 120); background: rgba(20, 22, 26, 190);"
            " border-radius: 4px; padding: 2px 6px; font-weight: bold; font-size: 15pt; }"
        )
        self.label.setAttribute(QtCore.Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.label.hide()
        view.rendered.connect(self.reposition)

    def show(self, a: F64 | None, b: F64 | None, text: str, scale: float = 60.0) -> None:
        """Markers at a and b (None hides them); ``scale`` is the scene size in mm."""
        radius = max(scale * 0.008, 0.05)
        for marker, point in zip(self.markers, (a, b), strict=True):
            if point is None:
                marker.setVisible(False)
                continue
            pts = self._sphere[0] * radius + np.asarray(point, dtype=np.float32)
            marker.set_arrays(pts, self._sphere[1], self._sphere[0], None)
            marker.setVisible(True)
        if a is not None and b is not None:
            tube = _tube(np.asarray(a, float), np.asarray(b, float), radius * 0.3)
            self.line.set_arrays(tube, _grid(2, len(tube) // 2), None, None)
            self.line.setVisible(True)
            self._anchor = (np.asarray(a, float) + np.asarray(b, float)) / 2.0
            self.label.setText(text)
            self.label.adjustSize()
            self.label.show()
            self.reposition()
        else:
            self.line.setVisible(False)
            self._anchor = None
            self.label.hide()

    def reposition(self) -> None:
        """Keep the label just above the middle of the segment as the camera moves."""
        if self._anchor is None:
            return
        p = self._view.project(self._anchor)
        size = self.label.size()
        target = QtCore.QPoint(int(p.x() - size.width() / 2), int(p.y() - size.height() - 8))
        if self.label.pos() != target:
            self.label.move(target)

    def paint_into(self, image: QtGui.QImage) -> None:
        """Draw the label into a grabbed frame (for snapshots)."""
        if self._anchor is None or not self.label.isVisible():
            return
        self.reposition()
        painter = QtGui.QPainter(image)
        try:
            self.label.render(painter, self.label.pos())
        finally:
            painter.end()
