#!/usr/bin/python3
"""Train alprsim's line reader (recognition/line_reader.h): a small fully convolutional
network that reads a whole plate crop at once, trained with CTC.

Not needed to use alprsim: the trained model is committed under data/recognition/. Needs
PyTorch (Debian: apt-get install python3-torch, run with /usr/bin/python3); the ONNX export
needs no `onnx` package.

    build/tools/train_recognizer --dump-lines /tmp/lines/a.lines --plates 120000 --seed 1
    build/tools/train_recognizer --dump-lines /tmp/lines/b.lines --plates 120000 --seed 2
    build/tools/train_recognizer --dump-lines /tmp/lines/held.lines --plates 4000 --seed 99
    /usr/bin/python3 tools/train_line_cnn.py /tmp/lines/a.lines /tmp/lines/b.lines \
        --heldout /tmp/lines/held.lines --epochs 4 --threads 2 --seed 1

(the committed line_cnn.onnx; line_cnn_2.onnx and line_cnn_3.onnx, the reader's other two
networks, are trainings on the same crops with --no-augment and 1 and 3 epochs: the commands
are in recognition/README.md, "Training").

Fine-tuning a committed network on rendered crops and real labelled crops (since 6 Dec 2026;
the commands are in recognition/README.md, "Training"):

    build/tools/train_recognizer --dump-lines /tmp/lines/real.lines --part train \
        --real-crops ../shared/data/plates/openalpr-train-crops/br-plates.csv
    /usr/bin/python3 tools/train_line_cnn.py /tmp/lines/c.lines --real /tmp/lines/real.lines \
        --init data/recognition/line_cnn.onnx --heldout /tmp/lines/held.lines --dev /tmp/lines/realdev.lines ...

The committed line_cnn.onnx (since 7 Dec 2026) is the 30 Nov network fine-tuned on crops drawn
with the states' designs, stacked letters and clutter (--dump-lines ... --realistic-share 0.6;
the commands are in recognition/README.md, "Training").

Crops come from rendered plates (the C++ harvester, recognition/training.h) and, with --real,
from real crops the project may train on (openalpr-train-crops); the measuring sets
(openalpr-us, the EU/BR scenes) are never used for training or tuning. Reproducible for a seed and a thread count
(fixed seeds, deterministic algorithms). Writes data/recognition/line_cnn.onnx (or --out), read by
OpenCV's dnn module: input 1 x 1 x 32 x 96 (pixels minus 127.5, over 255), output
1 x 37 x 1 x T (scores of the 36 characters and CTC's blank, last, for each of T columns).
"""
import argparse
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

CHARACTERS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
BLANK = len(CHARACTERS)


def read_lines(path):
    with open(path, "rb") as f:
        if f.read(8) != b"ALPRLIN1":
            sys.exit(f"{path}: not a plate-crop file (train_recognizer --dump-lines)")
        count, width, height = struct.unpack("<3i", f.read(12))
        pixels = np.empty((count, 1, height, width), np.uint8)
        texts = []
        for i in range(count):
            n = f.read(1)[0]
            texts.append(f.read(n).decode("ascii"))
            pixels[i, 0] = np.frombuffer(f.read(width * height), np.uint8).reshape(height, width)
    return pixels, texts


class LineCnn(nn.Module):
    """Convolutions down to one row of T columns, then a class score per column."""

    def __init__(self, width=96):
        super().__init__()

        def block(cin, cout, k=3, pad=1):
            return nn.Sequential(nn.Conv2d(cin, cout, k, padding=pad, bias=False), nn.BatchNorm2d(cout), nn.ReLU())

        self.features = nn.Sequential(
            block(1, 16), nn.MaxPool2d(2),              # 16 x 48
            block(16, 32), nn.MaxPool2d(2),             # 8 x 24
            block(32, 64), nn.MaxPool2d((2, 1)),       # 4 x 24
            block(64, 96), nn.MaxPool2d((2, 1)),       # 2 x 24
            block(96, 128, (2, 1), 0),                  # 1 x 24
            block(128, 128, (1, 3), (0, 1)),
            nn.Conv2d(128, BLANK + 1, 1))

    def forward(self, x):
        return self.features(x)  # N x classes x 1 x T


def to_input(pixels):
    return (torch.from_numpy(pixels).float() - 127.5) / 255.0


def augment(x, gen):
    """Other widths, slants, tilts, sizes, placements and stroke weights than the rendered
    faces have, standing in for the plate typefaces we do not have (as training.h's
    augmentGlyph does for single glyphs)."""
    n = x.shape[0]

    def uniform(lo, hi):
        return lo + (hi - lo) * torch.rand(n, generator=gen)

    sx, sy = uniform(0.85, 1.03), uniform(0.9, 1.05)  # mostly smaller: tight crops keep their edge characters
    shear, angle = uniform(-0.15, 0.15), uniform(-3, 3) * np.pi / 180
    tx, ty = uniform(-0.03, 0.03), uniform(-0.06, 0.06)
    c, s = torch.cos(angle), torch.sin(angle)
    # affine_grid maps output to input coordinates (both in -1..1)
    theta = torch.stack([torch.stack([c / sx, (shear - s) / sx, tx], 1),
                         torch.stack([s / sy, c / sy, ty], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    x = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
    weight = torch.rand(n, generator=gen)
    grown = F.max_pool2d(x, 3, 1, 1)
    shrunk = -F.max_pool2d(-x, 3, 1, 1)
    x = torch.where((weight < 0.15).view(n, 1, 1, 1), grown, x)
    return torch.where((weight > 0.85).view(n, 1, 1, 1), shrunk, x)


def heavy_augment(x, gen):
    """Real crops are few: besides augment's geometry, wider placements, blur, noise and
    contrast, so that the network learns the faces and not the few hundred photographs."""
    n = x.shape[0]
    x = augment(augment(x, gen), gen)

    def uniform(lo, hi):
        return lo + (hi - lo) * torch.rand(n, generator=gen)

    blur = torch.rand(n, generator=gen) < 0.4
    blurred = F.avg_pool2d(F.pad(x, (1, 1, 1, 1), mode="replicate"), 3, 1)
    x = torch.where(blur.view(n, 1, 1, 1), blurred, x)
    contrast = uniform(0.5, 1.0).view(n, 1, 1, 1)
    x = x * contrast + uniform(-0.15, 0.15).view(n, 1, 1, 1)
    noise = uniform(0, 0.08).view(n, 1, 1, 1)
    return x + noise * torch.randn(x.shape, generator=gen)


def load_fused(model, path):
    """Starts from a committed network: its ONNX file holds each convolution with the batch
    normalisation folded in, so each normalisation starts as the identity plus the folded bias
    and stays in inference mode while fine-tuning (train() keeps it so)."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from onnx_weights import conv_weights
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    norms = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    weights = conv_weights(path)
    if len(weights) != len(convs):
        sys.exit(f"{path}: {len(weights)} convolutions, the network has {len(convs)}")
    with torch.no_grad():
        for k, (conv, (w, b)) in enumerate(zip(convs, weights)):
            if tuple(conv.weight.shape) != w.shape:
                sys.exit(f"{path}: convolution {k} is {w.shape}, the network's {tuple(conv.weight.shape)}")
            conv.weight.copy_(torch.from_numpy(w))
            if conv.bias is not None:
                conv.bias.copy_(torch.from_numpy(b))
            else:
                bn = norms[k]
                bn.weight.fill_(1.0)
                bn.bias.copy_(torch.from_numpy(b))
                bn.running_mean.zero_()
                bn.running_var.fill_(1.0 - bn.eps)


def freeze_norms(model):
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.eval()


def decode(scores):
    """Greedy CTC decoding of N x classes x 1 x T scores."""
    best = scores[:, :, 0, :].argmax(1).numpy()
    out = []
    for row in best:
        text, previous = [], BLANK
        for k in row:
            if k != BLANK and k != previous:
                text.append(CHARACTERS[k])
            previous = k
        out.append("".join(text))
    return out


def exact(model, pixels, texts, batch=512):
    model.eval()
    right = 0
    with torch.no_grad():
        for i in range(0, len(texts), batch):
            reads = decode(model(to_input(pixels[i:i + batch])))
            right += sum(r == t for r, t in zip(reads, texts[i:i + batch]))
    return right / max(1, len(texts))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("lines", nargs="+", help="plate-crop files (train_recognizer --dump-lines)")
    ap.add_argument("--heldout", required=True, help="a plate-crop file of other plates, to report on")
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1, help="PyTorch threads (the model depends on it)")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--no-augment", action="store_true", help="train on the rendered crops as they are")
    ap.add_argument("--init", help="fine-tune this committed network (ONNX) instead of starting afresh")
    ap.add_argument("--real", help="real labelled crops (train_recognizer --real-crops), mixed into every epoch")
    ap.add_argument("--real-share", type=float, default=0.2, help="share of each epoch's crops that are real ones")
    ap.add_argument("--first", type=int, default=0, help="train on the first N rendered crops only (0: all)")
    ap.add_argument("--dev", action="append", default=[], help="more crop files to report on (e.g. real development crops)")
    ap.add_argument("--out", default=os.path.join(here, "..", "data", "recognition", "line_cnn.onnx"))
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)

    parts = [read_lines(p) for p in args.lines]
    pixels = np.concatenate([p for p, _ in parts])
    texts = [t for _, ts in parts for t in ts]
    if args.first > 0:
        pixels, texts = pixels[:args.first], texts[:args.first]
    held_px, held_texts = read_lines(args.heldout)
    rendered = len(texts)
    if args.real:
        real_px, real_texts = read_lines(args.real)
        repeats = max(1, round(args.real_share / (1 - args.real_share) * rendered / max(1, len(real_texts))))
        pixels = np.concatenate([pixels] + [real_px] * repeats)
        texts += real_texts * repeats
        print(f"{len(real_texts)} real crops, each {repeats} times a epoch", flush=True)
    dev_sets = [(p, *read_lines(p)) for p in args.dev]
    targets = [torch.tensor([CHARACTERS.index(c) for c in t], dtype=torch.long) for t in texts]
    print(f"{len(texts)} training crops, {len(held_texts)} held-out, {pixels.shape[3]}x{pixels.shape[2]}", flush=True)

    model = LineCnn(pixels.shape[3])
    if args.init:
        load_fused(model, args.init)
        report = [f"held-out exact {exact(model, held_px, held_texts):.4f}"]
        report += [f"{os.path.basename(p)} exact {exact(model, px, ts):.4f}" for p, px, ts in dev_sets]
        print(f"from {args.init}: " + ", ".join(report), flush=True)
    print(f"network: {sum(p.numel() for p in model.parameters())} parameters", flush=True)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    steps = args.epochs * ((len(texts) + args.batch - 1) // args.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps)
    ctc = nn.CTCLoss(blank=BLANK, zero_infinity=True)
    gen = torch.Generator().manual_seed(args.seed)
    t0 = time.time()
    for epoch in range(args.epochs):
        model.train()
        if args.init:
            freeze_norms(model)
        order = torch.randperm(len(texts), generator=gen).numpy()
        total, seen = 0.0, 0
        for i in range(0, len(texts), args.batch):
            idx = np.sort(order[i:i + args.batch])
            xb = to_input(pixels[idx])
            if not args.no_augment:
                real = torch.from_numpy(idx >= rendered)
                xb = augment(xb, gen) if not real.any() else torch.where(
                    real.view(-1, 1, 1, 1), heavy_augment(xb, gen), augment(xb, gen))
            scores = model(xb)  # N x C x 1 x T
            logp = F.log_softmax(scores[:, :, 0, :], dim=1).permute(2, 0, 1)  # T x N x C
            tgt = [targets[j] for j in idx]
            loss = ctc(logp, torch.cat(tgt), torch.full((len(idx),), logp.shape[0], dtype=torch.long),
                       torch.tensor([len(t) for t in tgt], dtype=torch.long))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
            seen += len(idx)
            if (i // args.batch) % 200 == 0:
                print(f"  epoch {epoch + 1}: {seen}/{len(texts)} loss {total / seen:.3f} ({time.time() - t0:.0f} s)", flush=True)
        report = [f"held-out exact {exact(model, held_px, held_texts):.4f}"]
        report += [f"{os.path.basename(p)} exact {exact(model, px, ts):.4f}" for p, px, ts in dev_sets]
        print(f"epoch {epoch + 1}: loss {total / seen:.4f}, " + ", ".join(report) + f" ({time.time() - t0:.0f} s)", flush=True)

    model.eval()
    torch.onnx.export(model, torch.zeros(1, 1, pixels.shape[2], pixels.shape[3]), args.out, opset_version=11,
                      input_names=["line"], output_names=["scores"])
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
