using System.Text.Json;
using System.Text.Json.Nodes;
using OfaBuild.Contracts;
using OfaBuild.Core.Latency;
using OfaBuild.Runtime;

namespace OfaBuild.Core.Devices;

/// <summary>Reads and validates one catalog file (Devices/catalog/*.json); errors name the file and the field.</summary>
public static class DeviceFile
{
    public static Device Parse(string json, string source)
    {
        JsonObject root;
        try { root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowDuplicateProperties = false }) as JsonObject ?? throw Bad(source, "the file must hold a JSON object"); }
        catch (JsonException ex) { throw new OfaFormatException($"Device file '{source}': not valid JSON ({ex.Message}).", ex); }

        string name = Str(root, "name", source);
        if (!TargetNames.IsValid(name))
            throw Bad(source, $"'name' is '{name}'; use {TargetNames.Rule}");
        string description = Str(root, "description", source);
        var rids = StrList(root, "runtime_identifiers", source);
        if (rids.Count == 0) throw Bad(source, "'runtime_identifiers' is empty");
        foreach (var rid in rids)
            if (!OnnxRuntimeRids.IsSupported(rid))
                throw Bad(source, $"runtime_identifiers has '{rid}', where ONNX Runtime {OnnxRuntimeRids.PackageVersion} ships no native library (an app could not load it); use {OnnxRuntimeRids.List}");

        var rec = root["recognition"] as JsonObject ?? throw Bad(source, "'recognition' is missing");
        var parts = rec.ContainsKey("arm_cpu_parts") ? StrList(rec, "arm_cpu_parts", source, "recognition") : [];
        foreach (var p in parts)
            if (!p.StartsWith("0x", StringComparison.Ordinal) || p.Length != 5 || !p[2..].All(char.IsAsciiHexDigitLower))
                throw Bad(source, $"recognition.arm_cpu_parts has '{p}'; expected the /proc/cpuinfo form, e.g. '0xd03'");
        var features = rec.ContainsKey("x64_features") ? StrList(rec, "x64_features", source, "recognition") : [];
        foreach (var f in features)
            if (!KnownX86Features.Names.Contains(f))
                throw Bad(source, $"recognition.x64_features has '{f}', which the runtime does not recognise; use {string.Join(", ", KnownX86Features.Names)}");

        var lat = root["latency"] as JsonObject ?? throw Bad(source, "'latency' is missing");
        string kindText = Str(lat, "kind", source, "latency");
        if (!LatencyTableKinds.TryParse(kindText, out var kind)) throw Bad(source, $"latency.kind is '{kindText}'; expected 'measured' or 'estimated'");
        DeviceConstants? constants = null;
        if (kind == LatencyTableKind.Estimated)
        {
            double clock = Num(lat, "clock_ghz", source, 0.1, 10);
            double cores = Num(lat, "cores", source, 1, 1024);
            if (cores != Math.Floor(cores)) throw Bad(source, "latency.cores must be a whole number");
            double fma = Num(lat, "fp32_fma_per_cycle", source, 0.25, 256);
            double bw = Num(lat, "memory_bandwidth_gbs", source, 0.1, 10_000);
            var sources = lat["sources"] as JsonObject ?? throw Bad(source, "latency.sources is missing: every estimated constant needs its source");
            var srcMap = new Dictionary<string, string>();
            foreach (var field in new[] { "clock_ghz", "cores", "fp32_fma_per_cycle", "memory_bandwidth_gbs" })
            {
                if (sources[field] is not JsonValue sv || !sv.TryGetValue<string>(out var text) || text.Trim().Length == 0)
                    throw Bad(source, $"latency.sources.{field} is missing: say where the number comes from");
                srcMap[field] = text;
            }
            // int8 constants are optional (files written before them have none): without them an int8 target is searched on the FP32 table.
            Int8Throughput? int8 = null;
            if (lat.ContainsKey("int8_dense_speedup") || lat.ContainsKey("int8_depthwise_speedup"))
            {
                int8 = new Int8Throughput(Num(lat, "int8_dense_speedup", source, 0.1, 64), Num(lat, "int8_depthwise_speedup", source, 0.1, 64));
                foreach (var field in new[] { "int8_dense_speedup", "int8_depthwise_speedup" })
                {
                    if (sources[field] is not JsonValue sv || !sv.TryGetValue<string>(out var text) || text.Trim().Length == 0)
                        throw Bad(source, $"latency.sources.{field} is missing: say where the number comes from");
                    srcMap[field] = text;
                }
            }
            constants = new DeviceConstants(clock, (int)cores, fma, bw, srcMap, int8);
        }
        BuiltinLatencyTables? tables = null;
        if (lat["tables"] is JsonObject t)
        {
            if (kind != LatencyTableKind.Measured) throw Bad(source, "latency.tables is for measured tables; an estimated device has constants instead");
            string folder = Str(t, "folder", source, "latency.tables");
            if (folder.Length == 0 || !folder.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                throw Bad(source, $"latency.tables.folder is '{folder}'; use letters, digits, '-', '_'");
            string provenance = Str(t, "source", source, "latency.tables");
            if (provenance.Trim().Length == 0) throw Bad(source, "latency.tables.source is empty: say who measured the tables and where they come from");
            tables = new BuiltinLatencyTables(folder, Str(t, "space", source, "latency.tables"), provenance);
        }
        else if (lat.ContainsKey("tables"))
            throw Bad(source, "latency.tables must be an object {folder, space, source}");
        return new Device(name, description, rids, new DeviceRecognition(parts, features), kind, constants, source) { MeasuredTables = tables };
    }

    private static string Str(JsonObject o, string field, string source, string? parent = null) =>
        o[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Bad(source, $"'{Path(parent, field)}' is missing or not a string");

    private static List<string> StrList(JsonObject o, string field, string source, string? parent = null)
    {
        if (o[field] is not JsonArray a) throw Bad(source, $"'{Path(parent, field)}' is missing or not an array of strings");
        var list = new List<string>();
        foreach (var n in a)
            list.Add(n is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw Bad(source, $"'{Path(parent, field)}' must hold strings"));
        return list;
    }

    private static double Num(JsonObject o, string field, string source, double min, double max)
    {
        if (o[field] is not JsonValue v || !v.TryGetValue<double>(out var d)) throw Bad(source, $"'latency.{field}' is missing or not a number");
        if (!(d >= min && d <= max)) throw Bad(source, $"'latency.{field}' is {d}; expected {min}..{max}");
        return d;
    }

    private static string Path(string? parent, string field) => parent is null ? field : $"{parent}.{field}";

    private static OfaFormatException Bad(string source, string what) => new($"Device file '{source}': {what}.");
}
