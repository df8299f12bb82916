using OfaBuild.Core.Devices;
using OfaBuild.Core.Packaging;
using OfaBuild.Core.Search;
using OfaBuild.Core.Specialization;
using OfaBuild.Runtime;

namespace OfaBuild.Core.Refinement;

/// <summary>
/// A device's search problem without a budget yet, and the latency range its table gives the space: from the
/// fastest smallest subnet to the slowest largest one (the resolutions the table covers).
/// </summary>
public sealed record DeviceRange(string Device, TargetProblem Target, double MinMs, double MaxMs)
{
    /// <summary><paramref name="count"/> budgets spread over the range (<see cref="DeviceBudgets.Spread"/>).</summary>
    public IReadOnlyList<double> Budgets(int count) => DeviceBudgets.Spread(MinMs, MaxMs, count);

    /// <summary>The search problem at a budget, with <paramref name="accuracy"/> as the accuracy to maximise.</summary>
    public SearchProblem At(double budgetMs, Accuracy.IAccuracyModel accuracy) =>
        Target.Problem with { Accuracy = accuracy, Constraints = [Constraint.Latency(Target.Latency, budgetMs)] };
}

/// <summary>Which devices a supernet's search is refined and judged on, and the budgets over their latency ranges.</summary>
public static class DeviceBudgets
{
    /// <summary>
    /// Budgets min + (max - min) * i / count for i = 1..count: the first is just above the smallest subnet, the last lets
    /// every subnet through (where the search must find the top of the space).
    /// </summary>
    public static IReadOnlyList<double> Spread(double minMs, double maxMs, int count)
    {
        if (count < 1) throw new OfaException($"Budgets per device: {count}; give at least 1.");
        if (!(maxMs >= minMs)) throw new OfaException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Latency range {minMs}..{maxMs} ms is empty."));
        // The last is the maximum itself, not min + (max - min), which rounding can leave just below the largest subnet.
        return Enumerable.Range(1, count).Select(i => i == count ? maxMs : minMs + (maxMs - minMs) * i / count).ToArray();
    }

    /// <summary>The latency range of a device for the package's space.</summary>
    /// <param name="packagePath">The package's file, when known: an unknown device's `ofa profile` command then names it (<see cref="Latency.ProfileHint"/>).</param>
    public static DeviceRange Range(OfaManifest manifest, string device, DeviceCatalog? catalog = null, string? packagePath = null)
    {
        // The budget is a placeholder: refinement and regret set their own with DeviceRange.At.
        var target = TargetProblem.Create(manifest, null, device, double.MaxValue / 4, catalog: catalog, packagePath: packagePath);
        var space = target.Problem.Space;
        double min = SubnetConfig.SmallestPerResolution(space).Min(target.Latency.Predict);
        double max = space.Resolutions.Max(r => target.Latency.Predict(SubnetConfig.Largest(space, r)));
        return new DeviceRange(target.Device?.Name ?? device, target, min, max); // the catalog's spelling of the name
    }

    /// <summary>
    /// The named devices, or every catalog device whose latency table covers the space (estimated tables are built for
    /// any space; measured ones, such as note10's, only fit theirs; host has none without a profile).
    /// </summary>
    public static IReadOnlyList<DeviceRange> Ranges(OfaManifest manifest, IReadOnlyList<string>? devices = null, DeviceCatalog? catalog = null, string? packagePath = null)
    {
        catalog ??= DeviceCatalog.Builtin();
        if (devices is { Count: > 0 }) return devices.Distinct(DeviceNames.Comparer).Select(d => Range(manifest, d, catalog, packagePath)).ToArray();
        var ranges = new List<DeviceRange>();
        foreach (var name in catalog.Names)
        {
            try { ranges.Add(Range(manifest, name, catalog)); }
            catch (OfaException) { } // no table for this space: not a device this supernet can be searched for
        }
        return ranges;
    }
}
