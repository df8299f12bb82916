using System.Xml;
using System.Xml.Linq;
using OfaBuild.Runtime;

namespace OfaBuild.Tasks;

/// <summary>
/// Where &lt;OfaTarget&gt; items are written in a project file, so their diagnostics point at their lines: MSBuild gives a
/// task the file that defined an item (DefiningProjectFullPath) but not the line. Reads the file's text, not MSBuild's
/// evaluation: an Include MSBuild expands ($(Devices), @(List), wildcards) may have made any name, and a Condition that
/// needs a property is not evaluated. So the items of a file are matched to its elements in order, each to an element
/// that can have made it: one whose Include names it (or expands) and whose metadata written as literals (Class,
/// LatencyMs, ...) are the item's. A Condition false as written (on the element or an enclosing group) made nothing.
/// Shared as source with `ofa report --project`, which names the items it marks at the same lines.
/// </summary>
internal static class ItemLocator
{
    public const string ItemType = "OfaTarget";

    /// <summary>An &lt;OfaTarget Include="..."&gt; element: its Include as written, and its '&lt;' (1-based, as MSBuild reports elements).</summary>
    public sealed record Element(string Include, int Line, int Column);

    /// <summary>An item as the task has it: its name and the metadata to compare (null: not known, any element's fits).</summary>
    public sealed record Item(string Name, IReadOnlyDictionary<string, string>? Metadata = null);

    /// <summary>An element, the metadata it writes (attributes and unconditional child elements) and whether a Condition false as written keeps it from making items.</summary>
    private sealed record Written(Element At, IReadOnlyDictionary<string, string> Metadata, bool Disabled);

    /// <summary>One part of an element's Include: a name (one item at most), or null for a part MSBuild expands (any number).</summary>
    private sealed record Slot(Written Element, string? Name);

    /// <summary>
    /// The line and column of each of <paramref name="items"/>, the items a file defines in evaluation order (document
    /// order): each matched, in order, to an element that can have made it, an Include naming it (names split at ';',
    /// trimmed, compared ignoring case) preferred to one MSBuild expands, the earliest such when the text cannot tell. An
    /// item no element in order fits is at the last element naming it (one with its metadata first), else the first that
    /// expands, else the first &lt;OfaTarget&gt; element. Null when the text has none.
    /// </summary>
    public static IReadOnlyList<(int Line, int Column)?> Locate(string projectText, IReadOnlyList<Item> items)
    {
        var written = Read(projectText);
        var live = written.Where(w => !w.Disabled).ToList();
        var slots = live.SelectMany(w => Parts(w.At.Include).Select(p => new Slot(w, ProjectXml.Expands(p) ? null : p))).ToList();
        var best = Align(items, slots);
        var found = new (int Line, int Column)?[items.Count];
        for (int i = 0, s = 0; i < items.Count;)
        {
            switch (Move(best, items, slots, i, s).Move)
            {
                case Step.Take: found[i++] = Place(slots[s++].Element); break;
                case Step.Stay: found[i++] = Place(slots[s].Element); break;
                case Step.Skip: s++; break;
                default: found[i] = Fallback(items[i], live, written) is { } w ? Place(w) : null; i++; break;
            }
        }
        return found;
    }

    /// <summary>
    /// The line and column of the <paramref name="occurrence"/>th (0-based) item named <paramref name="itemName"/> of a file
    /// whose items all have that name (metadata not known): <see cref="Locate"/> of those items.
    /// </summary>
    public static (int Line, int Column)? Find(string projectText, string itemName, int occurrence = 0) =>
        Locate(projectText, Enumerable.Repeat(new Item(itemName), occurrence + 1).ToList())[occurrence];

    private enum Step { Take, Stay, Skip, Leave }

    /// <summary>
    /// best[i, s]: the best match of items i.. to slots s.. in order: each item matched scores more than all literal
    /// matches together, and a literal match one more than an expanded one.
    /// </summary>
    private static long[,] Align(IReadOnlyList<Item> items, IReadOnlyList<Slot> slots)
    {
        var best = new long[items.Count + 1, slots.Count + 1];
        for (int i = items.Count - 1; i >= 0; i--)
            for (int s = slots.Count; s >= 0; s--)
                best[i, s] = Move(best, items, slots, i, s).Score;
        return best;
    }

    /// <summary>Item i at slot s: the best step, ties going to matching it here, then to a later slot, so the earliest element that fits is taken.</summary>
    private static (Step Move, long Score) Move(long[,] best, IReadOnlyList<Item> items, IReadOnlyList<Slot> slots, int i, int s)
    {
        long matched = 2L * items.Count + 2;
        var choice = (Move: Step.Leave, Score: best[i + 1, s]);
        if (s == slots.Count) return choice;
        if (best[i, s + 1] >= choice.Score) choice = (Step.Skip, best[i, s + 1]);
        var slot = slots[s];
        if (Fits(items[i], slot.Element) && (slot.Name is null || SameName(slot.Name, items[i].Name)))
        {
            var here = slot.Name is null ? (Move: Step.Stay, Score: matched + best[i + 1, s]) : (Move: Step.Take, Score: matched + 1 + best[i + 1, s + 1]);
            if (here.Score >= choice.Score) choice = here;
        }
        return choice;
    }

    /// <summary>Where an item no element in order fits is shown.</summary>
    private static Written? Fallback(Item item, List<Written> live, List<Written> written)
    {
        bool Naming(Written w) => Parts(w.At.Include).Any(p => !ProjectXml.Expands(p) && SameName(p, item.Name));
        bool Expanding(Written w) => Parts(w.At.Include).Any(ProjectXml.Expands);
        return live.LastOrDefault(w => Naming(w) && Fits(item, w)) ?? live.LastOrDefault(Naming)
            ?? live.FirstOrDefault(w => Expanding(w) && Fits(item, w)) ?? live.FirstOrDefault(Expanding)
            ?? (written.Count > 0 ? written[0] : null);
    }

    /// <summary>Whether the element can have made the item's metadata: each it writes as a literal is the item's (the rest MSBuild makes).</summary>
    private static bool Fits(Item item, Written element) =>
        item.Metadata is not { } metadata || element.Metadata.All(m =>
            ProjectXml.Expands(m.Value) || !metadata.TryGetValue(m.Key, out var value) || string.Equals(m.Value.Trim(), value.Trim(), StringComparison.Ordinal));

    private static (int Line, int Column) Place(Written w) => (w.At.Line, w.At.Column);

    private static bool SameName(string written, string name) => DeviceNames.Same(written, name.Trim());

    private static List<Written> Read(string projectText)
    {
        var found = new List<Written>();
        ProjectXml.Walk(projectText, (reader, conditions) =>
        {
            // MSBuild's item types ignore case; its attribute names do not. The reader's position is the name's, one past the '<'.
            if (!string.Equals(reader.LocalName, ItemType, StringComparison.OrdinalIgnoreCase) || reader.GetAttribute("Include") is not { } include) return;
            var at = (IXmlLineInfo)reader;
            int line = at.LineNumber, column = at.LinePosition - 1;
            using var subtree = reader.ReadSubtree(); // leaves the reader at the element's end
            found.Add(new(new(include, line, column), Metadata(XElement.Load(subtree)), conditions.False));
        });
        return found;
    }

    /// <summary>The metadata an element writes: its attributes but Include, and its child elements without a Condition.</summary>
    private static Dictionary<string, string> Metadata(XElement element)
    {
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var a in element.Attributes().Where(a => a.Name.LocalName != "Include")) metadata[a.Name.LocalName] = a.Value;
        foreach (var e in element.Elements().Where(e => e.Attribute("Condition") is null)) metadata[e.Name.LocalName] = e.Value;
        return metadata;
    }

    private static string[] Parts(string include) => include.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
