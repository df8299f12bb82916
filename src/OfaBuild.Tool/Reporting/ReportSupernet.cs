using OfaBuild.Contracts;
using OfaBuild.Core;

namespace OfaBuild.Tool.Reporting;

/// <summary>
/// A project target's class, where its [OfaModel] is (file:line in the project's folder), and the supernet it names as
/// the build resolves it (<see cref="Tasks.SpecRules.ResolvePath"/>); <paramref name="File"/> null: none, <paramref name="Refusal"/>
/// says why, as the build's OFA0001 does. <paramref name="Named"/>: the file as the build names it (<see cref="Tasks.SpecRules.AsNamed"/>,
/// relative to the project folder unless written rooted), which its OFA0019's `ofa profile --model` names.
/// </summary>
public sealed record ClassSupernet(string ClassName, string Where, string? File, string? Refusal, string? Named = null);

/// <summary>
/// The supernet `ofa report` searches: --model when given, else the one file the classes of the project's marked
/// targets name (the build searches each target on its class's supernet, so the marks are the build's only there).
/// </summary>
public static class ReportSupernet
{
    /// <summary>
    /// The supernet's full path, what to warn of (each marked class that names another supernet than --model: its marks are
    /// then another supernet's search than its build's) and a note naming the file taken from the project.
    /// </summary>
    /// <param name="model">--model's full path, or null.</param>
    /// <param name="project">--project's file, or null.</param>
    /// <param name="marked">The project's marked targets (after <see cref="ProjectTargets.Built"/>'s filters).</param>
    public static (string Path, IReadOnlyList<string> Warnings, string? Note) Choose(string? model, string? project, IReadOnlyList<ReportTarget> marked)
    {
        var classes = marked.Select(t => t.Supernet).OfType<ClassSupernet>().DistinctBy(c => c.ClassName).ToList();
        if (model is not null)
            return (model, [.. classes.Where(c => !Same(c.File, model)).Select(c => c.File is { } file
                ? $"{c.Where}: class {c.ClassName}'s [OfaModel] names {file}, not --model {model}: its targets are marked where a search of --model's " +
                  $"supernet puts them, not where its build's search does; pass --model {file} to see its build's choices."
                : $"{c.Where}: {c.Refusal} Its build stops there ({DiagnosticIds.ModelNotFound}); the report marks its targets on --model {model}.")], null);
        if (project is null) throw new OfaException("Option '--model' is required without --project: give --model x.ofa (the .ofa supernet to plot), or --project App.csproj whose [OfaModel] class names it.");
        string name = System.IO.Path.GetFileName(project);
        if (classes.Count == 0)
            throw new OfaException($"Option '--model' is required here: {project} has no [OfaModel] class with a target its build specialises, " +
                "so it names no supernet to report on; pass --model x.ofa.");
        if (classes.FirstOrDefault(c => c.File is null) is { } missing)
            throw new OfaException($"{missing.Where}: {missing.Refusal} Or pass --model with the supernet to report on.");
        var files = classes.Select(c => c.File!).Distinct(PathComparer).ToList();
        if (files.Count > 1)
            throw new OfaException($"{name}'s classes name {files.Count} supernets, and a report searches one: " +
                string.Join("; ", classes.Select(c => $"{c.ClassName} ({c.Where}) names {c.File}")) +
                $". Pass --model with one of them, e.g. --model {files[0]}; the marks of the classes that name another are then warned of.");
        return (files[0], [], $"{name}: supernet {files[0]}, which [OfaModel] names on " +
            string.Join(", ", classes.Select(c => $"{c.ClassName} ({c.Where})")) + " (no --model given).");
    }

    // Paths name one file as the file system compares names: case-sensitively on Linux only.
    private static StringComparer PathComparer => OperatingSystem.IsLinux() ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;

    internal static bool Same(string? file, string model) => file is not null && PathComparer.Equals(file, model);
}
