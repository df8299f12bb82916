using System.Globalization;
using OfaBuild.Contracts;
using OfaBuild.Core.Specialization;
using OfaBuild.Runtime;

namespace OfaBuild.Tasks;

/// <summary>
/// The rules of a spec's values that the build (TargetPlanner) and `ofa report --project` share, as source:
/// a report marks a target only where the build would make one.
/// </summary>
internal static class SpecRules
{
    /// <summary>
    /// A limit (a LatencyMs budget in milliseconds, a MaxMFlops cap) is a positive, finite number: one rule for both, so
    /// neither reaches the tool to be refused only there.
    /// </summary>
    public static bool IsLimit(double value) => value > 0 && !double.IsInfinity(value);

    /// <summary>
    /// A number argument written but not as a literal number (a constant, an expression, an item's "2,5"): its name and the
    /// problem, else null. Without this rule an unread MaxMFlops or Levels would be dropped as if not given.
    /// </summary>
    public static (string Name, string Problem)? UnreadNumber(OfaTargetSpec t) => t.UnreadNumber is (var name, var written)
        ? (name, $"{written} is not a number the build can read; write the number itself, e.g. {t.Argument(name, name == OfaAttributeNames.Levels ? "3" : "4")}.")
        : null;

    /// <summary>
    /// An argument (item metadata) OfaTarget does not have, and the fix: the nearest it has, else the list. Null when
    /// there is none. The compiler would refuse such an attribute argument too, but the build stops before it compiles.
    /// </summary>
    public static string? UnknownArgument(OfaTargetSpec t) => t.UnknownArgument is not { } name ? null
        : $"{name} is not {(t.FromItem ? "metadata of an <OfaTarget> item" : "an [OfaTarget] argument")}, so nothing would read it. " +
          $"{NameSuggestions.DidYouMean(name, Known(t))}Write one of {string.Join(", ", Known(t))}.";

    private static string[] Known(OfaTargetSpec t) => t.FromItem ? OfaAttributeNames.ItemMetadata : OfaAttributeNames.TargetArguments;

    /// <summary>A spec's precision: not written, fp32; else its normalised name (<see cref="Precisions.Normalize"/>), null when it is none.</summary>
    public static string? Precision(string? written) => written is null ? Precisions.Fp32 : Precisions.Normalize(written);

    /// <summary>Why a spec's precision is none (<see cref="Precision"/> null), and the fix as the spec writes it.</summary>
    public static string PrecisionRefusal(OfaTargetSpec t) =>
        $"Precision {(string.IsNullOrEmpty(t.Precision) ? "is not an OfaPrecision member" : $"'{t.Precision}' is unknown")}; " +
        $"write {t.Argument(OfaAttributeNames.Precision, t.FromItem ? "Int8" : "OfaPrecision.Int8")} (or Fp32).";

    /// <summary>Why a spec's LatencyMs is no budget (<see cref="IsLimit"/>), and the fix as the spec writes it.</summary>
    public static string LatencyRefusal(OfaTargetSpec t) =>
        $"LatencyMs is {(t.LatencyMs is { } v ? LatencyText.Refused(v) : "not set")}; set LatencyMs to the latency budget in milliseconds, " +
        $"a positive {(t.FromItem ? "number" : "literal number")}, e.g. {t.Argument(OfaAttributeNames.LatencyMs, "4")}.";

    /// <summary>Why a spec's MaxMFlops is no cap (<see cref="IsLimit"/>), and the fix as the spec writes it; null when it is one or is not given.</summary>
    public static string? MFlopsRefusal(OfaTargetSpec t) => t.MaxMFlops is { } v && !IsLimit(v)
        ? $"MaxMFlops is {LatencyText.Refused(v)}; set MaxMFlops to the cap in millions of FLOPs, a positive {(t.FromItem ? "number" : "literal number")}, " +
          $"e.g. {t.Argument(OfaAttributeNames.MaxMFlops, "50")}, or leave it out for no cap."
        : null;

    /// <summary>
    /// Adaptive = true: a ladder of Levels rungs at most (default <see cref="LadderLevels.Default"/>); Adaptive missing or false:
    /// a fixed target (null). False with <paramref name="problem"/> (what to write instead) when the spec is not one of these.
    /// </summary>
    public static bool TryLevels(OfaTargetSpec t, out int? levels, out string? problem)
    {
        levels = null;
        problem = null;
        bool adaptive = false;
        string adaptiveTrue = t.Argument(OfaAttributeNames.Adaptive, "true");
        if (t.Adaptive is { } text && !bool.TryParse(text, out adaptive))
        {
            problem = $"Adaptive is '{text}'; write {adaptiveTrue} (a ladder of subnets switched at run time) or leave it out{(t.FromItem ? "" : ", as a literal")}.";
            return false;
        }
        if (t.Levels is { } n && !adaptive)
        {
            problem = $"{t.Argument(OfaAttributeNames.Levels, n.ToString(CultureInfo.InvariantCulture))} without {adaptiveTrue}; add {adaptiveTrue} to embed a ladder, or remove Levels.";
            return false;
        }
        if (!adaptive) return true;
        double value = t.Levels ?? LadderLevels.Default;
        if (!PlannedTarget.IsValidLevels(value))
        {
            problem = PlannedTarget.LevelsRefusal("Levels", value, LadderLevels.Default.ToString(CultureInfo.InvariantCulture));
            return false;
        }
        levels = (int)value;
        return true;
    }

    /// <summary>
    /// Where <see cref="ResolvePath"/> looked, for a "no such file relative to ..." message: the declaring file's folder
    /// and the project folder, or the project folder alone when the declaring file is in it (or none is named).
    /// </summary>
    public static string SearchedFolders(string declaringFile, string projectDir)
    {
        var dir = DeclaringFolder(declaringFile);
        string project = $"the project folder '{projectDir}'";
        return dir is null || Trimmed(dir) == Trimmed(Path.GetFullPath(projectDir)) ? project : $"'{dir}' or to {project}";
    }

    private static string Trimmed(string dir) => dir.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);

    /// <summary>
    /// Why a class's [OfaModel] names no supernet file (OFA0001): no literal path, or no such file where <see cref="ResolvePath"/> looks.
    /// </summary>
    public static string ModelRefusal(OfaClassSpec spec, string projectDir) => spec.ModelPath is null
        ? $"[OfaModel] on {spec.ClassName} needs the supernet path as a string literal, e.g. [OfaModel(\"models/x.ofa\")]."
        : $"[OfaModel(\"{spec.ModelPath}\")] on {spec.ClassName}: no such file relative to {SearchedFolders(spec.Location.File, projectDir)}; fix the path, or train/copy the .ofa package there.";

    /// <summary>
    /// A path written in a spec (the supernet, a profile): rooted as it is, else relative to the declaring file's folder,
    /// then to the project folder; relative to the project folder alone when no file is named. Null when missing or no such file.
    /// </summary>
    public static string? ResolvePath(string? path, string declaringFile, string projectDir)
    {
        if (string.IsNullOrWhiteSpace(path)) return null;
        if (Path.IsPathRooted(path)) return File.Exists(path) ? Path.GetFullPath(path) : null;
        return Candidates(path, declaringFile, projectDir).FirstOrDefault(File.Exists) is { } found ? Path.GetFullPath(found) : null;
    }

    /// <summary>
    /// A spec's file that is missing, as the project names it (<see cref="AsNamed"/>) where <see cref="ResolvePath"/> looks
    /// first: the file to make (OFA0012's `ofa profile -o`), so a command run in the project folder puts it where the build finds it.
    /// </summary>
    public static string ToMake(string written, string declaringFile, string projectDir) =>
        AsNamed(written, Path.GetFullPath(Path.IsPathRooted(written) ? written : Candidates(written, declaringFile, projectDir)[0]), projectDir);

    /// <summary>Where a relative path is looked for, in order: the declaring file's folder (when named), then the project folder.</summary>
    private static string[] Candidates(string path, string declaringFile, string projectDir) =>
        DeclaringFolder(declaringFile) is { } dir ? [Path.Combine(dir, path), Path.Combine(projectDir, path)] : [Path.Combine(projectDir, path)];

    /// <summary>
    /// A spec's file as the project names it, for the plan, the hash and the tool's words: written rooted, its full path;
    /// else relative to the project folder (<paramref name="resolved"/> is <see cref="ResolvePath"/>'s), with "../" when it
    /// is outside. So a project folder moved or copied with what its relative paths reach names its files as before, while
    /// a file moved within it is named anew. The tool runs in the project folder (<see cref="SpecializationPlan.ProjectDirectory"/>),
    /// where these paths find the files. (On Windows, a file on another drive than the project has no relative path: its full path.)
    /// </summary>
    public static string AsNamed(string written, string resolved, string projectDir) =>
        Path.IsPathRooted(written) ? resolved : Path.GetRelativePath(Path.GetFullPath(projectDir), resolved);

    /// <summary>The declaring file's folder; null when no file is named, and the project folder alone is searched.</summary>
    private static string? DeclaringFolder(string declaringFile) =>
        string.IsNullOrWhiteSpace(declaringFile) ? null : Path.GetDirectoryName(Path.GetFullPath(declaringFile));
}
