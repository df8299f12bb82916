using OfaBuild.Contracts;
using OfaBuild.Core.Specialization;

namespace OfaBuild.Tasks;

/// <summary>What the build does with one target for the RuntimeIdentifier, and what it tells the user.</summary>
internal sealed record Embedding(TargetOutput Target, bool Embedded);

/// <summary>A line for the build log: a message at high importance (shown at default verbosity), or a warning at a source location.</summary>
internal sealed record BuildNote(bool IsWarning, string? Code, Location? Location, string Text);

/// <summary>
/// Which targets a build specialises and embeds: all without a RuntimeIdentifier; with one, those whose manifest lists
/// it (or lists none: a profiled device outside the catalog), known before specialising from the catalog's RIDs, which
/// the manifest repeats (<see cref="CatalogDevices.RuntimeIdentifiersOf"/>). A target the RID excludes is the expected
/// case of a multi-device class (one message naming them all, not a warning); a class left with no target for the RID gets one warning, since its
/// Create() would throw.
/// </summary>
internal static class RidFilter
{
    public static (IReadOnlyList<Embedding> Embeddings, IReadOnlyList<BuildNote> Notes) Apply(IReadOnlyList<TargetOutput> outputs, string rid)
    {
        var embeddings = outputs.Select(o => new Embedding(o, CatalogDevices.Fits(o.RuntimeIdentifiers, rid))).ToList();
        var notes = new List<BuildNote>();
        // One line for all of them, shown at default verbosity: beside "specialising 2 of 4 target(s)" it says which were left out and why.
        var left = embeddings.Where(e => !e.Embedded).Select(e => $"{e.Target.ClassName}/{e.Target.Name} (runs on {string.Join(", ", e.Target.RuntimeIdentifiers)})").ToList();
        if (left.Count > 0)
            notes.Add(new(false, null, null, $"OfaBuild: not embedded in this {rid} build: {string.Join(", ", left)}."));
        foreach (var cls in embeddings.GroupBy(e => e.Target.ClassName, StringComparer.Ordinal).Where(g => !g.Any(e => e.Embedded)))
        {
            var runsOn = cls.SelectMany(e => e.Target.RuntimeIdentifiers).Distinct(StringComparer.OrdinalIgnoreCase);
            // The target to add is advised in the form the class's targets are written in (both when they use both).
            var forms = cls.Select(e => e.Target.FromItem).Distinct().ToList();
            notes.Add(new(true, DiagnosticIds.NoTargetForRid, cls.First().Target.ClassLocation,
                $"{cls.Key} has no target for RuntimeIdentifier {rid}: its targets ({string.Join(", ", cls.Select(e => e.Target.Name))}) run on " +
                $"{string.Join(", ", runsOn)}, so no model is embedded and {cls.Key}.Create() will throw. Add {TargetWording.Another(forms.Count == 1 ? forms[0] : null, cls.Key)} " +
                $"for a device that runs on {rid}, or build for one of {string.Join(", ", runsOn)}."));
        }
        return (embeddings, notes);
    }

    /// <summary>
    /// Whether the build specialises a planned target: it fits the RuntimeIdentifier by the RIDs its manifest will list.
    /// One excluded is not specialised; <see cref="Apply"/> tells the user so from the same RIDs.
    /// </summary>
    public static bool Specialises(PlannedTarget t, string rid) => CatalogDevices.Fits(CatalogDevices.RuntimeIdentifiersOf(t.Device), rid);

}
