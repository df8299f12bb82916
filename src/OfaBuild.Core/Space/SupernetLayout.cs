using OfaBuild.Core.Tensors;

namespace OfaBuild.Core.Space;

/// <summary>
/// The supernet's tensors for a space, with the reference's state-dict names
/// (<c>blocks.5.conv.depth_conv.conv.7to5_matrix</c>, ...), so a checkpoint imported from PyTorch
/// and one trained here are the same thing.
/// </summary>
public static class SupernetLayout
{
    public static readonly string[] BnFields = ["weight", "bias", "running_mean", "running_var"];

    /// <summary>Name prefix of elastic slot <paramref name="slot"/> (blocks.0 is the fixed first block).</summary>
    public static string Block(int slot) => $"blocks.{slot + 1}.conv";

    /// <summary>Name of the learned kernel transform from <paramref name="src"/> to <paramref name="dst"/>.</summary>
    public static string KernelTransform(int slot, int src, int dst) => $"{Block(slot)}.depth_conv.conv.{src}to{dst}_matrix";

    /// <summary>Every supernet tensor (all F32) with its full shape, in state-dict order.</summary>
    public static IReadOnlyList<(string Name, int[] Shape)> Tensors(SearchSpace space)
    {
        var list = new List<(string, int[])>();
        void Bn(string prefix, int c)
        {
            foreach (var f in BnFields) list.Add(($"{prefix}.{f}", [c]));
        }

        int c0 = space.FirstConvWidth, c1 = space.FirstBlockWidth;
        list.Add(("first_conv.conv.weight", [c0, space.InputChannels, 3, 3]));
        Bn("first_conv.bn", c0);

        list.Add(("blocks.0.conv.depth_conv.conv.weight", [c0, 1, 3, 3]));
        Bn("blocks.0.conv.depth_conv.bn", c0);
        list.Add(("blocks.0.conv.point_linear.conv.weight", [c1, c0, 1, 1]));
        Bn("blocks.0.conv.point_linear.bn", c1);

        int k = space.MaxKernel;
        foreach (var slot in space.Slots)
        {
            string p = Block(slot.Index);
            int mid = slot.MiddleChannels(space.MaxExpand);
            list.Add(($"{p}.inverted_bottleneck.conv.conv.weight", [mid, slot.InChannels, 1, 1]));
            Bn($"{p}.inverted_bottleneck.bn.bn", mid);
            list.Add(($"{p}.depth_conv.conv.conv.weight", [mid, 1, k, k]));
            for (int i = space.KernelSizes.Count - 1; i > 0; i--)
            {
                int dst = space.KernelSizes[i - 1];
                list.Add((KernelTransform(slot.Index, space.KernelSizes[i], dst), [dst * dst, dst * dst]));
            }
            Bn($"{p}.depth_conv.bn.bn", mid);
            if (slot.UseSe)
            {
                int se = Channels.SqueezeExcite(mid);
                list.Add(($"{p}.depth_conv.se.fc.reduce.weight", [se, mid, 1, 1]));
                list.Add(($"{p}.depth_conv.se.fc.reduce.bias", [se]));
                list.Add(($"{p}.depth_conv.se.fc.expand.weight", [mid, se, 1, 1]));
                list.Add(($"{p}.depth_conv.se.fc.expand.bias", [mid]));
            }
            list.Add(($"{p}.point_linear.conv.conv.weight", [slot.OutChannels, mid, 1, 1]));
            Bn($"{p}.point_linear.bn.bn", slot.OutChannels);
        }

        int last = space.Stages[^1].Width;
        list.Add(("final_expand_layer.conv.weight", [space.FinalExpandWidth, last, 1, 1]));
        Bn("final_expand_layer.bn", space.FinalExpandWidth);
        list.Add(("feature_mix_layer.conv.weight", [space.FeatureMixWidth, space.FinalExpandWidth, 1, 1]));
        list.Add(("classifier.linear.weight", [space.NumClasses, space.FeatureMixWidth]));
        list.Add(("classifier.linear.bias", [space.NumClasses]));
        return list;
    }

    /// <summary>
    /// Checks that <paramref name="weights"/> are exactly the supernet of <paramref name="space"/>:
    /// every tensor present, F32, of the right shape, finite; nothing extra. Names the first offender.
    /// </summary>
    public static void Check(SearchSpace space, TensorSet weights)
    {
        var expected = Tensors(space);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, shape) in expected)
        {
            names.Add(name);
            if (!weights.TryGet(name, out var t))
                throw new OfaFormatException($"{weights.Source}: tensor '{name}' is missing; space '{space.Name}' needs it with shape [{string.Join(", ", shape)}].");
            if (t.DType != DType.F32)
                throw new OfaFormatException($"{weights.Source}: tensor '{name}' is {t.DType.Name()}; space '{space.Name}' needs F32.");
            if (!t.ShapeEquals(shape))
                throw new OfaFormatException($"{weights.Source}: tensor '{name}' has shape {t.ShapeText}; space '{space.Name}' needs [{string.Join(", ", shape)}].");
            var data = t.F32;
            for (int i = 0; i < data.Length; i++)
                if (!float.IsFinite(data[i]))
                    throw new OfaFormatException($"{weights.Source}: tensor '{name}' holds {data[i]} at element {i}; weights must be finite.");
        }
        foreach (var name in weights.Names)
            if (!names.Contains(name))
                throw new OfaFormatException($"{weights.Source}: tensor '{name}' is not part of space '{space.Name}' (wrong --space or --classes?).");
    }
}
