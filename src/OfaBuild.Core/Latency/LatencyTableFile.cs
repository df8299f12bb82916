using System.Text.Json;
using System.Text.Json.Nodes;
using OfaBuild.Contracts;

namespace OfaBuild.Core.Latency;

/// <summary>
/// The JSON file `ofa profile -o my-device.json` writes and a target's <c>Profile = "..."</c> reads:
/// <code>
/// { "format": "ofabuild-latency-table", "version": 1, "device": "my-device", "kind": "measured", "precision": "fp32",
///   "constant_ms": 0.05, "info": { "cpu": "...", "threads": "1", ... },
///   "entries": { "&lt;layer key&gt;": { "count": 50, "mean": 0.123, "var": 0.0001 }, ... },
///   "resolutions": { "160": { "&lt;layer key&gt;": {...}, ... }, ... } }
/// </code>
/// <c>precision</c> ("fp32" or "int8", the precision the layers ran in) is optional: files written before it
/// existed timed fp32 layers, so absent reads as "fp32". <c>resolutions</c> is optional: per-resolution tables (imported reference tables), which replace
/// <c>entries</c> at their resolution.
/// Loading validates every field and names the file and entry that is wrong.
/// </summary>
public static class LatencyTableFile
{
    public const string Format = "ofabuild-latency-table";
    public const int Version = 1;

    public static void Save(LatencyTable table, string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        File.WriteAllText(path, ToJson(table));
    }

    public static string ToJson(LatencyTable table)
    {
        static JsonObject Entries(IEnumerable<KeyValuePair<string, LatencyEntry>> items)
        {
            var entries = new JsonObject();
            foreach (var (k, e) in items.OrderBy(p => p.Key, StringComparer.Ordinal))
                entries[k] = new JsonObject { ["count"] = e.Count, ["mean"] = e.Mean, ["var"] = e.Var };
            return entries;
        }
        var info = new JsonObject();
        foreach (var (k, v) in table.Info.OrderBy(p => p.Key, StringComparer.Ordinal)) info[k] = v;
        var root = new JsonObject
        {
            ["format"] = Format,
            ["version"] = Version,
            ["device"] = table.Device,
            ["kind"] = table.Kind.Name(),
            ["precision"] = table.Precision,
            ["constant_ms"] = table.ConstantMs,
            ["info"] = info,
            ["entries"] = Entries(table.Entries),
        };
        if (table.ByResolution.Count > 0)
        {
            var byR = new JsonObject();
            foreach (var (r, t) in table.ByResolution.OrderBy(p => p.Key)) byR[r.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Entries(t);
            root["resolutions"] = byR;
        }
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <param name="space">The space the table is for and <paramref name="packagePath"/> its package, when known: an error's
    /// `ofa profile` command then measures that space (<see cref="ProfileHint"/>).</param>
    public static LatencyTable Load(string path, SearchSpace? space = null, string? packagePath = null)
    {
        // The command writes the file this reads, as named here: its name alone would write into the current folder.
        string remake = ProfileHint.Command(path, packagePath, space);
        if (!File.Exists(path))
            throw new OfaException($"Latency profile '{path}' does not exist. Create it on the device with `{remake}`.");
        var text = File.ReadAllText(path);
        if (IsReferenceYaml(text))
            throw new OfaFormatException($"Latency profile '{path}' is one of the reference's YAML lookup tables, not a table `ofa profile` writes. " +
                $"Convert it, with the tables of its other resolutions, by `{ProfileHint.ConvertReference(Path.ChangeExtension(Path.GetFileName(path), ".json"), [path], packagePath, space)}` and use the .json file.");
        return Parse(text, path, remake);
    }

    private static bool IsReferenceYaml(string text)
    {
        if (text.TrimStart().StartsWith('{')) return false;
        try
        {
            ReferenceLatencyLut.Parse(text, "");
            return true;
        }
        catch (OfaFormatException)
        {
            return false;
        }
    }

    /// <param name="remake">The command an error says re-creates the file (default: <see cref="ProfileHint.Command"/> of <paramref name="source"/> as given).</param>
    public static LatencyTable Parse(string json, string source, string? remake = null)
    {
        var at = new Origin(source, remake ?? ProfileHint.Command(source));
        JsonNode? root;
        try { root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }); }
        catch (JsonException ex) { throw new OfaFormatException($"Latency profile '{source}': not valid JSON ({ex.Message}). Re-create it with `{at.Remake}`.", ex); }
        if (root is not JsonObject obj) throw Bad(at, "the file must hold a JSON object");

        string format = Str(obj, "format", at);
        if (format != Format) throw Bad(at, $"'format' is '{format}'; expected '{Format}' (a file written by `ofa profile`)");
        int version = (int)Num(obj, "version", at);
        if (version != Version) throw Bad(at, $"'version' is {version}; this tool reads version {Version}");
        string device = Str(obj, "device", at);
        if (device.Length == 0) throw Bad(at, "'device' is empty");
        string kindText = Str(obj, "kind", at);
        if (!LatencyTableKinds.TryParse(kindText, out var kind)) throw Bad(at, $"'kind' is '{kindText}'; expected 'measured' or 'estimated'");
        string precisionText = obj.ContainsKey("precision") ? Str(obj, "precision", at) : Precisions.Fp32;
        string precision = Precisions.Normalize(precisionText) == precisionText ? precisionText
            : throw Bad(at, $"'precision' is '{precisionText}'; expected one of {string.Join(", ", Precisions.All)}");
        double constant = obj.ContainsKey("constant_ms") ? Num(obj, "constant_ms", at) : 0;
        if (!double.IsFinite(constant) || constant < 0) throw Bad(at, $"'constant_ms' is {constant}; expected a finite value >= 0");

        var info = new Dictionary<string, string>();
        if (obj["info"] is JsonObject infoObj)
            foreach (var (k, v) in infoObj) info[k] = v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : v?.ToJsonString() ?? "";

        var byResolution = new Dictionary<int, IReadOnlyDictionary<string, LatencyEntry>>();
        if (obj["resolutions"] is JsonObject resolutions)
            foreach (var (rText, node) in resolutions)
            {
                if (!int.TryParse(rText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int r) || r < 1 || node is not JsonObject rEntries)
                    throw Bad(at, $"'resolutions' has '{rText}'; expected resolution -> object of layer key -> {{count, mean, var}}");
                byResolution[r] = ReadEntries(rEntries, at, $"resolution {r}: ").ToDictionary(StringComparer.Ordinal);
            }
        else if (obj.ContainsKey("resolutions"))
            throw Bad(at, "'resolutions' must be an object of resolution -> entries");
        if (obj["entries"] is not JsonObject entriesObj || (entriesObj.Count == 0 && byResolution.Count == 0))
            throw Bad(at, "'entries' must be a non-empty object of layer key -> {count, mean, var}");
        var entries = ReadEntries(entriesObj, at, "");
        return new LatencyTable(device, kind, source, entries, constant, info, byResolution, precision);
    }

    private static List<KeyValuePair<string, LatencyEntry>> ReadEntries(JsonObject entriesObj, Origin at, string scope)
    {
        var entries = new List<KeyValuePair<string, LatencyEntry>>();
        foreach (var (key, node) in entriesObj)
        {
            string where = $"{scope}entry '{key}'";
            if (!LayerKeys.IsWellFormed(key)) throw Bad(at, $"{where} is not a layer key (e.g. 'expanded_conv-input:56x56x24-output:56x56x24-expand:72-kernel:3-stride:1-idskip:1-se:0-hs:0')");
            if (node is not JsonObject e) throw Bad(at, $"{where} must be an object {{count, mean, var}}");
            double mean = Num(e, "mean", at, where);
            double count = e.ContainsKey("count") ? Num(e, "count", at, where) : 1;
            double var = e.ContainsKey("var") ? Num(e, "var", at, where) : 0;
            if (!double.IsFinite(mean) || mean < 0) throw Bad(at, $"{where}: 'mean' is {mean}; latencies are finite ms >= 0");
            // count 0 marks an estimated (computed, not timed) entry.
            if (count < 0 || count > int.MaxValue || count != Math.Floor(count)) throw Bad(at, $"{where}: 'count' is {count}; expected a whole number >= 0");
            if (!double.IsFinite(var) || var < 0) throw Bad(at, $"{where}: 'var' is {var}; expected a finite value >= 0");
            entries.Add(new(key, new LatencyEntry((int)count, mean, var)));
        }
        return entries;
    }

    private static string Str(JsonObject o, string name, Origin at) =>
        o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Bad(at, $"'{name}' is missing or not a string");

    private static double Num(JsonObject o, string name, Origin at, string? where = null) =>
        o[name] is JsonValue v && v.TryGetValue<double>(out var d) ? d
            : throw Bad(at, $"{(where is null ? "" : where + ": ")}'{name}' is missing or not a number");

    private static OfaFormatException Bad(Origin at, string what) =>
        new($"Latency profile '{at.Source}': {what}. Re-create it with `{at.Remake}`.");

    /// <summary>The file being read and the command that re-creates it, for the errors.</summary>
    private readonly record struct Origin(string Source, string Remake);
}

/// <summary>Checks a string looks like a latency-table layer key (<c>Kind-input:...-output:...</c>).</summary>
internal static class LayerKeys
{
    private static readonly string[] Kinds = ["Conv", "expanded_conv", "Conv_1", "AvgPool2D", "Conv_2", "Logits"];

    public static bool IsWellFormed(string key)
    {
        int dash = key.IndexOf("-input:", StringComparison.Ordinal);
        return dash > 0 && Kinds.Contains(key[..dash]) && key.Contains("-output:", StringComparison.Ordinal);
    }
}
