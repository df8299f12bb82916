using System.Globalization;

namespace OfaBuild.Core.Latency;

/// <summary>
/// Reads the reference's per-resolution YAML latency tables (ofa/nas/efficiency_predictor/latency_lookup_table.py,
/// e.g. the public Note10 tables <c>160_lookup_table.yaml</c>..). Only the subset those files use is parsed:
/// a top-level mapping from layer key to a mapping of <c>count</c>, <c>mean</c>, <c>var</c> (block or flow style),
/// comments and blank lines. No YAML package needed.
/// </summary>
public static class ReferenceLatencyLut
{
    /// <summary>Imports one or more YAML files (one per resolution) as one measured table; a key in several files is count-weighted.</summary>
    public static LatencyTable Import(string device, IEnumerable<string> paths)
    {
        var merged = new Dictionary<string, LatencyEntry>(StringComparer.Ordinal);
        var files = paths.ToArray();
        if (files.Length == 0) throw new OfaException("Latency table import: no YAML files given.");
        foreach (var path in files)
        {
            if (!File.Exists(path)) throw new OfaException($"Latency table '{path}' does not exist.");
            foreach (var (key, e) in Parse(File.ReadAllText(path), path))
                merged[key] = merged.TryGetValue(key, out var old) ? Combine(old, e) : e;
        }
        var info = new Dictionary<string, string>
        {
            ["source"] = "reference YAML lookup table(s)",
            ["files"] = string.Join(", ", files.Select(Path.GetFileName)),
        };
        return new LatencyTable(device, LatencyTableKind.Measured, string.Join(", ", files), merged, 0, info);
    }

    /// <summary>Pooled mean and variance of two sets of repetitions of the same layer.</summary>
    private static LatencyEntry Combine(LatencyEntry a, LatencyEntry b)
    {
        int n = a.Count + b.Count;
        if (n == 0) return new LatencyEntry(0, (a.Mean + b.Mean) / 2, (a.Var + b.Var) / 2);
        double mean = (a.Count * a.Mean + b.Count * b.Mean) / n;
        double var = (a.Count * (a.Var + (a.Mean - mean) * (a.Mean - mean)) + b.Count * (b.Var + (b.Mean - mean) * (b.Mean - mean))) / n;
        return new LatencyEntry(n, mean, var);
    }

    public static IReadOnlyList<KeyValuePair<string, LatencyEntry>> Parse(string text, string source)
    {
        var result = new List<KeyValuePair<string, LatencyEntry>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? key = null;
        int keyLine = 0;
        Dictionary<string, double>? fields = null;

        void Finish()
        {
            if (key is null) return;
            result.Add(new(key, ToEntry(fields!, source, key, keyLine)));
            key = null;
        }

        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            int lineNo = n + 1;
            string raw = StripComment(lines[n]);
            if (raw.Trim().Length == 0 || raw.Trim() is "---" or "...") continue;
            bool indented = char.IsWhiteSpace(raw[0]);
            string line = raw.Trim();
            if (!indented)
            {
                Finish();
                int colon = KeyColon(line);
                if (colon < 0) throw Error(source, lineNo, $"expected 'layer-key:' but found '{line}'");
                key = Unquote(line[..colon].Trim());
                keyLine = lineNo;
                if (!seen.Add(key)) throw Error(source, lineNo, $"layer '{key}' appears twice");
                fields = new Dictionary<string, double>(StringComparer.Ordinal);
                string rest = line[(colon + 1)..].Trim();
                if (rest.Length > 0)
                {
                    if (!(rest.StartsWith('{') && rest.EndsWith('}')))
                        throw Error(source, lineNo, $"layer '{key}' must map to {{count, mean, var}}, found '{rest}'");
                    foreach (var part in rest[1..^1].Split(',', StringSplitOptions.RemoveEmptyEntries))
                        AddField(fields, part, source, lineNo, key);
                }
            }
            else
            {
                if (key is null) throw Error(source, lineNo, "indented line before any layer key");
                AddField(fields!, line, source, lineNo, key);
            }
        }
        Finish();
        if (result.Count == 0) throw new OfaFormatException($"Latency table '{source}': no entries found; expected the reference's YAML format (layer key: {{count, mean, var}}).");
        return result;
    }

    private static void AddField(Dictionary<string, double> fields, string part, string source, int lineNo, string key)
    {
        int colon = part.IndexOf(':');
        if (colon < 0) throw Error(source, lineNo, $"expected 'name: value' under '{key}', found '{part.Trim()}'");
        string name = Unquote(part[..colon].Trim());
        string value = part[(colon + 1)..].Trim();
        if (!double.TryParse(Unquote(value), NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
            throw Error(source, lineNo, $"'{name}' of '{key}' is '{value}', not a number");
        if (!fields.TryAdd(name, v)) throw Error(source, lineNo, $"'{name}' appears twice under '{key}'");
    }

    private static LatencyEntry ToEntry(Dictionary<string, double> f, string source, string key, int line)
    {
        if (!f.TryGetValue("mean", out double mean))
            throw Error(source, line, $"layer '{key}' has no 'mean'");
        if (!double.IsFinite(mean) || mean < 0) throw Error(source, line, $"layer '{key}' has mean {mean}; latencies are finite and >= 0");
        double count = f.GetValueOrDefault("count", 1);
        double var = f.GetValueOrDefault("var", 0);
        if (count < 0 || count != Math.Floor(count)) throw Error(source, line, $"layer '{key}' has count {count}; expected a whole number");
        return new LatencyEntry((int)count, mean, var);
    }

    /// <summary>The colon ending a key: the last ':' followed by end or a space (keys contain ':' themselves).</summary>
    private static int KeyColon(string line)
    {
        if (line.StartsWith('\'') || line.StartsWith('"'))
        {
            int close = line.IndexOf(line[0], 1);
            return close < 0 ? -1 : line.IndexOf(':', close);
        }
        for (int i = 0; i < line.Length; i++)
            if (line[i] == ':' && (i + 1 == line.Length || line[i + 1] == ' '))
                return i;
        return -1;
    }

    private static string StripComment(string line)
    {
        bool quoted = false;
        char q = '\0';
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted) { if (c == q) quoted = false; continue; }
            if (c is '\'' or '"') { quoted = true; q = c; continue; }
            if (c == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1]))) return line[..i].TrimEnd();
        }
        return line.TrimEnd();
    }

    private static string Unquote(string s) =>
        s.Length >= 2 && (s[0] == '\'' || s[0] == '"') && s[^1] == s[0] ? s[1..^1] : s;

    private static OfaFormatException Error(string source, int line, string what) =>
        new($"Latency table '{source}', line {line}: {what}. Expected the reference's YAML format: 'layer-key:' then indented 'count:', 'mean:', 'var:'.");
}
