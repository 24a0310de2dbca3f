#!/usr/bin/env python3
"""Draws the photos of example issue 1720: procedural scenes made with numpy and Pillow,
no downloaded image. Deterministic (fixed seeds): `python3 make_photos.py` in this folder
rewrites the same files.

Sizes: the issue's A4 grid has columns of 56.67 mm (2 columns 118.33 mm, 3 columns 180 mm).
Landscapes are 1800-2000 px wide (254-282 ppi across 3 columns), portraits 1100-1200 px wide
(236-258 ppi across 2 columns). All are sRGB JPEGs with the sRGB profile embedded, except
the field of bales, an untagged greyscale JPEG.
`dune-rgb.jpg` (and `GPL-2.txt`) is not made here: it is the photo of the seed article,
copied from issues/liberte-actus-1719/photos/ (see README.md).
"""
import io
import os

import numpy as np
from PIL import Image, ImageCms, ImageDraw, ImageFilter

HERE = os.path.dirname(os.path.abspath(__file__))
SRGB = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
# Little CMS stamps the profile's creation time in its header (bytes 24-35): fix it, so that
# every run writes the same files.
SRGB[24:36] = bytes([0x07, 0xE9, 0, 9, 0, 18, 0, 0, 0, 0, 0, 0])  # 2025-09-18 00:00:00
SRGB = bytes(SRGB)
MAX_BYTES = 600 * 1024


def fbm(h, w, rng, octaves=5, base=4, persistence=0.55):
    """Fractal noise in [0, 1]: random grids upsampled bicubically and summed."""
    out = np.zeros((h, w), np.float32)
    amp, total = 1.0, 0.0
    for o in range(octaves):
        gh, gw = max(2, base * 2**o * h // max(h, w)), max(2, base * 2**o * w // max(h, w))
        grid = rng.random((gh, gw)).astype(np.float32)
        img = Image.fromarray((grid * 255).astype(np.uint8)).resize((w, h), Image.BICUBIC)
        out += amp * np.asarray(img, np.float32) / 255
        total += amp
        amp *= persistence
    return out / total


def vgrad(h, w, top, bottom, power=1.0):
    t = (np.linspace(0, 1, h, dtype=np.float32) ** power)[:, None, None]
    return np.broadcast_to(np.array(top, np.float32) * (1 - t) + np.array(bottom, np.float32) * t, (h, w, 3)).copy()


def mask(h, w, draw_fn, blur=0.0):
    m = Image.new("L", (w, h), 0)
    draw_fn(ImageDraw.Draw(m))
    if blur:
        m = m.filter(ImageFilter.GaussianBlur(blur))
    return np.asarray(m, np.float32)[:, :, None] / 255


def paint(img, m, colour):
    c = np.array(colour, np.float32) if np.ndim(colour) == 1 else colour
    img[:] = img * (1 - m) + c * m


def grain(img, rng, sigma=3.0):
    return img + rng.normal(0, sigma, img.shape[:2])[:, :, None].astype(np.float32)


def save(img, name, grey=False, lift=22):
    """Writes a JPEG of at most MAX_BYTES. `lift` raises the blacks (0-255 maps to lift-255),
    as photos are prepared for newsprint: the shadows open up on the press instead of filling
    in, and stay nearer the ink limit once converted to CMYK."""
    img = lift + np.clip(img, 0, 255) * (255 - lift) / 255
    arr = np.clip(img, 0, 255).astype(np.uint8)
    if grey:
        pic = Image.fromarray(arr if arr.ndim == 2 else arr[:, :, 0], "L")
    else:
        pic = Image.fromarray(arr, "RGB")
    for quality in (88, 85, 82, 78, 74, 70):
        buf = io.BytesIO()
        kwargs = dict(quality=quality, optimize=True, dpi=(300, 300))
        if not grey:
            kwargs.update(icc_profile=SRGB, subsampling="4:2:0")
        pic.save(buf, "JPEG", **kwargs)
        if buf.tell() <= MAX_BYTES:
            break
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(buf.getvalue())
    print(f"{name}: {pic.size[0]}x{pic.size[1]} {pic.mode} q{quality} {buf.tell() // 1024} KB")


def river():
    """The Vézanne's new meanders through a meadow, late afternoon."""
    rng = np.random.default_rng(1720_01)
    h, w = 1250, 2000
    img = vgrad(h, w, (120, 160, 210), (225, 222, 205), 0.8)
    clouds = fbm(h, w, rng, 6, 3)
    img += ((clouds - 0.5).clip(0) * 160)[:, :, None] * (np.linspace(1, 0, h)[:, None, None] ** 2)
    horizon = 470
    x = np.arange(w)
    hills = horizon - 60 - 50 * fbm(1, w, rng, 4, 3)[0] * 2
    yy = np.arange(h)[:, None]
    m = (yy > hills[None, :]).astype(np.float32)[:, :, None]
    paint(img, m, (118, 138, 150))
    trees = horizon - 25 - 45 * fbm(1, w, rng, 6, 12)[0]
    m = (yy > trees[None, :]).astype(np.float32)[:, :, None]
    tex = fbm(h, w, rng, 5, 40)[:, :, None]
    paint(img, m, np.array((48, 70, 40), np.float32) + tex * np.array((40, 45, 20), np.float32))
    # Meadow: receding texture, lighter towards the horizon.
    meadow = (yy > horizon).astype(np.float32)[:, :, None]
    t = ((yy - horizon).clip(0) / (h - horizon))[:, :, None]
    grass = np.array((150, 165, 80), np.float32) * (1 - t) + np.array((70, 110, 40), np.float32) * t
    grass = grass + (fbm(h, w, rng, 6, 30)[:, :, None] - 0.5) * 60
    paint(img, meadow, grass)
    # The river: a meander widening towards the viewer.
    ys = np.arange(horizon + 2, h)
    tt = (ys - horizon) / (h - horizon)
    centre = w * 0.5 + np.sin(tt * 7.5 + 0.6) * (80 + 520 * tt) + 120 * tt
    half = 6 + 170 * tt**1.3
    water = np.zeros((h, w), np.float32)
    for y, c, hw in zip(ys, centre, half):
        lo, hi = int(max(0, c - hw)), int(min(w, c + hw))
        water[y, lo:hi] = 1
    water = np.asarray(Image.fromarray((water * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(2)), np.float32)[:, :, None] / 255
    sky_reflect = img[::-1][: h][::1].copy()
    ripple = (fbm(h, w, rng, 4, 60)[:, :, None] - 0.5) * 50
    reflection = vgrad(h, w, (90, 110, 120), (170, 190, 210), 1.0) + ripple
    paint(img, water, reflection)
    # Reeds along the banks.
    reeds = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(reeds)
    for y, c, hw in zip(ys[::3], centre[::3], half[::3]):
        for side in (-1, 1):
            if rng.random() < 0.6:
                bx = c + side * hw + rng.normal(0, 6)
                length = 6 + 40 * (y - horizon) / (h - horizon)
                d.line([(bx, y), (bx + rng.normal(0, 4), y - length)], fill=255, width=2)
    paint(img, np.asarray(reeds, np.float32)[:, :, None] / 255 * 0.8, (60, 75, 30))
    del sky_reflect
    save(grain(img, rng, 2.5), "riviere-meandres.jpg")


def market():
    """Market stalls under striped awnings: crates of tomatoes, squash, apples, leeks."""
    rng = np.random.default_rng(1720_02)
    h, w = 1200, 1800
    img = vgrad(h, w, (200, 205, 210), (120, 115, 110))
    # Cobbles.
    ground = (np.arange(h)[:, None] > 820).astype(np.float32)[:, :, None] * np.ones((1, w, 1), np.float32)
    paint(img, ground, np.array((110, 105, 100), np.float32) + (fbm(h, w, rng, 5, 80)[:, :, None] - 0.5) * 70)
    stall_colours = [((190, 40, 40), (240, 235, 225)), ((40, 110, 60), (235, 235, 220)), ((30, 70, 140), (235, 230, 220))]
    for i, x0 in enumerate((-100, 560, 1220)):
        stripe, light = stall_colours[i]
        aw = Image.new("RGB", (w, h))
        d = ImageDraw.Draw(aw)
        for s in range(12):
            col = stripe if s % 2 == 0 else light
            xa, xb = x0 + s * 60, x0 + (s + 1) * 60
            d.polygon([(xa, 120), (xb, 120), (xb + 12, 330), (xa + 12, 330)], fill=col)
        am = mask(h, w, lambda d: d.polygon([(x0, 120), (x0 + 720, 120), (x0 + 732, 330), (x0 + 12, 330)], fill=255))
        shade = np.linspace(1.0, 0.8, h, dtype=np.float32)[:, None, None]
        paint(img, am, np.asarray(aw, np.float32) * shade)
        # Valance scallops.
        scm = mask(h, w, lambda d: [d.pieslice([x0 + 12 + k * 60, 300, x0 + 72 + k * 60, 360], 0, 180, fill=255) for k in range(12)])
        paint(img, scm, stripe)
        # Shadow under the awning, table, crates.
        paint(img, mask(h, w, lambda d: d.rectangle([x0 + 30, 360, x0 + 700, 640], fill=255), 20) * 0.55, (40, 35, 30))
        paint(img, mask(h, w, lambda d: d.rectangle([x0 + 20, 640, x0 + 710, 680], fill=255), 1), (150, 120, 80))
        paint(img, mask(h, w, lambda d: d.rectangle([x0 + 40, 680, x0 + 690, 900], fill=255), 2), (90, 70, 50))
        produce = [((200, 30, 25), 26), ((235, 130, 20), 34), ((120, 170, 50), 24), ((170, 25, 40), 22), ((230, 200, 60), 28)]
        for c in range(5):
            cx0 = x0 + 40 + c * 132
            paint(img, mask(h, w, lambda d: d.rectangle([cx0, 560, cx0 + 120, 650], fill=255), 1), (175, 140, 95))
            colour, r = produce[(c + i) % len(produce)]
            fm = Image.new("L", (w, h), 0)
            d = ImageDraw.Draw(fm)
            for _ in range(22):
                px, py = cx0 + rng.uniform(r * 0.6, 120 - r * 0.6), rng.uniform(548, 600)
                d.ellipse([px - r * 0.6, py - r * 0.6, px + r * 0.6, py + r * 0.6], fill=255)
            fmask = np.asarray(fm.filter(ImageFilter.GaussianBlur(1.2)), np.float32)[:, :, None] / 255
            light_ = np.array(colour, np.float32) * (0.75 + 0.4 * fbm(h, w, rng, 3, 120)[:, :, None])
            paint(img, fmask, light_)
        # Price slates.
        for c in range(5):
            sx = x0 + 70 + c * 132
            paint(img, mask(h, w, lambda d: d.rectangle([sx, 520, sx + 60, 556], fill=255)), (35, 38, 36))
            paint(img, mask(h, w, lambda d: d.line([(sx + 10, 538), (sx + 48, 538)], fill=255, width=3)) * 0.8, (230, 230, 225))
    save(grain(img, rng, 3), "marche-etals.jpg")


def stadium():
    """The town's pitch under floodlights at dusk."""
    rng = np.random.default_rng(1720_03)
    h, w = 1100, 1800
    img = vgrad(h, w, (30, 40, 80), (230, 140, 90), 1.4)
    horizon = 520
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    # Stand and trees.
    stand = mask(h, w, lambda d: d.polygon([(250, horizon), (250, 430), (1250, 400), (1250, horizon)], fill=255))
    paint(img, stand, (45, 45, 55))
    roof = mask(h, w, lambda d: d.polygon([(230, 430), (1270, 398), (1270, 385), (230, 418)], fill=255))
    paint(img, roof, (170, 170, 175))
    trees = horizon - 30 - 70 * fbm(1, w, rng, 5, 10)[0]
    tm = ((yy < horizon) & (yy > trees[None, :]) & ((xx < 250) | (xx > 1250))).astype(np.float32)[:, :, None]
    paint(img, tm, (25, 40, 30))
    # Pitch in perspective with mowing stripes.
    t = ((yy - horizon) / (h - horizon)).clip(0, 1)
    depth = 1 / (t + 0.08)
    stripes = (np.floor(depth * 1.6) % 2)[:, :, None]
    grass = np.array((50, 120, 50), np.float32) + stripes * np.array((18, 25, 10), np.float32)
    grass = grass * (0.7 + 0.5 * t[:, :, None]) + (fbm(h, w, rng, 5, 50)[:, :, None] - 0.5) * 25
    paint(img, (yy >= horizon).astype(np.float32)[:, :, None], grass)
    lines = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(lines)
    d.line([(200, h), (620, horizon + 8)], fill=230, width=5)
    d.line([(1700, h), (1250, horizon + 8)], fill=230, width=5)
    d.line([(620, horizon + 8), (1250, horizon + 8)], fill=200, width=2)
    d.line([(470, 720), (1440, 720)], fill=220, width=4)
    d.ellipse([760, 680, 1160, 770], outline=220, width=4)
    paint(img, np.asarray(lines.filter(ImageFilter.GaussianBlur(0.8)), np.float32)[:, :, None] / 255, (235, 240, 235))
    # Floodlight masts with glowing heads.
    for mx in (140, 1660):
        paint(img, mask(h, w, lambda d: d.rectangle([mx - 6, 120, mx + 6, horizon + 40], fill=255)), (60, 60, 65))
        paint(img, mask(h, w, lambda d: d.rectangle([mx - 60, 90, mx + 60, 140], fill=255)), (80, 80, 85))
        r2 = (xx - mx) ** 2 + (yy - 115) ** 2
        glow = np.exp(-r2 / (2 * 70.0**2))[:, :, None]
        img += glow * np.array((255, 245, 220), np.float32) * 1.2
        img += np.exp(-r2 / (2 * 300.0**2))[:, :, None] * np.array((120, 110, 80), np.float32) * 0.6
    # Players: small figures.
    for _ in range(14):
        px, py = rng.uniform(450, 1400), rng.uniform(620, 900)
        s = 0.5 + (py - horizon) / (h - horizon)
        shirt = (200, 30, 30) if rng.random() < 0.5 else (240, 240, 240)
        paint(img, mask(h, w, lambda d: d.rectangle([px - 7 * s, py - 40 * s, px + 7 * s, py - 15 * s], fill=255)), shirt)
        paint(img, mask(h, w, lambda d: d.rectangle([px - 6 * s, py - 15 * s, px + 6 * s, py], fill=255)), (25, 25, 30))
        paint(img, mask(h, w, lambda d: d.ellipse([px - 5 * s, py - 52 * s, px + 5 * s, py - 41 * s], fill=255)), (200, 160, 130))
    save(grain(img, rng, 3.5), "stade-projecteurs.jpg")


def bookshop():
    """Portrait: the front of a small bookshop-café, painted wood and a lit window."""
    rng = np.random.default_rng(1720_04)
    h, w = 1650, 1200
    stone = np.array((200, 190, 170), np.float32) + (fbm(h, w, rng, 6, 20)[:, :, None] - 0.5) * 60
    img = stone.copy() * np.ones((h, w, 1), np.float32)
    # Stone courses.
    for y in range(0, h, 70):
        paint(img, mask(h, w, lambda d: d.line([(0, y), (w, y)], fill=255, width=3)) * 0.5, (150, 140, 125))
    green = (30, 75, 65)
    paint(img, mask(h, w, lambda d: d.rectangle([90, 260, 1110, 1520], fill=255), 1), green)
    paint(img, mask(h, w, lambda d: d.rectangle([120, 290, 1080, 420], fill=255)), (22, 55, 48))
    # Sign lettering as gilded bars (unreadable at this size, like a real sign seen far off).
    for i, lw in enumerate((180, 60, 240, 150, 90)):
        x0 = 200 + sum((180, 60, 240, 150, 90)[:i]) + i * 30
        paint(img, mask(h, w, lambda d: d.rounded_rectangle([x0, 330, x0 + lw, 380], 10, fill=255)), (210, 175, 90))
    # Window with shelves of book spines, warm light.
    win = (150, 470, 720, 1380)
    paint(img, mask(h, w, lambda d: d.rectangle(win, fill=255)), (240, 200, 140))
    for shelf_y in range(560, 1380, 160):
        paint(img, mask(h, w, lambda d: d.rectangle([win[0], shelf_y, win[2], shelf_y + 12], fill=255)), (110, 70, 40))
        x = win[0] + 8
        while x < win[2] - 20:
            bw = rng.integers(14, 34)
            bh = rng.integers(90, 145)
            col = rng.choice([(150, 30, 30), (30, 60, 120), (220, 190, 120), (40, 100, 70), (60, 50, 45), (200, 90, 40), (235, 230, 215)])
            paint(img, mask(h, w, lambda d: d.rectangle([x, shelf_y - bh, x + bw, shelf_y], fill=255)), np.array(col, np.float32) * rng.uniform(0.75, 1.05))
            x += bw + rng.integers(1, 4)
    # Glazing bars, reflection.
    for gx in (340, 530):
        paint(img, mask(h, w, lambda d: d.rectangle([gx - 6, win[1], gx + 6, win[3]], fill=255)), green)
    paint(img, mask(h, w, lambda d: d.polygon([(150, 900), (420, 470), (520, 470), (250, 1000)], fill=255), 30) * 0.18, (255, 255, 255))
    # Door with its glass and handle.
    paint(img, mask(h, w, lambda d: d.rectangle([800, 470, 1040, 1520], fill=255)), (26, 62, 54))
    paint(img, mask(h, w, lambda d: d.rectangle([840, 520, 1000, 960], fill=255)), (200, 170, 120))
    paint(img, mask(h, w, lambda d: d.ellipse([1005, 1000, 1025, 1020], fill=255)), (200, 170, 80))
    # Pavement, a chalkboard sign and a plant.
    paint(img, (np.arange(h)[:, None, None] > 1520).astype(np.float32) * np.ones((1, w, 1)), (120, 118, 115))
    paint(img, mask(h, w, lambda d: d.polygon([(300, 1600), (380, 1390), (460, 1600)], fill=255)), (40, 40, 40))
    paint(img, mask(h, w, lambda d: d.ellipse([1060, 1380, 1180, 1530], fill=255), 4), (60, 110, 50))
    save(grain(img, rng, 3), "librairie-vitrine.jpg")


def bales():
    """Greyscale: round bales on a stubble field after the harvest, long evening shadows."""
    rng = np.random.default_rng(1720_05)
    h, w = 1200, 1800
    yy = np.arange(h, dtype=np.float32)[:, None]
    # An overcast late-August sky, darker clouds rolling in: a sky left near white would
    # print as a blank hole on newsprint.
    img = np.ones((h, w), np.float32) * (178 - yy * 0.05)
    clouds = fbm(h, w, rng, 6, 3)
    img -= (clouds - 0.4).clip(0) * 110
    horizon = 430
    hedge = horizon - 15 - 40 * fbm(1, w, rng, 6, 14)[0]
    img = np.where(yy > hedge[None, :], 70 + fbm(h, w, rng, 5, 50) * 30, img)
    t = ((yy - horizon) / (h - horizon)).clip(0, 1)
    field = 150 + 50 * t + (fbm(h, w, rng, 6, 40) - 0.5) * 50
    rows = np.sin((np.arange(w)[None, :] - w / 2) / (6 + 80 * t + 1e-3) * (0.2 + t)) * 8 * t
    img = np.where(yy > horizon, field + rows, img)
    pic = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "L")
    d = ImageDraw.Draw(pic)
    for bx, by, r in sorted([(300, 600, 55), (700, 560, 40), (1150, 640, 70), (1480, 590, 50), (520, 840, 120), (1250, 960, 160)], key=lambda b: b[1]):
        d.ellipse([bx - r * 0.2, by + r * 0.55, bx + r * 2.8, by + r * 1.05], fill=95)  # shadow
        d.rectangle([bx - r, by - r * 0.9, bx + r * 0.9, by + r * 0.9], fill=185)  # the roll's side
        d.ellipse([bx + r * 0.45, by - r * 0.9, bx + r * 1.35, by + r * 0.9], fill=160)  # its face
        for k in range(1, 5):
            q = k / 5
            d.ellipse([bx + r * (0.9 - 0.45 * q), by - r * 0.9 * q, bx + r * (0.9 + 0.45 * q), by + r * 0.9 * q], outline=130)
    img = np.asarray(pic.filter(ImageFilter.GaussianBlur(0.7)), np.float32)
    img = img + rng.normal(0, 4, img.shape)
    save(img, "champ-balles-gris.jpg", grey=True)


def roadworks():
    """Roadworks on the main street: a resurfaced lane, cones and a barrier."""
    rng = np.random.default_rng(1720_06)
    h, w = 1150, 1800
    img = vgrad(h, w, (150, 180, 215), (215, 220, 225))
    horizon = 430
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    # House fronts either side.
    for x0, x1, col in ((0, 420, (205, 190, 165)), (420, 520, (190, 175, 150)), (1300, 1420, (200, 195, 185)), (1420, 1800, (215, 200, 170))):
        top = 120 if x0 in (0, 1420) else 230
        paint(img, mask(h, w, lambda d: d.rectangle([x0, top, x1, horizon + 60], fill=255)), np.array(col, np.float32) + (fbm(h, w, rng, 4, 30)[:, :, None] - 0.5) * 30)
        for wx in range(x0 + 30, x1 - 40, 110):
            for wy in (top + 40, top + 170):
                if wy + 80 < horizon + 40:
                    paint(img, mask(h, w, lambda d: d.rectangle([wx, wy, wx + 55, wy + 80], fill=255)), (60, 70, 80))
    # The road: old surface on the left lane, fresh black asphalt on the right.
    road = mask(h, w, lambda d: d.polygon([(-300, h), (860, horizon), (940, horizon), (2100, h)], fill=255))
    old = np.array((120, 118, 115), np.float32) + (fbm(h, w, rng, 6, 90)[:, :, None] - 0.5) * 40
    paint(img, road, old)
    fresh = mask(h, w, lambda d: d.polygon([(900, h), (900, horizon), (940, horizon), (2100, h)], fill=255))
    paint(img, fresh, np.array((45, 45, 48), np.float32) + (fbm(h, w, rng, 5, 150)[:, :, None] - 0.5) * 12)
    # Barrier with red and white bands.
    for i in range(10):
        t0, t1 = i / 10, (i + 1) / 10
        ya, yb = horizon + 40 + t0 * 700, horizon + 40 + t1 * 700
        xa, xb = 905 - t0 * 60, 905 - t1 * 60
        col = (210, 30, 30) if i % 2 == 0 else (240, 240, 240)
        paint(img, mask(h, w, lambda d: d.polygon([(xa, ya), (xb, yb), (xb, yb + 30 * (1 + t1 * 2)), (xa, ya + 30 * (1 + t0 * 2))], fill=255)), col)
    # Cones.
    for k, t in enumerate((0.15, 0.3, 0.5, 0.75, 1.0)):
        cy = horizon + t * (h - horizon) - 10
        cx = 880 - t * 40
        s = 0.15 + t
        paint(img, mask(h, w, lambda d: d.polygon([(cx - 40 * s, cy), (cx, cy - 120 * s), (cx + 40 * s, cy)], fill=255)), (245, 110, 20))
        paint(img, mask(h, w, lambda d: d.polygon([(cx - 24 * s, cy - 48 * s), (cx - 14 * s, cy - 76 * s), (cx + 14 * s, cy - 76 * s), (cx + 24 * s, cy - 48 * s)], fill=255)), (240, 240, 235))
        paint(img, mask(h, w, lambda d: d.rectangle([cx - 52 * s, cy - 8 * s, cx + 52 * s, cy], fill=255)), (30, 30, 30))
    # A yellow machine further up.
    paint(img, mask(h, w, lambda d: d.rectangle([1000, horizon + 20, 1160, horizon + 110], fill=255)), (230, 180, 20))
    paint(img, mask(h, w, lambda d: d.rectangle([1040, horizon - 30, 1110, horizon + 30], fill=255)), (60, 60, 60))
    paint(img, mask(h, w, lambda d: d.line([(1160, horizon + 40), (1250, horizon - 40), (1290, horizon + 80)], fill=255, width=14)), (220, 170, 20))
    save(grain(img, rng, 3), "chantier-route.jpg")


def mill():
    """Portrait: the old water mill on the river, its wheel and its roof."""
    rng = np.random.default_rng(1720_07)
    h, w = 1500, 1100
    img = vgrad(h, w, (110, 150, 200), (220, 225, 225), 0.9)
    img += ((fbm(h, w, rng, 6, 3) - 0.55).clip(0) * 180)[:, :, None] * np.linspace(1, 0.2, h)[:, None, None]
    waterline = 1180
    # Trees behind.
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    crown = 600 - 200 * fbm(1, w, rng, 5, 6)[0]
    paint(img, ((yy > crown[None, :]) & (yy < waterline)).astype(np.float32)[:, :, None], np.array((50, 80, 45), np.float32) + fbm(h, w, rng, 5, 40)[:, :, None] * 40)
    # The mill: stone walls, slate roof, windows.
    walls = np.array((190, 175, 150), np.float32) + (fbm(h, w, rng, 6, 25)[:, :, None] - 0.5) * 60
    paint(img, mask(h, w, lambda d: d.rectangle([180, 620, 860, waterline], fill=255)), walls)
    paint(img, mask(h, w, lambda d: d.polygon([(140, 630), (520, 330), (900, 630)], fill=255)), np.array((70, 75, 85), np.float32) + (fbm(h, w, rng, 4, 60)[:, :, None] - 0.5) * 20)
    for wx, wy in ((260, 720), (440, 720), (620, 720), (260, 900), (620, 900)):
        paint(img, mask(h, w, lambda d: d.rectangle([wx, wy, wx + 70, wy + 110], fill=255)), (50, 55, 60))
        paint(img, mask(h, w, lambda d: d.rectangle([wx - 6, wy - 6, wx + 76, wy + 4], fill=255)), (225, 215, 195))
    paint(img, mask(h, w, lambda d: d.rectangle([420, 940, 520, waterline], fill=255)), (90, 60, 40))
    # The wheel.
    cx, cy, r = 890, 1080, 190
    wheel = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(wheel)
    d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=255, width=22)
    d.ellipse([cx - 40, cy - 40, cx + 40, cy + 40], fill=255)
    for a in np.linspace(0, np.pi, 8, endpoint=False):
        d.line([(cx - r * np.cos(a), cy - r * np.sin(a)), (cx + r * np.cos(a), cy + r * np.sin(a))], fill=255, width=14)
    for a in np.linspace(0, 2 * np.pi, 24, endpoint=False):
        d.line([(cx + (r - 10) * np.cos(a), cy + (r - 10) * np.sin(a)), (cx + (r + 30) * np.cos(a), cy + (r + 30) * np.sin(a))], fill=255, width=12)
    paint(img, np.asarray(wheel, np.float32)[:, :, None] / 255, (75, 55, 40))
    # Water with the reflection, broken by ripples.
    below = yy >= waterline
    refl_rows = np.clip(2 * waterline - yy, 0, h - 1).astype(int)
    reflected = img[refl_rows, xx.astype(int)]
    ripple = np.sin(yy * 0.35 + fbm(h, w, rng, 4, 20) * 12)[:, :, None] * 18
    water = reflected * 0.6 + np.array((40, 60, 70), np.float32) * 0.4 + ripple
    paint(img, below.astype(np.float32)[:, :, None], water)
    save(grain(img, rng, 3), "moulin-portrait.jpg")


def cafe():
    """The back room of the café on quiz night: warm bulbs, a blackboard, full tables."""
    rng = np.random.default_rng(1720_08)
    h, w = 1150, 1800
    img = vgrad(h, w, (120, 80, 50), (60, 40, 28))
    img += (fbm(h, w, rng, 5, 20)[:, :, None] - 0.5) * 25
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    # Wood panelling on the lower wall, tiled floor.
    paint(img, mask(h, w, lambda d: d.rectangle([0, 560, w, 760], fill=255)), np.array((90, 55, 30), np.float32) + (np.sin(xx / 9)[:, :, None] * 8))
    paint(img, (yy > 760).astype(np.float32)[:, :, None], np.array((150, 120, 95), np.float32) * (0.6 + 0.4 * ((np.floor(xx / 90) + np.floor(yy / 45)) % 2))[:, :, None])
    # Blackboard with chalk scores (rows of strokes) and a framed mirror.
    paint(img, mask(h, w, lambda d: d.rectangle([1150, 150, 1600, 470], fill=255)), (40, 45, 42))
    chalk = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(chalk)
    for row in range(7):
        y = 190 + row * 40
        d.line([(1180, y), (1180 + rng.integers(80, 160), y)], fill=200, width=5)
        x = 1380
        for _ in range(rng.integers(3, 9)):
            d.line([(x, y - 12), (x + 4, y + 12)], fill=220, width=4)
            x += 18
    paint(img, np.asarray(chalk, np.float32)[:, :, None] / 255, (235, 235, 225))
    paint(img, mask(h, w, lambda d: d.rectangle([300, 130, 800, 470], fill=255)), (170, 130, 60))
    paint(img, mask(h, w, lambda d: d.rectangle([325, 155, 775, 445], fill=255)), (150, 130, 110))
    # A string of bulbs across the room, with their glow.
    for i in range(14):
        bx = 60 + i * 130
        by = 70 + 40 * np.sin(i * np.pi / 13) ** 2
        r2 = (xx - bx) ** 2 + (yy - by) ** 2
        img += np.exp(-r2 / (2 * 18.0**2))[:, :, None] * np.array((255, 230, 170), np.float32) * 1.3
        img += np.exp(-r2 / (2 * 120.0**2))[:, :, None] * np.array((90, 60, 20), np.float32) * 0.5
    # Tables and the people around them, dark against the light.
    for tx, ty, tw in ((220, 880, 360), (760, 900, 380), (1320, 870, 360), (480, 1060, 420), (1100, 1080, 440)):
        for k in range(5):
            px = tx + (k + 0.5) * tw / 5 + rng.normal(0, 8)
            s = 0.8 + (ty - 860) / 400
            tone = np.array(rng.choice([(50, 35, 30), (70, 50, 45), (35, 30, 40), (90, 40, 35), (40, 60, 80)]), np.float32)
            paint(img, mask(h, w, lambda d: d.rounded_rectangle([px - 40 * s, ty - 150 * s, px + 40 * s, ty], 25, fill=255)), tone)
            paint(img, mask(h, w, lambda d: d.ellipse([px - 24 * s, ty - 215 * s, px + 24 * s, ty - 160 * s], fill=255)), (75, 50, 40))
        paint(img, mask(h, w, lambda d: d.rectangle([tx, ty - 10, tx + tw, ty + 14], fill=255)), (120, 80, 45))
        for k in range(3):
            gx = tx + 60 + k * tw / 3
            paint(img, mask(h, w, lambda d: d.rectangle([gx, ty - 38, gx + 16, ty - 10], fill=255)), (230, 190, 90))
            paint(img, mask(h, w, lambda d: d.rectangle([gx + 40, ty - 14, gx + 100, ty - 10], fill=255)), (240, 240, 235))
    save(grain(img, rng, 4), "cafe-quiz.jpg", lift=32)


if __name__ == "__main__":
    river()
    market()
    stadium()
    bookshop()
    bales()
    roadworks()
    mill()
    cafe()
