namespace OfaBuild.Core.Checkpoints;

// What the restricted unpickler builds. Python None is null, bool/int/float/str are bool/long/double/string,
// a tuple is object?[], a list is List<object?>; the host decides what globals and calls become.

/// <summary>A Python dict or OrderedDict, keeping insertion order.</summary>
internal sealed class PickleDict
{
    public List<KeyValuePair<object?, object?>> Items { get; } = [];

    public bool TryGet(string key, out object? value)
    {
        foreach (var (k, v) in Items)
            if (k is string s && s == key) { value = v; return true; }
        value = null;
        return false;
    }
}

internal static class PickleValues
{
    /// <summary>A short, non-recursive description of a value for error messages (hostile values may be cyclic).</summary>
    public static string Describe(object? value) => value switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        long n => $"int {n}",
        double d => $"float {d}",
        string s => s.Length <= 60 ? $"str '{s}'" : $"str '{s[..60]}...'",
        object?[] t => $"tuple of {t.Length}",
        List<object?> l => $"list of {l.Count}",
        PickleDict d => $"dict of {d.Items.Count}",
        _ => value.ToString() ?? value.GetType().Name,
    };
}
