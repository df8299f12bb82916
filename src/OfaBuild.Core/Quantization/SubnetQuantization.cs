using OfaBuild.Core.Calibration;
using OfaBuild.Core.Extraction;
using OfaBuild.Core.Onnx;
using OfaBuild.Core.Packaging;
using OfaBuild.Core.Space;

namespace OfaBuild.Core.Quantization;

/// <summary>
/// A subnet of a package as fp32 and int8 ONNX: extract, recalibrate BN on the package's calibration
/// images, export (BN folded), then quantise with activation ranges from the same images.
/// </summary>
public static class SubnetQuantization
{
    public static (byte[] Fp32, byte[] Int8) Export(OfaPackage package, SubnetConfig config, string source, string producerVersion = "")
    {
        var space = package.Manifest.Space;
        if (package.Calibration is not { } cal)
            throw new OfaException($"{source}: the package has no calibration images, which int8 quantisation needs for its activation ranges. `ofa train` and `ofa init` write them into the package.");
        var images = cal[OfaPackage.CalibrationImages];
        int n = images.Shape[0];
        var norm = package.Manifest.Normalization;
        var inputs = OfaBuild.Runtime.ImageInput.Prepare(images.Bytes, n, images.Shape[1], images.Shape[2], images.Shape[3], config.R, norm.Mean, norm.Std, centerCrop: norm.Crop);
        var subnet = BatchNormRecalibration.Recalibrate(SubnetExtractor.Extract(space, package.Weights, config), inputs, n);
        var fp32 = SubnetOnnxExporter.Export(subnet, producerVersion: producerVersion);
        // Small batches: every quantised activation is an output during calibration (MBV3 at 224: ~40 MB per image).
        int batch = Math.Max(1, 100_000 / (config.R * config.R));
        return (fp32, QdqQuantizer.Quantize(fp32, inputs, n, batch));
    }
}
