using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using OfaBuild.Contracts.Json;

namespace OfaBuild.Contracts;

/// <summary>The one reader and writer of <see cref="TargetManifest"/> files: field names, order, defaults and checks.</summary>
public static class TargetManifestJson
{
    /// <summary>The manifest as JSON; refuses one its own reader would refuse, so whatever is written reads back.</summary>
    public static string Write(TargetManifest m)
    {
        try
        {
            Check(m);
        }
        catch (FormatException ex)
        {
            throw new ManifestFormatException($"target manifest for '{m.Target}' not written: {ex.Message}.", ex);
        }
        var root = new Dictionary<string, object?>
        {
            ["format"] = m.Format,
            ["target"] = m.Target,
            ["runtime_identifiers"] = Strings(m.RuntimeIdentifiers),
            ["recognition"] = new Dictionary<string, object?>
            {
                ["arm_cpu_parts"] = Strings(m.Recognition.ArmCpuParts),
                ["x86_features"] = Strings(m.Recognition.X86Features),
            },
            ["table_kind"] = m.TableKind,
            ["latency_budget_ms"] = m.LatencyBudgetMs,
        };
        if (m.MaxMFlops is double flops) root["max_m_flops"] = flops;
        if (m.MaxMParams is double mparams) root["max_m_params"] = mparams;
        root["config"] = ConfigObject(m.Config);
        root["predicted_latency_ms"] = m.PredictedLatencyMs;
        if (m.PredictedAccuracy is double acc) root["predicted_accuracy"] = acc;
        root["accuracy_model"] = m.AccuracyModel;
        root["calibration_images"] = m.CalibrationImages;
        root["seed"] = m.Seed;
        root["macs"] = m.Macs;
        root["params"] = m.Params;
        root["input"] = new Dictionary<string, object?>
        {
            ["name"] = m.Input.Name,
            ["channels"] = m.Input.Channels,
            ["resolution"] = m.Input.Resolution,
            ["mean"] = m.Input.Mean.Select(v => (object?)v).ToList(),
            ["std"] = m.Input.Std.Select(v => (object?)v).ToList(),
            ["pixel_scale"] = m.Input.PixelScale,
            ["center_crop"] = m.Input.CenterCrop,
            ["output_name"] = m.Input.OutputName,
        };
        root["labels"] = Strings(m.Labels);
        root["onnx"] = m.Onnx;
        root["onnx_sha256"] = m.OnnxSha256;
        root["supernet_sha256"] = m.SupernetSha256;
        root["tool_version"] = m.ToolVersion;
        // Deployment fields (issue 18), optional on reading: older manifests are fp32 with an unstated protocol.
        root["precision"] = m.Precision;
        root["table_precision"] = m.TablePrecision;
        if (m.TableThreads is int threads) root["table_threads"] = threads;
        if (m.Ladder.Count > 0) root["ladder"] = m.Ladder.Select(r => (object?)RungObject(r)).ToList();
        return JsonText.Write(root, indented: true) + "\n";
    }

    internal static Dictionary<string, object?> ConfigObject(ManifestConfig c) => new()
    {
        ["ks"] = c.Ks.Select(v => (object?)v).ToList(),
        ["e"] = c.E.Select(v => (object?)v).ToList(),
        ["d"] = c.D.Select(v => (object?)v).ToList(),
        ["r"] = c.R,
    };

    private static Dictionary<string, object?> RungObject(ManifestRung r)
    {
        var o = new Dictionary<string, object?> { ["config"] = ConfigObject(r.Config), ["predicted_latency_ms"] = r.PredictedLatencyMs };
        if (r.PredictedAccuracy is double acc) o["predicted_accuracy"] = acc;
        o["macs"] = r.Macs;
        o["params"] = r.Params;
        o["onnx"] = r.Onnx;
        o["onnx_sha256"] = r.OnnxSha256;
        return o;
    }

    /// <summary>A subnet config object ({ks, e, d, r}), as <see cref="ConfigObject"/> writes it.</summary>
    private static ManifestConfig ReadConfig(Fields config) =>
        new() { Ks = config.Ints("ks"), E = config.Ints("e"), D = config.Ints("d"), R = config.Int("r") };

    private static ManifestRung ReadRung(Fields r)
    {
        return new ManifestRung
        {
            Config = ReadConfig(r.Obj("config")),
            PredictedLatencyMs = r.Num("predicted_latency_ms"),
            PredictedAccuracy = r.NumOrNull("predicted_accuracy"),
            Macs = r.Int64("macs"),
            Params = r.Int64("params"),
            Onnx = r.Str("onnx"),
            OnnxSha256 = r.Str("onnx_sha256"),
        };
    }

    private static List<object?> Strings(IEnumerable<string> xs) => xs.Select(s => (object?)s).ToList();

    public static TargetManifest Read(string json, string source)
    {
        try
        {
            if (!(JsonText.Parse(json) is Dictionary<string, object?> root)) throw new FormatException("the top level is not an object");
            var r = new Fields(root, "");
            var format = r.Str("format");
            if (format != TargetManifest.FormatId)
                throw new FormatException($"format '{format}' is not '{TargetManifest.FormatId}'; re-run `ofa specialize` with this tool version");
            var recognition = r.Obj("recognition");
            // Rung 0, the manifest's own subnet, has a ladder rung's fields at the top level.
            var rung0 = ReadRung(r);
            var input = r.Obj("input");
            var m = new TargetManifest
            {
                Target = r.Str("target"),
                RuntimeIdentifiers = r.Strs("runtime_identifiers"),
                Recognition = new TargetRecognition
                {
                    ArmCpuParts = recognition.Strs("arm_cpu_parts", optional: true),
                    X86Features = recognition.Strs("x86_features", optional: true),
                },
                TableKind = r.Str("table_kind"),
                LatencyBudgetMs = r.Num("latency_budget_ms"),
                MaxMFlops = r.NumOrNull("max_m_flops"),
                MaxMParams = r.NumOrNull("max_m_params"),
                Config = rung0.Config,
                PredictedLatencyMs = rung0.PredictedLatencyMs,
                PredictedAccuracy = rung0.PredictedAccuracy,
                AccuracyModel = r.Str("accuracy_model"),
                CalibrationImages = r.Int("calibration_images"),
                Seed = r.UInt64("seed"),
                Macs = rung0.Macs,
                Params = rung0.Params,
                Input = new ManifestInput
                {
                    Name = input.StrOr("name", "input"),
                    Channels = input.Int("channels"),
                    Resolution = input.Int("resolution"),
                    Mean = input.Nums("mean"),
                    Std = input.Nums("std"),
                    PixelScale = input.NumOrNull("pixel_scale") ?? 255.0,
                    CenterCrop = input.NumOrNull("center_crop") ?? 1.0,
                    OutputName = input.StrOr("output_name", "logits"),
                },
                Labels = r.Strs("labels"),
                Onnx = rung0.Onnx,
                OnnxSha256 = rung0.OnnxSha256,
                SupernetSha256 = r.Str("supernet_sha256"),
                ToolVersion = r.Str("tool_version"),
                Precision = r.StrOr("precision", Precisions.Fp32),
                TablePrecision = r.StrOr("table_precision", Precisions.Fp32),
                TableThreads = r.NumOrNull("table_threads") is double threads ? (int)threads : (int?)null,
                Ladder = r.Objs("ladder").Select(ReadRung).ToArray(),
            };
            Check(m);
            return m;
        }
        catch (FormatException ex) when (!(ex is ManifestFormatException))
        {
            throw new ManifestFormatException($"{source}: not a valid target manifest ({ex.Message}); re-run `ofa specialize` (rebuild) to write it again.", ex);
        }
    }

    /// <summary>The facts every reader relies on: present, positive, consistent.</summary>
    private static void Check(TargetManifest m)
    {
        void Require(bool ok, string what) { if (!ok) throw new FormatException(what); }
        Require(m.Target.Trim().Length > 0, "'target' is empty");
        Require(m.Input.Channels >= 1 && m.Input.Channels <= 64 && m.Input.Resolution >= 1 && m.Input.Resolution <= 4096, "'input' channels or resolution out of range");
        Require(m.Input.Mean.Count == m.Input.Channels && m.Input.Std.Count == m.Input.Channels, "'input' mean/std do not match its channels");
        Require(m.Labels.Count >= 1, "'labels' is empty");
        Require(Finite(m.PredictedLatencyMs) && Finite(m.LatencyBudgetMs), "latencies are not finite");
        Require(Precisions.Normalize(m.Precision) == m.Precision && Precisions.Normalize(m.TablePrecision) == m.TablePrecision, "'precision' or 'table_precision' is not one of " + string.Join(", ", Precisions.All));
        Require(m.TableThreads is null || m.TableThreads >= 1, "'table_threads' is not a positive whole number");
        Require(IsFileName(m.Onnx), "'onnx' must be a file name beside the manifest");
        foreach (var rung in m.Ladder)
        {
            Require(IsFileName(rung.Onnx) && rung.Onnx != m.Onnx, "a 'ladder' rung's 'onnx' must be its own file name beside the manifest");
            Require(rung.Config.R >= 1 && rung.Config.R <= m.Input.Resolution, "a 'ladder' rung's resolution must be at most rung 0's");
            Require(Finite(rung.PredictedLatencyMs), "a 'ladder' rung's latency is not finite");
        }
    }

    private static bool IsFileName(string s) => s.Length > 0 && Path.GetFileName(s) == s && s.IndexOfAny(Path.GetInvalidFileNameChars()) < 0;

    private static bool Finite(double d) => !double.IsNaN(d) && !double.IsInfinity(d);

    /// <summary>Typed access to one JSON object's fields; errors name the field with its path.</summary>
    private readonly struct Fields
    {
        private readonly Dictionary<string, object?> _o;
        private readonly string _path;

        public Fields(Dictionary<string, object?> o, string path) { _o = o; _path = path; }

        private string Name(string key) => "'" + _path + key + "'";

        private object? Get(string key) => _o.TryGetValue(key, out var v) ? v : null;

        /// <summary>An optional list of objects (absent: empty), each with its index in the path.</summary>
        public Fields[] Objs(string key)
        {
            var v = Get(key);
            if (v is null) return Array.Empty<Fields>();
            if (!(v is List<object?> list)) throw new FormatException($"{Name(key)} is not a list");
            var result = new Fields[list.Count];
            for (int i = 0; i < list.Count; i++)
                result[i] = list[i] is Dictionary<string, object?> d ? new Fields(d, _path + key + "[" + i + "].") : throw new FormatException($"{Name(key)}[{i}] is not an object");
            return result;
        }

        public Fields Obj(string key) =>
            Get(key) is Dictionary<string, object?> d ? new Fields(d, _path + key + ".") : throw new FormatException($"{Name(key)} is missing or not an object");

        public string Str(string key) => Get(key) is string s ? s : throw new FormatException($"{Name(key)} is missing or not a string");

        public string StrOr(string key, string fallback) => Get(key) switch
        {
            null => fallback,
            string s => s,
            _ => throw new FormatException($"{Name(key)} is not a string"),
        };

        public double Num(string key) => Get(key) is JsonNumber n ? n.ToDouble() : throw new FormatException($"{Name(key)} is missing or not a number");

        public double? NumOrNull(string key) => Get(key) switch
        {
            null => null,
            JsonNumber n => n.ToDouble(),
            _ => throw new FormatException($"{Name(key)} is not a number"),
        };

        public long Int64(string key) => Get(key) is JsonNumber n && n.TryInt64(out var v) ? v : throw new FormatException($"{Name(key)} is missing or not a whole number");

        public ulong UInt64(string key) => Get(key) is JsonNumber n && n.TryUInt64(out var v) ? v : throw new FormatException($"{Name(key)} is missing or not a whole non-negative number");

        public int Int(string key)
        {
            long v = Int64(key);
            return v >= int.MinValue && v <= int.MaxValue ? (int)v : throw new FormatException($"{Name(key)} is out of range");
        }

        public string[] Strs(string key, bool optional = false)
        {
            var v = Get(key);
            if (v is null) return optional ? Array.Empty<string>() : throw new FormatException($"{Name(key)} is missing");
            if (!(v is List<object?> list) || list.Any(x => !(x is string))) throw new FormatException($"{Name(key)} is not a list of strings");
            return list.Cast<string>().ToArray();
        }

        public double[] Nums(string key)
        {
            if (!(Get(key) is List<object?> list) || list.Any(x => !(x is JsonNumber)))
                throw new FormatException($"{Name(key)} is missing or not a list of numbers");
            return list.Cast<JsonNumber>().Select(n => n.ToDouble()).ToArray();
        }

        public int[] Ints(string key)
        {
            if (!(Get(key) is List<object?> list)) throw new FormatException($"{Name(key)} is missing or not a list of whole numbers");
            var result = new int[list.Count];
            for (int i = 0; i < list.Count; i++)
                result[i] = list[i] is JsonNumber n && n.TryInt64(out var v) && v >= int.MinValue && v <= int.MaxValue
                    ? (int)v : throw new FormatException($"{Name(key)}[{i}] is not a whole number");
            return result;
        }
    }
}
