#!/usr/bin/env python3
"""Convert a safetensors file's F32 tensors to F16 (IEEE round-to-nearest-even).

Standard library only, so it runs where numpy/torch are not installed:

    python3 models/to_f16.py SRC/model.safetensors models/all-MiniLM-L6-v2/model.safetensors

Tensors of other dtypes are copied unchanged. Tensor order and names are kept; the header's
`__metadata__` records the source dtype.
"""
import array
import json
import struct
import sys


def main(src, dst):
    with open(src, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        base = 8 + n
        blobs = []
        out_header = {"__metadata__": {"format": "pt", "converted_from": "F32"}}
        offset = 0
        names = sorted((k for k in header if k != "__metadata__"),
                       key=lambda k: header[k]["data_offsets"][0])
        for name in names:
            info = header[name]
            start, end = info["data_offsets"]
            f.seek(base + start)
            raw = f.read(end - start)
            dtype = info["dtype"]
            if dtype == "F32":
                values = array.array("f")
                values.frombytes(raw)
                if sys.byteorder != "little":
                    values.byteswap()
                raw = struct.pack("<%de" % len(values), *values)
                dtype = "F16"
            out_header[name] = {"dtype": dtype, "shape": info["shape"],
                                "data_offsets": [offset, offset + len(raw)]}
            offset += len(raw)
            blobs.append(raw)
    head = json.dumps(out_header, separators=(",", ":")).encode()
    head += b" " * ((8 - len(head) % 8) % 8)
    with open(dst, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for raw in blobs:
            f.write(raw)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
