using OfaBuild.Contracts;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using OfaBuild.Core.Latency;
using OfaBuild.Runtime;

namespace OfaBuild.Core.Devices;

/// <summary>
/// The hardware targets OfaBuild knows, read from the JSON files in Devices/catalog (embedded in the assembly).
/// Gives a device by name, in any case (<see cref="DeviceNames"/>: Note10 is note10), and resolves its latency table:
/// a measured profile file when given, else the device's estimated table. Which device an app runs on is
/// decided at run time by OfaBuild.Runtime's TargetSelector, from the recognition facts the manifests carry.
/// </summary>
public sealed class DeviceCatalog
{
    public const string Host = "host";
    private const string ResourcePrefix = "OfaBuild.Core.Devices.catalog.";

    public IReadOnlyList<Device> Devices { get; }
    public IEnumerable<string> Names => Devices.Select(d => d.Name);

    public DeviceCatalog(IEnumerable<Device> devices)
    {
        Devices = devices.OrderBy(d => d.Name, StringComparer.Ordinal).ToArray();
        var dup = Devices.GroupBy(d => d.Name, DeviceNames.Comparer).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new OfaFormatException($"Device catalog: '{dup.Key}' is defined twice ({string.Join(", ", dup.Select(d => d.Source))}).");
    }

    /// <summary>Who reads this catalog's errors: a command line's also name --profile (<see cref="ProfileHint.UseTable"/>).</summary>
    public ProfileHint.Reader Reader { get; private init; } = ProfileHint.Reader.CommandLine;

    /// <summary>This catalog, its errors worded for a build (no command line to pass --profile to) about an [OfaTarget] attribute, or an &lt;OfaTarget&gt; item.</summary>
    public DeviceCatalog ForBuild(bool item = false) => new(Devices) { Reader = item ? ProfileHint.Reader.BuildItem : ProfileHint.Reader.Build };

    /// <summary>This catalog, its errors worded for `ofa report`, whose --profile takes DEVICE=FILE.</summary>
    public DeviceCatalog ForReport() => new(Devices) { Reader = ProfileHint.Reader.Report };

    /// <summary>The catalog shipped in this assembly.</summary>
    public static DeviceCatalog Builtin() => BuiltinCatalog.Value;
    private static readonly Lazy<DeviceCatalog> BuiltinCatalog = new(LoadBuiltin);

    private static DeviceCatalog LoadBuiltin()
    {
        var asm = typeof(DeviceCatalog).Assembly;
        var devices = new List<Device>();
        foreach (var name in asm.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var s = asm.GetManifestResourceStream(name)!;
            using var r = new StreamReader(s);
            devices.Add(DeviceFile.Parse(r.ReadToEnd(), "Devices/catalog/" + name[ResourcePrefix.Length..]));
        }
        if (devices.Count == 0) throw new OfaFormatException("Device catalog: no embedded device files found (build problem: Devices/catalog/*.json must be EmbeddedResource).");
        return new DeviceCatalog(devices);
    }

    public bool TryGet(string name, out Device device)
    {
        device = Devices.FirstOrDefault(d => DeviceNames.Same(d.Name, name))!;
        return device is not null;
    }

    /// <summary>When two device names are the same device (<see cref="DeviceNames"/>), for callers outside Core.</summary>
    public static StringComparer NameComparer => DeviceNames.Comparer;

    /// <summary>The catalog's spelling of a device name, which outputs are named with; a name it does not know as written.</summary>
    public string Canonical(string name) => DeviceNames.Canonical(name, Names);

    /// <param name="space">The package's space and <paramref name="packagePath"/> its file, when known: the error's `ofa profile` command then measures that space (<see cref="ProfileHint"/>).</param>
    public Device Get(string name, SearchSpace? space = null, string? packagePath = null) =>
        TryGet(name, out var d) ? d : throw Unknown(name, space, packagePath);

    public OfaException Unknown(string name, SearchSpace? space = null, string? packagePath = null) => new(
        $"Unknown device '{name}'. {NameSuggestions.DidYouMean(name, Names)}Known devices: {string.Join(", ", Names)}. " +
        $"To target another device, profile it on that machine with `{ProfileHint.Command($"{Safe(name)}.json", packagePath, space)}`, then point the target at the file: " +
        $"{ProfileHint.UseTable(Safe(name), $"{Safe(name)}.json", Reader)}.");

    private static string Safe(string name) => string.IsNullOrWhiteSpace(name) ? "my-device" : name;

    /// <summary>
    /// The latency table for a target: the profile file if one is given (any device name is then fine),
    /// else the device's estimated table for <paramref name="space"/>. A device that needs a measurement
    /// (e.g. <c>host</c>) without a profile is an error that says how to make one.
    /// </summary>
    /// <remarks>
    /// For an int8 <paramref name="precision"/> an estimated device gives its int8 estimate; a profile is used in the
    /// precision it was measured in, and a device without int8 constants or a measured FP32 table (Note10) gives FP32:
    /// the table's <see cref="Latency.LatencyTable.Precision"/> says which, and the manifest repeats it.
    /// </remarks>
    /// <param name="packagePath">The package's file, when known, for the `ofa profile` command of an error (<see cref="ProfileHint"/>).</param>
    public LatencyTable LatencyTable(string device, SearchSpace space, string? profilePath = null, string precision = Precisions.Fp32, string? packagePath = null)
    {
        if (profilePath is not null)
            return LatencyTableFile.Load(profilePath, space, packagePath);
        var d = Get(device, space, packagePath);
        if (d.LatencyKind == LatencyTableKind.Estimated && d.Constants is not null)
            return RooflineModel.BuildTable(d.Name, space, d.Constants, precision) ?? RooflineModel.BuildTable(d.Name, space, d.Constants)!;
        if (d.MeasuredTables is { } builtin)
        {
            if (builtin.Space != space.Name)
                throw new OfaException(
                    $"Device '{d.Name}' has measured latency tables for space '{builtin.Space}' only; the package's space is '{space.Name}'. " +
                    $"Use a package of space '{builtin.Space}', or measure this space on the device (`{ProfileHint.Command($"{d.Name}.json", packagePath, space, precision)}`) and point the target at the file: {ProfileHint.UseTable(d.Name, $"{d.Name}.json", Reader)}.");
            return BuiltinTable(d);
        }
        throw new OfaException(
            $"Device '{d.Name}' has no built-in latency table; it needs a measured one. Run `{ProfileHint.Command($"{d.Name}.json", packagePath, space, precision)}` " +
            $"on that machine, then point the target at the file: {ProfileHint.UseTable(d.Name, $"{d.Name}.json", Reader)}.");
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, LatencyTable> BuiltinTables = new();

    /// <summary>A device's embedded per-resolution YAML tables, parsed once per process.</summary>
    private static LatencyTable BuiltinTable(Device d) => BuiltinTables.GetOrAdd(d.Name, _ =>
    {
        var tables = d.MeasuredTables!;
        string prefix = $"{ResourcePrefix}{tables.Folder}.";
        var asm = typeof(DeviceCatalog).Assembly;
        var files = asm.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var r = new StreamReader(asm.GetManifestResourceStream(n)!);
                return ($"Devices/catalog/{tables.Folder}/{n[prefix.Length..]}", r.ReadToEnd());
            }).ToArray();
        if (files.Length == 0)
            throw new OfaFormatException($"Device catalog: '{d.Source}' names tables in Devices/catalog/{tables.Folder}/ but none are embedded (build problem).");
        var table = ReferenceLatencyLut.FromTexts(d.Name, files, $"catalog:{d.Name} (measured)");
        var info = new Dictionary<string, string>(table.Info) { ["provenance"] = tables.Provenance, ["space"] = tables.Space };
        return new LatencyTable(d.Name, LatencyTableKind.Measured, table.Source, [], 0, info, table.ByResolution);
    });
}
