using Microsoft.Build.Utilities;
using OfaBuild.Contracts;
using OfaBuild.Core.Specialization;

namespace OfaBuild.Tasks;

/// <summary>A warning the tool gave a target, at the target's [OfaTarget] (or &lt;OfaTarget&gt; item), as the build repeats it.</summary>
internal sealed record LocatedWarning(Location Location, TargetWarning Warning);

/// <summary>
/// The warnings of targets the build finds up to date (OFA0019: a profile of another device). Such a build runs no tool,
/// so by MSBuild's habit (a skipped compile repeats no compiler warning) the warning would be seen once, by the build
/// that specialised, while the target built on it keeps shipping. The tool keeps them beside the target's outputs
/// (<see cref="TargetWarnings"/>); the build repeats them, as they were, at the target: read from that small file when
/// the target is fresh, from state.json on a no-op build, so neither runs the tool.
/// </summary>
internal static class RepeatedWarnings
{
    /// <summary>The warnings the tool gave <paramref name="t"/> when it last specialised it (none when it gave none).</summary>
    public static LocatedWarning[] Of(PlannedTarget t) =>
        File.Exists(t.WarningsPath)
            ? [.. TargetWarnings.Parse(File.ReadAllText(t.WarningsPath)).Select(w => new LocatedWarning(new Location(t.SourceFile, t.Line, t.Column), w))]
            : [];

    public static void Log(TaskLoggingHelper log, IEnumerable<TargetOutput> outputs)
    {
        foreach (var (at, w) in outputs.SelectMany(o => o.Warnings ?? []))
            log.LogWarning(null, w.Code, null, at.File, at.Line, at.Column, 0, 0, w.Message);
    }
}
