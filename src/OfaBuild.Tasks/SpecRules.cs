namespace OfaBuild.Tasks;

/// <summary>
/// The rules of a spec's values that the build (TargetPlanner) and `ofa report --project` share, as source:
/// a report marks a target only where the build would make one.
/// </summary>
internal static class SpecRules
{
    /// <summary>A latency budget is a positive, finite number of milliseconds.</summary>
    public static bool IsLatencyBudget(double ms) => ms > 0 && !double.IsInfinity(ms);

    /// <summary>
    /// A path written in a spec (the supernet, a profile): rooted as it is, else relative to the declaring file's folder,
    /// then to the project folder. Null when missing or no such file.
    /// </summary>
    public static string? ResolvePath(string? path, string declaringFile, string projectDir)
    {
        if (string.IsNullOrWhiteSpace(path)) return null;
        if (Path.IsPathRooted(path)) return File.Exists(path) ? Path.GetFullPath(path) : null;
        var dir = Path.GetDirectoryName(Path.GetFullPath(declaringFile));
        foreach (var candidate in new[] { dir is null ? null : Path.Combine(dir, path), Path.Combine(projectDir, path) })
            if (candidate is not null && File.Exists(candidate)) return Path.GetFullPath(candidate);
        return null;
    }
}
