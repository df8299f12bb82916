using OfaBuild.Contracts;
using OfaBuild.Core.Data;
using OfaBuild.Core.Tensors;

namespace OfaBuild.Core.Packaging;

/// <summary>
/// The calibration images a package stores (BN recalibration and int8 activation ranges at build time): a fixed random
/// subset of some images drawn with the BN-recalibration seed, at most 32 MB of them. `ofa train` stores training
/// images; `ofa import --calibration` a folder of the user's for a checkpoint trained elsewhere.
/// </summary>
public static class PackageCalibration
{
    public const int DefaultImages = 500;
    private const int MaxBytes = 32 << 20;

    /// <summary>The command that adds calibration images to the package at <paramref name="packagePath"/> (one imported from a checkpoint has none).</summary>
    public static string AddCommand(string packagePath) =>
        $"`ofa import --model {ShellWord.Quote(packagePath)} --calibration <a folder of your images> -o {ShellWord.Quote(packagePath)}`";

    /// <summary>
    /// Images to store: <paramref name="requested"/>, but at most 32 MB of them, since photos are stored at the largest
    /// resolution / 0.875 (e.g. 3x183x183 bytes at r 160: 335 images).
    /// </summary>
    public static int ImagesFor(ImageDataset images, int requested) => Math.Max(1, Math.Min(requested, MaxBytes / images.ImageSize));

    /// <summary>
    /// <paramref name="count"/> of <paramref name="images"/> (U8 [N, C, H, W]) with their labels (I64 [N]) as
    /// calibration.safetensors holds them, and the manifest's record of them.
    /// </summary>
    public static (TensorSet Tensors, CalibrationInfo Info) Draw(ImageDataset images, int count)
    {
        var chosen = images.Subset(CalibrationSubset.Indices(images.Count, count));
        var tensors = new TensorSet("calibration");
        tensors.Add(OfaPackage.CalibrationImages, Tensor.FromBytes(DType.U8, [chosen.Count, chosen.Channels, chosen.Height, chosen.Width], chosen.Pixels));
        var labels = new byte[chosen.Count * 8];
        for (int i = 0; i < chosen.Count; i++) BitConverter.TryWriteBytes(labels.AsSpan(i * 8), (long)chosen.Labels[i]);
        tensors.Add(OfaPackage.CalibrationLabels, Tensor.FromBytes(DType.I64, [chosen.Count], labels));
        return (tensors, new CalibrationInfo { Count = chosen.Count, Source = $"{images.Source}, {chosen.Count} images, seed {CalibrationSubset.Seed}" });
    }
}
