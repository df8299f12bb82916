using System.Xml;
using OfaBuild.Runtime;

namespace OfaBuild.Tasks;

/// <summary>
/// Where an &lt;OfaTarget&gt; item is written in a project file, so its diagnostics point at its line: MSBuild gives a task
/// the file that defined an item (DefiningProjectFullPath) but not the line. Reads the file's text, not MSBuild's
/// evaluation, so an Include MSBuild expands ($(Device), @(List), wildcards) cannot be matched by name. Shared as source
/// with `ofa report --project`, which names the items it does not mark at the same lines.
/// </summary>
internal static class ItemLocator
{
    public const string ItemType = "OfaTarget";

    /// <summary>An &lt;OfaTarget Include="..."&gt; element: its Include as written, and its '&lt;' (1-based, as MSBuild reports elements).</summary>
    public sealed record Element(string Include, int Line, int Column);

    /// <summary>The text's &lt;OfaTarget&gt; elements that have an Include, in document order (those before a break in the XML).</summary>
    public static IReadOnlyList<Element> Elements(string projectText)
    {
        var found = new List<Element>();
        try
        {
            using var reader = XmlReader.Create(new StringReader(projectText), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null });
            var at = (IXmlLineInfo)reader;
            while (reader.Read())
            {
                // MSBuild's item types ignore case; its attribute names do not. The reader's position is the name's, one past the '<'.
                if (reader.NodeType == XmlNodeType.Element && string.Equals(reader.LocalName, ItemType, StringComparison.OrdinalIgnoreCase) &&
                    reader.GetAttribute("Include") is { } include)
                    found.Add(new(include, at.LineNumber, at.LinePosition - 1));
            }
        }
        catch (XmlException)
        {
            // MSBuild refuses a broken project file itself; what was read before the break is still where it is.
        }
        return found;
    }

    /// <summary>
    /// The line and column of the item <paramref name="itemName"/>: the <paramref name="occurrence"/>th (0-based) element
    /// whose Include names it (names split at ';', trimmed, compared as device names: <see cref="DeviceNames"/>; past the last, the last), so a name
    /// written twice is found at its second element. When no Include names it, the first element whose Include MSBuild
    /// expands, else the first &lt;OfaTarget&gt; element. Null when the text has none.
    /// </summary>
    public static (int Line, int Column)? Find(string projectText, string itemName, int occurrence = 0)
    {
        var elements = Elements(projectText);
        string name = itemName.Trim();
        var naming = elements.SelectMany(e => Names(e.Include).Where(n => DeviceNames.Same(n, name)).Select(_ => e)).ToList();
        var element = naming.Count > 0 ? naming[Math.Clamp(occurrence, 0, naming.Count - 1)]
            : elements.FirstOrDefault(e => Expands(e.Include)) ?? (elements.Count > 0 ? elements[0] : null);
        return element is null ? null : (element.Line, element.Column);
    }

    private static string[] Names(string include) => include.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>A property, item list, metadata, escape or wildcard: MSBuild makes the item's name of it.</summary>
    private static bool Expands(string include) => include.IndexOfAny(['$', '@', '%', '*', '?']) >= 0;
}
