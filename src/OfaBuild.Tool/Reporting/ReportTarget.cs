using System.Globalization;
using OfaBuild.Contracts;
using OfaBuild.Core;
using OfaBuild.Core.Specialization;
using OfaBuild.Core.Latency;
using OfaBuild.Runtime;
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

    /// <summary>A project target's class and the supernet its [OfaModel] names (<see cref="ReportSupernet"/>); null for a --target.</summary>
    public ClassSupernet? Supernet { get; init; }

    /// <summary>
    /// How messages name package <paramref name="path"/> (the supernet searched) beside this target's profile: as the build
    /// names its class's supernet when that is the file (<see cref="ClassSupernet.Named"/>); else null, its path.
    /// </summary>
    public string? PackageName(string path) => Supernet is { File: { } file, Named: { } named } && ReportSupernet.Same(file, path) ? named : null;

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
/// The targets a build of the project makes, from MSBuild's evaluation of it (<see cref="EvaluatedProject"/>): the
/// [OfaTarget("device", LatencyMs = N, ...)] attributes of its @(Compile) .cs files and its &lt;OfaTarget&gt; items, read
/// by the build task's own code (<see cref="SpecDiscovery"/>, <see cref="TargetItem"/>, <see cref="ItemLocations"/>,
/// linked from OfaBuild.Tasks) and checked by its rules (<see cref="SpecRules"/>: budget, profile path, precision,
/// Adaptive/Levels), each with the whole spec the build plans (MaxMFlops and Precision included).
/// </summary>
public static class ProjectTargets
{
    /// <summary>The targets of the project, attributes (in Compile order) then items (in evaluation order), each named by file:line relative to the project's folder.</summary>
    public static IReadOnlyList<ReportTarget> Scan(EvaluatedProject project) =>
        [.. Declared(project, Classes(project)).Select(d => Target(d.Target, d.Class, project.Directory))];

    /// <summary>The [OfaModel] classes of the project's Compile items.</summary>
    private static List<OfaClassSpec> Classes(EvaluatedProject project) =>
        SpecDiscovery.SourceFiles(project.Compile).SelectMany(file => SpecDiscovery.FromFile(file, File.ReadAllText(file))).ToList();

    /// <summary>Each target of the classes and items as written, with its class, in <see cref="Scan"/>'s order: not yet checked, since a build checks none of a class it skips.</summary>
    private static List<(OfaTargetSpec Target, OfaClassSpec Class)> Declared(EvaluatedProject project, List<OfaClassSpec> classes)
    {
        var declared = classes.SelectMany(spec => spec.Targets.Select(t => (t, spec))).ToList();
        foreach (var (item, location) in project.Targets.Zip(ItemLocations.Of(project.Targets, project.File)))
        {
            var spec = classes.FirstOrDefault(c => c.ClassName == item.GetMetadata(TargetItem.Class))
                ?? throw new OfaException($"{Where(location, project.Directory)}: {TargetItem.NamesNoClass(item, classes.Select(c => c.ClassName).ToList())}");
            declared.Add((TargetItem.Spec(item, location), spec));
        }
        return declared;
    }

    /// <summary>
    /// The targets a build of the project specialises, which the report marks, and what it says of the others: none when
    /// the project sets OfaEnabled to other than true (build/OfaBuild.targets runs only for 'true'; unset it is true, as
    /// the package's props default it); with a RuntimeIdentifier, the targets that run on it (as the build's RidFilter).
    /// A RuntimeIdentifier ONNX Runtime cannot run fails the build of a project with targets (OFA0013), and the report too.
    /// </summary>
    public static (IReadOnlyList<ReportTarget> Marked, IReadOnlyList<string> LeftOut) Built(EvaluatedProject project)
    {
        string name = Path.GetFileName(project.File);
        if (project.OfaEnabled.Length > 0 && !project.OfaEnabled.Equals("true", StringComparison.OrdinalIgnoreCase))
            return ([], [$"{name} sets OfaEnabled={project.OfaEnabled}: its build specialises no target, so none of its targets is marked."]);
        var classes = Classes(project);
        // Checked first, as the build task checks it before reading any target.
        if ((classes.Count > 0 || project.Targets.Count > 0) && OnnxRuntimeRids.Refusal(project.RuntimeIdentifier) is { } refusal)
            throw new OfaException($"{project.File}: {refusal} Its build fails there ({DiagnosticIds.UnsupportedRid}), before specialising any target, so none is marked: " +
                "set RuntimeIdentifier to one of those (in the project, or -p RuntimeIdentifier=RID), or pass --target DEVICE=MS instead of --project.");
        var marked = new List<ReportTarget>();
        var leftOut = new List<string>();
        foreach (var (declared, cls) in Declared(project, classes))
        {
            // The build plans nothing for a class that is not partial (TargetPlanner), and the generator reports OFA0003.
            if (!cls.IsPartial)
            {
                leftOut.Add($"{Where(declared.Location, project.Directory)}: the {declared.Device} target is not marked: class {cls.ClassName} is not partial, so its build " +
                    $"specialises none of its targets ({DiagnosticIds.NotPartial}); declare it partial (and any class it is nested in).");
                continue;
            }
            var t = Target(declared, cls, project.Directory);
            var rids = CatalogDevices.RuntimeIdentifiersOf(DeviceNames.Canonical(t.Device, CatalogDevices.Names));
            if (CatalogDevices.Fits(rids, project.RuntimeIdentifier)) marked.Add(t);
            else leftOut.Add($"{t.Source}: the {t.Device} target is not marked: {name} builds for RuntimeIdentifier {project.RuntimeIdentifier}, " +
                $"and its build leaves the target out (it runs on {string.Join(", ", rids)}).");
        }
        return (marked, leftOut);
    }

    private static string Where(Location location, string projectDir) => $"{Path.GetRelativePath(projectDir, location.File)}:{location.Line}";

    private static ReportTarget Target(OfaTargetSpec t, OfaClassSpec spec, string projectDir)
    {
        string className = spec.ClassName, where = Where(t.Location, projectDir);
        string? supernet = SpecRules.ResolvePath(spec.ModelPath, spec.Location.File, projectDir);
        string? supernetNamed = supernet is null ? null : SpecRules.AsNamed(spec.ModelPath!, supernet, projectDir);
        string at = $"{where}: {TargetWording.Written(t.FromItem, t.Device, className)}";
        if (SpecRules.UnknownArgument(t) is { } unknown)
            throw new OfaException($"{at}: {unknown}");
        if (t.LatencyMs is not { } ms || !SpecRules.IsLimit(ms))
            throw new OfaException((t.FromItem ? $"{at}: {(SpecRules.UnreadNumber(t) is (_, var text) ? text : SpecRules.LatencyRefusal(t))} Or" // an item's metadata is text, not a literal
                : $"{at} has {(t.LatencyMs is { } v ? $"LatencyMs = {LatencyText.Refused(v)}, not a positive budget" : "no literal LatencyMs = N the report can read")}; write the budget as a positive number, or")
                + " pass --target DEVICE=MS instead of --project.");
        if (SpecRules.UnreadNumber(t) is (_, var unread))
            throw new OfaException($"{at}: {unread}");
        if (SpecRules.MFlopsRefusal(t) is { } cap)
            throw new OfaException($"{at}: {cap}");
        var precision = SpecRules.Precision(t.Precision) ?? throw new OfaException($"{at}: {SpecRules.PrecisionRefusal(t)}");
        string? profile = null;
        if (t.Profile is not null)
            profile = SpecRules.ResolvePath(t.Profile, t.Location.File, projectDir)
                ?? throw new OfaException($"{where}: {TargetWording.Written(t.FromItem, t.Device, className, (OfaAttributeNames.Profile, t.Profile))}: the profile was not found relative to {SpecRules.SearchedFolders(t.Location.File, projectDir)}. " +
                    $"Make it with `{ProfileHint.Command(SpecRules.ToMake(t.Profile, t.Location.File, projectDir), supernetNamed,
                        precision: precision, device: DeviceNames.Canonical(t.Device, CatalogDevices.Names))}` " +
                    $"in the project folder, on the device or with --ssh from there (as the build's {DiagnosticIds.ProfileNotFound} says), or pass --profile {t.Device}=PATH.");
        if (!SpecRules.TryLevels(t, out int? levels, out var problem))
            throw new OfaException($"{at}: {problem}");
        // The profile and the supernet are read at their full paths and named as the build names them (its OFA0019 warning).
        var named = profile is null ? null : SpecRules.AsNamed(t.Profile!, profile, projectDir);
        return new ReportTarget(new TargetSpec(t.Device, ms, profile, t.MaxMFlops, Precision: precision) { ProfileName = named }, where, levels)
        {
            Supernet = new ClassSupernet(className, Where(spec.Location, projectDir), supernet, supernet is null ? SpecRules.ModelRefusal(spec, projectDir) : null, supernetNamed),
        };
    }
}
