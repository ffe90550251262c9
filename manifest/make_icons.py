"""Generate the Teams app icons (color.png, outline.png) for Kontorfaglig råd.

Rerunnable: ``python -m manifest.make_icons`` overwrites both PNGs next to this file.
The motif is three stylised people (a council) drawn as a white silhouette.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
ACCENT = (0x00, 0x5B, 0x82)  # keep in sync with accentColor in manifest.template.json
WHITE = (255, 255, 255)
SUPERSAMPLE = 8

# Figures in unit coordinates: (head centre x, head centre y, head radius, body half-width, body top y).
SIDE_FIGURES = [(0.22, 0.36, 0.085, 0.16, 0.52), (0.78, 0.36, 0.085, 0.16, 0.52)]
CENTRE_FIGURE = (0.50, 0.27, 0.115, 0.22, 0.48)
BODY_BOTTOM = 0.84
GAP = 0.045  # transparent ring separating the centre figure from the side figures


def _draw_figure(draw: ImageDraw.ImageDraw, size: int, figure: tuple, grow: float, fill: int) -> None:
    """Draw one head-and-shoulders figure, optionally grown by `grow` to cut a gap around it."""
    cx, cy, r, half_w, top = figure
    s = size
    head = [(cx - r - grow) * s, (cy - r - grow) * s, (cx + r + grow) * s, (cy + r + grow) * s]
    draw.ellipse(head, fill=fill)
    body = [(cx - half_w - grow) * s, (top - grow) * s, (cx + half_w + grow) * s, (BODY_BOTTOM + grow) * s]
    radius = (half_w + grow) * s
    draw.rounded_rectangle(body, radius=radius, fill=fill, corners=(True, True, False, False))


def motif_mask(size: int) -> Image.Image:
    """Render the council motif as an anti-aliased L mask so both icons share one drawing."""
    big = size * SUPERSAMPLE
    mask = Image.new("L", (big, big), 0)
    draw = ImageDraw.Draw(mask)
    for figure in SIDE_FIGURES:
        _draw_figure(draw, big, figure, 0.0, 255)
    _draw_figure(draw, big, CENTRE_FIGURE, GAP, 0)
    _draw_figure(draw, big, CENTRE_FIGURE, 0.0, 255)
    # Clip the bodies flat at the bottom so the group sits on a common baseline.
    draw.rectangle([0, BODY_BOTTOM * big, big, big], fill=0)
    return mask.resize((size, size), Image.Resampling.LANCZOS)


def make_color(size: int = 192, motif: int = 120) -> Image.Image:
    """Full-bleed accent background with the white motif inside Teams' recommended safe area."""
    icon = Image.new("RGB", (size, size), ACCENT)
    offset = (size - motif) // 2
    icon.paste(Image.new("RGB", (motif, motif), WHITE), (offset, offset), motif_mask(motif))
    return icon


def make_outline(size: int = 32, motif: int = 30) -> Image.Image:
    """White-only motif on a transparent background, as Teams requires for the outline icon."""
    alpha = Image.new("L", (size, size), 0)
    offset = (size - motif) // 2
    alpha.paste(motif_mask(motif), (offset, offset))
    icon = Image.new("RGBA", (size, size), WHITE + (0,))
    icon.putalpha(alpha)
    return icon


def main() -> None:
    """Write both icons next to the manifest template."""
    make_color().save(HERE / "color.png", optimize=True)
    make_outline().save(HERE / "outline.png", optimize=True)
    print(f"Wrote {HERE / 'color.png'} and {HERE / 'outline.png'}")


if __name__ == "__main__":
    main()
