using OfaBuild.Core.Packaging;

namespace OfaBuild.Core.Accuracy;

/// <summary>
/// How an accuracy predictor turns a subnet config into its one-hot input row. Predictors trained by OfaBuild
/// use <see cref="ArchEncoder"/>; the OFA tutorial's ImageNet predictor uses <see cref="TutorialArchEncoder"/>.
/// The package records which one (<see cref="PredictorInfo.Encoding"/>), so every consumer reads it the same way.
/// </summary>
public interface IArchEncoding
{
    /// <summary>Length of the input row.</summary>
    int Length { get; }

    /// <summary>The most ones a row can have.</summary>
    int MaxActiveFeatures { get; }

    /// <summary>Writes the indices of the ones of <paramref name="config"/> in ascending order; returns how many.</summary>
    int ActiveFeatures(SubnetConfig config, Span<int> indices);

    /// <summary>One line naming the scheme and its parameters, stored in the package and parsed by <see cref="ArchEncodings.Parse"/>.</summary>
    string Describe();

    /// <summary>
    /// Whether the predictor was trained on subnets at <paramref name="resolution"/>: an input it never saw gives a number,
    /// not a prediction, so the search keeps to the resolutions it scores. OfaBuild's predictors score their whole space.
    /// </summary>
    bool Scores(int resolution) => true;
}

public static class ArchEncodings
{
    /// <summary>The encoding a description names (<see cref="IArchEncoding.Describe"/>).</summary>
    public static IArchEncoding Parse(string description, string source = "predictor") =>
        description.StartsWith(TutorialArchEncoder.Scheme + ";", StringComparison.Ordinal)
            ? TutorialArchEncoder.Parse(description, source)
            : ArchEncoder.Parse(description, source);

    /// <summary>
    /// The encoding of a package's predictor: the one its manifest records when it names a known scheme, else
    /// (packages written before the encoding was recorded exactly) OfaBuild's own for the space.
    /// </summary>
    public static IArchEncoding For(PredictorInfo? info, SearchSpace space) =>
        info?.Encoding is { } d && (d.StartsWith(TutorialArchEncoder.Scheme + ";", StringComparison.Ordinal) || d.StartsWith(ArchEncoder.Scheme + ";", StringComparison.Ordinal))
            ? Parse(d, "manifest.json predictor.encoding")
            : ArchEncoder.For(space);

    /// <summary>Encodes a dense row (for tests and training).</summary>
    public static float[] Encode(this IArchEncoding encoding, SubnetConfig config)
    {
        var row = new float[encoding.Length];
        encoding.Encode(config, row);
        return row;
    }

    /// <summary>Encodes a dense row into <paramref name="row"/>, which has <see cref="IArchEncoding.Length"/> values.</summary>
    public static void Encode(this IArchEncoding encoding, SubnetConfig config, Span<float> row)
    {
        if (row.Length != encoding.Length) throw new ArgumentException($"Row has {row.Length} values; the encoding has {encoding.Length}.");
        row.Clear();
        Span<int> idx = stackalloc int[encoding.MaxActiveFeatures];
        int n = encoding.ActiveFeatures(config, idx);
        for (int i = 0; i < n; i++) row[idx[i]] = 1f;
    }
}
