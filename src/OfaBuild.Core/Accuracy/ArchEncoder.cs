using System.Globalization;
using OfaBuild.Core.Space;

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
    private int ExpandOffset => Resolutions.Count + SlotCount * KernelSizes.Count;

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
        if (config.Ks.Length != SlotCount || config.E.Length != SlotCount || config.D.Length != Stages)
            throw new OfaException($"Subnet config has {config.Ks.Length} kernel, {config.E.Length} expand and {config.D.Length} depth values; the predictor's encoding expects {SlotCount}, {SlotCount} and {Stages}.");
        int n = 0;
        indices[n++] = IndexOf(Resolutions, config.R, "resolution");
        for (int slot = 0; slot < SlotCount; slot++)
            if (config.IsActive(MaxDepth, slot))
                indices[n++] = KernelOffset + slot * KernelSizes.Count + IndexOf(KernelSizes, config.Ks[slot], "kernel");
        for (int slot = 0; slot < SlotCount; slot++)
            if (config.IsActive(MaxDepth, slot))
                indices[n++] = ExpandOffset + slot * ExpandRatios.Count + IndexOf(ExpandRatios, config.E[slot], "expand ratio");
        return n;
    }

    /// <summary>The most ones a row can have: the resolution plus a kernel and an expand ratio per slot.</summary>
    public int MaxActiveFeatures => 1 + 2 * SlotCount;

    public void Encode(SubnetConfig config, Span<float> row)
    {
        if (row.Length != Length) throw new ArgumentException($"Row has {row.Length} values; the encoding has {Length}.");
        row.Clear();
        Span<int> idx = stackalloc int[MaxActiveFeatures];
        int n = ActiveFeatures(config, idx);
        for (int i = 0; i < n; i++) row[idx[i]] = 1f;
    }

    public float[] Encode(SubnetConfig config)
    {
        var row = new float[Length];
        Encode(config, row);
        return row;
    }

    private static int IndexOf(IReadOnlyList<int> values, int v, string what)
    {
        for (int i = 0; i < values.Count; i++) if (values[i] == v) return i;
        throw new OfaException($"The accuracy predictor was trained for {what} values {{{string.Join(", ", values)}}}; {v} is not one of them (predict only subnets of the space it was trained on).");
    }

    /// <summary>One line describing the layout, stored with the predictor weights and parsed back by <see cref="Parse"/>.</summary>
    public string Describe() => string.Join(';',
        Scheme,
        $"stages={Stages}",
        $"max_depth={MaxDepth}",
        $"ks={string.Join(',', KernelSizes)}",
        $"e={string.Join(',', ExpandRatios)}",
        $"r={string.Join(',', Resolutions)}",
        "order=r,ks,e");

    public static ArchEncoder Parse(string description, string source = "predictor")
    {
        var parts = description.Split(';');
        if (parts.Length == 0 || parts[0] != Scheme)
            throw new OfaFormatException($"{source}: encoding '{description}' is not '{Scheme}'; this version reads only that encoding.");
        var fields = new Dictionary<string, string>();
        foreach (var p in parts.Skip(1))
        {
            int eq = p.IndexOf('=');
            if (eq <= 0) throw new OfaFormatException($"{source}: encoding field '{p}' is not name=value.");
            fields[p[..eq]] = p[(eq + 1)..];
        }
        string Get(string name) => fields.TryGetValue(name, out var v) ? v
            : throw new OfaFormatException($"{source}: encoding description lacks '{name}='.");
        int[] Ints(string name)
        {
            try { return Get(name).Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(); }
            catch (FormatException) { throw new OfaFormatException($"{source}: encoding field '{name}' is not a list of integers."); }
        }
        if (fields.TryGetValue("order", out var order) && order != "r,ks,e")
            throw new OfaFormatException($"{source}: encoding order '{order}' is not 'r,ks,e'.");
        return new ArchEncoder(Ints("stages")[0], Ints("max_depth")[0], Ints("ks"), Ints("e"), Ints("r"));
    }
}
