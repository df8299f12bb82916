using System.Globalization;

namespace OfaBuild.Core.Latency;

/// <summary>
/// Reads the reference's per-resolution YAML latency tables (ofa/nas/efficiency_predictor/latency_lookup_table.py,
/// e.g. the public Note10 tables <c>160_lookup_table.yaml</c>..). Only the subset those files use is parsed:
/// a top-level mapping from layer key to a mapping of <c>count</c>, <c>mean</c>, <c>std</c> or <c>var</c> (block or flow style),
/// comments and blank lines. No YAML package needed.
/// </summary>
public static class ReferenceLatencyLut
{
    /// <summary>
    /// Imports the YAML files (one per resolution) as one measured table that keeps each file's entries apart,
    /// as the reference does: the same key (e.g. <c>Conv_2</c>, <c>Logits</c>) has a different mean in each file.
    /// A file's resolution is its first convolution's input size (<c>Conv-input:192x192x3</c>).
    /// </summary>
    public static LatencyTable Import(string device, IEnumerable<string> paths) =>
        FromTexts(device, paths.Select(p => File.Exists(p) ? (p, File.ReadAllText(p)) : throw new OfaException($"Latency table '{p}' does not exist.")).ToArray());

    /// <summary>As <see cref="Import"/>, from (source, YAML text) pairs; <paramref name="source"/> names the table.</summary>
    public static LatencyTable FromTexts(string device, IReadOnlyList<(string Source, string Text)> files, string? source = null)
    {
        if (files.Count == 0) throw new OfaException("Latency table import: no YAML files given.");
        var resolutions = new int[files.Count];
        var tables = new IReadOnlyDictionary<string, LatencyEntry>[files.Count];
        var order = new int[files.Count];
        for (int i = 0; i < files.Count; i++)
        {
            var entries = Parse(files[i].Text, files[i].Source);
            resolutions[i] = ResolutionOf(entries, files[i].Source);
            tables[i] = new Dictionary<string, LatencyEntry>(entries, StringComparer.Ordinal);
            order[i] = i;
        }
        // Ascending resolutions whatever the files' order; a sorted index, not a SortedDictionary, whose generic code
        // for this key type a short `ofa search` would first have to JIT-compile.
        Array.Sort((int[])resolutions.Clone(), order);
        var byResolution = new Dictionary<int, IReadOnlyDictionary<string, LatencyEntry>>();
        foreach (int i in order)
            if (!byResolution.TryAdd(resolutions[i], tables[i]))
                throw new OfaFormatException($"Latency table '{files[i].Source}': a second table for resolution {resolutions[i]}; give one file per resolution.");
        var info = new Dictionary<string, string>
        {
            ["source"] = "reference YAML lookup tables, one per resolution",
            ["files"] = string.Join(", ", files.Select(f => Path.GetFileName(f.Source))),
        };
        return new LatencyTable(device, LatencyTableKind.Measured, source ?? string.Join(", ", files.Select(f => f.Source)), [], 0, info, byResolution);
    }

    private static int ResolutionOf(IReadOnlyList<KeyValuePair<string, LatencyEntry>> entries, string source)
    {
        const string prefix = "Conv-input:";
        var conv = entries.Select(e => e.Key).Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        if (conv.Count == 1)
        {
            var size = conv[0][prefix.Length..].Split('x', '-');
            if (size.Length >= 2 && int.TryParse(size[0], NumberStyles.None, CultureInfo.InvariantCulture, out int h)
                && int.TryParse(size[1], NumberStyles.None, CultureInfo.InvariantCulture, out int w) && h == w && h > 0)
                return h;
        }
        throw new OfaFormatException($"Latency table '{source}': expected exactly one square first-convolution entry ('Conv-input:RxRx3-...') giving the table's resolution, found {conv.Count}.");
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
                // The keys a latency table file may hold: an imported table must read back as a profile.
                if (!LayerKeys.IsWellFormed(key)) throw Error(source, lineNo, $"'{key}' is not a layer key of the reference's tables (e.g. 'expanded_conv-input:56x56x24-output:56x56x24-expand:72-kernel:3-stride:1-idskip:1-se:0-hs:0')");
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
        // The authors' files give 'std'; ours give 'var'.
        double var = f.TryGetValue("var", out double v) ? v : f.TryGetValue("std", out double sd) ? sd * sd : 0;
        if (count < 0 || count != Math.Floor(count)) throw Error(source, line, $"layer '{key}' has count {count}; expected a whole number");
        if (!double.IsFinite(var) || var < 0) throw Error(source, line, $"layer '{key}' has a negative or non-finite spread; 'std' and 'var' are >= 0");
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
