using System.Globalization;
using OfaBuild.Core.Data;
using OfaBuild.Core.Packaging;

namespace OfaBuild.Core.Measurement;

/// <summary>
/// Which images a top-1 was measured on: the dataset, the split ("holdout" or "test"), how many of its images (the
/// first <see cref="Images"/> of <see cref="SplitImages"/>) and, for a hold-out, how it was drawn, so a reader of
/// `fashion-mnist.measured.json` can tell held-out measurements (what the predictor may learn from) from test ones
/// (what only reports).
/// </summary>
public sealed record EvaluationImages
{
    public required string Dataset { get; init; }
    public required string Split { get; init; }
    public required int Images { get; init; }
    public required int SplitImages { get; init; }
    /// <summary>The package's recorded hold-out (count, of, seed, indices hash, or folder); null for the test split.</summary>
    public HoldoutInfo? Holdout { get; init; }
    /// <summary>How the images' pixels were read (<see cref="ImageDataset.Reading"/>); null for decoded images and Fashion-MNIST.</summary>
    public string? Reading { get; init; }

    /// <summary>The first <paramref name="images"/> images of <paramref name="split"/> ("holdout" or "test") of a dataset's splits.</summary>
    public static (EvaluationImages Description, ImageDataset Images) Take(DatasetSplits splits, string dataset, string split, int images)
    {
        var all = splits.Get(split);
        var first = all.Subset(Enumerable.Range(0, Math.Min(images, all.Count)).ToArray(), all.Source);
        var normalized = DatasetSplits.Canonical(split);
        return (new EvaluationImages
        {
            Dataset = dataset,
            Split = normalized,
            Images = first.Count,
            SplitImages = all.Count,
            Holdout = normalized == "holdout" ? splits.HoldoutInfo : null,
            Reading = all.Reading,
        }, first);
    }

    /// <summary>The split the predictor's data is measured on: the hold-out when the package records one, else the test split.</summary>
    public static string DefaultSplit(DatasetSplits splits) => splits.Holdout is null ? "test" : "holdout";

    /// <summary>
    /// Binomial standard error of a top-1 near <paramref name="top1"/> measured on <paramref name="images"/> images, in
    /// points: the measurement's own noise (0.29 points at 91 % on 10,000 images).
    /// </summary>
    public static double StandardErrorPoints(double top1, int images)
    {
        double p = Math.Clamp(top1, 0, 1);
        return images > 0 ? 100 * Math.Sqrt(p * (1 - p) / images) : double.PositiveInfinity;
    }

    /// <summary>
    /// A warning when subnets' top-1 measured on these images vary no more than one measurement does (their standard
    /// deviation at most <see cref="StandardErrorPoints"/> at their mean): a predictor trained on them would learn mostly
    /// noise. Null when they vary more, or for fewer than two subnets.
    /// </summary>
    public string? NoiseWarning(IReadOnlyCollection<double> top1)
    {
        if (top1.Count < 2) return null;
        double mean = top1.Average();
        double spread = 100 * Math.Sqrt(top1.Sum(t => (t - mean) * (t - mean)) / (top1.Count - 1));
        double noise = StandardErrorPoints(mean, Images);
        if (spread > noise) return null;
        string more = Images < SplitImages ? string.Create(CultureInfo.InvariantCulture, $"`--eval-images {SplitImages}` (the whole {Split} split)")
            : Holdout?.Folder is { } folder ? $"more images in its {folder}/ folder"
            : Split == "holdout" ? "a larger hold-out, which `ofa train --holdout` sets when the supernet is trained"
            : "more test images";
        return string.Create(CultureInfo.InvariantCulture,
            $"the {top1.Count} subnets' top-1 vary by {spread:F2} points (standard deviation), no more than one top-1 measured on {Images} images does ({noise:F2} points, the binomial standard error at {mean:P1}): a predictor trained on them learns mostly noise. Measure on more images: {more}.");
    }

    /// <summary>
    /// The images as a line reads them after "on": "all 10000 holdout images of ..." when they are the whole split, else
    /// "the first 15 of the 20 ...". <see cref="ToString"/> keeps the wording .ofa files and measured files hold.
    /// </summary>
    public string Shown() => Shown(ToString());

    /// <summary>
    /// A description as <see cref="ToString"/> wrote it (a package's recorded evaluation, old ones included), shown as
    /// <see cref="Shown()"/> shows one: "first 10000 of the 10000 holdout images" reads "all 10000 holdout images".
    /// </summary>
    public static string Shown(string recorded)
    {
        var m = WholeSplit.Match(recorded);
        return m.Success ? $"all {m.Groups[1].Value} {recorded[m.Length..]}" : "the " + recorded;
    }

    private static readonly System.Text.RegularExpressions.Regex WholeSplit = new(@"^first (\d+) of the \1 ", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        var text = string.Create(inv, $"first {Images} of the {SplitImages} {Split} images of {Dataset}");
        if (Holdout is { } h)
            text += h.Folder is { } folder
                ? $" (the {folder}/ folder)"
                : string.Create(inv, $" (held out of {h.Of} training images, seed {h.Seed}, indices sha256 {h.IndicesSha256?[..12]}...)");
        return Reading is { } reading ? $"{text}, {reading}" : text;
    }
}
