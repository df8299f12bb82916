using System.Globalization;
using Microsoft.Build.Framework;
using OfaBuild.Contracts;
using OfaBuild.Runtime;

namespace OfaBuild.Tasks;

/// <summary>
/// An &lt;OfaTarget Include="device" Class="App.Net" LatencyMs="8" ... /&gt; item: [OfaTarget]'s named arguments as
/// metadata, plus the class it belongs to. One list of its metadata serves what the planner reads and what the no-op
/// check compares, so an edit to any of them re-plans.
/// </summary>
internal static class TargetItem
{
    public const string Class = OfaAttributeNames.ItemClass;

    /// <summary>Every metadata the planner reads.</summary>
    public static readonly string[] Metadata = OfaAttributeNames.ItemMetadata;

    /// <summary>
    /// The item as the no-op check compares it: its device, every metadata the planner reads, and the names of any it
    /// does not (refused: a build that adds a misspelt one must plan, not emit the cached outputs).
    /// </summary>
    public static string Fingerprint(ITaskItem item) =>
        string.Join("|", [item.ItemSpec, .. Metadata.Select(item.GetMetadata), .. Unknown(item).Select(n => "?" + n)]);

    /// <summary>The item's own metadata that no [OfaTarget] argument is, in name order (MSBuild's names ignore case).</summary>
    public static IEnumerable<string> Unknown(ITaskItem item) =>
        item.CloneCustomMetadata().Keys.Cast<string>()
            .Where(n => !Metadata.Contains(n, StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.OrdinalIgnoreCase);

    /// <summary>The item as a spec, checked by the same rules as an [OfaTarget] (numbers null when not numbers; empty metadata null).</summary>
    public static OfaTargetSpec Spec(ITaskItem item, Location location)
    {
        (string, string)? unread = null;
        double? Number(string name)
        {
            var s = item.GetMetadata(name);
            if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) return v;
            if (!string.IsNullOrWhiteSpace(s)) unread ??= (name, TargetWording.Argument(true, name, s));
            return null;
        }
        return new(
            item.ItemSpec,
            Number(OfaAttributeNames.LatencyMs),
            Text(item.GetMetadata(OfaAttributeNames.Profile)),
            Number(OfaAttributeNames.MaxMFlops),
            location,
            Text(item.GetMetadata(OfaAttributeNames.Adaptive)),
            Number(OfaAttributeNames.Levels))
        {
            Precision = Text(item.GetMetadata(OfaAttributeNames.Precision)),
            UnreadNumber = unread,
            UnknownArgument = Unknown(item).FirstOrDefault(),
            FromItem = true,
        };
    }

    /// <summary>OFA0009: the item's Class names none of the <paramref name="known"/> [OfaModel] classes; the fix, a near miss first.</summary>
    public static string NamesNoClass(ITaskItem item, IReadOnlyCollection<string> known)
    {
        string cls = item.GetMetadata(Class);
        return $"{TargetWording.Written(true, item.ItemSpec, cls)} names no [OfaModel] class. {DidYouMeanClass(cls, known)}Set Class to the namespace-qualified name of a class with [OfaModel]. Known: {string.Join(", ", known.DefaultIfEmpty("(none)"))}.";
    }

    /// <summary>
    /// OFA0009's "did you mean" (<see cref="NameSuggestions"/>, the rule of OFA0002's unknown device and the runtime's
    /// unknown target): the [OfaModel] classes nearest to Class as written (App.Clasifier, app.classifier), else those
    /// whose simple name is nearest to Class's (a namespace left out or wrong: Classifier, Other.Classifier). Only the
    /// suggestion is loose: Class itself must be the class's name exactly, as C# spells it.
    /// </summary>
    private static string DidYouMeanClass(string cls, IReadOnlyCollection<string> known)
    {
        var near = NameSuggestions.Closest(cls, known);
        if (near.Count == 0)
        {
            var simple = NameSuggestions.Closest(SimpleName(cls), known.Select(SimpleName));
            near = known.Where(k => simple.Contains(SimpleName(k))).Order(StringComparer.Ordinal).ToArray();
        }
        return NameSuggestions.Sentence(near);
    }

    private static string SimpleName(string cls) => cls[(cls.LastIndexOf('.') + 1)..];

    private static string? Text(string s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
