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
    public static TargetProblem Create(OfaPackage package, string device, double latencyMs, string? profilePath = null,
        double? maxMFlops = null, DeviceCatalog? catalog = null, double? maxMParams = null)
    {
        catalog ??= DeviceCatalog.Builtin();
        if (!(latencyMs > 0) || double.IsInfinity(latencyMs))
            throw new OfaException($"Latency budget {latencyMs} ms for '{device}' must be a positive number of milliseconds.");
        if (maxMFlops is { } m && !(m > 0))
            throw new OfaException($"MFLOPs limit {m} for '{device}' must be positive.");
        if (maxMParams is { } mp && !(mp > 0))
            throw new OfaException($"Parameter limit {mp} M for '{device}' must be positive.");
        var space = package.Manifest.Space;
        // A profile may name any device; otherwise the device must be in the catalog.
        Device? d = profilePath is null ? catalog.Get(device) : catalog.TryGet(device, out var known) ? known : null;
        var latency = catalog.LatencyTable(device, space, profilePath).Compile(space);

        var constraints = new List<Constraint> { Constraint.Latency(latency, latencyMs) };
        if (maxMFlops is { } mf) constraints.Add(Constraint.MFlops(c => SubnetCost.Macs(space, c), mf));
        if (maxMParams is { } mparams) constraints.Add(Constraint.Params(c => SubnetCost.Params(space, c), mparams));
        IAccuracyModel accuracy = package.Predictor is { } p
            ? AccuracyPredictor.FromTensors(p, encoder: ArchEncoder.For(space))
            : new MacsProxy(space);
        return new TargetProblem(new SearchProblem(space, accuracy, constraints), latency, d, package.Predictor is not null);
    }

    public string AccuracyModelName => HasPredictor ? "predictor" : "macs-proxy";
}
