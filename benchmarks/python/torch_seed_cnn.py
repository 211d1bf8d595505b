#!/usr/bin/python3
"""PyTorch reference for `modelbench bench`: the seed CNN (Keras' mnist_cnn) on the CPU.

Same architecture as the engine's `seed-cnn` preset: conv(32, 3x3, relu) - conv(64, 3x3, relu) -
maxpool(2x2) - dropout(0.25) - flatten - dense(128, relu) - dropout(0.5) - dense(10, softmax),
trained with Adam (lr 0.001) and cross-entropy at the given batch size. Inputs are the first
`--samples` MNIST training images (pixels / 255) from the IDX files in `--mnist DIR` when given,
else seeded uniform noise. Prints one JSON object: training and inference samples/s.

Thread count: set OMP_NUM_THREADS / MKL_NUM_THREADS / OPENBLAS_NUM_THREADS before torch loads
(done below from --threads) and torch.set_num_threads.
"""
import argparse
import json
import os
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--infer-batch", type=int, default=1000)
    ap.add_argument("--samples", type=int, default=2560)
    ap.add_argument("--seconds", type=float, default=10.0, help="minimum timed seconds per measurement")
    ap.add_argument("--mnist", default=None, help="directory with train-images-idx3-ubyte")
    args = ap.parse_args()
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[var] = str(args.threads)
    import numpy as np
    import torch
    import torch.nn as nn
    torch.set_num_threads(args.threads)
    torch.manual_seed(42)

    n = args.samples
    images = None
    if args.mnist:
        path = os.path.join(args.mnist, "train-images-idx3-ubyte")
        if os.path.exists(path):
            raw = np.fromfile(path, dtype=np.uint8, offset=16)
            images = raw[: n * 784].reshape(-1, 1, 28, 28).astype(np.float32) / 255.0
            n = images.shape[0]
    source = "mnist" if images is not None else "synthetic"
    if images is None:
        images = np.random.default_rng(42).random((n, 1, 28, 28), dtype=np.float32)
    labels = np.random.default_rng(7).integers(0, 10, n)
    x_all = torch.from_numpy(images)
    y_all = torch.from_numpy(labels).long()

    model = nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(),
        nn.Conv2d(32, 64, 3), nn.ReLU(),
        nn.MaxPool2d(2), nn.Dropout(0.25), nn.Flatten(),
        nn.Linear(9216, 128), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(128, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
    loss_fn = nn.CrossEntropyLoss()
    bs = args.batch

    def batches():
        while True:
            order = torch.randperm(n)
            for start in range(0, n - bs + 1, bs):
                yield order[start:start + bs]

    def step(idx):
        optimizer.zero_grad(set_to_none=False)
        loss = loss_fn(model(x_all[idx]), y_all[idx])
        loss.backward()
        optimizer.step()

    model.train()
    stream = batches()
    for _ in range(3):  # warm-up
        step(next(stream))
    done, t0 = 0, time.perf_counter()
    while done < 5 * bs or time.perf_counter() - t0 < args.seconds:
        step(next(stream))
        done += bs
    train_rate = done / (time.perf_counter() - t0)

    model.eval()
    ib = min(args.infer_batch, n)
    xb = x_all[:ib].contiguous()
    with torch.no_grad():
        model(xb)
        done, t0 = 0, time.perf_counter()
        while done < 3 * ib or time.perf_counter() - t0 < args.seconds / 2:
            model(xb)
            done += ib
        infer_rate = done / (time.perf_counter() - t0)

    json.dump({"torch_version": torch.__version__, "threads": torch.get_num_threads(), "batch": bs,
               "infer_batch": ib, "data": source, "train_samples_per_s": train_rate,
               "infer_samples_per_s": infer_rate}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
