using OfaBuild.Contracts;
using OfaBuild.Core.Counting;
using OfaBuild.Core.Devices;
using OfaBuild.Core.Packaging;
using OfaBuild.Core.Search;
using OfaBuild.Core.Accuracy;
using OfaBuild.Core.Latency;

namespace OfaBuild.Core.Specialization;

/// <summary>
/// The search problem of one target: the package's space, its accuracy predictor (or the MACs proxy),
/// the device's latency table (catalog or profile) and the budgets. Shared by `ofa search` and `ofa specialize`.
/// </summary>
public sealed record TargetProblem(SearchProblem Problem, LatencyPredictor Latency, Device? Device, bool HasPredictor)
{
    /// <summary>Why the profile may not be the target's device's table (<see cref="TableDevice"/>): a warning, since a table's names and records can be wrong; null when it is.</summary>
    public string? TableWarning { get; init; }

    /// <summary>The problem of a target as the build searches it (<see cref="Specializer"/>) and `ofa report` marks it.</summary>
    /// <param name="packagePath">The package's file, when known: the `ofa profile` command of an error then names it (<see cref="ProfileHint"/>).</param>
    public static TargetProblem Create(OfaPackage package, TargetSpec spec, DeviceCatalog? catalog = null, string? packagePath = null) =>
        Create(package.Manifest, package.Predictor, spec, catalog, packagePath);

    /// <summary>As above from a package's manifest and predictor alone (`ofa search`, <see cref="OfaPackage.ReadForSearch"/>).</summary>
    public static TargetProblem Create(OfaManifest manifest, Tensors.TensorSet? predictor, TargetSpec spec, DeviceCatalog? catalog = null, string? packagePath = null) =>
        Create(manifest, predictor, spec.Device, spec.LatencyMs, spec.ProfilePath, spec.MaxMFlops, catalog, spec.MaxMParams, spec.Precision, packagePath, spec.ProfileName);

    public static TargetProblem Create(OfaPackage package, string device, double latencyMs, string? profilePath = null,
        double? maxMFlops = null, DeviceCatalog? catalog = null, double? maxMParams = null, string precision = Precisions.Fp32,
        string? packagePath = null) =>
        Create(package.Manifest, package.Predictor, device, latencyMs, profilePath, maxMFlops, catalog, maxMParams, precision, packagePath);

    /// <summary>As above from a package's manifest and predictor alone (<see cref="OfaPackage.ReadForSearch"/>).</summary>
    /// <param name="precision">The precision the target is built in: its latency table is that precision's when the device has one.</param>
    /// <param name="packagePath">The package's file, when known: the `ofa profile` command of an error then names it (<see cref="ProfileHint"/>).</param>
    /// <param name="profileName">How the messages name the profile (<see cref="TargetSpec.ProfileName"/>); null: <paramref name="profilePath"/>.</param>
    public static TargetProblem Create(OfaManifest manifest, Tensors.TensorSet? predictor, string device, double latencyMs, string? profilePath = null,
        double? maxMFlops = null, DeviceCatalog? catalog = null, double? maxMParams = null, string precision = Precisions.Fp32,
        string? packagePath = null, string? profileName = null)
    {
        profileName ??= profilePath;
        catalog ??= DeviceCatalog.Builtin();
        if (!(latencyMs > 0) || double.IsInfinity(latencyMs))
            throw new OfaException($"Latency budget {LatencyText.Refused(latencyMs)} ms for '{device}' must be a positive number of milliseconds.");
        if (maxMFlops is { } m && !(m > 0))
            throw new OfaException($"MFLOPs limit {LatencyText.Refused(m)} for '{device}' must be positive.");
        if (maxMParams is { } mp && !(mp > 0))
            throw new OfaException($"Parameter limit {LatencyText.Refused(mp)} M for '{device}' must be positive.");
        var space = manifest.Space;
        // A profile may name any device; otherwise the device must be in the catalog.
        Device? d = profilePath is null ? catalog.Get(device, space, packagePath) : catalog.TryGet(device, out var known) ? known : null;
        var table = catalog.LatencyTable(device, space, profilePath, precision, packagePath);
        var latency = table.Compile(space, packagePath);
        // Measured tables may cover only some resolutions (the Note10 tables: 160..224); search only those.
        var covered = latency.CoveredResolutions;
        if (covered.Count == 0)
        {
            // A new file: the table in use may be another package's, and still needed.
            var (file, command) = ProfileHint.NewTable(d?.Name ?? device, profileName, packagePath, space, table.Precision);
            throw new OfaException($"The latency table for '{device}' ({table.Source}) covers none of space '{space.Name}''s resolutions ({string.Join(", ", space.Resolutions)}): " +
                $"it was made for another space. Profile the device for this space into a new file ({command}) and point the target at it: {ProfileHint.UseTable(d?.Name ?? device, file, catalog.Reader)}.");
        }
        // And only those the predictor was trained on (the OFA authors' one: 160..224), where its numbers are predictions.
        var predictorModel = PackagePredictor.Load(manifest, predictor);
        var scored = predictorModel is null ? covered : covered.Where(predictorModel.Encoder.Scores).ToArray();
        if (scored.Count == 0)
            throw new OfaException($"The accuracy predictor of {packagePath ?? "the package"} ({manifest.Predictor?.Source ?? "its predictor"}) was trained on none of the resolutions " +
                $"the latency table for '{device}' ({table.Source}) covers ({string.Join(", ", covered)}), so no search there would be a prediction. " +
                $"Store a predictor measured on this space ({PackagePredictor.MeasureCommand(packagePath ?? "<package>")}), or search a package whose space has resolutions the predictor was trained on.");
        var searchSpace = scored.Count == space.Resolutions.Count ? space : space with { Resolutions = scored };

        var constraints = new List<Constraint> { Constraint.Latency(latency, latencyMs) };
        if (maxMFlops is { } mf) constraints.Add(Constraint.MFlops(c => SubnetCost.Macs(space, c), mf));
        if (maxMParams is { } mparams) constraints.Add(Constraint.Params(c => SubnetCost.Params(space, c), mparams));
        IAccuracyModel accuracy = (IAccuracyModel?)predictorModel ?? new MacsProxy(space);
        return new TargetProblem(new SearchProblem(searchSpace, accuracy, constraints), latency, d, predictor is not null)
        {
            TableWarning = profileName is not null ? TableDevice.Check(table, profileName, device, catalog, space, packagePath) : null,
            UnscoredResolutions = [.. covered.Except(scored)],
            PrecisionNote = table.Precision == precision ? null
                : $"searched on {Precisions.WithArticle(table.Precision)} latency table ({table.Source}); the device has no {precision} table. " +
                  $"Measure one with {ProfileHint.NewTable(device, profilePath, packagePath, space, precision).Command} and pass it as the profile.",
        };
    }

    /// <summary>When the device has no table of the precision asked for: that the search used another, and how to measure one; null otherwise.</summary>
    public string? PrecisionNote { get; init; }

    /// <summary>Resolutions the latency table covers but the predictor was not trained on, left out of the search (empty: none).</summary>
    public IReadOnlyList<int> UnscoredResolutions { get; init; } = [];

    /// <summary>What the search left out for the predictor, for the tool's and the build's log; null when nothing.</summary>
    public string? UnscoredNote => UnscoredResolutions.Count == 0 ? null
        : $"searched resolutions {Problem.Space.Resolutions[0]}..{Problem.Space.Resolutions[^1]} only: the accuracy predictor was not trained on {RangeText(UnscoredResolutions)}, where its numbers are not predictions.";

    private static string RangeText(IReadOnlyList<int> r) => r.Count == 1 ? $"{r[0]}" : $"{r[0]}..{r[^1]}";

    public string AccuracyModelName => HasPredictor ? "predictor" : "macs-proxy";
}
