"""How closely the exported files follow tuipad, on the rows ``tuipad export`` checks.

Exports the active model (the shipped default unless ``tuipad models use`` chose
another) to Core ML and ONNX in a temporary directory, then compares labels and
probabilities with :func:`tuipad.core.recognise.predict_grids` on
:func:`tuipad.services.export.agreement_rows`: all 1,797 ``load_digits`` scans
for a grid model, replayed shipped pen digits for a model that reads the pen's
path.  The Core ML spec is recomputed with numpy in 64-bit and in 32-bit
arithmetic, the ONNX file run with onnxruntime.  Needs the export extra.

    python benchmarks/export_agreement.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from tuipad import export
from tuipad.core.model_arrays import GridPathArrays
from tuipad.core.recognise import predict_grids
from tuipad.services import load_active
from tuipad.services.export import agreement_rows


def main() -> None:
    model = load_active()
    X, checked_on = agreement_rows(model.predictor)
    labels, scores = predict_grids(model.predictor, X)
    arrays = export.export_arrays(model.predictor)
    parts = [arrays.grid, arrays.path] if isinstance(arrays, GridPathArrays) else [arrays]
    vectors = " + ".join(f"{len(part.support_vectors)} {part.reads}" for part in parts)
    print(
        f"model {model.name!r} ({model.manifest.recipe}), {vectors} support vectors,"
        f" {len(labels)} {checked_on}"
    )
    with tempfile.TemporaryDirectory() as directory:
        coreml, onnx = Path(directory) / "Digits.mlmodel", Path(directory) / "digits.onnx"
        export.to_coreml(model.predictor, model.manifest, coreml)
        export.to_onnx(model.predictor, model.manifest, onnx)
        spec = export.load_coreml_spec(coreml)
        rows = [
            ("Core ML spec, 64-bit", *export.coreml_spec_predict(spec, X)),
            ("Core ML spec, 32-bit", *export.coreml_spec_predict(spec, X, dtype=np.float32)),
            ("ONNX, onnxruntime", *export.onnx_predict(onnx, X)),
        ]
        sizes = {"Core ML": coreml.stat().st_size, "ONNX": onnx.stat().st_size}
    for name, their_labels, their_scores in rows:
        same = int((their_labels == labels).sum())
        gap = float(np.abs(their_scores - scores).max())
        print(f"{name:22} labels equal {same}/{len(labels)}, max |probability gap| {gap:.1e}")
    print("sizes: " + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in sizes.items()))


if __name__ == "__main__":
    main()
