using System.Globalization;

namespace OfaBuild.Core.Latency;

/// <summary>The layer kinds a latency table has entries for, with the reference's key names.</summary>
public enum LayerKind
{
    /// <summary>"Conv": the first 3x3 convolution.</summary>
    FirstConv,
    /// <summary>"expanded_conv": an inverted-residual block (also the fixed first block, with mid = input channels).</summary>
    Block,
    /// <summary>"Conv_1": the final 1x1 expand.</summary>
    FinalExpand,
    /// <summary>"AvgPool2D": global average pooling.</summary>
    Pool,
    /// <summary>"Conv_2": the 1x1 feature mix after pooling.</summary>
    FeatureMix,
    /// <summary>"Logits": the linear classifier.</summary>
    Classifier,
}

/// <summary>
/// One layer of a subnet as a latency table sees it: kind, input HxWxC, output HxWxC, and for blocks the
/// middle width, kernel, stride, identity skip, SE and h-swish. <see cref="Key"/> is the reference's LUT key
/// (ofa/nas/efficiency_predictor/latency_lookup_table.py), e.g.
/// <c>expanded_conv-input:112x112x24-output:56x56x24-expand:72-kernel:3-stride:2-idskip:0-se:0-hs:0</c>.
/// </summary>
public readonly record struct LayerShape(LayerKind Kind, int InH, int InW, int InC, int OutH, int OutW, int OutC,
    int Mid = 0, int Kernel = 0, int Stride = 1, bool IdSkip = false, bool Se = false, bool HSwish = false)
{
    public static string KindName(LayerKind kind) => kind switch
    {
        LayerKind.FirstConv => "Conv",
        LayerKind.Block => "expanded_conv",
        LayerKind.FinalExpand => "Conv_1",
        LayerKind.Pool => "AvgPool2D",
        LayerKind.FeatureMix => "Conv_2",
        LayerKind.Classifier => "Logits",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public string Key
    {
        get
        {
            var inv = CultureInfo.InvariantCulture;
            string input = string.Create(inv, $"input:{InH}x{InW}x{InC}");
            // The reference writes the classifier's output as a 1-D shape: "output:1000".
            string output = Kind == LayerKind.Classifier ? string.Create(inv, $"output:{OutC}") : string.Create(inv, $"output:{OutH}x{OutW}x{OutC}");
            string head = $"{KindName(Kind)}-{input}-{output}";
            if (Kind != LayerKind.Block) return head;
            return string.Create(inv, $"{head}-expand:{Mid}-kernel:{Kernel}-stride:{Stride}-idskip:{(IdSkip ? 1 : 0)}-se:{(Se ? 1 : 0)}-hs:{(HSwish ? 1 : 0)}");
        }
    }

    public override string ToString() => Key;
}

/// <summary>The layers of a subnet in execution order, and every layer shape a space can contain.</summary>
public static class NetworkShapes
{
    /// <summary>Output size of a convolution with padding k/2 (the reference's (size - 1) // stride + 1).</summary>
    public static int OutSize(int size, int stride) => (size - 1) / stride + 1;

    /// <summary>Stem: first conv and the fixed first block, at resolution <paramref name="r"/>.</summary>
    public static IEnumerable<LayerShape> Stem(SearchSpace space, int r)
    {
        int c0 = space.FirstConvWidth, c1 = space.FirstBlockWidth;
        int f = OutSize(r, space.FirstConvStride);
        yield return new LayerShape(LayerKind.FirstConv, r, r, space.InputChannels, f, f, c0);
        yield return new LayerShape(LayerKind.Block, f, f, c0, f, f, c1, Mid: c0, Kernel: 3, Stride: 1,
            IdSkip: c0 == c1, Se: false, HSwish: space.FirstBlockActivation == Activation.HSwish);
    }

    /// <summary>Feature-map size at the input of every slot for resolution <paramref name="r"/> (depth does not change it: a stage's first block always runs).</summary>
    public static int[] SlotInputSizes(SearchSpace space, int r)
    {
        var sizes = new int[space.SlotCount];
        int f = OutSize(r, space.FirstConvStride);
        foreach (var slot in space.Slots)
        {
            sizes[slot.Index] = f;
            f = OutSize(f, slot.Stride);
        }
        return sizes;
    }

    public static int FinalSize(SearchSpace space, int r)
    {
        int f = OutSize(r, space.FirstConvStride);
        foreach (var st in space.Stages) f = OutSize(f, st.Stride);
        return f;
    }

    public static LayerShape Block(BlockSlot slot, int inSize, int kernel, int expand)
    {
        int o = OutSize(inSize, slot.Stride);
        return new LayerShape(LayerKind.Block, inSize, inSize, slot.InChannels, o, o, slot.OutChannels,
            Mid: slot.MiddleChannels(expand), Kernel: kernel, Stride: slot.Stride, IdSkip: slot.HasResidual,
            Se: slot.UseSe, HSwish: slot.Activation == Activation.HSwish);
    }

    /// <summary>Final expand, pooling, feature mix and classifier.</summary>
    public static IEnumerable<LayerShape> Head(SearchSpace space, int r)
    {
        int f = FinalSize(space, r);
        int last = space.Stages[^1].Width, fe = space.FinalExpandWidth, fm = space.FeatureMixWidth;
        yield return new LayerShape(LayerKind.FinalExpand, f, f, last, f, f, fe);
        yield return new LayerShape(LayerKind.Pool, f, f, fe, 1, 1, fe);
        yield return new LayerShape(LayerKind.FeatureMix, 1, 1, fe, 1, 1, fm);
        yield return new LayerShape(LayerKind.Classifier, 1, 1, fm, 1, 1, space.NumClasses);
    }

    /// <summary>Every layer <paramref name="config"/> runs, in order.</summary>
    public static IEnumerable<LayerShape> Of(SearchSpace space, SubnetConfig config)
    {
        foreach (var l in Stem(space, config.R)) yield return l;
        var sizes = SlotInputSizes(space, config.R);
        foreach (var slot in space.Slots)
            if (config.IsActive(space, slot.Index))
                yield return Block(slot, sizes[slot.Index], config.Ks[slot.Index], config.E[slot.Index]);
        foreach (var l in Head(space, config.R)) yield return l;
    }

    /// <summary>Every distinct layer shape a subnet of the space can contain (what `ofa profile` times), in a stable order.</summary>
    public static IReadOnlyList<LayerShape> All(SearchSpace space)
    {
        var seen = new HashSet<LayerShape>();
        var list = new List<LayerShape>();
        void Add(LayerShape s) { if (seen.Add(s)) list.Add(s); }
        foreach (int r in space.Resolutions)
        {
            foreach (var l in Stem(space, r)) Add(l);
            var sizes = SlotInputSizes(space, r);
            foreach (var slot in space.Slots)
                foreach (int k in space.KernelSizes)
                    foreach (int e in space.ExpandRatios)
                        Add(Block(slot, sizes[slot.Index], k, e));
            foreach (var l in Head(space, r)) Add(l);
        }
        return list;
    }
}
