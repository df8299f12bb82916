using OfaBuild.Core.Calibration;
using OfaBuild.Core.Packaging;

namespace OfaBuild.Core.Quantization;

/// <summary>
/// A subnet of a package as fp32 and int8 ONNX: the calibrated fp32 export (<see cref="CalibratedSubnet"/>),
/// then quantised with activation ranges from the same calibration images.
/// </summary>
public static class SubnetQuantization
{
    public static (byte[] Fp32, byte[] Int8) Export(OfaPackage package, SubnetConfig config, string source, string producerVersion = "", Int8Scheme scheme = Int8Scheme.All)
    {
        var (fp32, calibration) = CalibratedSubnet.ExportFp32(package, config, producerVersion);
        return (fp32, Quantize(fp32, calibration, config.R, source, source, scheme));
    }

    /// <summary>
    /// Static int8 (QDQ) of an exported fp32 subnet at input resolution <paramref name="resolution"/>, of the package at
    /// <paramref name="modelPath"/> (named in the fix when it has no calibration images); errors start with <paramref name="source"/>.
    /// </summary>
    public static byte[] Quantize(byte[] fp32, CalibrationInputs? calibration, int resolution, string modelPath, string source, Int8Scheme scheme = Int8Scheme.All)
    {
        if (calibration is null)
            throw new OfaException($"{source}: the package has no calibration images, which int8 quantisation needs for its activation ranges. "
                + $"`ofa train` and `ofa init` write them into the package; add them to one imported from a checkpoint with {PackageCalibration.AddCommand(modelPath)}.");
        // Small batches: every quantised activation is an output during calibration (MBV3 at 224: ~40 MB per image).
        int batch = Math.Max(1, 100_000 / (resolution * resolution));
        return QdqQuantizer.Quantize(fp32, calibration.Data, calibration.Count, batch, scheme: scheme);
    }
}
