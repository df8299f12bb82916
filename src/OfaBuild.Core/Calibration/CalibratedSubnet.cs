using OfaBuild.Core.Extraction;
using OfaBuild.Core.Onnx;
using OfaBuild.Core.Packaging;

namespace OfaBuild.Core.Calibration;

/// <summary>The package's calibration images prepared as a subnet's input: what BN recalibration and int8 activation ranges both see.</summary>
public sealed record CalibrationInputs(float[] Data, int Count)
{
    /// <summary>The images cropped, resized to <paramref name="resolution"/> and normalised as the package says; null when it has none.</summary>
    public static CalibrationInputs? Of(OfaPackage package, int resolution)
    {
        if (package.Calibration is not { } cal) return null;
        var images = cal[OfaPackage.CalibrationImages];
        int n = images.Shape[0];
        var norm = package.Manifest.Normalization;
        return new(OfaBuild.Runtime.ImageInput.Prepare(images.Bytes, n, images.Shape[1], images.Shape[2], images.Shape[3], resolution, norm.Mean, norm.Std, centerCrop: norm.Crop), n);
    }
}

/// <summary>
/// A subnet as the build ships it in fp32: extracted, BN statistics recalibrated on the package's calibration
/// images (when it has them), exported to ONNX with BN folded. One rule for `ofa specialize` and `ofa quantize`.
/// </summary>
public static class CalibratedSubnet
{
    /// <returns>The ONNX bytes and the calibration inputs used (null: the supernet's running statistics were kept).</returns>
    public static (byte[] Onnx, CalibrationInputs? Calibration) ExportFp32(OfaPackage package, SubnetConfig config, string producerVersion = "")
    {
        var subnet = SubnetExtractor.Extract(package.Manifest.Space, package.Weights, config);
        var calibration = CalibrationInputs.Of(package, config.R);
        if (calibration is not null)
            subnet = BatchNormRecalibration.Recalibrate(subnet, calibration.Data, calibration.Count);
        return (SubnetOnnxExporter.Export(subnet, producerVersion: producerVersion), calibration);
    }
}
