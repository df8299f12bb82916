using System.Globalization;

namespace OfaBuild.Core.Accuracy;

/// <summary>
/// What both encodings share (<see cref="ArchEncoder"/>, <see cref="TutorialArchEncoder"/>): the space's block slots,
/// per active slot a kernel one-hot, then per active slot an expand-ratio one-hot; and the <c>scheme;name=value;...</c>
/// description each stores with the predictor. They differ in where and how they encode the resolution.
/// </summary>
public abstract class BlockSlotEncoding
{
    public int Stages { get; }
    public int MaxDepth { get; }
    public IReadOnlyList<int> KernelSizes { get; }
    public IReadOnlyList<int> ExpandRatios { get; }

    public int SlotCount => Stages * MaxDepth;

    /// <summary>The most ones a row can have: a kernel and an expand ratio per slot, and the resolution.</summary>
    public int MaxActiveFeatures => 2 * SlotCount + 1;

    /// <summary>How many features the slots' kernel and expand one-hots take.</summary>
    private protected int SlotFeatures => SlotCount * (KernelSizes.Count + ExpandRatios.Count);

    /// <summary>Whether there is a slot to encode and a choice for each (each encoding refuses otherwise, in its own words).</summary>
    private protected bool HasSlots => Stages >= 1 && MaxDepth >= 1 && KernelSizes.Count > 0 && ExpandRatios.Count > 0;

    private protected BlockSlotEncoding(int stages, int maxDepth, IReadOnlyList<int> kernelSizes, IReadOnlyList<int> expandRatios) =>
        (Stages, MaxDepth, KernelSizes, ExpandRatios) = (stages, maxDepth, kernelSizes.ToArray(), expandRatios.ToArray());

    /// <summary>
    /// Writes, from <paramref name="offset"/>, the indices of the kernel ones of the active slots, then of their expand
    /// ones; returns the new count.
    /// </summary>
    private protected int WriteSlotOneHots(SubnetConfig config, int offset, Span<int> indices, int n)
    {
        int slots = SlotCount;
        if (config.Ks.Length != slots || config.E.Length != slots || config.D.Length != Stages)
            throw new OfaException($"Subnet config has {config.Ks.Length} kernel, {config.E.Length} expand and {config.D.Length} depth values; the predictor's encoding expects {slots}, {slots} and {Stages}.");
        for (int slot = 0; slot < slots; slot++)
            if (config.IsActive(MaxDepth, slot))
                indices[n++] = offset + slot * KernelSizes.Count + IndexOf(KernelSizes, config.Ks[slot], "kernel");
        int expandOffset = offset + slots * KernelSizes.Count;
        for (int slot = 0; slot < slots; slot++)
            if (config.IsActive(MaxDepth, slot))
                indices[n++] = expandOffset + slot * ExpandRatios.Count + IndexOf(ExpandRatios, config.E[slot], "expand ratio");
        return n;
    }

    private protected static int IndexOf(IReadOnlyList<int> values, int v, string what)
    {
        for (int i = 0; i < values.Count; i++) if (values[i] == v) return i;
        throw new OfaException($"The accuracy predictor was trained for {what} values {{{string.Join(", ", values)}}}; {v} is not one of them (predict only subnets of the space it was trained on).");
    }

    /// <summary>The description's fields both encodings write first: scheme, stages, max_depth, ks, e.</summary>
    private protected IEnumerable<string> DescribeSlots(string scheme) =>
    [
        scheme,
        string.Create(CultureInfo.InvariantCulture, $"stages={Stages}"),
        string.Create(CultureInfo.InvariantCulture, $"max_depth={MaxDepth}"),
        "ks=" + SchemeDescription.List(KernelSizes),
        "e=" + SchemeDescription.List(ExpandRatios),
    ];

    /// <summary>
    /// Reads a description back: refuses another scheme or feature order, and returns its integer fields by name.
    /// Errors are <see cref="OfaFormatException"/>s naming <paramref name="source"/>.
    /// </summary>
    private protected static Func<string, int[]> ReadDescription(string description, string scheme, string order, string source)
    {
        var fields = SchemeDescription.Fields(description, scheme, source);
        if (fields.TryGetValue("order", out var o) && o != order)
            throw new OfaFormatException($"{source}: encoding order '{o}' is not '{order}'.");
        return name => SchemeDescription.Ints(fields, name, scheme, source);
    }
}
