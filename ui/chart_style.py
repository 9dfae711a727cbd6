"""Readable charts: dark text (at least 4.5:1) and no number squeezed into a segment too small to hold it.

Applied to every chart before it is drawn (`readable_figure`).
"""

from __future__ import annotations

import plotly.graph_objects as go

TEXT = "#1F1F1F"  # 16.5:1 on white, 15:1 on Streamlit's light grey
WHITE = "#FFFFFF"
BLACK = "#000000"
SMALL_SHARE = 0.08  # a segment shorter than this share of the longest bar carries no number


def _luminance(hex_colour: str) -> float:
    """The WCAG relative luminance of '#RRGGBB'."""
    h = hex_colour.lstrip("#")
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two '#RRGGBB' colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(fill: str) -> str:
    """Black or white text, whichever contrasts more with a fill (every level colour reaches 4.5:1)."""
    return BLACK if contrast(BLACK, fill) >= contrast(WHITE, fill) else WHITE


def _bar_totals(fig: go.Figure) -> float:
    """The longest stacked bar (the largest sum over the traces of one category)."""
    totals: dict = {}
    for trace in fig.data:
        if trace.type != "bar":
            continue
        horizontal = trace.orientation == "h"
        cats = trace.y if horizontal else trace.x
        vals = trace.x if horizontal else trace.y
        cats = () if cats is None else list(cats)
        vals = () if vals is None else list(vals)
        for cat, val in zip(cats, vals, strict=False):
            if isinstance(val, int | float) and not isinstance(val, bool):
                totals[cat] = totals.get(cat, 0) + val
    return max(totals.values(), default=0)


def readable_figure(fig: go.Figure) -> go.Figure:
    """Dark text throughout; bar numbers only in segments big enough, in black or white by their fill."""
    longest = _bar_totals(fig)
    for trace in fig.data:
        if trace.type != "bar" or trace.text is None:
            continue
        vals = list(trace.x if trace.orientation == "h" else trace.y)
        trace.text = [
            (str(v) if isinstance(v, int | float) and longest and v >= SMALL_SHARE * longest else "")
            for v in vals
        ]
        fill = trace.marker.color if isinstance(trace.marker.color, str) else None
        if fill and fill.startswith("#") and len(fill) == 7:
            trace.textfont = {"color": text_on(fill)}
            pattern = trace.marker.pattern
            if pattern is not None and pattern.shape:
                # Sparser, fainter pattern: still tells the levels apart without colour, and a number on
                # top stays readable.
                pattern.size, pattern.solidity, pattern.fgopacity = 12, 0.15, 0.45
        trace.insidetextanchor = "middle"
        trace.constraintext = "both"
    fig.update_layout(
        font={"color": TEXT},
        legend={"font": {"color": TEXT}, "title": {"font": {"color": TEXT}}, "traceorder": "normal"},
        uniformtext={"mode": "hide", "minsize": 11},
    )
    fig.update_xaxes(tickfont={"color": TEXT}, title_font={"color": TEXT})
    fig.update_yaxes(tickfont={"color": TEXT}, title_font={"color": TEXT})
    return fig
