#!/usr/bin/python3
"""Train the plate finder (recognition/plate_finder.h): a small fully convolutional network that
marks, on a grid of 8x8-pixel cells of a grey frame, the cells that lie on a licence plate and, for
each, where that plate's four corners are. Exported to ONNX for OpenCV's dnn.

Training data, all of it allowed for training (../shared/data/README.md): real frames without a
readable plate (plates/backgrounds: offices, streets, people in lettered clothes, which are the
hard negatives) as the scene, and plates pasted into them in perspective: real plate crops
(plates/openalpr-train-crops/eu and br) and plates rendered by alprsim (`alprsim render --kind crop`,
every style). The measuring sets (openalpr-us, openalpr-scenes-eu-br) are never read here.

Run with Debian's /usr/bin/python3 (python3-torch, python3-opencv):
    build/alprsim render --kind crop --style MA --count 600 --seed 1 --out /tmp/finder-render/MA
    ...  (one folder per style: tools/train_plate_finder.sh does it all)
    /usr/bin/python3 tools/train_plate_finder.py --data ../shared/data/plates \
        --rendered /tmp/finder-render --steps 3000 --seed 1 --out data/recognition/plate_finder.onnx
Deterministic for a seed and a thread count (fixed seeds, one data stream, deterministic algorithms).
"""
import argparse
import math
import os
import random
import sys
import time

import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

STRIDE = 8          # one output cell per 8x8 input pixels
CORNER_SCALE = 32.0  # corner offsets are predicted in units of 32 input pixels
IMAGE_EXT = (".png", ".jpg", ".jpeg")


def list_images(folder):
    if not os.path.isdir(folder):
        sys.exit(f"train_plate_finder: {folder}: not a folder")
    names = sorted(n for n in os.listdir(folder) if n.lower().endswith(IMAGE_EXT))
    return [os.path.join(folder, n) for n in names]


def load_grey(paths, max_side=None):
    out = []
    for p in paths:
        im = cv2.imread(p, cv2.IMREAD_GRAYSCALE)
        if im is None:
            continue
        if max_side and max(im.shape) > max_side:
            s = max_side / max(im.shape)
            im = cv2.resize(im, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
        out.append(im)
    return out


def load_frames(root):
    """Rendered street frames and their plates' corners, from each folder's manifest.csv."""
    import csv
    frames = []
    for sub in sorted(os.listdir(root)):
        manifest = os.path.join(root, sub, "manifest.csv")
        if not os.path.isfile(manifest):
            continue
        with open(manifest) as f:
            for row in csv.DictReader(f):
                im = cv2.imread(os.path.join(root, sub, row["file"]), cv2.IMREAD_GRAYSCALE)
                corners = np.array([[float(row[f"{c}_x"]), float(row[f"{c}_y"])] for c in ("tl", "tr", "br", "bl")],
                                   np.float32)
                if im is not None:
                    frames.append((im, corners))
    return frames


class Sampler:
    """Makes training patches: a real background, 0-3 plates pasted in perspective, then blur,
    noise and JPEG over the whole patch. Targets on the 8-pixel grid."""

    def __init__(self, backgrounds, plates, frames, size, rng):
        self.backgrounds = backgrounds
        self.plates = plates  # grey plate images
        self.frames = frames  # (grey rendered street frame, its plate's 4 corners)
        self.size = size
        self.rng = rng

    def rendered_frame(self):
        """A window of a rendered street frame (its plate, and the signs and panels the renderer
        puts around it), scaled so that the plate is 14 px to 0.7 of the window wide."""
        r = self.rng
        frame, corners = self.frames[r.randrange(len(self.frames))]
        plate_w = float(corners[:, 0].max() - corners[:, 0].min())
        target = math.exp(r.uniform(math.log(14), math.log(self.size * 0.7)))
        s = max(target / plate_w, self.size / min(frame.shape))
        im = cv2.resize(frame, None, fx=s, fy=s, interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR)
        quad = corners * s
        lo, hi = quad.min(0), quad.max(0)
        for _attempt in range(20):
            if r.random() < 0.7:  # a window around the plate
                x = r.uniform(max(0, hi[0] - self.size + 2), min(lo[0] - 2, im.shape[1] - self.size))
                y = r.uniform(max(0, hi[1] - self.size + 2), min(lo[1] - 2, im.shape[0] - self.size))
            else:
                x = r.uniform(0, im.shape[1] - self.size)
                y = r.uniform(0, im.shape[0] - self.size)
            x, y = int(max(0, x)), int(max(0, y))
            inside = lo[0] >= x and lo[1] >= y and hi[0] < x + self.size and hi[1] < y + self.size
            outside = hi[0] < x or hi[1] < y or lo[0] >= x + self.size or lo[1] >= y + self.size
            if inside or outside:
                patch = im[y:y + self.size, x:x + self.size].astype(np.float32)
                if patch.shape == (self.size, self.size):
                    return patch, ([quad - np.array([x, y], np.float32)] if inside else [])
        return self.background(), []

    def background(self):
        r = self.rng
        bg = self.backgrounds[r.randrange(len(self.backgrounds))]
        s = r.uniform(0.4, 1.4)
        h, w = bg.shape
        if min(h, w) * s < self.size:
            s = self.size / min(h, w)
        im = cv2.resize(bg, (max(self.size, int(w * s + 0.5)), max(self.size, int(h * s + 0.5))),
                        interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR)
        y = r.randrange(im.shape[0] - self.size + 1)
        x = r.randrange(im.shape[1] - self.size + 1)
        patch = im[y:y + self.size, x:x + self.size].astype(np.float32)
        if r.random() < 0.5:
            patch = patch[:, ::-1].copy()
        return patch

    def plate_quad(self, aspect):
        """A destination quadrilateral (TL, TR, BR, BL) for a plate of this width/height aspect."""
        r = self.rng
        width = math.exp(r.uniform(math.log(14), math.log(self.size * 0.7)))
        height = width / aspect
        yaw = math.radians(r.uniform(-45, 45)) if r.random() < 0.6 else 0.0
        pitch = math.radians(r.uniform(-25, 25)) if r.random() < 0.4 else 0.0
        roll = math.radians(r.gauss(0, 6))
        shear = r.gauss(0, 0.08)
        # A plate in perspective: yaw narrows it and makes the far side shorter, pitch likewise.
        w = width * max(0.35, math.cos(yaw))
        h = height * max(0.5, math.cos(pitch))
        fy = 1 - 0.25 * math.sin(yaw)
        fx = 1 - 0.25 * math.sin(pitch)
        pts = np.array([[-w / 2 * fx, -h / 2 * fy], [w / 2 * fx, -h / 2 / fy],
                        [w / 2 / fx, h / 2 / fy], [-w / 2 / fx, h / 2 * fy]], np.float32)
        pts[:, 0] += shear * pts[:, 1]
        c, s = math.cos(roll), math.sin(roll)
        pts = pts @ np.array([[c, s], [-s, c]], np.float32)
        span = pts.max(0) - pts.min(0)
        if span[0] > self.size - 4 or span[1] > self.size - 4:
            return None
        cx = r.uniform(-pts[:, 0].min() + 2, self.size - pts[:, 0].max() - 2)
        cy = r.uniform(-pts[:, 1].min() + 2, self.size - pts[:, 1].max() - 2)
        return pts + np.array([cx, cy], np.float32)

    def paste(self, patch, plate, quad):
        r = self.rng
        ph, pw = plate.shape
        src = np.array([[0, 0], [pw, 0], [pw, ph], [0, ph]], np.float32)
        # Sometimes a body around the plate (bumper, boot lid): a flat surface a little larger.
        if r.random() < 0.5:
            centre = quad.mean(0)
            grow = r.uniform(1.3, 3.0)
            body = (quad - centre) * np.array([grow * r.uniform(0.9, 1.6), grow], np.float32) + centre
            tone = r.uniform(0, 255)
            cv2.fillConvexPoly(patch, body.astype(np.int32), float(tone), lineType=cv2.LINE_AA)
        plate = plate.astype(np.float32)
        gain, offset = r.uniform(0.5, 1.2), r.uniform(-40, 40)
        plate = np.clip(plate * gain + offset, 0, 255)
        m = cv2.getPerspectiveTransform(src, quad)
        warped = cv2.warpPerspective(plate, m, (self.size, self.size), flags=cv2.INTER_LINEAR,
                                     borderMode=cv2.BORDER_CONSTANT)
        mask = cv2.warpPerspective(np.ones((ph, pw), np.float32), m, (self.size, self.size),
                                   flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
        patch[:] = patch * (1 - mask) + warped * mask

    def degrade(self, patch):
        r = self.rng
        if r.random() < 0.3:
            patch = cv2.GaussianBlur(patch, (0, 0), r.uniform(0.5, 1.6))
        if r.random() < 0.2:
            k = r.randrange(3, 8)
            kernel = np.zeros((k, k), np.float32)
            kernel[k // 2, :] = 1.0 / k
            if r.random() < 0.5:
                kernel = kernel.T
            patch = cv2.filter2D(patch, -1, kernel)
        a, b = r.uniform(0.6, 1.3), r.uniform(-30, 30)
        patch = patch * a + b
        if r.random() < 0.3:
            g = r.uniform(0.6, 1.6)
            patch = 255.0 * np.power(np.clip(patch, 0, 255) / 255.0, g)
        np_rng = np.random.default_rng(r.randrange(1 << 30))
        patch = patch + np_rng.normal(0, r.uniform(0, 8), patch.shape)
        patch = np.clip(patch, 0, 255).astype(np.uint8)
        if r.random() < 0.5:
            ok, buf = cv2.imencode(".jpg", patch, [cv2.IMWRITE_JPEG_QUALITY, r.randrange(25, 95)])
            patch = cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)
        return patch

    def sample(self):
        r = self.rng
        if self.frames and r.random() < 0.3:
            patch, quads = self.rendered_frame()
            return self.degrade(patch), targets(quads, self.size)
        patch = self.background()
        # Flat panels with no plate (signs, car bodies, windows), so that a panel is not a plate.
        for _ in range(r.choices([0, 1, 2], weights=[0.6, 0.25, 0.15])[0]):
            quad = self.plate_quad(r.uniform(0.8, 5.0))
            if quad is not None:
                cv2.fillConvexPoly(patch, quad.astype(np.int32), float(r.uniform(0, 255)), lineType=cv2.LINE_AA)
        count = r.choices([0, 1, 2, 3], weights=[0.15, 0.5, 0.25, 0.1])[0]
        quads = []
        for _ in range(count):
            plate = self.plates[r.randrange(len(self.plates))]
            aspect = plate.shape[1] / plate.shape[0] * r.uniform(0.9, 1.1)
            for _attempt in range(6):
                quad = self.plate_quad(aspect)
                if quad is None:
                    continue
                box = cv2.boundingRect(quad)
                if any(overlaps(box, cv2.boundingRect(q)) for q in quads):
                    continue
                self.paste(patch, plate, quad)
                quads.append(quad)
                break
        patch = self.degrade(patch)
        return patch, targets(quads, self.size)


def overlaps(a, b):
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw + 4 and bx < ax + aw + 4 and ay < by + bh + 4 and by < ay + ah + 4


def targets(quads, size):
    """score: 1 on cells of a plate's core, 0 elsewhere; weight 0 on a plate's rim (neither);
    corners: the plate's corners relative to the cell's centre, on the score's cells."""
    g = size // STRIDE
    score = np.zeros((g, g), np.float32)
    weight = np.ones((g, g), np.float32)
    corners = np.zeros((8, g, g), np.float32)
    ys, xs = np.mgrid[0:g, 0:g]
    cx = (xs + 0.5) * STRIDE
    cy = (ys + 0.5) * STRIDE
    for quad in quads:
        centre = quad.mean(0)
        core = (quad - centre) * np.array([0.7, 0.5], np.float32) + centre
        inside_full = np.zeros((g, g), np.uint8)
        cv2.fillConvexPoly(inside_full, np.round(quad / STRIDE - 0.5).astype(np.int32), 1)
        core_mask = points_in_quad(cx, cy, core)
        ci, cj = int(min(g - 1, centre[1] // STRIDE)), int(min(g - 1, centre[0] // STRIDE))
        core_mask[ci, cj] = True
        weight[(inside_full > 0) & ~core_mask] = 0
        score[core_mask] = 1
        weight[core_mask] = 1
        for k in range(4):
            corners[2 * k][core_mask] = (quad[k, 0] - cx[core_mask]) / CORNER_SCALE
            corners[2 * k + 1][core_mask] = (quad[k, 1] - cy[core_mask]) / CORNER_SCALE
    return score, weight, corners


def points_in_quad(px, py, quad):
    inside = np.ones(px.shape, bool)
    for k in range(4):
        ax, ay = quad[k]
        bx, by = quad[(k + 1) % 4]
        inside &= (bx - ax) * (py - ay) - (by - ay) * (px - ax) >= 0
    return inside


def conv(cin, cout, stride=1, dilation=1):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride=stride, padding=dilation, dilation=dilation, bias=False),
                         nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class PlateFinderNet(nn.Module):
    """Input: 1 x H x W grey in [0, 1] (H, W multiples of 8). Output: 9 x H/8 x W/8: the plate
    score's logit, then the four corners' (x, y) offsets from the cell's centre / 32 px."""

    def __init__(self):
        super().__init__()
        # Three stride-2 convolutions down to the 8-pixel grid, then dilated ones that widen the
        # view to about 270 px, enough to see a large plate's edges from its centre.
        self.body = nn.Sequential(
            conv(1, 8, 2), conv(8, 16, 2), conv(16, 24, 2),
            conv(24, 24), conv(24, 24, dilation=2), conv(24, 24, dilation=4), conv(24, 32, dilation=8))
        self.head = nn.Conv2d(32, 9, 1)

    def forward(self, x):
        return self.head(self.body(x - 0.5))


class Batches(torch.utils.data.IterableDataset):
    """An endless, seeded stream of batches, made in a worker process beside the training."""

    def __init__(self, backgrounds, plates, frames, size, batch, seed):
        self.args = (backgrounds, plates, frames, size, batch, seed)

    def __iter__(self):
        backgrounds, plates, frames, size, batch, seed = self.args
        cv2.setNumThreads(1)
        sampler = Sampler(backgrounds, plates, frames, size, random.Random(seed))
        while True:
            yield make_batch(sampler, batch)


def make_batch(sampler, n):
    ims, scores, weights, corners = [], [], [], []
    for _ in range(n):
        im, (s, w, c) = sampler.sample()
        ims.append(im)
        scores.append(s)
        weights.append(w)
        corners.append(c)
    x = torch.from_numpy(np.stack(ims)[:, None].astype(np.float32) / 255.0)
    return (x, torch.from_numpy(np.stack(scores)), torch.from_numpy(np.stack(weights)),
            torch.from_numpy(np.stack(corners)))


def loss_of(out, score, weight, corners):
    logit = out[:, 0]
    bce = F.binary_cross_entropy_with_logits(logit, score, reduction="none")
    p = torch.sigmoid(logit)
    focal = bce * ((score - p).abs() ** 1.5)  # hard cells weigh more than the easy background
    cls = (focal * weight).sum() / max(1.0, float(score.sum()))
    pos = score > 0.5
    if pos.any():
        reg = F.smooth_l1_loss(out[:, 1:].permute(0, 2, 3, 1)[pos], corners.permute(0, 2, 3, 1)[pos],
                               beta=0.1)
    else:
        reg = out.sum() * 0
    return cls + reg, float(cls), float(reg)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="../shared/data/plates (backgrounds/, openalpr-train-crops/)")
    ap.add_argument("--rendered", required=True, help="folders of plates from `alprsim render --kind crop`")
    ap.add_argument("--frames", help="folders of street frames from `alprsim render --kind frame` (with manifest.csv)")
    ap.add_argument("--out", default="data/recognition/plate_finder.onnx")
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--checkpoint", help="also save the PyTorch weights here (to fine-tune later)")
    ap.add_argument("--init", help="start from these PyTorch weights (a --checkpoint file)")
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    cv2.setNumThreads(1)

    backgrounds = load_grey(list_images(os.path.join(args.data, "backgrounds")), 1280)
    real = load_grey(list_images(os.path.join(args.data, "openalpr-train-crops", "eu")) +
                     list_images(os.path.join(args.data, "openalpr-train-crops", "br")))
    rendered = []
    for sub in sorted(os.listdir(args.rendered)):
        folder = os.path.join(args.rendered, sub)
        if os.path.isdir(folder):
            rendered += load_grey(list_images(folder))
    if not backgrounds or not real or not rendered:
        sys.exit("train_plate_finder: no backgrounds, real crops or rendered plates found")
    # Real crops and rendered plates in equal parts.
    plates = real * max(1, len(rendered) // len(real)) + rendered
    print(f"{len(backgrounds)} backgrounds, {len(real)} real plate crops, {len(rendered)} rendered plates",
          flush=True)
    frames = load_frames(args.frames) if args.frames else []
    print(f"{len(frames)} rendered street frames", flush=True)
    batches = iter(torch.utils.data.DataLoader(Batches(backgrounds, plates, frames, args.size, args.batch, args.seed),
                                               batch_size=None, num_workers=1))

    net = PlateFinderNet()
    if args.init:
        net.load_state_dict(torch.load(args.init))
    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.steps, pct_start=0.15)
    t0 = time.time()
    running = [0.0, 0.0]
    for step in range(1, args.steps + 1):
        net.train()
        x, s, w, c = next(batches)
        loss, cls, reg = loss_of(net(x), s, w, c)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        running = [0.98 * running[0] + 0.02 * cls, 0.98 * running[1] + 0.02 * reg]
        if step % 100 == 0 or step == args.steps:
            print(f"step {step}/{args.steps}: score loss {running[0]:.4f}, corner loss {running[1]:.4f}, "
                  f"{time.time() - t0:.0f} s", flush=True)
    net.eval()
    dummy = torch.zeros(1, 1, 256, 256)
    torch.onnx.export(net, dummy, args.out, input_names=["grey"], output_names=["cells"],
                      opset_version=11, dynamic_axes={"grey": {2: "h", 3: "w"}, "cells": {2: "gh", 3: "gw"}})
    if args.checkpoint:
        torch.save(net.state_dict(), args.checkpoint)
    print(f"wrote {args.out}", flush=True)


if __name__ == "__main__":
    main()
