namespace OfaBuild.Core.Data;

/// <summary>How a dataset's training images are augmented.</summary>
public enum TrainAugmentation
{
    /// <summary>Random shift by up to 2 pixels and horizontal flip of the whole image (small, centred images such as Fashion-MNIST).</summary>
    ShiftFlip,
    /// <summary>The reference's RandomResizedCrop (area 8-100 %, aspect 3/4-4/3) and horizontal flip (photos).</summary>
    RandomResizedCrop,
}

/// <summary>
/// How images become network inputs: the training augmentation, and the centre crop of evaluation and BN
/// calibration (the fraction kept before resizing to the subnet's resolution; the package stores it as
/// normalization.center_crop).
/// </summary>
public sealed record InputPreprocessing(TrainAugmentation Augmentation, double CenterCrop)
{
    /// <summary>The reference's ImageNet evaluation: resize to r / 0.875, centre crop r.</summary>
    public const double ReferenceCenterCrop = 0.875;

    /// <summary>Fashion-MNIST and fixed-size PGM/PPM folders: shift and flip, whole image at evaluation.</summary>
    public static InputPreprocessing WholeImage { get; } = new(TrainAugmentation.ShiftFlip, 1.0);

    /// <summary>Photos (decoded image folders): the reference's transforms.</summary>
    public static InputPreprocessing Reference { get; } = new(TrainAugmentation.RandomResizedCrop, ReferenceCenterCrop);

    /// <summary>The preprocessing a package's recorded centre crop implies.</summary>
    public static InputPreprocessing FromCenterCrop(double crop) => crop < 1 ? Reference with { CenterCrop = crop } : WholeImage;
}
