using OfaBuild.Core.Checkpoints;
using OfaBuild.Core.Packaging;
using OfaBuild.Core.Space;
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
        var state = TorchCheckpoint.ReadStateDict(checkpointPath);
        // num_batches_tracked is a training counter, not part of the network.
        var weights = new TensorSet(checkpointPath,
            state.Items.Where(t => !t.Key.EndsWith(".num_batches_tracked", StringComparison.Ordinal)));
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
}
