"""Exports torchvision architectures with seeded random weights to ONNX, for the native ONNX
interpreter's benchmarks against ONNX Runtime (`modelbench onnx bench FILE --batch 8 --threads 2`).

    /usr/bin/python3 benchmarks/python/export_torchvision.py OUT_DIR [NAME ...]

NAME is one of mobilenet_v2_96, resnet18_112, vgg16_notop_150 (default: all). Each file is written
atomically as OUT_DIR/NAME.onnx (opset 13, dynamic batch axis) and skipped when already there.
Prints one line per model: `NAME PATH`.
"""
import os
import sys

import torch
import torchvision

MODELS = {
    # name: (constructor, input side)
    "mobilenet_v2_96": (lambda: torchvision.models.mobilenet_v2(weights=None), 96),
    "resnet18_112": (lambda: torchvision.models.resnet18(weights=None), 112),
    "vgg16_notop_150": (lambda: torchvision.models.vgg16(weights=None).features, 150),
}


def export(name, out_dir):
    path = os.path.join(out_dir, name + ".onnx")
    if os.path.exists(path):
        return path
    make, side = MODELS[name]
    torch.manual_seed(0)
    model = make().eval()
    x = torch.randn(1, 3, side, side)
    tmp = path + ".tmp"
    with torch.no_grad():
        torch.onnx.export(model, x, tmp, opset_version=13, input_names=["input"], output_names=["output"],
                          dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    os.replace(tmp, path)
    return path


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    out_dir = argv[1]
    names = argv[2:] or list(MODELS)
    for n in names:
        if n not in MODELS:
            print("export_torchvision.py: unknown model '%s'; expected one of %s" % (n, ", ".join(MODELS)),
                  file=sys.stderr)
            return 2
    os.makedirs(out_dir, exist_ok=True)
    for n in names:
        print(n, export(n, out_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
