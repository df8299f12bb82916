using System.Text.RegularExpressions;
using System.Xml;

namespace OfaBuild.Tasks;

/// <summary>
/// One walk over an MSBuild file's elements as written, with what the Conditions on and above each element say without
/// MSBuild's evaluation: the item locator's (shared as source with `ofa report --project`). A file broken part way is
/// read up to the break: MSBuild refuses it itself.
/// </summary>
internal static class ProjectXml
{
    /// <summary>
    /// What the Conditions on an element and on those enclosing it say as written: <paramref name="False"/>, one is false
    /// whatever the properties (<see cref="IsFalse"/>), so the element does nothing; else
    /// <paramref name="Conditional"/>, one needs MSBuild to decide.
    /// </summary>
    public readonly record struct Conditions(bool False, bool Conditional);

    /// <summary>
    /// Calls <paramref name="visit"/> for each element in document order, the reader on its start (line and position of
    /// its name, as <see cref="IXmlLineInfo"/> gives). The visitor may read the element whole (<see cref="XmlReader.ReadSubtree"/>);
    /// the walk goes on after it.
    /// </summary>
    public static void Walk(string text, Action<XmlReader, Conditions> visit)
    {
        var atDepth = new List<Conditions>(); // what holds for the children of the element open at each depth
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null });
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element) continue;
                atDepth.RemoveRange(reader.Depth, atDepth.Count - reader.Depth);
                var above = atDepth.Count > 0 ? atDepth[^1] : default;
                string? condition = reader.GetAttribute("Condition");
                bool isFalse = IsFalse(condition);
                var here = new Conditions(above.False || isFalse, above.Conditional || (condition is not null && !isFalse));
                // Recorded before the visitor may read the element whole; a later element at this depth or above drops it.
                atDepth.Add(here);
                visit(reader, here);
            }
        }
        catch (XmlException)
        {
            // What was read before the break stands.
        }
    }

    /// <summary>
    /// A Condition false as written, whatever the properties: <c>false</c>, or two quoted literals compared
    /// (<c>'a' == 'b'</c>, compared ignoring case as MSBuild does). Anything else may be true.
    /// </summary>
    public static bool IsFalse(string? condition)
    {
        if (condition is null || Expands(condition)) return false;
        var text = condition.Trim();
        if (text.Equals("false", StringComparison.OrdinalIgnoreCase)) return true;
        var m = Comparison.Match(text);
        return m.Success && string.Equals(m.Groups[1].Value, m.Groups[3].Value, StringComparison.OrdinalIgnoreCase) != (m.Groups[2].Value == "==");
    }

    private static readonly Regex Comparison = new(@"^'([^']*)'\s*(==|!=)\s*'([^']*)'$", RegexOptions.CultureInvariant);

    /// <summary>A property, item list, metadata, escape or wildcard: MSBuild makes the item's name (or a metadata value) of it.</summary>
    public static bool Expands(string text) => text.IndexOfAny(['$', '@', '%', '*', '?']) >= 0;
}
