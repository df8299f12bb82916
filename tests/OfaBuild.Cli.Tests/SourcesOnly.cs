using Microsoft.Build.Framework;
using OfaBuild.Tool.Reporting;

namespace OfaBuild.Cli.Tests;

/// <summary>
/// A project as MSBuild's default Compile glob evaluates it (every .cs under its folder), with the given &lt;OfaTarget&gt;
/// items, without running MSBuild: for the tests of the rules, which need no evaluation.
/// </summary>
internal static class SourcesOnly
{
    public static EvaluatedProject Of(string dir, params ITaskItem[] items) =>
        new(Path.Combine(dir, "App.csproj"), dir,
            Directory.GetFiles(dir, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                .Select(f => (ITaskItem)new EvaluatedItem(Path.GetRelativePath(dir, f), new Dictionary<string, string> { ["FullPath"] = f })).ToList(),
            items);
}
