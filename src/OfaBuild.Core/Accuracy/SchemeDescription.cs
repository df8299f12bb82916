using System.Globalization;

namespace OfaBuild.Core.Accuracy;

/// <summary>
/// The one-line <c>scheme;name=value;...</c> descriptions stored with a predictor (its encoding, the space it was
/// trained on): integer lists written and read back the same way, errors naming where the line came from.
/// </summary>
internal static class SchemeDescription
{
    /// <summary>Integers as the descriptions write them: comma-separated, invariant culture.</summary>
    public static string List(IEnumerable<int> values) =>
        string.Join(',', values.Select(v => v.ToString(CultureInfo.InvariantCulture)));

    /// <summary>
    /// The name=value fields of <paramref name="description"/> after refusing another scheme.
    /// Errors are <see cref="OfaFormatException"/>s naming <paramref name="source"/>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Fields(string description, string scheme, string source)
    {
        var parts = description.Split(';');
        if (parts[0] != scheme)
            throw new OfaFormatException($"{source}: '{description}' is not a '{scheme}' description; this version reads only that scheme.");
        var fields = new Dictionary<string, string>();
        foreach (var p in parts.Skip(1))
        {
            int eq = p.IndexOf('=');
            if (eq <= 0) throw new OfaFormatException($"{source}: field '{p}' of '{scheme}' is not name=value.");
            fields[p[..eq]] = p[(eq + 1)..];
        }
        return fields;
    }

    /// <summary>Reads a field of <paramref name="fields"/> as a list of integers; refuses a missing or malformed one.</summary>
    public static int[] Ints(IReadOnlyDictionary<string, string> fields, string name, string scheme, string source)
    {
        if (!fields.TryGetValue(name, out var v)) throw new OfaFormatException($"{source}: '{scheme}' description lacks '{name}='.");
        try { return v.Split(',').Select(s => int.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)).ToArray(); }
        catch (Exception e) when (e is FormatException or OverflowException) { throw new OfaFormatException($"{source}: field '{name}' of '{scheme}' is not a list of integers."); }
    }
}
