#!/usr/bin/python3
"""Writes Keras models as Keras 3 `.keras` files and legacy Keras `.h5` files, without Keras.

The Keras import (plugin-onnx, package keras) reads three formats; its tests compare them on the same
network. This script makes that material with h5py and numpy only (Debian: python3-h5py,
python3-numpy; installed by scripts/install-test-deps.sh):

  from-tfjs MODEL.json OUT_DIR NAME
      a TensorFlow.js layers model (e.g. nsfwjs's MobileNetV2) as OUT_DIR/NAME.keras and
      OUT_DIR/NAME.h5; quantized weights are dequantized exactly as the Java reader does
      (float64 q * scale + min, rounded once to float32), so all three files hold the same floats.
  tiny OUT_DIR
      a small Conv2D / BatchNormalization / DepthwiseConv2D / SeparableConv2D / Dense network with
      seeded random weights as tiny.json (+ tiny.bin, TF.js float32), tiny.keras and tiny.h5, and the
      broken variants the error tests read: tiny-shape.h5 (a kernel of the wrong shape),
      tiny-missing.keras (a weight left out), tiny-huge.h5 (a dataset whose header claims 2^40
      values that the file does not hold), tiny-big.h5 (a 1 GiB contiguous dataset never written),
      tiny-nobias.keras (config and weights disagree in count).

The layouts follow Keras's own writers (keras/src/saving/saving_lib.py and
keras/src/legacy/saving/legacy_h5_format.py):
  .keras  a zip of metadata.json, config.json (the Keras 3 serialization: module, class_name,
          config, registered_name; inbound_nodes as {"args": [__keras_tensor__ ...], "kwargs": {}})
          and model.weights.h5, in which the weights of the i-th layer of class C are
          layers/<snake_case(C)>[_<n>]/vars/<index> in the layer's variable order (the n-th repeat
          of a class gets the suffix _n), each group with attribute name = the layer name.
  .h5     root attributes keras_version, backend, model_config (the legacy JSON config); group
          model_weights with attributes layer_names, backend, keras_version; per layer a group
          <layer> with attribute weight_names ("<layer>/kernel:0", ...) and the datasets at those
          paths (model_weights/<layer>/<layer>/kernel:0).
"""
import copy
import io
import json
import re
import sys
import zipfile

import h5py
import numpy as np

KERAS_VERSION = "3.6.0"
LEGACY_KERAS_VERSION = "2.15.0"

# Keras 3 variable order per layer class (what save_own_variables writes as vars/0, vars/1, ...)
def keras3_fields(cls, config):
    bias = ["bias"] if config.get("use_bias", True) else []
    if cls in ("Conv2D", "Dense"):
        return ["kernel"] + bias
    if cls == "DepthwiseConv2D":
        return ["depthwise_kernel"] + bias
    if cls == "SeparableConv2D":
        return ["depthwise_kernel", "pointwise_kernel"] + bias
    if cls == "BatchNormalization":
        return (["gamma"] if config.get("scale", True) else []) + (["beta"] if config.get("center", True) else []) \
            + ["moving_mean", "moving_variance"]
    return []


def snake_case(name):
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def keras3_config(model_config):
    """The Keras 3 serialization of a legacy (Keras 2 / TF.js) functional or sequential config."""
    legacy = copy.deepcopy(model_config)
    out_layers = []
    for layer in legacy["config"]["layers"]:
        cfg = layer["config"]
        if "batch_input_shape" in cfg:
            cfg["batch_shape"] = cfg.pop("batch_input_shape")
        entry = {"module": "keras.layers", "class_name": layer["class_name"], "config": cfg,
                 "registered_name": None, "name": layer.get("name", cfg.get("name"))}
        if "inbound_nodes" in layer:
            nodes = []
            for node in layer["inbound_nodes"]:
                tensors = [{"class_name": "__keras_tensor__",
                            "config": {"shape": None, "dtype": "float32", "keras_history": [t[0], t[1], t[2]]}}
                           for t in node]
                nodes.append({"args": [tensors] if len(tensors) > 1 else tensors, "kwargs": {}})
            entry["inbound_nodes"] = nodes
        out_layers.append(entry)
    cls = legacy["class_name"]
    config = dict(legacy["config"], layers=out_layers)
    module = "keras.src.models.functional" if cls in ("Model", "Functional") else "keras.src.models.sequential"
    return {"module": module, "class_name": "Functional" if cls == "Model" else cls, "config": config,
            "registered_name": "Functional" if cls == "Model" else cls}


def layers_of(model_config):
    layers = model_config["config"]["layers"] if isinstance(model_config["config"], dict) else model_config["config"]
    return [(l.get("name", l["config"].get("name")), l["class_name"], l["config"]) for l in layers]


def write_keras3(path, model_config, weights, drop=None, stated=None):
    """weights: {layer name: {field: array}}; drop: (layer, field) left out; stated: the config written to
    config.json when it is not model_config (to make the two disagree)."""
    buf = io.BytesIO()
    with h5py.File(buf, "w") as h5:
        h5.create_group("vars").attrs["name"] = model_config["config"]["name"]
        used = {}
        for name, cls, cfg in layers_of(model_config):
            key = snake_case(cls)
            if key in used:
                used[key] += 1
                key = f"{key}_{used[key]}"
            else:
                used[key] = 0
            group = h5.create_group(f"layers/{key}/vars")
            group.attrs["name"] = name
            index = 0
            for field in keras3_fields(cls, cfg):
                if drop == (name, field):
                    continue
                group.create_dataset(str(index), data=weights[name][field])
                index += 1
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("metadata.json", json.dumps({"keras_version": KERAS_VERSION, "date_saved": "2026-12-01@00:00:00"}))
        z.writestr("config.json", json.dumps(keras3_config(stated or model_config)))
        z.writestr("model.weights.h5", buf.getvalue())


def write_legacy_h5(path, model_config, weights, reshape=None, huge=None, big=None):
    """reshape: (layer, field, shape) written with a wrong shape; huge: (layer, field) claimed as 2^40 values;
    big: (layer, field) declared as 2^28 contiguous values and never written."""
    with h5py.File(path, "w") as h5:
        h5.attrs["keras_version"] = LEGACY_KERAS_VERSION.encode()
        h5.attrs["backend"] = b"tensorflow"
        h5.attrs["model_config"] = json.dumps(model_config).encode()
        mw = h5.create_group("model_weights")
        names = [name for name, _, _ in layers_of(model_config)]
        mw.attrs["layer_names"] = [n.encode() for n in names]
        mw.attrs["backend"] = b"tensorflow"
        mw.attrs["keras_version"] = LEGACY_KERAS_VERSION.encode()
        for name, cls, cfg in sorted(layers_of(model_config)):
            g = mw.create_group(name)
            fields = [f for f in keras3_fields(cls, cfg) if f in weights.get(name, {})]
            g.attrs["weight_names"] = [f"{name}/{f}:0".encode() for f in fields]
            for f in fields:
                value = weights[name][f]
                if reshape is not None and reshape[:2] == (name, f):
                    value = np.resize(value, reshape[2])
                if big == (name, f):
                    g.create_dataset(f"{name}/{f}:0", shape=(1 << 14, 1 << 14), dtype="f4")
                elif huge == (name, f):
                    g.create_dataset(f"{name}/{f}:0", shape=(1 << 20, 1 << 20), dtype="f4", chunks=(64, 64))
                else:
                    g.create_dataset(f"{name}/{f}:0", data=value)


def read_tfjs(model_json):
    with open(model_json) as f:
        model = json.load(f)
    import os
    base = os.path.dirname(os.path.abspath(model_json))
    values = {}
    for group in model["weightsManifest"]:
        raw = b"".join(open(os.path.join(base, p), "rb").read() for p in group["paths"])
        offset = 0
        for w in group["weights"]:
            n = int(np.prod(w["shape"], dtype=np.int64))
            q = w.get("quantization")
            if q:
                dtype = {"uint8": np.uint8, "uint16": np.uint16}[q["dtype"]]
                codes = np.frombuffer(raw, dtype=np.dtype(dtype).newbyteorder("<"), count=n, offset=offset)
                offset += n * np.dtype(dtype).itemsize
                v = (codes.astype(np.float64) * q["scale"] + q["min"]).astype(np.float32)
            else:
                v = np.frombuffer(raw, dtype="<f4", count=n, offset=offset).copy()
                offset += 4 * n
            values[w["name"]] = v.reshape(w["shape"])
    topology = model["modelTopology"]
    config = topology.get("model_config", topology)
    weights = {}
    for name, cls, cfg in layers_of(config):
        for field in keras3_fields(cls, cfg):
            weights.setdefault(name, {})[field] = values[f"{name}/{field}"]
    return config, weights


def tiny(out):
    rng = np.random.default_rng(19)
    def layer(name, cls, config, inbound):
        config = dict(config, name=name, trainable=True)
        return {"name": name, "class_name": cls, "config": config,
                "inbound_nodes": [[[i, 0, 0, {}] for i in inbound]] if inbound else []}
    layers = [
        layer("input", "InputLayer", {"batch_input_shape": [None, 8, 8, 2], "dtype": "float32"}, []),
        layer("conv", "Conv2D", {"filters": 4, "kernel_size": [3, 3], "strides": [1, 1], "padding": "same",
                                 "activation": "relu", "use_bias": True, "data_format": "channels_last"}, ["input"]),
        layer("bn", "BatchNormalization", {"axis": -1, "epsilon": 1e-3, "center": True, "scale": True}, ["conv"]),
        layer("dw", "DepthwiseConv2D", {"kernel_size": [3, 3], "strides": [2, 2], "padding": "valid",
                                        "depth_multiplier": 1, "activation": "linear", "use_bias": False}, ["bn"]),
        layer("sep", "SeparableConv2D", {"filters": 6, "kernel_size": [2, 2], "strides": [1, 1], "padding": "valid",
                                         "activation": "relu6", "use_bias": True}, ["dw"]),
        layer("flat", "Flatten", {}, ["sep"]),
        layer("dense", "Dense", {"units": 5, "activation": "tanh", "use_bias": True}, ["flat"]),
        layer("out", "Dense", {"units": 3, "activation": "softmax", "use_bias": True}, ["dense"]),
    ]
    config = {"class_name": "Model", "config": {"name": "tiny", "layers": layers, "input_layers": [["input", 0, 0]],
                                                  "output_layers": [["out", 0, 0]]}}
    shapes = {"conv": {"kernel": (3, 3, 2, 4), "bias": (4,)},
              "bn": {"gamma": (4,), "beta": (4,), "moving_mean": (4,), "moving_variance": (4,)},
              "dw": {"depthwise_kernel": (3, 3, 4, 1)},
              "sep": {"depthwise_kernel": (2, 2, 4, 1), "pointwise_kernel": (1, 1, 4, 6), "bias": (6,)},
              "dense": {"kernel": (24, 5), "bias": (5,)}, "out": {"kernel": (5, 3), "bias": (3,)}}
    weights = {}
    for name, fields in shapes.items():
        for field, shape in fields.items():
            v = rng.normal(0, 0.5, size=shape)
            if field == "moving_variance":
                v = np.abs(v) + 0.5
            weights.setdefault(name, {})[field] = v.astype(np.float32)
    # TF.js float32: model.json + one shard
    manifest, shard = [], bytearray()
    for name, cls, cfg in layers_of(config):
        for field in keras3_fields(cls, cfg):
            v = weights[name][field]
            manifest.append({"name": f"{name}/{field}", "shape": list(v.shape), "dtype": "float32"})
            shard += v.astype("<f4").tobytes()
    with open(f"{out}/tiny.bin", "wb") as f:
        f.write(shard)
    with open(f"{out}/tiny.json", "w") as f:
        json.dump({"format": "layers-model", "modelTopology": {"keras_version": LEGACY_KERAS_VERSION,
                   "backend": "tensorflow", "model_config": config},
                   "weightsManifest": [{"paths": ["tiny.bin"], "weights": manifest}]}, f)
    write_keras3(f"{out}/tiny.keras", config, weights)
    write_legacy_h5(f"{out}/tiny.h5", config, weights)
    write_legacy_h5(f"{out}/tiny-shape.h5", config, weights, reshape=("dense", "kernel", (23, 5)))
    write_legacy_h5(f"{out}/tiny-huge.h5", config, weights, huge=("dense", "kernel"))
    write_keras3(f"{out}/tiny-missing.keras", config, weights, drop=("sep", "pointwise_kernel"))
    # a contiguous dataset of 2^28 values (1 GiB) that the 28 kB file cannot hold: only its header is written
    write_legacy_h5(f"{out}/tiny-big.h5", config, weights, big=("dense", "kernel"))
    nobias = copy.deepcopy(config)
    nobias["config"]["layers"][6]["config"]["use_bias"] = False
    write_keras3(f"{out}/tiny-nobias.keras", config, weights, stated=nobias)  # the file holds the bias the config rules out


def main(argv):
    if len(argv) == 4 and argv[0] == "from-tfjs":
        config, weights = read_tfjs(argv[1])
        write_keras3(f"{argv[2]}/{argv[3]}.keras", config, weights)
        write_legacy_h5(f"{argv[2]}/{argv[3]}.h5", config, weights)
    elif len(argv) == 2 and argv[0] == "tiny":
        tiny(argv[1])
    else:
        sys.exit("usage: write-keras-files.py from-tfjs MODEL.json OUT_DIR NAME | tiny OUT_DIR")


if __name__ == "__main__":
    main(sys.argv[1:])
