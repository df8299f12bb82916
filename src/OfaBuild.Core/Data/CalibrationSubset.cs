namespace OfaBuild.Core.Data;

/// <summary>
/// The images BN statistics are recalibrated on: a fixed random subset of the training set, drawn with
/// the reference's seed (set_running_statistics uses 2000 images, seed 937162211).
/// </summary>
public static class CalibrationSubset
{
    public const int DefaultImages = 2000;
    public const int Seed = 937162211;

    public static int[] Indices(int datasetCount, int images = DefaultImages)
    {
        var perm = Enumerable.Range(0, datasetCount).ToArray();
        new Random(Seed).Shuffle(perm);
        return perm[..Math.Min(images, datasetCount)];
    }
}
