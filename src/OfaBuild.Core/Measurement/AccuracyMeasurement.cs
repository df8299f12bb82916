using OfaBuild.Core.Calibration;
using OfaBuild.Core.Data;
using OfaBuild.Core.Extraction;
using OfaBuild.Core.Onnx;
using OfaBuild.Core.Packaging;
using OfaBuild.Runtime;

namespace OfaBuild.Core.Measurement;

/// <summary>
/// Top-1 of a subnet as OFA measures it, without libtorch: extract, recalibrate BN on training images
/// (ONNX Runtime), export, classify held-out images in ONNX Runtime.
/// </summary>
public sealed class AccuracyMeasurement(OfaPackage package, ImageDataset calibration, ImageDataset evaluation, int batchSize = 500)
{
    private readonly Dictionary<(ImageDataset, int), float[]> _inputs = new();
    private readonly object _gate = new();

    /// <summary>Top-1 of the subnet: extracted, BN recalibrated on the calibration images, exported.</summary>
    public double Top1(SubnetConfig config)
    {
        var subnet = SubnetExtractor.Extract(package.Manifest.Space, package.Weights, config);
        subnet = BatchNormRecalibration.Recalibrate(subnet, Inputs(calibration, config.R), calibration.Count);
        return Top1(SubnetOnnxExporter.Export(subnet), config.R);
    }

    /// <summary>
    /// Top-1 of an exported model (fp32 or int8) of this package's space on the evaluation images at resolution r;
    /// <paramref name="progress"/> hears the images run so far of all, after each batch (`ofa quantize --dataset` shows them).
    /// </summary>
    public double Top1(byte[] onnxModel, int r, Action<(int Done, int Total)>? progress = null)
    {
        var space = package.Manifest.Space;
        var eval = Inputs(evaluation, r);
        using var runner = new OnnxModelRunner(onnxModel);
        int per = space.InputChannels * r * r, classes = space.NumClasses, correct = 0;
        for (int start = 0; start < evaluation.Count; start += batchSize)
        {
            int n = Math.Min(batchSize, evaluation.Count - start);
            var logits = runner.RunFirst(eval.AsSpan(start * per, n * per).ToArray(), [n, space.InputChannels, r, r]);
            for (int i = 0; i < n; i++)
            {
                var row = logits.AsSpan(i * classes, classes);
                int best = 0;
                for (int k = 1; k < classes; k++) if (row[k] > row[best]) best = k;
                if (best == evaluation.Labels[start + i]) correct++;
            }
            progress?.Invoke((start + n, evaluation.Count));
        }
        return correct / (double)evaluation.Count;
    }

    /// <summary>A dataset's images resized and normalised for resolution r, made once.</summary>
    private float[] Inputs(ImageDataset d, int r)
    {
        lock (_gate)
        {
            if (_inputs.TryGetValue((d, r), out var cached)) return cached;
            var norm = package.Manifest.Normalization;
            return _inputs[(d, r)] = ImageInput.Prepare(d.Pixels, d.Count, d.Channels, d.Height, d.Width, r, norm.Mean, norm.Std, centerCrop: norm.Crop);
        }
    }
}
