"""Make data/geo/land-110m.json: Natural Earth 1:110m land outlines as plain lon/lat rings.

Reads node_modules/world-atlas/land-110m.json (TopoJSON, installed by `npm ci` in the
repository root) and writes a compact JSON list of rings, each ring a list of
[lon, lat] pairs in degrees rounded to 2 decimals, first point repeated at the end.
Stdlib only. Run from anywhere:  python tools/make_coastline.py
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "node_modules" / "world-atlas" / "land-110m.json"
TARGET = ROOT / "data" / "geo" / "land-110m.json"


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Arcs in degrees: each arc is delta-encoded integers, then scaled and shifted."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy  # undo the delta encoding
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(indexes: list[int], arcs: list) -> list[tuple[float, float]]:
    """Join a ring's arcs; index ~i (negative) means arc i reversed. Shared ends once."""
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def split_at_antimeridian(points: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """Cut a ring where it jumps across lon +-180 so that it draws on a flat lon/lat map.

    The TopoJSON is spherical: Russia's Chukotka, Fiji and Antarctica are single rings
    that jump from 180 to -180. A ring crossing twice becomes one ring on each side,
    each closed along the meridian; a ring crossing once (Antarctica) goes round the
    pole, so it is closed along the meridian down to the pole.
    """
    cuts = [i for i in range(1, len(points)) if abs(points[i][0] - points[i - 1][0]) > 180]
    if not cuts:
        return [points]
    ring = points[:-1]  # drop the closing point, then start just after a crossing
    start = cuts[0]
    ring = ring[start:] + ring[:start]
    pieces: list[list[tuple[float, float]]] = [[]]
    for a, b in zip(ring, ring[1:] + ring[:1]):
        pieces[-1].append(a)
        if abs(b[0] - a[0]) > 180:  # crossing between a and b: end on the meridian
            edge = 180.0 if a[0] > 0 else -180.0
            b_lon = b[0] + (360 if edge > 0 else -360)
            lat = a[1] + (edge - a[0]) / (b_lon - a[0]) * (b[1] - a[1]) if b_lon != a[0] else a[1]
            pieces[-1].append((edge, lat))
            pieces.append([(-edge, lat)])
    pieces.pop()  # the last piece is empty: the ring was rotated to start at a crossing
    if len(cuts) % 2:  # round a pole: one piece, its ends on opposite sides
        (piece,) = pieces
        pole = -90.0 if sum(lat for _, lat in piece) < 0 else 90.0
        piece += [(piece[-1][0], pole), (piece[0][0], pole)]
    return [piece + piece[:1] for piece in pieces]


def rings(topology: dict) -> list[list[list[float]]]:
    arcs = decode_arcs(topology)
    out = []
    for geometry in topology["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:  # exterior ring first, then holes (e.g. the Caspian Sea)
            for ring in polygon:
                for piece in split_at_antimeridian(ring_points(ring, arcs)):
                    pts: list[list[float]] = []
                    for lon, lat in piece:
                        p = [round(lon, 2), round(lat, 2)]
                        if not pts or p != pts[-1]:  # drop repeats made by rounding
                            pts.append(p)
                    if len(pts) >= 4:
                        out.append(pts)
    return out


def main() -> None:
    if not SOURCE.is_file():
        raise SystemExit(f"missing {SOURCE}: run `npm ci` in the repository root")
    data = rings(json.loads(SOURCE.read_text(encoding="utf-8")))
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    points = sum(len(r) for r in data)
    print(f"wrote {TARGET.relative_to(ROOT)}: {len(data)} rings, {points} points, "
          f"{TARGET.stat().st_size} bytes")


if __name__ == "__main__":
    main()
