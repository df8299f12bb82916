using OfaBuild.Core.Packaging;
using OfaBuild.Core.Tensors;
using OfaBuild.Core.Data;
using OfaBuild.Training.Data;
using OfaBuild.Training.Networks;
using OfaBuild.Training.Shrinking;

namespace OfaBuild.Training.Packaging;

/// <summary>Turns a trained supernet into a .ofa package (and back into a TorchSharp supernet).</summary>
public static class SupernetPackage
{
    public const int DefaultCalibrationImages = 500;

    /// <summary>
    /// Builds the package: the supernet's weights, the manifest (space, normalisation, labels, provenance) and
    /// <paramref name="calibrationImages"/> training images (U8 [N, C, H, W]) with their labels (I64 [N]) drawn with
    /// the BN-recalibration seed, so build-time recalibration without the dataset sees images like training did.
    /// </summary>
    public static OfaPackage Create(OfaMobileNetV3 net, ImageDataset train, Normalization norm, string source, string? commandLine,
        int calibrationImages = DefaultCalibrationImages, HoldoutInfo? holdout = null)
    {
        var idx = BnRecalibration.CalibrationIndices(train.Count, calibrationImages);
        var calib = train.Subset(idx);
        var calibration = new TensorSet("calibration");
        calibration.Add(OfaPackage.CalibrationImages, Tensor.FromBytes(DType.U8, [calib.Count, calib.Channels, calib.Height, calib.Width], calib.Pixels));
        var labels = new byte[calib.Count * 8];
        for (int i = 0; i < calib.Count; i++) BitConverter.TryWriteBytes(labels.AsSpan(i * 8), (long)calib.Labels[i]);
        calibration.Add(OfaPackage.CalibrationLabels, Tensor.FromBytes(DType.I64, [calib.Count], labels));

        var manifest = new OfaManifest
        {
            Space = net.Space,
            Normalization = new InputNormalization(norm.Mean.Select(x => (double)x).ToArray(), norm.Std.Select(x => (double)x).ToArray())
            {
                CenterCrop = train.Preprocessing.CenterCrop < 1 ? train.Preprocessing.CenterCrop : null,
            },
            Labels = train.ClassNames.ToArray(),
            Provenance = new Provenance { Source = source, CommandLine = commandLine, ToolVersion = Core.ToolInfo.Version },
            Calibration = new CalibrationInfo { Count = calib.Count, Source = $"{train.Source}, {calib.Count} images, seed {BnRecalibration.Seed}" },
            Holdout = holdout,
        };
        return new OfaPackage(manifest, net.ToTensorSet("trained supernet"), null, calibration);
    }

    /// <summary>The package's supernet as a TorchSharp module, and its normalisation.</summary>
    public static (OfaMobileNetV3 Net, Normalization Norm) Load(OfaPackage package)
    {
        var net = new OfaMobileNetV3(package.Manifest.Space);
        net.Load(package.Weights);
        var n = package.Manifest.Normalization;
        return (net, new Normalization(n.Mean.Select(x => (float)x).ToArray(), n.Std.Select(x => (float)x).ToArray()));
    }

    /// <summary>
    /// Calibration images to store: <paramref name="requested"/>, but at most 32 MB of them, since photos are
    /// stored at the largest resolution / 0.875 (e.g. 3x183x183 bytes at r 160: 335 images).
    /// </summary>
    public static int CalibrationImagesFor(ImageDataset train, int requested) =>
        Math.Max(1, Math.Min(requested, (32 << 20) / train.ImageSize));
}
