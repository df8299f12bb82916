using System.Globalization;
using OfaBuild.Core;
using OfaBuild.Tasks;

namespace OfaBuild.Tool.Reporting;

/// <summary>One latency budget to mark on a device's plot, and where it came from (for the report).</summary>
public sealed record ReportTarget(string Device, double LatencyMs, string Source, string? Profile = null)
{
    /// <summary>A `--target device=ms` option.</summary>
    public static ReportTarget Parse(string option)
    {
        int eq = option.LastIndexOf('=');
        if (eq <= 0 || !double.TryParse(option[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) || !SpecRules.IsLatencyBudget(ms))
            throw new OfaException($"--target '{option}': write DEVICE=MILLISECONDS with a positive budget, e.g. --target cortex-a53=30.");
        return new ReportTarget(option[..eq], ms, "--target");
    }
}

/// <summary>
/// The [OfaTarget("device", LatencyMs = N)] budgets of a project's .cs files (bin/ and obj/ skipped), read by the
/// build's own parse (<see cref="SpecDiscovery"/>, linked from OfaBuild.Tasks) and checked by its rules
/// (<see cref="SpecRules"/>): the report marks exactly the targets a build of the project would make.
/// </summary>
public static class ProjectTargets
{
    /// <param name="project">A .csproj file (its folder is scanned) or a folder.</param>
    public static IReadOnlyList<ReportTarget> Scan(string project)
    {
        string dir = File.Exists(project) ? Path.GetDirectoryName(Path.GetFullPath(project))!
            : Directory.Exists(project) ? Path.GetFullPath(project)
            : throw new OfaException($"Project '{project}' is neither a .csproj file nor a folder; give the app's .csproj (or its folder) whose [OfaTarget] budgets to mark.");
        var targets = new List<ReportTarget>();
        foreach (var file in Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories).Where(f => !InBuildOutput(dir, f)).Order(StringComparer.Ordinal))
            foreach (var spec in SpecDiscovery.FromFile(file, File.ReadAllText(file)))
                foreach (var t in spec.Targets)
                    targets.Add(Target(t, $"{Path.GetRelativePath(dir, file)}:{t.Location.Line}", dir));
        return targets;
    }

    private static ReportTarget Target(OfaTargetSpec t, string where, string projectDir)
    {
        if (t.LatencyMs is not { } ms || !SpecRules.IsLatencyBudget(ms))
            throw new OfaException($"{where}: [OfaTarget(\"{t.Device}\")] has {(t.LatencyMs is { } v ? $"LatencyMs = {v.ToString("R", CultureInfo.InvariantCulture)}, not a positive budget" : "no literal LatencyMs = N the report can read")}; " +
                "write the budget as a positive number, or pass --target DEVICE=MS instead of --project.");
        string? profile = null;
        if (t.Profile is not null)
            profile = SpecRules.ResolvePath(t.Profile, t.Location.File, projectDir)
                ?? throw new OfaException($"{where}: [OfaTarget(\"{t.Device}\", Profile = \"{t.Profile}\")]: the profile was not found next to {Path.GetFileName(t.Location.File)} or in {projectDir}. " +
                    $"Make it with `ofa profile -o {t.Profile}` on the device, or pass --profile {t.Device}=PATH.");
        return new ReportTarget(t.Device, ms, where, profile);
    }

    private static bool InBuildOutput(string root, string file)
    {
        var parts = Path.GetRelativePath(root, file).Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        return parts.Take(parts.Length - 1).Any(p => p is "bin" or "obj");
    }
}
