"""The convolution weights of an ONNX file, read without the onnx package (a few lines of the
protobuf wire format): what tools/train_line_cnn.py --init fine-tunes from."""
import numpy as np


def _varint(b, i):
    value = shift = 0
    while True:
        c = b[i]
        i += 1
        value |= (c & 0x7F) << shift
        shift += 7
        if c < 0x80:
            return value, i


def _fields(b):
    """(field number, wire type, value) of one protobuf message."""
    i, out = 0, []
    while i < len(b):
        key, i = _varint(b, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(b, i)
        elif wire == 1:
            value, i = b[i:i + 8], i + 8
        elif wire == 5:
            value, i = b[i:i + 4], i + 4
        elif wire == 2:
            n, i = _varint(b, i)
            value, i = b[i:i + n], i + n
        else:
            raise ValueError(f"protobuf wire type {wire} not expected in an ONNX file")
        out.append((number, wire, value))
    return out


def _tensor(b):
    dims, name, raw, floats = [], None, None, []
    for number, wire, value in _fields(b):
        if number == 1:  # dims, packed or not
            if wire == 0:
                dims.append(value)
            else:
                j = 0
                while j < len(value):
                    d, j = _varint(value, j)
                    dims.append(d)
        elif number == 4:  # float_data, packed
            floats.append(np.frombuffer(value, np.float32) if wire == 2 else np.frombuffer(value, np.float32))
        elif number == 8:
            name = value.decode()
        elif number == 9:
            raw = value
    data = np.frombuffer(raw, np.float32) if raw is not None else np.concatenate(floats)
    return name, data.reshape(dims).copy()


def conv_weights(path):
    """[(weight, bias)] of each Conv node, in graph order (ModelProto.graph = 7; GraphProto:
    node = 1, initializer = 5; NodeProto: input = 1, op_type = 4)."""
    with open(path, "rb") as f:
        model = f.read()
    graph = next(v for n, _, v in _fields(model) if n == 7)
    parts = _fields(graph)
    tensors = dict(_tensor(v) for n, _, v in parts if n == 5)
    out = []
    for n, _, v in parts:
        if n != 1:
            continue
        node = _fields(v)
        if [x.decode() for k, _, x in node if k == 4] != ["Conv"]:
            continue
        inputs = [x.decode() for k, _, x in node if k == 1]
        weight = tensors[inputs[1]]
        bias = tensors[inputs[2]] if len(inputs) > 2 else np.zeros(weight.shape[0], np.float32)
        out.append((weight, bias))
    return out
