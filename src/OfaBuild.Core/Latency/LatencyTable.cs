using OfaBuild.Contracts;

namespace OfaBuild.Core.Latency;

/// <summary>Where a latency table's numbers come from; every result that uses a table reports it.</summary>
public enum LatencyTableKind
{
    /// <summary>Timed on the device (`ofa profile`, or an imported reference table).</summary>
    Measured,
    /// <summary>Computed from documented device constants by <see cref="RooflineModel"/>.</summary>
    Estimated,
}

public static class LatencyTableKinds
{
    public static string Name(this LatencyTableKind k) => k == LatencyTableKind.Measured ? "measured" : "estimated";

    public static bool TryParse(string s, out LatencyTableKind kind)
    {
        kind = s == "estimated" ? LatencyTableKind.Estimated : LatencyTableKind.Measured;
        return s is "measured" or "estimated";
    }
}

/// <summary>One timed layer shape: repetitions, mean and variance of its latency in milliseconds (the reference's {count, mean, var}).</summary>
public readonly record struct LatencyEntry(int Count, double Mean, double Var)
{
    /// <summary>Standard deviation in ms (what the reference's YAML tables store).</summary>
    public double Std => Math.Sqrt(Var);
}

/// <summary>
/// A per-device lookup table of layer latencies (ms), keyed by <see cref="LayerShape.Key"/>. A subnet's
/// predicted latency is the sum of its layers' entries plus <see cref="ConstantMs"/>, a per-network
/// term for what the sum misses (session overhead, input copies). A table may also hold entries per input
/// resolution (<see cref="ByResolution"/>), as the reference's measured tables do: the same layer key can then
/// have a different mean at each resolution, and a subnet at resolution r reads only r's entries.
/// </summary>
public sealed class LatencyTable
{
    private readonly Dictionary<string, LatencyEntry> _entries;
    private readonly Dictionary<int, IReadOnlyDictionary<string, LatencyEntry>> _byResolution;

    /// <summary>The device the table describes (catalog name or the profile's own name).</summary>
    public string Device { get; }
    public LatencyTableKind Kind { get; }
    /// <summary>The precision its layers ran in (<see cref="Precisions"/>): an int8 target is searched on an int8 table when its device has one.</summary>
    public string Precision { get; }
    /// <summary>Where the table came from (a file path or "catalog:cortex-a53"), for messages.</summary>
    public string Source { get; }
    public double ConstantMs { get; }
    /// <summary>Free-form facts about how the table was made (protocol, CPU, runtime, model constants).</summary>
    public IReadOnlyDictionary<string, string> Info { get; }
    public IReadOnlyDictionary<string, LatencyEntry> Entries => _entries;

    /// <summary>Per-resolution tables: for a resolution listed here, only its own entries count.</summary>
    public IReadOnlyDictionary<int, IReadOnlyDictionary<string, LatencyEntry>> ByResolution => _byResolution;
    /// <summary>Intra-op threads the table's milliseconds are for (its protocol's "threads"); null when the table does not say.</summary>
    public int? Threads => Info.TryGetValue("threads", out var t) && int.TryParse(t, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;

    public LatencyTable(string device, LatencyTableKind kind, string source, IEnumerable<KeyValuePair<string, LatencyEntry>> entries,
        double constantMs = 0, IReadOnlyDictionary<string, string>? info = null,
        IReadOnlyDictionary<int, IReadOnlyDictionary<string, LatencyEntry>>? byResolution = null, string precision = Precisions.Fp32)
    {
        Precision = Precisions.Normalize(precision) ?? throw new OfaFormatException($"Latency table '{source}': precision '{precision}' is not one of {string.Join(", ", Precisions.All)}.");
        _byResolution = byResolution is null ? [] : new(byResolution);
        Device = device;
        Kind = kind;
        Source = source;
        ConstantMs = constantMs;
        Info = info ?? new Dictionary<string, string>();
        _entries = new Dictionary<string, LatencyEntry>(StringComparer.Ordinal);
        foreach (var (k, v) in entries)
        {
            if (!_entries.TryAdd(k, v))
                throw new OfaFormatException($"Latency table '{source}': entry '{k}' appears twice.");
        }
    }

    /// <summary>The entry of <paramref name="key"/> for a network at input <paramref name="resolution"/>.</summary>
    public bool TryGet(string key, int resolution, out LatencyEntry entry) =>
        (_byResolution.TryGetValue(resolution, out var table) ? table : _entries).TryGetValue(key, out entry);

    /// <summary>Mean latency of <paramref name="layer"/> in a network at <paramref name="resolution"/>; a missing entry is a user error that says how to get one.</summary>
    /// <param name="packagePath">The package of <paramref name="space"/>, when known: the error's `ofa profile` then names it (<see cref="ProfileHint"/>).</param>
    public double Lookup(LayerShape layer, int resolution, SearchSpace? space = null, string? packagePath = null) =>
        TryGet(layer.Key, resolution, out var e) ? e.Mean : throw Missing(layer.Key, space, packagePath);

    internal OfaException Missing(string key, SearchSpace? space, string? packagePath) => new(
        $"Latency table '{Source}' ({Kind.Name()} {Precision}, device '{Device}') has no entry for '{key}'. " +
        $"The table was not made for this block shape; profile the device for this space into a new file " +
        $"({ProfileHint.NewTable(Device, File.Exists(Source) ? Source : null, packagePath, space, Precision).Command}) and use that table" +
        (space is null ? "." : $", or search only resolutions the table covers ({Covered(space)})."));

    private string Covered(SearchSpace space)
    {
        var r = CoveredResolutions(space);
        return r.Count == 0 ? "none" : string.Join(", ", r);
    }

    /// <summary>Predicted latency (ms) of a subnet: the sum of its layers' entries, plus the constant.</summary>
    /// <param name="packagePath">As <see cref="Lookup"/>'s.</param>
    public double Predict(SearchSpace space, SubnetConfig config, string? packagePath = null)
    {
        double sum = 0;
        foreach (var layer in NetworkShapes.Of(space, config)) sum += Lookup(layer, config.R, space, packagePath);
        return sum + ConstantMs;
    }

    /// <summary>A fast predictor for one space (array lookups, no strings), for the search.</summary>
    /// <param name="packagePath">The package of <paramref name="space"/>, when known, for a missing entry's error (<see cref="Lookup"/>).</param>
    public LatencyPredictor Compile(SearchSpace space, string? packagePath = null) => new(this, space, packagePath);

    /// <summary>The space's resolutions for which every layer shape has an entry.</summary>
    public IReadOnlyList<int> CoveredResolutions(SearchSpace space) => Compile(space).CoveredResolutions;
}
