namespace OfaBuild.Runtime;

/// <summary>
/// "Did you mean" for a device, target or class name that is not known: the known names nearest to it. The one rule: the
/// runtime's <see cref="TargetSelector"/> uses it for a target the build did not embed, and OfaBuild.Core compiles this
/// file in (linked source; Core does not reference the app-facing library) for the catalog's unknown-device error,
/// which the build (OFA0002) and the `ofa` commands print; OfaBuild.Tasks compiles it in for OFA0009's unknown class.
/// </summary>
internal static class NameSuggestions
{
    /// <summary>At most this many suggestions: more is a list, not a guess.</summary>
    public const int Max = 3;

    /// <summary>
    /// The known names nearest to <paramref name="name"/>, in ordinal order: those at the smallest edit distance, if that
    /// distance is at most a fifth of the name's length (at least 1: cortex-a99 is two edits from cortex-a53 and from
    /// cortex-a76, and suggesting either is noise). Case and '-', '_', ' ' are ignored (NOTE10 and
    /// note-10 are note10: distance 0, the nearest); the distance is optimal string alignment, so swapping two neighbours
    /// (a35 for a53) is one edit.
    /// </summary>
    public static IReadOnlyList<string> Closest(string name, IEnumerable<string> known)
    {
        string key = Key(name);
        if (key.Length == 0) return [];
        int limit = Math.Max(1, key.Length / 5);
        var near = known
            .Distinct(StringComparer.Ordinal)
            .Select(k => (Name: k, Distance: Distance(key, Key(k))))
            .Where(k => k.Distance <= limit)
            .ToList();
        if (near.Count == 0) return [];
        int best = near.Min(k => k.Distance);
        return near.Where(k => k.Distance == best).Select(k => k.Name).Order(StringComparer.Ordinal).Take(Max).ToArray();
    }

    /// <summary>
    /// "Did you mean 'a'? " or "Did you mean 'a' or 'b'? " (the trailing space leads into the message's next sentence),
    /// or "" when no known name is close.
    /// </summary>
    public static string DidYouMean(string name, IEnumerable<string> known) => Sentence(Closest(name, known));

    /// <summary>The sentence of <see cref="DidYouMean"/> for names already chosen (a caller's own <see cref="Closest"/> passes).</summary>
    public static string Sentence(IEnumerable<string> names)
    {
        var closest = names.Take(Max).Select(n => $"'{n}'").ToArray();
        return closest.Length switch
        {
            0 => "",
            1 => $"Did you mean {closest[0]}? ",
            _ => $"Did you mean {string.Join(", ", closest[..^1])} or {closest[^1]}? ",
        };
    }

    private static string Key(string name) =>
        new(name.Where(c => c is not ('-' or '_') && !char.IsWhiteSpace(c)).Select(char.ToLowerInvariant).ToArray());

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps, each one edit.</summary>
    internal static int Distance(string a, string b)
    {
        // Three rows of the Damerau-Levenshtein table: the swap looks two rows back.
        var before = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                int d = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d = Math.Min(d, before[j - 2] + 1);
                current[j] = d;
            }
            (before, previous, current) = (previous, current, before);
        }
        return previous[b.Length];
    }
}
