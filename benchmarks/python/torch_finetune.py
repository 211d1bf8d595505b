"""Fine-tuning the trainable suffix of a torchvision base plus a new head, for `modelbench bench --finetune`.

The frozen prefix of a base runs once per data set (its outputs cached), so fine-tuning speed is the
speed of training the suffix on the prefix's outputs. The suffixes (seeded random weights):

  vgg16_block5        VGG16's last conv block (3 x conv 3x3 512 + ReLU, max pool) on the block-4
                      output of a 150x150x3 image [512, 9, 9], then Flatten, Dense 256 ReLU, Dense 2
                      (the Keras lecture's fine-tuning setting)
  mobilenet_v2_tail   MobileNetV2's last inverted residual block and 1x1 conv to 1280 on the block-16
                      output of a 96x96x3 image [160, 3, 3], then global average pooling and Dense 2;
                      batch normalisation stays in inference mode (frozen statistics, as Keras
                      fine-tuning does), so the export folds it into the convolutions

    python3 torch_finetune.py --export DIR [--model NAME]   writes DIR/NAME.onnx (atomic; kept if present)
    python3 torch_finetune.py --model NAME --threads T --batch B --samples N --seconds S
        trains with SGD (lr 0.001) and softmax cross-entropy on seeded random inputs and labels;
        prints one JSON line: {"torch_version": ..., "train_samples_per_s": ...}
"""
import argparse
import json
import os
import sys
import time

import torch
import torchvision
from torch import nn

LEARNING_RATE = 1e-3


def vgg16_block5():
    features = list(torchvision.models.vgg16(weights=None).features.children())
    return nn.Sequential(*features[24:], nn.Flatten(), nn.Linear(512 * 4 * 4, 256), nn.ReLU(),
                         nn.Linear(256, 2)), (512, 9, 9)


def mobilenet_v2_tail():
    features = list(torchvision.models.mobilenet_v2(weights=None).features.children())
    return nn.Sequential(*features[17:], nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(1280, 2)), (160, 3, 3)


MODELS = {"vgg16_block5": vgg16_block5, "mobilenet_v2_tail": mobilenet_v2_tail}


def build(name):
    torch.manual_seed(0)
    model, shape = MODELS[name]()
    model.train()
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.eval()
    return model, shape


def export(name, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, name + ".onnx")
    if not os.path.exists(path):
        model, shape = build(name)
        model.eval()
        tmp = path + ".tmp"
        with torch.no_grad():
            torch.onnx.export(model, torch.randn(1, *shape), tmp, opset_version=13, input_names=["input"],
                              output_names=["logits"], dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
        os.replace(tmp, path)
    print(name, path)


def bench(name, threads, batch, samples, seconds):
    torch.set_num_threads(threads)
    model, shape = build(name)
    g = torch.Generator().manual_seed(1)
    x = torch.randn(samples, *shape, generator=g)
    y = torch.randint(0, 2, (samples,), generator=g)
    opt = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    loss_fn = nn.CrossEntropyLoss()

    def epoch():
        for i in range(0, samples - batch + 1, batch):
            opt.zero_grad()
            loss = loss_fn(model(x[i:i + batch]), y[i:i + batch])
            loss.backward()
            opt.step()
        return samples // batch * batch

    epoch()
    done = 0
    start = time.perf_counter()
    while True:
        done += epoch()
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            break
    print(json.dumps({"torch_version": torch.__version__, "train_samples_per_s": done / elapsed}))


def main(argv):
    p = argparse.ArgumentParser()
    p.add_argument("--export")
    p.add_argument("--model", choices=sorted(MODELS))
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--samples", type=int, default=64)
    p.add_argument("--seconds", type=float, default=5)
    a = p.parse_args(argv[1:])
    if a.export:
        for name in [a.model] if a.model else sorted(MODELS):
            export(name, a.export)
        return 0
    if not a.model:
        p.error("--model is required to benchmark")
    bench(a.model, a.threads, a.batch, a.samples, a.seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
