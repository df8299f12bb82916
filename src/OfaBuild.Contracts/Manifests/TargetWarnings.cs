using System;
using System.Collections.Generic;
using System.Linq;

namespace OfaBuild.Contracts;

/// <summary>A warning `ofa specialize --plan` gave a target: its code (<see cref="DiagnosticIds"/>) and its message.</summary>
public sealed record TargetWarning(string Code, string Message);

/// <summary>
/// The warnings `ofa specialize --plan` gave a target (OFA0019: its profile is another device's table), kept beside its
/// outputs in <see cref="TargetFiles.Warnings"/>, written before the stamp: a build that finds the target up to date runs
/// no tool, and repeats them from there (a warning shown only by the build that specialised would be lost to whoever
/// did not read that build's output, and the target would still ship). One "CODE: message" a line.
/// </summary>
public static class TargetWarnings
{
    private const string Separator = ": ";
    private static readonly char[] NewLine = { '\n' };

    /// <summary>The file's text: one line a warning (a message is one line).</summary>
    public static string Format(IEnumerable<TargetWarning> warnings) =>
        string.Concat(warnings.Select(w => w.Code + Separator + w.Message.Replace('\n', ' ').Replace('\r', ' ') + "\n"));

    /// <summary>The warnings of <see cref="Format"/>'s text; a line without a code is skipped.</summary>
    public static IReadOnlyList<TargetWarning> Parse(string text) =>
        text.Split(NewLine, StringSplitOptions.RemoveEmptyEntries)
            .Select(line => (Line: line, At: line.IndexOf(Separator, StringComparison.Ordinal)))
            .Where(l => l.At > 0)
            .Select(l => new TargetWarning(l.Line.Substring(0, l.At), l.Line.Substring(l.At + Separator.Length)))
            .ToList();
}
