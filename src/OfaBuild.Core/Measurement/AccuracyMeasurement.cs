using OfaBuild.Core.Calibration;
using OfaBuild.Core.Data;
using OfaBuild.Core.Extraction;
using OfaBuild.Core.Onnx;
using OfaBuild.Core.Packaging;
using OfaBuild.Core.Space;
using OfaBuild.Runtime;

namespace OfaBuild.Core.Measurement;

/// <summary>
/// Top-1 of a subnet as OFA measures it, without libtorch: extract, recalibrate BN on training images
/// (ONNX Runtime), export, classify held-out images in ONNX Runtime.
/// </summary>
public sealed class AccuracyMeasurement(OfaPackage package, ImageDataset calibration, ImageDataset evaluation, int batchSize = 500)
{
    private readonly Dictionary<int, (float[] Calibration, float[] Evaluation)> _inputs = new();
    private readonly object _gate = new();

    public double Top1(SubnetConfig config)
    {
        var space = package.Manifest.Space;
        var (calib, eval) = Inputs(config.R);
        var subnet = SubnetExtractor.Extract(space, package.Weights, config);
        subnet = BatchNormRecalibration.Recalibrate(subnet, calib, calibration.Count);
        using var runner = new OnnxModelRunner(SubnetOnnxExporter.Export(subnet));
        int per = space.InputChannels * config.R * config.R, classes = space.NumClasses, correct = 0;
        for (int start = 0; start < evaluation.Count; start += batchSize)
        {
            int n = Math.Min(batchSize, evaluation.Count - start);
            var logits = runner.RunFirst(eval.AsSpan(start * per, n * per).ToArray(), [n, space.InputChannels, config.R, config.R]);
            for (int i = 0; i < n; i++)
            {
                var row = logits.AsSpan(i * classes, classes);
                int best = 0;
                for (int k = 1; k < classes; k++) if (row[k] > row[best]) best = k;
                if (best == evaluation.Labels[start + i]) correct++;
            }
        }
        return correct / (double)evaluation.Count;
    }

    /// <summary>Prepared (resized, normalised) calibration and evaluation images per resolution, made once.</summary>
    private (float[] Calibration, float[] Evaluation) Inputs(int r)
    {
        lock (_gate)
        {
            if (_inputs.TryGetValue(r, out var cached)) return cached;
            var norm = package.Manifest.Normalization;
            float[] Prepare(ImageDataset d) =>
                ImageInput.Prepare(d.Pixels, d.Count, d.Channels, d.Height, d.Width, r, norm.Mean, norm.Std, centerCrop: norm.Crop);
            return _inputs[r] = (Prepare(calibration), Prepare(evaluation));
        }
    }
}
