#!/usr/bin/python3
"""Train alprsim's convolutional character recogniser (recognition/char_cnn.h).

Not needed to use alprsim: the trained model is committed under data/recognition/. Needs
PyTorch (Debian: apt-get install python3-torch, run with /usr/bin/python3); the ONNX export
needs no `onnx` package. Reproducible: fixed seeds, one thread, deterministic algorithms.

    build/tools/train_recognizer --dump-glyphs /tmp/glyphs --plates 8000 --seed 1
    /usr/bin/python3 tools/train_char_cnn.py /tmp/glyphs --epochs 8 --seed 1

Glyphs come from rendered plates only (the C++ harvester, recognition/training.h); the real
plate crops are never used for training or tuning. Writes data/recognition/char_cnn.yml.gz
(read by the C++ forward pass) and data/recognition/char_cnn.onnx (the same network for
OpenCV's dnn module, which a test compares against).
"""
import argparse
import gzip
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_glyphs(path):
    with open(path, "rb") as f:
        if f.read(8) != b"ALPRGLY1":
            sys.exit(f"{path}: not a glyph file (train_recognizer --dump-glyphs)")
        count, width, height, classes = struct.unpack("<4i", f.read(16))
        labels = np.frombuffer(f.read(count), dtype=np.uint8).astype(np.int64)
        pixels = np.frombuffer(f.read(count * width * height), dtype=np.uint8).reshape(count, 1, height, width)
    return pixels, labels, width, height, classes


class CharCnn(nn.Module):
    """3x3 convolutions (padding 1, ReLU, 2x2 max pooling), then dense layers."""

    def __init__(self, width, height, classes, channels, hidden):
        super().__init__()
        self.convs = nn.ModuleList()
        c, h, w = 1, height, width
        for out in channels:
            self.convs.append(nn.Conv2d(c, out, 3, padding=1))
            c, h, w = out, h // 2, w // 2
        self.dense = nn.ModuleList()
        n = c * h * w
        for out in list(hidden) + [classes]:
            self.dense.append(nn.Linear(n, out))
            n = out

    def forward(self, x):
        for conv in self.convs:
            x = F.max_pool2d(F.relu(conv(x)), 2)
        x = torch.flatten(x, 1)
        for i, layer in enumerate(self.dense):
            x = layer(x)
            if i + 1 < len(self.dense):
                x = F.relu(x)
        return x


INPUT_SCALE, INPUT_SHIFT = -1.0 / 255.0, 1.0  # ink 1, ground 0


def to_input(pixels):
    return torch.from_numpy(pixels.astype(np.float32) * INPUT_SCALE + INPUT_SHIFT)


def accuracy(model, x, y, batch=2048):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            correct += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    return correct / max(1, len(x))


def shift(x, generator):
    """Each glyph moved by up to one pixel in each direction (zero, i.e. ground, fills)."""
    n = x.shape[0]
    padded = F.pad(x, (1, 1, 1, 1))
    dy = torch.randint(0, 3, (n,), generator=generator)
    dx = torch.randint(0, 3, (n,), generator=generator)
    h, w = x.shape[2], x.shape[3]
    out = torch.empty_like(x)
    for oy in range(3):
        for ox in range(3):
            sel = (dy == oy) & (dx == ox)
            out[sel] = padded[sel, :, oy:oy + h, ox:ox + w]
    return out


def write_yml_gz(path, model, width, height, classes):
    def matrix(name, t):
        a = t.detach().numpy().astype(np.float32)
        a = a.reshape(a.shape[0], -1)
        data = ", ".join("%.9g" % v for v in a.ravel())
        return (f"{name}: !!opencv-matrix\n   rows: {a.shape[0]}\n   cols: {a.shape[1]}\n   dt: f\n"
                f"   data: [ {data} ]\n")

    parts = ["%YAML:1.0\n---\n", f"glyph_width: {width}\nglyph_height: {height}\nclasses: {classes}\n",
             f"input_scale: {INPUT_SCALE!r}\ninput_shift: {INPUT_SHIFT!r}\n",
             f"conv_layers: {len(model.convs)}\ndense_layers: {len(model.dense)}\n"]
    for i, conv in enumerate(model.convs):
        parts.append(matrix(f"conv{i}_w", conv.weight))
        parts.append(matrix(f"conv{i}_b", conv.bias.reshape(1, -1)))
    for i, layer in enumerate(model.dense):
        parts.append(matrix(f"dense{i}_w", layer.weight))
        parts.append(matrix(f"dense{i}_b", layer.bias.reshape(1, -1)))
    # mtime 0: the same model gives the same bytes
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
        f.write("".join(parts).encode())


class WithInputScaling(nn.Module):
    """The exported ONNX network takes glyph pixels (0..255) and returns class probabilities."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, pixels):
        return F.softmax(self.model(pixels * INPUT_SCALE + INPUT_SHIFT), dim=1)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("glyphs", help="directory with train.glyphs and heldout.glyphs (train_recognizer --dump-glyphs)")
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--channels", default="8,16,32", help="output channels of each convolution")
    ap.add_argument("--hidden", default="96", help="units of each hidden dense layer")
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--no-shift", action="store_true", help="no one-pixel shift augmentation")
    ap.add_argument("--out", default=os.path.join(here, "..", "data", "recognition", "char_cnn"),
                    help="output path without extension (.yml.gz and .onnx are written)")
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)

    train_px, train_y, width, height, classes = read_glyphs(os.path.join(args.glyphs, "train.glyphs"))
    held_px, held_y, _, _, _ = read_glyphs(os.path.join(args.glyphs, "heldout.glyphs"))
    x, y = to_input(train_px), torch.from_numpy(train_y)
    hx, hy = to_input(held_px), torch.from_numpy(held_y)
    print(f"{len(x)} training glyphs, {len(hx)} held-out, {width}x{height}, {classes} classes", flush=True)

    channels = [int(c) for c in args.channels.split(",") if c]
    hidden = [int(h) for h in args.hidden.split(",") if h]
    model = CharCnn(width, height, classes, channels, hidden)
    params = sum(p.numel() for p in model.parameters())
    print(f"network: convolutions {channels}, hidden {hidden}, {params} parameters", flush=True)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    steps = args.epochs * ((len(x) + args.batch - 1) // args.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps)
    gen = torch.Generator().manual_seed(args.seed)
    t0 = time.time()
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(len(x), generator=gen)
        total = 0.0
        for i in range(0, len(x), args.batch):
            idx = order[i:i + args.batch]
            xb = x[idx] if args.no_shift else shift(x[idx], gen)
            loss = F.cross_entropy(model(xb), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
        print(f"epoch {epoch + 1}: loss {total / len(x):.4f}, held-out accuracy {accuracy(model, hx, hy):.4f}"
              f" ({time.time() - t0:.0f} s)", flush=True)
    sub = min(len(x), 20000)  # the whole training set takes minutes on one thread
    print(f"glyph accuracy: training (first {sub}) {accuracy(model, x[:sub], y[:sub]):.4f},"
          f" held-out {accuracy(model, hx, hy):.4f}")

    model.eval()
    write_yml_gz(args.out + ".yml.gz", model, width, height, classes)
    torch.onnx.export(WithInputScaling(model), torch.zeros(1, 1, height, width), args.out + ".onnx",
                      opset_version=11, input_names=["glyph"], output_names=["probabilities"],
                      dynamic_axes={"glyph": {0: "n"}, "probabilities": {0: "n"}})
    print(f"wrote {args.out}.yml.gz and {args.out}.onnx")


if __name__ == "__main__":
    main()
