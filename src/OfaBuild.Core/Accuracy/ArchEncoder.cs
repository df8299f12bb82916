namespace OfaBuild.Core.Accuracy;

/// <summary>
/// The reference's architecture encoding (ofa/nas/accuracy_predictor/arch_encoder.py, MobileNetArchEncoder):
/// one-hot resolution, then per block slot a one-hot kernel, then per block slot a one-hot expand ratio;
/// slots past their stage's depth stay zero. Length = |R| + SlotCount * (|K| + |E|).
/// Same layout as the reference, so a predictor trained there reads our features.
/// </summary>
public sealed class ArchEncoder : BlockSlotEncoding, IArchEncoding
{
    public const string Scheme = "ofa-mbv3-onehot-v1";

    public IReadOnlyList<int> Resolutions { get; }

    public int Length => Resolutions.Count + SlotFeatures;

    /// <summary>Offset of the first kernel feature (after the resolution one-hot).</summary>
    private int KernelOffset => Resolutions.Count;

    public ArchEncoder(int stages, int maxDepth, IReadOnlyList<int> kernelSizes, IReadOnlyList<int> expandRatios, IReadOnlyList<int> resolutions)
        : base(stages, maxDepth, kernelSizes, expandRatios)
    {
        if (!HasSlots || resolutions.Count == 0)
            throw new OfaException("Architecture encoder: stages, depth and the kernel, expand and resolution lists must be non-empty.");
        Resolutions = resolutions.ToArray();
    }

    public static ArchEncoder For(SearchSpace space) =>
        new(space.Stages.Count, space.MaxDepth, space.KernelSizes, space.ExpandRatios, space.Resolutions);

    /// <summary>Writes the indices of the ones of <paramref name="config"/> in ascending order; returns how many.</summary>
    public int ActiveFeatures(SubnetConfig config, Span<int> indices)
    {
        indices[0] = IndexOf(Resolutions, config.R, "resolution");
        return WriteSlotOneHots(config, KernelOffset, indices, n: 1);
    }

    /// <summary>One line describing the layout, stored with the predictor weights and parsed back by <see cref="Parse"/>.</summary>
    public string Describe() => string.Join(';',
        [.. DescribeSlots(Scheme), "r=" + SchemeDescription.List(Resolutions), "order=r,ks,e"]);

    public static ArchEncoder Parse(string description, string source = "predictor")
    {
        var ints = ReadDescription(description, Scheme, "r,ks,e", source);
        return new ArchEncoder(ints("stages")[0], ints("max_depth")[0], ints("ks"), ints("e"), ints("r"));
    }
}
