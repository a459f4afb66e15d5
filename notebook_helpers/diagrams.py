"""Drawing helpers for the course's diagrams.

Layers are boxes, vectors are circles, arrows join them. Every diagram is
drawn on a Matplotlib axes with equal scales (`canvas`), in data units.
"""

from matplotlib.patches import Circle, FancyBboxPatch

LAYER = "#f6d55c"  # a layer or a block of layers
VECTOR = "#9ecae1"  # an input, a state or an output vector
OPERATION = "#f4a6a6"  # a pointwise operation


def canvas(ax, xlim, ylim, title=None):
    """Prepare `ax` as an empty drawing area with equal scales on both axes."""
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=12)


def box(ax, x, y, text, width=1.0, height=0.7, color=LAYER, fontsize=12):
    """A layer: a rounded box centred at (x, y), with a label."""
    ax.add_patch(FancyBboxPatch(
        (x - width / 2, y - height / 2), width, height, fc=color,
        ec="black", lw=1.2, boxstyle="round,pad=0,rounding_size=0.1",
        zorder=3))
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize,
            zorder=4)


def node(ax, x, y, text, color=VECTOR, radius=0.3, fontsize=12):
    """A vector (or, coloured OPERATION, a pointwise operation): a circle."""
    ax.add_patch(Circle((x, y), radius, fc=color, ec="black", lw=1.2,
                        zorder=3))
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize,
            zorder=4)


def arrow(ax, *points, label=None, offset=(0, 0.18), color="black",
          fontsize=10):
    """An arrow along `points`, two or more (x, y), its head at the last.

    A label, if given, is written at the middle of the last segment, moved
    by `offset`.
    """
    if len(points) < 2:
        raise ValueError("an arrow needs at least two points")
    xs, ys = zip(*points[:-1], strict=True)
    if len(points) > 2:
        ax.plot(xs, ys, color=color, lw=1.4, zorder=2)
    start, end = points[-2], points[-1]
    ax.annotate("", xy=end, xytext=start, zorder=2, arrowprops=dict(
        arrowstyle="-|>", color=color, lw=1.4, mutation_scale=14,
        shrinkA=0, shrinkB=0))
    if label:
        mid = ((start[0] + end[0]) / 2 + offset[0],
               (start[1] + end[1]) / 2 + offset[1])
        ax.text(*mid, label, ha="center", va="center", fontsize=fontsize,
                color=color)
