using System.Globalization;
using OfaBuild.Contracts;
using OfaBuild.Core;
using OfaBuild.Core.Specialization;
using OfaBuild.Core.Latency;
using OfaBuild.Tasks;

namespace OfaBuild.Tool.Reporting;

/// <summary>
/// One target to mark on a device's plot, and where it came from (for the report): the whole spec that decides its
/// search problem (<see cref="TargetSpec"/>: device, budget, profile, MFLOPs cap, precision), searched through
/// <see cref="TargetProblem.Create(Core.Packaging.OfaPackage, TargetSpec, Core.Devices.DeviceCatalog?, string?)"/> as the build searches it.
/// <see cref="Levels"/> set: an adaptive target; the report marks its rung 0, the subnet the build searches first and
/// serves at the full budget (the lower rungs are not shown).
/// </summary>
public sealed record ReportTarget(TargetSpec Spec, string Source, int? Levels = null)
{
    public string Device => Spec.Device;
    public double LatencyMs => Spec.LatencyMs;
    public string? Profile => Spec.ProfilePath;
    public string Precision => Spec.Precision;

    /// <summary>The budget as report.md shows it: the milliseconds, then any cap besides latency.</summary>
    public string Budget => LatencyText.Given(LatencyMs) + Caps;

    /// <summary>Where it came from, and for an adaptive target which of its subnets is marked.</summary>
    public string Origin => Source + (Levels is { } n ? $" (adaptive: rung 0 of up to {n} marked)" : "");

    /// <summary>The spec in a few words (a target on a device the report does not plot).</summary>
    public string Describe() =>
        $"{Device}, {LatencyText.Budget(LatencyMs)}" + Caps
        + (Precision == Precisions.Fp32 ? "" : $", {Precision}") + (Levels is { } n ? $", adaptive ({n} rungs)" : "");

    private string Caps => Spec.MaxMFlops is { } m ? $", at most {LatencyText.Given(m)} MFLOPs" : "";

    /// <summary>A `--target device=ms` option.</summary>
    public static ReportTarget Parse(string option)
    {
        int eq = option.LastIndexOf('=');
        if (eq <= 0 || !double.TryParse(option[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) || !SpecRules.IsLimit(ms))
            throw new OfaException($"--target '{option}': write DEVICE=MILLISECONDS with a positive budget, e.g. --target cortex-a53=30.");
        return new ReportTarget(new TargetSpec(option[..eq], ms), "--target");
    }
}

/// <summary>
/// The [OfaTarget("device", LatencyMs = N, ...)] targets of a project's .cs files (bin/ and obj/ skipped), read by the
/// build's own parse (<see cref="SpecDiscovery"/>, linked from OfaBuild.Tasks) and checked by its rules
/// (<see cref="SpecRules"/>: budget, profile path, precision, Adaptive/Levels), each with the whole spec the build
/// plans (MaxMFlops and Precision included): the report marks the targets of [OfaTarget] attributes a build of the project
/// would make. &lt;OfaTarget&gt; items are MSBuild's to evaluate (properties, conditions, imports), so the report does not
/// read them; <see cref="ItemsNotRead"/> names those written in the files MSBuild reads for the project, at the lines the
/// build's errors about them name (<see cref="ItemLocator"/>, linked from OfaBuild.Tasks), and
/// <see cref="ImportsNotFollowed"/> the imports it could not read, so none is left out unsaid.
/// </summary>
public static class ProjectTargets
{
    /// <summary>
    /// The &lt;OfaTarget Include="..."&gt; items written in the files MSBuild reads for the project (a .csproj given) or the
    /// folder's .csproj files (<see cref="ProjectFiles"/>: the project, the nearest Directory.Build.props and .targets,
    /// their relative imports), as the report's note names them (file:line relative to the project's folder, as the report
    /// names attributes): targets the build makes that the report does not mark.
    /// </summary>
    public static IReadOnlyList<string> ItemsNotRead(string project)
    {
        string dir = File.Exists(project) ? Path.GetDirectoryName(Path.GetFullPath(project))! : Path.GetFullPath(project);
        return Files(project).Files.SelectMany(file => ItemLocator.Elements(File.ReadAllText(file))
            .Select(e => $"<OfaTarget Include=\"{e.Include}\"> at {Path.GetRelativePath(dir, file)}:{e.Line}")).ToList();
    }

    /// <summary>The imports <see cref="ItemsNotRead"/> could not follow (a path MSBuild makes, no such file), each with its file and line.</summary>
    public static IReadOnlyList<string> ImportsNotFollowed(string project) => Files(project).NotFollowed;

    private static ProjectFiles Files(string project)
    {
        var each = (File.Exists(project) ? [Path.GetFullPath(project)]
            : Directory.Exists(project) ? Directory.EnumerateFiles(project, "*.csproj").Order(StringComparer.Ordinal).ToArray()
            : Array.Empty<string>()).Select(ProjectFiles.Of).ToList();
        return new(each.SelectMany(f => f.Files).Distinct(StringComparer.Ordinal).ToList(), each.SelectMany(f => f.NotFollowed).Distinct(StringComparer.Ordinal).ToList());
    }

    /// <param name="project">A .csproj file (its folder is scanned) or a folder.</param>
    public static IReadOnlyList<ReportTarget> Scan(string project)
    {
        string dir = File.Exists(project) ? Path.GetDirectoryName(Path.GetFullPath(project))!
            : Directory.Exists(project) ? Path.GetFullPath(project)
            : throw new OfaException($"Project '{project}' is neither a .csproj file nor a folder; give the app's .csproj (or its folder) whose [OfaTarget] budgets to mark.");
        var targets = new List<ReportTarget>();
        foreach (var file in Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories).Where(f => !InBuildOutput(dir, f)).Order(StringComparer.Ordinal))
            foreach (var spec in SpecDiscovery.FromFile(file, File.ReadAllText(file)))
            {
                string? model = SpecRules.ResolvePath(spec.ModelPath, spec.Location.File, dir); // for the `ofa profile` of a missing profile
                foreach (var t in spec.Targets)
                    targets.Add(Target(t, spec.ClassName, $"{Path.GetRelativePath(dir, file)}:{t.Location.Line}", dir, model));
            }
        return targets;
    }

    private static ReportTarget Target(OfaTargetSpec t, string className, string where, string projectDir, string? model)
    {
        string at = $"{where}: {TargetWording.Written(t.FromItem, t.Device, className)}";
        if (SpecRules.UnknownArgument(t) is { } unknown)
            throw new OfaException($"{at}: {unknown}");
        if (t.LatencyMs is not { } ms || !SpecRules.IsLimit(ms))
            throw new OfaException($"{at} has {(t.LatencyMs is { } v ? $"LatencyMs = {LatencyText.Refused(v)}, not a positive budget" : "no literal LatencyMs = N the report can read")}; " +
                "write the budget as a positive number, or pass --target DEVICE=MS instead of --project.");
        if (SpecRules.UnreadNumber(t) is (_, var unread))
            throw new OfaException($"{at}: {unread}");
        if (SpecRules.MFlopsRefusal(t) is { } cap)
            throw new OfaException($"{at}: {cap}");
        string? profile = null;
        if (t.Profile is not null)
            profile = SpecRules.ResolvePath(t.Profile, t.Location.File, projectDir)
                ?? throw new OfaException($"{where}: {TargetWording.Written(t.FromItem, t.Device, className, (OfaAttributeNames.Profile, t.Profile))}: the profile was not found relative to {SpecRules.SearchedFolders(t.Location.File, projectDir)}. " +
                    $"Make it with `{ProfileHint.Command(t.Profile, model)}` on the device, or pass --profile {t.Device}=PATH.");
        var precision = SpecRules.Precision(t.Precision) ?? throw new OfaException($"{at}: {SpecRules.PrecisionRefusal(t)}");
        if (!SpecRules.TryLevels(t, out int? levels, out var problem))
            throw new OfaException($"{at}: {problem}");
        return new ReportTarget(new TargetSpec(t.Device, ms, profile, t.MaxMFlops, Precision: precision), where, levels);
    }

    private static bool InBuildOutput(string root, string file)
    {
        var parts = Path.GetRelativePath(root, file).Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        return parts.Take(parts.Length - 1).Any(p => p is "bin" or "obj");
    }
}
