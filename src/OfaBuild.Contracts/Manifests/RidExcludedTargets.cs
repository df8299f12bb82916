using System;
using System.Collections.Generic;
using System.Linq;

namespace OfaBuild.Contracts;

/// <summary>
/// The targets a build for a RuntimeIdentifier leaves out before specialising them (their device runs on other RIDs:
/// <see cref="CatalogDevices.RuntimeIdentifiersOf"/>). They have no manifest to pass as an AdditionalFiles item (a
/// compiler input that does not exist would make every build compile again), so the build task passes their names in
/// one compiler-visible property, "Class/target|Class/target", and the source generator still knows every declared
/// target, and that the build step ran for a class left with none. Neither '/' nor '|' is in a class or target name
/// (<see cref="TargetNames"/>); an .editorconfig value ends at ';' or '#', so neither separates.
/// </summary>
public static class RidExcludedTargets
{
    /// <summary>The MSBuild property (build/OfaBuild.targets sets it, build/OfaBuild.props makes it compiler-visible).</summary>
    public const string Property = "OfaRidExcludedTargets";

    /// <summary>The key under which a generator finds the property in its global AnalyzerConfigOptions.</summary>
    public const string GeneratorKey = "build_property." + Property;

    private static readonly char[] Separator = { '|' };

    public static string Join(IEnumerable<(string Class, string Target)> targets) =>
        string.Join("|", targets.Select(t => t.Class + "/" + t.Target));

    /// <summary>The (class, target) pairs of <see cref="Join"/>'s text; none for an empty or absent property.</summary>
    public static IReadOnlyList<(string Class, string Target)> Parse(string? text) =>
        (text ?? "").Split(Separator, StringSplitOptions.RemoveEmptyEntries)
            .Select(e => (Entry: e.Trim(), Slash: e.Trim().LastIndexOf('/')))
            .Where(e => e.Slash > 0 && e.Slash < e.Entry.Length - 1)
            .Select(e => (e.Entry.Substring(0, e.Slash), e.Entry.Substring(e.Slash + 1)))
            .ToArray();
}
