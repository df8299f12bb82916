using System.Globalization;
using Microsoft.Build.Framework;
using OfaBuild.Contracts;
using OfaBuild.Core.Specialization;
using OfaBuild.Runtime;

namespace OfaBuild.Tasks;

/// <summary>A problem with a spec, reported at the attribute that caused it.</summary>
internal sealed record SpecError(Location Location, string Code, string Message);

/// <summary>
/// Turns discovered specs (+ &lt;OfaTarget&gt; items) into planned targets with predicted output paths and
/// a hash of everything the outputs depend on. The one place the spec's rules are checked (the generator checks
/// only what the compiler alone sees; `ofa specialize` checks devices and budgets against the supernet).
/// Pure apart from reading the files it hashes and the project files that define the items (for their lines).
/// </summary>
/// <param name="projectFile">The project being built: where an item that names no file defining it is reported.</param>
internal sealed class TargetPlanner(string projectDir, string projectFile, string intermediateDir, string toolIdentity, ContentHash hashes)
{
    public List<SpecError> Errors { get; } = new();
    /// <summary>Supernet and profile files the plan read: a change to any makes the next build look again.</summary>
    public SortedSet<string> Dependencies { get; } = new(StringComparer.Ordinal);
    /// <summary>Where each planned class's [OfaModel] is, for diagnostics about the class as a whole.</summary>
    public Dictionary<string, Location> ClassLocations { get; } = new(StringComparer.Ordinal);

    public List<PlannedTarget> Plan(IReadOnlyList<OfaClassSpec> classes, IEnumerable<ITaskItem> items)
    {
        var byClass = new Dictionary<string, (OfaClassSpec Spec, List<OfaTargetSpec> Targets)>(StringComparer.Ordinal);
        foreach (var c in classes)
        {
            if (byClass.ContainsKey(c.ClassName))
            {
                Errors.Add(new(c.Location, DiagnosticIds.DuplicateModel, $"class {c.ClassName} has [OfaModel] in more than one file or partial declaration; keep one."));
                continue;
            }
            byClass[c.ClassName] = (c, c.Targets.ToList());
        }
        var itemList = items.ToList();
        var itemLocations = ItemLocations.Of(itemList, projectFile); // each file's items matched to its elements together
        foreach (var (item, loc) in itemList.Zip(itemLocations))
        {
            var cls = item.GetMetadata(TargetItem.Class);
            if (!byClass.TryGetValue(cls, out var entry))
            {
                Errors.Add(new(loc, DiagnosticIds.UnknownClass, TargetItem.NamesNoClass(item, byClass.Keys)));
                continue;
            }
            entry.Targets.Add(TargetItem.Spec(item, loc));
        }

        var planned = new List<PlannedTarget>();
        foreach (var (spec, targets) in byClass.Values)
        {
            // The generator refuses a class that is not partial (OFA0003, at the class, once): searching for it first would only waste time.
            if (!spec.IsPartial) continue;
            var model = Resolve(spec.ModelPath, spec.Location.File);
            if (model is null)
            {
                Errors.Add(new(spec.Location, DiagnosticIds.ModelNotFound, SpecRules.ModelRefusal(spec, projectDir)));
                continue;
            }
            if (targets.Count == 0)
            {
                Errors.Add(new(spec.Location, DiagnosticIds.NoTargets, $"{spec.ClassName} has [OfaModel] but no target; add {TargetWording.Example(false, spec.ClassName, "host", "1")} " +
                    $"(a device and its latency budget) to the class, or {TargetWording.Example(true, spec.ClassName, "cortex-a72", "8")} to the project."));
                continue;
            }
            Dependencies.Add(model);
            string modelNamed = SpecRules.AsNamed(spec.ModelPath!, model, projectDir);
            ClassLocations[spec.ClassName] = spec.Location;
            // Each device's first spelling: Host after host is the same device (DeviceNames), as the app picks targets.
            var seen = new Dictionary<string, string>(DeviceNames.Comparer);
            foreach (var t in targets)
            {
                if (string.IsNullOrWhiteSpace(t.Device)) { Errors.Add(new(t.Location, DiagnosticIds.NoDevice, $"{t.Subject(spec.ClassName)} needs a device name, e.g. {TargetWording.Example(t.FromItem, spec.ClassName)}.")); continue; }
                if (!TargetNames.IsValid(t.Device)) { Errors.Add(new(t.Location, DiagnosticIds.NoDevice, $"{t.Subject(spec.ClassName)}: a device name names the target's files and resource; use {TargetNames.Rule}, e.g. \"lab-board\".")); continue; }
                if (SpecRules.UnknownArgument(t) is { } unknown) { Errors.Add(new(t.Location, DiagnosticIds.UnknownArgument, $"{t.Subject(spec.ClassName)}: {unknown}")); continue; }
                if (SpecRules.UnreadNumber(t) is (var name, var problem)) { Errors.Add(new(t.Location, name == OfaAttributeNames.Levels ? DiagnosticIds.BadAdaptive : DiagnosticIds.BadLatency, $"{t.Subject(spec.ClassName)}: {problem}")); continue; }
                if (t.LatencyMs is not { } ms || !SpecRules.IsLimit(ms)) { Errors.Add(new(t.Location, DiagnosticIds.BadLatency, $"{t.Subject(spec.ClassName)}: {SpecRules.LatencyRefusal(t)}")); continue; }
                if (SpecRules.MFlopsRefusal(t) is { } cap) { Errors.Add(new(t.Location, DiagnosticIds.BadLatency, $"{t.Subject(spec.ClassName)}: {cap}")); continue; }
                if (!seen.TryAdd(t.Device, t.Device)) { Errors.Add(new(t.Location, DiagnosticIds.DuplicateDevice, $"{TargetWording.Written(t.FromItem, t.Device, spec.ClassName)} appears twice on {spec.ClassName}{(seen[t.Device] == t.Device ? "" : $" (as \"{seen[t.Device]}\" before: device names ignore case)")}; keep one per device.")); continue; }
                var precision = SpecRules.Precision(t.Precision);
                if (precision is null) { Errors.Add(new(t.Location, DiagnosticIds.BadPrecision, $"{t.Subject(spec.ClassName)}: {SpecRules.PrecisionRefusal(t)}")); continue; }
                // Cortex-A53 and cortex-a53 are one device and give the same outputs, named as the catalog spells it.
                string device = DeviceNames.Canonical(t.Device, CatalogDevices.Names);
                string? profile = null, profileNamed = null;
                if (t.Profile is not null)
                {
                    profile = Resolve(t.Profile, t.Location.File);
                    if (profile is null) { Errors.Add(new(t.Location, DiagnosticIds.ProfileNotFound, $"{t.Subject(spec.ClassName, (OfaAttributeNames.Profile, t.Profile))}: the profile was not found relative to {SpecRules.SearchedFolders(t.Location.File, projectDir)}. Make it with `{ProfileCommand(SpecRules.ToMake(t.Profile, t.Location.File, projectDir), modelNamed, precision, device)}` in the project folder, on the device or with --ssh from there.")); continue; }
                    Dependencies.Add(profile);
                    profileNamed = SpecRules.AsNamed(t.Profile, profile, projectDir);
                }
                if (!TryLevels(t, spec.ClassName, out int? levels)) continue;
                var outputDir = Path.Combine(intermediateDir, spec.ClassName);
                planned.Add(new PlannedTarget
                {
                    ClassName = spec.ClassName,
                    Model = modelNamed,
                    Device = device,
                    LatencyMs = ms,
                    Profile = profileNamed,
                    MaxMFlops = t.MaxMFlops,
                    Precision = precision,
                    OutputDir = outputDir,
                    Name = device,
                    FromItem = t.FromItem,
                    SourceFile = t.Location.File,
                    Line = t.Location.Line,
                    Column = t.Location.Column,
                    ModelSourceFile = spec.Location.File,
                    ModelLine = spec.Location.Line,
                    ModelColumn = spec.Location.Column,
                    Levels = levels,
                    Hash = ContentHash.OfText(string.Join("\n",
                        "tool " + toolIdentity,
                        "supernet " + hashes.OfFile(model),
                        "device " + device,
                        "latency_ms " + ms.ToString("R", CultureInfo.InvariantCulture),
                        "max_mflops " + t.MaxMFlops?.ToString("R", CultureInfo.InvariantCulture),
                        "profile " + (profile is null ? "" : hashes.OfFile(profile)),
                        "precision " + precision)
                        + (levels is { } n ? "\nlevels " + n.ToString(CultureInfo.InvariantCulture) : "") // a fixed target's hash is as before
                        + (profileNamed is null ? "" : WarningWords(profileNamed, modelNamed, t.FromItem))),
                });
            }
        }
        return planned;
    }

    /// <summary>
    /// What the tool's warning about a profiled target (OFA0019, which the build repeats while the target is fresh) names
    /// besides the hashed inputs: the profile's and the supernet's files as the project names them (<see cref="SpecRules.AsNamed"/>)
    /// and how the target is declared (the fix is worded for an attribute or an item). In the hash, so a profile moved
    /// with the same content, or an attribute made an item, specialises the target again and the warning is worded anew
    /// by the tool's one rule, never repeated stale; a project folder moved whole names them as before, and stays fresh.
    /// A target without a profile gets no such warning: its hash is as before, and its outputs survive a moved supernet.
    /// </summary>
    private static string WarningWords(string profile, string model, bool fromItem) =>
        $"\nprofile_file {profile}\nsupernet_file {model}\ndeclared {(fromItem ? "item" : "attribute")}";

    /// <summary>
    /// The `ofa profile` command that makes a missing profile: of the class's own supernet, whose space (classes, input
    /// channels, resolutions) the table's keys must match, both named as the project names them (<see cref="SpecRules.ToMake"/>,
    /// <see cref="SpecRules.AsNamed"/>), and of the target's precision and device, worded by the tool's rule (<see cref="ProfileCommandText"/>).
    /// </summary>
    internal static string ProfileCommand(string profile, string model, string precision, string device) =>
        ProfileCommandText.Of(profile, ProfileCommandText.Package(model), precision, device);

    /// <summary>The spec's Adaptive / Levels rule (<see cref="SpecRules.TryLevels"/>), reported at the attribute.</summary>
    private bool TryLevels(OfaTargetSpec t, string className, out int? levels)
    {
        if (SpecRules.TryLevels(t, out levels, out var problem)) return true;
        Errors.Add(new(t.Location, DiagnosticIds.BadAdaptive, $"{t.Subject(className)}: {problem}"));
        return false;
    }

    /// <summary>The spec's path rule (<see cref="SpecRules.ResolvePath"/>), for this project.</summary>
    private string? Resolve(string? path, string declaringFile) => SpecRules.ResolvePath(path, declaringFile, projectDir);
}
