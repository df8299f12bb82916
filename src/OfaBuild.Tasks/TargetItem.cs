using System.Globalization;
using Microsoft.Build.Framework;
using OfaBuild.Contracts;

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

    private static string? Text(string s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
