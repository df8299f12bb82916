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
        SupernetLayout.Check(space, weights);

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
    /// The network tensors of the checkpoint at <paramref name="checkpointPath"/>, floating-point ones as F32
    /// (half-precision checkpoints widen exactly); num_batches_tracked, a training counter, is left out.
    /// </summary>
    public static TensorSet ReadWeights(string checkpointPath) =>
        new(checkpointPath, TorchCheckpoint.ReadStateDict(checkpointPath).Items
            .Where(t => !t.Key.EndsWith(".num_batches_tracked", StringComparison.Ordinal))
            .Select(t => KeyValuePair.Create(t.Key, t.Value.DType.IsFloatingPoint() ? t.Value.ToF32() : t.Value)));
}
