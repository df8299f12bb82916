using OfaBuild.Core.Checkpoints;
using OfaBuild.Core.Packaging;
using OfaBuild.Core.Tensors;

namespace OfaBuild.Core.Import;

/// <summary>
/// A PyTorch checkpoint of the reference implementation (mit-han-lab/once-for-all) as a .ofa package.
/// The pickle is read by <see cref="TorchCheckpoint"/>, which runs no code.
/// </summary>
public static class ReferenceImporter
{
    public static OfaPackage Import(string checkpointPath, SearchSpace space, IReadOnlyList<string>? labels = null, string? commandLine = null)
    {
        var weights = ReadWeights(checkpointPath);
        try
        {
            SupernetLayout.Check(space, weights);
        }
        catch (OfaFormatException ex) when (Fix(space, weights) is { } fix)
        {
            throw new OfaFormatException($"{ex.Message} {fix}", ex);
        }

        labels ??= Enumerable.Range(0, space.NumClasses).Select(i => $"class_{i}").ToArray();
        if (labels.Count != space.NumClasses)
            throw new OfaException($"{checkpointPath}: {labels.Count} labels given for a classifier of {space.NumClasses} classes.");
        var manifest = new OfaManifest
        {
            Space = space,
            Normalization = space.InputChannels == 3 ? InputNormalization.ImageNet : InputNormalization.Identity(space.InputChannels),
            Labels = labels,
            Provenance = new Provenance
            {
                Source = $"imported from {Path.GetFileName(checkpointPath)} (PyTorch reference checkpoint)",
                CommandLine = commandLine,
                ToolVersion = ToolInfo.Version,
            },
        };
        return new OfaPackage(manifest, weights);
    }

    /// <summary>
    /// The `ofa import` options under which <paramref name="weights"/> would import, when <paramref name="space"/> does not
    /// fit them: another preset or class count (the classifier's rows), or --predictor for a predictor's MLP; null when
    /// nothing fits (a damaged checkpoint).
    /// </summary>
    private static string? Fix(SearchSpace space, TensorSet weights)
    {
        if (!weights.Contains("first_conv.conv.weight"))
            return weights.Names.Any() && weights.Names.All(n => char.IsAsciiDigit(n[0]))
                ? $"It holds no supernet (tensors {string.Join(", ", weights.Names.Take(3))}, ...): the OFA authors' accuracy predictor is added with --predictor."
                : null;
        int classes = weights.TryGet("classifier.linear.weight", out var c) && c.Shape.Length == 2 ? c.Shape[0] : space.NumClasses;
        foreach (var name in Presets.Names)
        {
            var candidate = Presets.Get(name, classes);
            if ((name == space.Name && classes == space.NumClasses) || !Fits(candidate, weights)) continue;
            var options = new List<string>();
            if (name != space.Name) options.Add($"--space {name}");
            if (classes != Presets.Get(name).NumClasses) options.Add($"--classes {classes}");
            return $"It is a {name} supernet of {classes} classes: pass {string.Join(" ", options)}.";
        }
        return null;
    }

    private static bool Fits(SearchSpace space, TensorSet weights)
    {
        try
        {
            SupernetLayout.Check(space, weights);
            return true;
        }
        catch (OfaFormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// The network tensors of the checkpoint at <paramref name="checkpointPath"/>, floating-point ones as F32
    /// (half-precision checkpoints widen exactly); num_batches_tracked, a training counter, is left out.
    /// </summary>
    public static TensorSet ReadWeights(string checkpointPath) =>
        new(checkpointPath, TorchCheckpoint.ReadStateDict(checkpointPath).Items
            .Where(t => !t.Key.EndsWith(".num_batches_tracked", StringComparison.Ordinal))
            .Select(t => KeyValuePair.Create(t.Key, t.Value.DType.IsFloatingPoint() ? t.Value.ToF32() : t.Value)));
}
