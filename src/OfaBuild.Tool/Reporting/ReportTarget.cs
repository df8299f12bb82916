using System.Globalization;
using System.Text.RegularExpressions;
using OfaBuild.Core;

namespace OfaBuild.Tool.Reporting;

/// <summary>One latency budget to mark on a device's plot, and where it came from (for the report).</summary>
public sealed record ReportTarget(string Device, double LatencyMs, string Source, string? Profile = null)
{
    /// <summary>A `--target device=ms` option.</summary>
    public static ReportTarget Parse(string option)
    {
        int eq = option.LastIndexOf('=');
        if (eq <= 0 || !double.TryParse(option[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) || !(ms > 0) || double.IsInfinity(ms))
            throw new OfaException($"--target '{option}': write DEVICE=MILLISECONDS with a positive budget, e.g. --target cortex-a53=30.");
        return new ReportTarget(option[..eq], ms, "--target");
    }
}

/// <summary>
/// The [OfaTarget("device", LatencyMs = N)] budgets of a project, found by a regular-expression scan of its .cs
/// files (bin/ and obj/ skipped, whole-line // comments ignored). The build's own discovery uses Roslyn;
/// a scan is enough for a report, and needs no compiler in the CLI. Only literal numbers are read.
/// </summary>
public static partial class ProjectTargets
{
    [GeneratedRegex(@"\bOfaTarget(?:Attribute)?\s*\(\s*""(?<device>[^""]*)""(?<args>[^)]*)\)")]
    private static partial Regex Attribute();

    [GeneratedRegex(@"\bLatencyMs\s*=\s*(?<ms>[0-9][0-9_]*(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)[dDfFmM]?")]
    private static partial Regex LatencyArg();

    [GeneratedRegex(@"\bProfile\s*=\s*@?""(?<path>[^""]*)""")]
    private static partial Regex ProfileArg();

    [GeneratedRegex(@"^[ \t]*//.*$", RegexOptions.Multiline)]
    private static partial Regex LineComment();

    /// <param name="project">A .csproj file (its folder is scanned) or a folder.</param>
    public static IReadOnlyList<ReportTarget> Scan(string project)
    {
        string dir = File.Exists(project) ? Path.GetDirectoryName(Path.GetFullPath(project))!
            : Directory.Exists(project) ? Path.GetFullPath(project)
            : throw new OfaException($"Project '{project}' is neither a .csproj file nor a folder; give the app's .csproj (or its folder) whose [OfaTarget] budgets to mark.");
        var targets = new List<ReportTarget>();
        foreach (var file in Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories).Where(f => !InBuildOutput(dir, f)).Order(StringComparer.Ordinal))
        {
            var text = LineComment().Replace(File.ReadAllText(file), "");
            foreach (Match m in Attribute().Matches(text))
            {
                var where = $"{Path.GetRelativePath(dir, file)}:{1 + text.AsSpan(0, m.Index).Count('\n')}";
                var args = m.Groups["args"].Value;
                var ms = LatencyArg().Match(args);
                if (!ms.Success)
                    throw new OfaException($"{where}: [OfaTarget(\"{m.Groups["device"].Value}\")] has no literal LatencyMs = N the report can read; write the budget as a number, or pass --target DEVICE=MS instead of --project.");
                var profile = ProfileArg().Match(args);
                targets.Add(new ReportTarget(m.Groups["device"].Value,
                    double.Parse(ms.Groups["ms"].Value.Replace("_", ""), CultureInfo.InvariantCulture), where,
                    profile.Success ? ResolveProfile(profile.Groups["path"].Value, file, dir) : null));
            }
        }
        return targets;
    }

    private static bool InBuildOutput(string root, string file)
    {
        var parts = Path.GetRelativePath(root, file).Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        return parts.Take(parts.Length - 1).Any(p => p is "bin" or "obj");
    }

    /// <summary>Like the build: a Profile path is looked up next to the source file, then in the project folder.</summary>
    private static string ResolveProfile(string path, string sourceFile, string projectDir)
    {
        foreach (var baseDir in new[] { Path.GetDirectoryName(sourceFile)!, projectDir })
        {
            var full = Path.GetFullPath(Path.Combine(baseDir, path));
            if (File.Exists(full)) return full;
        }
        throw new OfaException($"[OfaTarget(Profile = \"{path}\")] in {sourceFile}: the profile was not found next to the file or in {projectDir}. Make it with `ofa profile -o {path}` on the device, or pass --profile DEVICE=PATH.");
    }
}
