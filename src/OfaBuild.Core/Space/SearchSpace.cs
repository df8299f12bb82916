namespace OfaBuild.Core.Space;

/// <summary>
/// An OFA-MobileNetV3 search space as data (DESIGN.md, "Space"). Widths are resolved
/// (already multiplied by the width multiplier and rounded), so a space read from a
/// <c>.ofa</c> manifest needs no preset to be understood.
/// </summary>
public sealed record SearchSpace
{
    public required string Name { get; init; }
    public required int InputChannels { get; init; }
    public required int NumClasses { get; init; }
    /// <summary>Informational: the multiplier the widths were derived with.</summary>
    public double WidthMult { get; init; } = 1.0;

    /// <summary>First 3x3 convolution (BN, h-swish).</summary>
    public required int FirstConvWidth { get; init; }
    public int FirstConvStride { get; init; } = 2;

    /// <summary>Fixed first block: depthwise 3x3, expand 1, stride 1, identity skip when widths agree.</summary>
    public required int FirstBlockWidth { get; init; }
    public Activation FirstBlockActivation { get; init; } = Activation.Relu;

    public required IReadOnlyList<StageSpec> Stages { get; init; }

    /// <summary>Final 1x1 expand (BN, h-swish) before global average pooling.</summary>
    public required int FinalExpandWidth { get; init; }
    /// <summary>1x1 "feature mix" after pooling (no BN, no bias, h-swish).</summary>
    public required int FeatureMixWidth { get; init; }

    public required IReadOnlyList<int> KernelSizes { get; init; }
    public required IReadOnlyList<int> ExpandRatios { get; init; }
    public required IReadOnlyList<int> Depths { get; init; }
    public required IReadOnlyList<int> Resolutions { get; init; }

    public int MaxDepth => Depths.Max();
    public int MaxKernel => KernelSizes.Max();
    public int MaxExpand => ExpandRatios.Max();
    public int SlotCount => Stages.Count * MaxDepth;

    /// <summary>Every elastic block slot with its fixed shape (widths, stride, activation, SE).</summary>
    public IReadOnlyList<BlockSlot> Slots => _slots ??= BuildSlots();
    private IReadOnlyList<BlockSlot>? _slots;

    private BlockSlot[] BuildSlots()
    {
        var slots = new List<BlockSlot>();
        int inChannels = FirstBlockWidth;
        for (int s = 0; s < Stages.Count; s++)
        {
            var stage = Stages[s];
            for (int j = 0; j < MaxDepth; j++)
            {
                slots.Add(new BlockSlot(
                    Index: slots.Count, Stage: s, IndexInStage: j,
                    InChannels: j == 0 ? inChannels : stage.Width,
                    OutChannels: stage.Width,
                    Stride: j == 0 ? stage.Stride : 1,
                    Activation: stage.Activation, UseSe: stage.UseSe));
            }
            inChannels = stage.Width;
        }
        return slots.ToArray();
    }

    /// <summary>Checks the space itself is well formed; names the field that is not.</summary>
    public void Validate()
    {
        void Require(bool ok, string what)
        {
            if (!ok) throw new OfaException($"Search space '{Name}': {what}.");
        }
        Require(!string.IsNullOrWhiteSpace(Name), "name is empty");
        Require(InputChannels is >= 1 and <= 64, $"input_channels {InputChannels} is outside 1..64");
        Require(NumClasses is >= 1 and <= 100_000, $"num_classes {NumClasses} is outside 1..100000");
        Require(FirstConvWidth is >= 1 and <= 4096, "first_conv_width is outside 1..4096");
        Require(FirstConvStride is 1 or 2, "first_conv_stride must be 1 or 2");
        Require(FirstBlockWidth is >= 1 and <= 4096, "first_block_width is outside 1..4096");
        Require(Stages is { Count: >= 1 and <= 8 }, "stages must list 1..8 stages");
        foreach (var st in Stages)
        {
            Require(st.Width is >= 1 and <= 4096, $"stage width {st.Width} is outside 1..4096");
            Require(st.Stride is 1 or 2, $"stage stride {st.Stride} must be 1 or 2");
        }
        Require(FinalExpandWidth is >= 1 and <= 16384, "final_expand_width is outside 1..16384");
        Require(FeatureMixWidth is >= 1 and <= 16384, "feature_mix_width is outside 1..16384");
        Require(KernelSizes is { Count: >= 1 } && KernelSizes.All(k => k is 3 or 5 or 7) && IsSortedDistinct(KernelSizes),
            "kernel_sizes must be an ascending subset of {3, 5, 7}");
        Require(KernelSizes.Contains(MaxKernel) && (MaxKernel == 3 || KernelSizes.Contains(MaxKernel - 2) || KernelSizes.Count == 1),
            "kernel_sizes must be consecutive (3,5,7 / 5,7 / 3,5) so the kernel transforms chain");
        Require(ExpandRatios is { Count: >= 1 } && ExpandRatios.All(e => e is >= 1 and <= 8) && IsSortedDistinct(ExpandRatios),
            "expand_ratios must be ascending values in 1..8");
        Require(Depths is { Count: >= 1 } && Depths.All(d => d is >= 1 and <= 8) && IsSortedDistinct(Depths),
            "depths must be ascending values in 1..8");
        Require(Resolutions is { Count: >= 1 } && Resolutions.All(r => r is >= 8 and <= 1024) && IsSortedDistinct(Resolutions),
            "resolutions must be ascending values in 8..1024");
    }

    private static bool IsSortedDistinct(IReadOnlyList<int> xs)
    {
        for (int i = 1; i < xs.Count; i++) if (xs[i] <= xs[i - 1]) return false;
        return true;
    }
}

/// <summary>The fixed shape of one elastic block slot; <see cref="Index"/> is 0..SlotCount-1 (reference: blocks[Index + 1]).</summary>
public sealed record BlockSlot(int Index, int Stage, int IndexInStage, int InChannels, int OutChannels,
    int Stride, Activation Activation, bool UseSe)
{
    /// <summary>Identity shortcut iff stride 1 and in == out (the reference's rule).</summary>
    public bool HasResidual => Stride == 1 && InChannels == OutChannels;
    public int MiddleChannels(int expandRatio) => Channels.Middle(InChannels, expandRatio);
}
