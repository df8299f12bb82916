using System.Globalization;
using System.Security.Cryptography;

namespace OfaBuild.Core.Data;

/// <summary>
/// The images kept out of training for the phase evaluations, `ofa measure` and `ofa eval --split holdout`
/// (the paper holds 10,000 ImageNet training images out the same way). The choice is a pure function of the
/// dataset size, the count and the seed, and the package records all three with a hash of the indices.
/// </summary>
public static class HoldoutSplit
{
    public const int Seed = 1908_09791; // the paper's arXiv number

    /// <summary>Fashion-MNIST: 10,000 of the 60,000 training images, as the paper does with ImageNet.</summary>
    public const int FashionMnistImages = 10_000;

    /// <summary>"10000" (images) or "0.1" / "10%" (a fraction of the training images).</summary>
    public static int ParseCount(string text, int datasetCount)
    {
        text = text.Trim();
        double value;
        bool percent = text.EndsWith('%');
        if (!double.TryParse(percent ? text[..^1] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || value < 0)
            throw new OfaException($"--holdout '{text}': give a number of images (10000), a fraction (0.1) or a percentage (10%).");
        int n = percent ? (int)Math.Round(value / 100 * datasetCount)
            : value < 1 ? (int)Math.Round(value * datasetCount)
            : value == Math.Floor(value) ? (int)value
            : throw new OfaException($"--holdout '{text}': a count of images must be a whole number.");
        if (n >= datasetCount)
            throw new OfaException($"--holdout {text} keeps {n} of {datasetCount} training images out; leave some to train on.");
        return n;
    }

    /// <summary>The held-out indices (ascending): the first <paramref name="count"/> of a seeded permutation of 0..datasetCount-1.</summary>
    public static int[] Indices(int datasetCount, int count, int seed = Seed)
    {
        var perm = Enumerable.Range(0, datasetCount).ToArray();
        new Random(seed).Shuffle(perm);
        var held = perm[..count];
        Array.Sort(held);
        return held;
    }

    /// <summary>Splits <paramref name="data"/> into the training part and the held-out part.</summary>
    public static (ImageDataset Train, ImageDataset Holdout, int[] Indices) Split(ImageDataset data, int count, int seed = Seed)
    {
        var held = Indices(data.Count, count, seed);
        var keep = new bool[data.Count];
        foreach (var i in held) keep[i] = true;
        var train = Enumerable.Range(0, data.Count).Where(i => !keep[i]).ToArray();
        return (data.Subset(train, $"{data.Source} without the hold-out"), data.Subset(held, $"{data.Source} hold-out"), held);
    }

    /// <summary>SHA-256 of the indices as little-endian int32, lower-case hex: what the package records to recognise them.</summary>
    public static string Hash(IReadOnlyList<int> indices)
    {
        var bytes = new byte[indices.Count * 4];
        for (int i = 0; i < indices.Count; i++) BitConverter.TryWriteBytes(bytes.AsSpan(i * 4), indices[i]);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }
}
