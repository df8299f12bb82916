using System.Globalization;

namespace OfaBuild.Core.Accuracy;

/// <summary>
/// The reference's architecture encoding (ofa/nas/accuracy_predictor/arch_encoder.py, MobileNetArchEncoder):
/// one-hot resolution, then per block slot a one-hot kernel, then per block slot a one-hot expand ratio;
/// slots past their stage's depth stay zero. Length = |R| + SlotCount * (|K| + |E|).
/// Same layout as the reference, so a predictor trained there reads our features.
/// </summary>
public sealed class ArchEncoder : IArchEncoding
{
    public const string Scheme = "ofa-mbv3-onehot-v1";

    public int Stages { get; }
    public int MaxDepth { get; }
    public IReadOnlyList<int> KernelSizes { get; }
    public IReadOnlyList<int> ExpandRatios { get; }
    public IReadOnlyList<int> Resolutions { get; }

    public int SlotCount => Stages * MaxDepth;
    public int Length => Resolutions.Count + SlotCount * (KernelSizes.Count + ExpandRatios.Count);

    /// <summary>Offset of the first kernel feature (after the resolution one-hot).</summary>
    private int KernelOffset => Resolutions.Count;

    public ArchEncoder(int stages, int maxDepth, IReadOnlyList<int> kernelSizes, IReadOnlyList<int> expandRatios, IReadOnlyList<int> resolutions)
    {
        if (stages < 1 || maxDepth < 1 || kernelSizes.Count == 0 || expandRatios.Count == 0 || resolutions.Count == 0)
            throw new OfaException("Architecture encoder: stages, depth and the kernel, expand and resolution lists must be non-empty.");
        Stages = stages;
        MaxDepth = maxDepth;
        KernelSizes = kernelSizes.ToArray();
        ExpandRatios = expandRatios.ToArray();
        Resolutions = resolutions.ToArray();
    }

    public static ArchEncoder For(SearchSpace space) =>
        new(space.Stages.Count, space.MaxDepth, space.KernelSizes, space.ExpandRatios, space.Resolutions);

    /// <summary>Writes the indices of the ones of <paramref name="config"/> in ascending order; returns how many.</summary>
    public int ActiveFeatures(SubnetConfig config, Span<int> indices)
    {
        indices[0] = BlockSlots.IndexOf(Resolutions, config.R, "resolution");
        return BlockSlots.WriteOneHots(config, Stages, MaxDepth, KernelSizes, ExpandRatios, KernelOffset, indices, n: 1);
    }

    /// <summary>The most ones a row can have: the resolution plus a kernel and an expand ratio per slot.</summary>
    public int MaxActiveFeatures => 1 + 2 * SlotCount;

    /// <summary>One line describing the layout, stored with the predictor weights and parsed back by <see cref="Parse"/>.</summary>
    public string Describe() => string.Join(';',
        [.. BlockSlots.DescribeSlots(Scheme, Stages, MaxDepth, KernelSizes, ExpandRatios), "r=" + string.Join(',', Resolutions.Select(r => r.ToString(CultureInfo.InvariantCulture))), "order=r,ks,e"]);

    public static ArchEncoder Parse(string description, string source = "predictor")
    {
        var ints = BlockSlots.ReadDescription(description, Scheme, "r,ks,e", source);
        return new ArchEncoder(ints("stages")[0], ints("max_depth")[0], ints("ks"), ints("e"), ints("r"));
    }
}
