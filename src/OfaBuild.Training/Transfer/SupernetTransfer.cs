using OfaBuild.Core;
using OfaBuild.Core.Tensors;
using OfaBuild.Training.Networks;
using static TorchSharp.torch;

namespace OfaBuild.Training.Transfer;

/// <summary>
/// `ofa train --from zoo.ofa`: a supernet trained elsewhere (imported or trained here) starts training on new
/// data. Everything but the classifier is kept (the elastic kernels, their transforms, the channel order and
/// the BN statistics, which the phase evaluations recalibrate anyway); the classifier is new, sized for the
/// dataset's labels; the elastic resolutions may change, as they carry no weights.
/// </summary>
public static class SupernetTransfer
{
    /// <summary>The new supernet's space: the source's structure with the dataset's classes (and resolutions, if given).</summary>
    public static SearchSpace Space(SearchSpace source, string sourcePath, int channels, int classes, IReadOnlyList<int>? resolutions)
    {
        if (channels != source.InputChannels)
            throw new OfaException($"'{sourcePath}' takes {source.InputChannels} input channel(s); the dataset's images have {channels}. Transfer from a supernet of the same kind of images (1: grey, 3: colour).");
        return source with { NumClasses = classes, Resolutions = resolutions?.ToArray() ?? source.Resolutions };
    }

    /// <summary>The names of the tensors a transfer replaces.</summary>
    public static bool IsClassifier(string name) => name.StartsWith("classifier.", StringComparison.Ordinal);

    /// <summary>Copies every tensor of <paramref name="source"/> but the classifier into <paramref name="net"/>, checking each shape.</summary>
    public static int LoadBackbone(OfaMobileNetV3 net, TensorSet source)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope(); // holds each source tensor until it is copied (HeldScalars)
        int copied = 0;
        foreach (var (name, t) in net.state_dict())
        {
            if (name.EndsWith("num_batches_tracked", StringComparison.Ordinal) || IsClassifier(name)) continue;
            if (!source.Contains(name))
                throw new OfaException($"{source.Source}: tensor '{name}' is missing; the package is not a supernet of space '{net.Space.Name}'.");
            var src = source[name];
            if (!src.Shape.SequenceEqual(t.shape.Select(d => (int)d)))
                throw new OfaException($"{source.Source}: tensor '{name}' is [{string.Join(", ", src.Shape)}], the supernet needs [{string.Join(", ", t.shape)}].");
            t.copy_(tensor(src.F32, t.shape));
            copied++;
        }
        return copied;
    }
}
