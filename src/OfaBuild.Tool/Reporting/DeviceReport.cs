using OfaBuild.Contracts;
using OfaBuild.Core;
using OfaBuild.Core.Accuracy;
using OfaBuild.Core.Counting;
using OfaBuild.Core.Devices;
using OfaBuild.Core.Packaging;
using OfaBuild.Core.Search;
using OfaBuild.Core.Space;
using OfaBuild.Core.Specialization;
using OfaBuild.Core.Latency;
using OfaBuild.Runtime;

namespace OfaBuild.Tool.Reporting;

/// <summary>How much of the space a report samples and searches.</summary>
public sealed record ReportOptions
{
    /// <summary>Default of <see cref="CloudSize"/> (and of `ofa report --samples`).</summary>
    public const int DefaultCloudSize = 1000;
    /// <summary>Default of <see cref="Generations"/> (and of `ofa report --generations`): the reference's 500.</summary>
    public const int DefaultGenerations = 500;

    /// <summary>Uniformly sampled subnets drawn as the grey cloud.</summary>
    public int CloudSize { get; init; } = DefaultCloudSize;
    /// <summary>Seed of the cloud and of every search; the same seed as `ofa search --seed` gives the same chosen subnets.</summary>
    public ulong Seed { get; init; }
    /// <summary>Budgets the Pareto search runs evolution at.</summary>
    public int Levels { get; init; } = 5;
    /// <summary>Evolution generations per search (the reference's 500).</summary>
    public int Generations { get; init; } = DefaultGenerations;
}

/// <summary>The subnet the search picks for one budget, or why none fits.</summary>
public sealed record ChosenSubnet(ReportTarget Target, Candidate? Best, long Macs, string? Failure);

/// <summary>
/// Everything one panel and section show, for one device's latency table (the catalog's or a profile, in one
/// precision): predicted accuracy and latency of a random cloud, the Pareto front over the table's whole latency
/// range (<see cref="ParetoSearch"/>'s points, pooled with the cloud and every subnet the target searches evaluated),
/// and the subnet chosen for each target. Latency (first measure of every candidate) is in ms from that table;
/// accuracy is the package's predictor. <see cref="Precision"/> is the precision asked for, <see cref="TablePrecision"/>
/// the table's (fp32 when the device has no table in that precision, as in the build). <see cref="TableWarning"/>: why the
/// profile may be another device's table (<see cref="TargetProblem.TableWarning"/>, the build's OFA0019), null when it is not.
/// <see cref="SearchNote"/>: the resolutions left out because the predictor was not trained on them (<see cref="TargetProblem.UnscoredNote"/>).
/// </summary>
public sealed record DeviceReport(string Device, LatencyTableKind TableKind, string TableSource, SearchSpace Space,
    IReadOnlyList<Candidate> Cloud, IReadOnlyList<Candidate> Front, int SearchedSubnets, IReadOnlyList<ChosenSubnet> Targets,
    string Precision = Precisions.Fp32, string TablePrecision = Precisions.Fp32, string? TableWarning = null, string? SearchNote = null)
{
    public long MacsOf(Candidate c) => SubnetCost.Macs(Space, c.Config);

    /// <param name="targets">The targets on this table: each has <paramref name="device"/>, <paramref name="profilePath"/> and <paramref name="precision"/>.</param>
    /// <param name="profileName">How the messages name the profile (<see cref="TargetSpec.ProfileName"/>); null: <paramref name="profilePath"/>.</param>
    /// <param name="packageName">How the table's messages name the package (<see cref="ReportTarget.PackageName"/>); null: <paramref name="packagePath"/>.</param>
    public static DeviceReport Build(OfaPackage package, string packagePath, string device, string? profilePath, string precision,
        IEnumerable<ReportTarget> targets, ReportOptions? options = null, string? profileName = null, string? packageName = null)
    {
        options ??= new ReportOptions();
        if (options.CloudSize < 1) throw new OfaException($"Report: --samples {options.CloudSize} must be at least 1.");
        if (package.Predictor is null)
            throw new OfaException($"'{packagePath}' has no accuracy predictor, so there is no accuracy to plot. " +
                $"Run {PackagePredictor.MeasureCommand(packagePath)} first to measure subnets and store a predictor in the package.");
        var space = package.Manifest.Space;

        // The panel's problem: the table the targets are searched on, no cap; its budget is replaced by the front's range below.
        // Its messages are worded for `ofa report`'s command line (--profile DEVICE=FILE).
        var catalog = DeviceCatalog.Builtin().ForReport();
        var t = TargetProblem.Create(package, new TargetSpec(device, double.MaxValue, profilePath, Precision: precision) { ProfileName = profileName }, catalog, packageName ?? packagePath);
        var latency = t.Problem.Constraints[0];
        var targetList = targets.ToList();
        if (targetList.FirstOrDefault(x => !DeviceNames.Comparer.Equals(x.Device, device) || x.Profile != profilePath || x.Precision != precision) is { } other)
            throw new ArgumentException($"Target {other.Describe()} ({other.Source}) is not on {device}'s {precision} table {profilePath ?? "(catalog)"}.", nameof(targets));

        // The cloud is drawn from the space the search sees: a table that covers only some resolutions (note10: 160..224) restricts both.
        var searched = t.Problem.Space;
        var rng = new Random(unchecked((int)options.Seed ^ (int)(options.Seed >> 32)));
        var configs = new SubnetConfig[options.CloudSize];
        for (int i = 0; i < configs.Length; i++) configs[i] = SubnetConfig.Sample(searched, rng).Canonical(space);
        var accs = new float[configs.Length];
        t.Problem.Accuracy.PredictMany(configs, accs);
        var cloud = configs.Select((c, i) => new Candidate(c, accs[i], [latency.Measure(c)])).ToArray();

        double maxMs = new[] { latency.Measure(SubnetConfig.Largest(searched)), cloud.Max(c => c.Measures[0]) }
            .Concat(targetList.Select(x => x.LatencyMs)).Max();
        var evolution = new EvolutionOptions { Seed = options.Seed, Generations = options.Generations };
        var front = ParetoSearch.Run(WithBudget(t.Problem, maxMs), evolution, options.Levels);
        // Each target's problem is the build's (TargetProblem from its whole spec: MFLOPs cap and precision included), searched
        // as the build and `ofa search` search it (evolution, then refinement), so the report shows the same subnet.
        var targetSearch = EvolutionOptions.Default(options.Seed) with { Generations = options.Generations };

        // Every subnet the target searches evaluate joins the pool, so no chosen subnet can sit above the front drawn.
        var pool = new List<Candidate>(front.Points);
        pool.AddRange(cloud);
        var chosen = new List<ChosenSubnet>();
        foreach (var target in targetList)
        {
            // A spec the build would refuse (a cap that is not positive) stops the report, as it stops the build.
            var problem = TargetProblem.Create(package, target.Spec, catalog, packagePath).Problem;
            try
            {
                var best = EvolutionSearch.Run(problem, targetSearch, onEvaluated: pool.Add).Best;
                best = best with { Config = best.Config.Canonical(space) };
                pool.Add(best); // refinement's subnets are not reported as evaluated
                chosen.Add(new ChosenSubnet(target, best, SubnetCost.Macs(space, best.Config), null));
            }
            catch (OfaException ex)
            {
                // A budget below the device's smallest subnet is a finding for the report, not a reason to stop it.
                chosen.Add(new ChosenSubnet(target, null, 0, ex.Message));
            }
        }
        var merged = ParetoSearch.Of(pool, 0).Select(c => c with { Config = c.Config.Canonical(space) }).ToArray();
        return new DeviceReport(t.Latency.Device, t.Latency.Kind, t.Latency.Table.Source, space, cloud,
            merged, pool.Count - cloud.Length, chosen, precision, t.Latency.Table.Precision, t.TableWarning, t.UnscoredNote);
    }

    private static SearchProblem WithBudget(SearchProblem p, double ms) =>
        p with { Constraints = p.Constraints.Select(c => c.IsLatency ? c with { Limit = ms } : c).ToArray() };
}
