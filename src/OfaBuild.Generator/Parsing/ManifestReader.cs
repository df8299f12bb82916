using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using OfaBuild.Generator.Model;

namespace OfaBuild.Generator.Parsing
{
    /// <summary>Reads the target manifests (ofabuild-target/1) the build task passes as AdditionalFiles.</summary>
    internal static class ManifestReader
    {
        public const string FormatId = "ofabuild-target/1";
        public const string ClassMetadata = "build_metadata.AdditionalFiles.OfaClass";
        public const string TargetMetadata = "build_metadata.AdditionalFiles.OfaTarget";

        /// <summary>Null when the file is not an OfaBuild manifest (no OfaClass metadata).</summary>
        public static ManifestModel? Read(AdditionalText file, AnalyzerConfigOptions options, CancellationToken ct)
        {
            if (!options.TryGetValue(ClassMetadata, out var ofaClass) || string.IsNullOrWhiteSpace(ofaClass)) return null;
            options.TryGetValue(TargetMetadata, out var ofaTarget);
            ofaClass = ofaClass.Trim();
            ofaTarget = (ofaTarget ?? "").Trim();
            var text = file.GetText(ct);
            if (text is null) return ManifestModel.Broken(file.Path, ofaClass, ofaTarget, "the file cannot be read");
            return Parse(file.Path, ofaClass, ofaTarget, text.ToString());
        }

        public static ManifestModel Parse(string path, string ofaClass, string ofaTarget, string json)
        {
            try
            {
                if (!(MiniJson.Parse(json) is Dictionary<string, object?> root)) throw new FormatException("the top level is not an object");
                var format = Str(root, "format");
                if (format != FormatId) throw new FormatException($"format '{format}' is not '{FormatId}'");
                var recognition = Obj(root, "recognition");
                var input = Obj(root, "input");
                if (!root.TryGetValue("config", out var config) || !(config is Dictionary<string, object?>)) throw new FormatException("'config' is missing");
                var target = Str(root, "target");
                if (ofaTarget.Length > 0 && !string.Equals(target, ofaTarget, StringComparison.OrdinalIgnoreCase))
                    throw new FormatException($"it is for target '{target}' but the build passed it as OfaTarget '{ofaTarget}'");
                return new ManifestModel(
                    path, ofaClass, ofaTarget.Length > 0 ? ofaTarget : target, null, target,
                    Strs(root, "runtime_identifiers"),
                    Strs(recognition, "arm_cpu_parts", optional: true),
                    Strs(recognition, "x86_features", optional: true),
                    Str(root, "table_kind"),
                    MiniJson.Write(config),
                    Num(root, "latency_budget_ms"),
                    NumOrNull(root, "max_m_flops"),
                    Num(root, "predicted_latency_ms"),
                    NumOrNull(root, "predicted_accuracy"),
                    (long)Num(root, "macs"),
                    (long)Num(root, "params"),
                    StrOr(input, "name", "input"),
                    (int)Num(input, "channels"),
                    (int)Num(input, "resolution"),
                    Nums(input, "mean"),
                    Nums(input, "std"),
                    NumOrNull(input, "pixel_scale") ?? 255.0,
                    NumOrNull(input, "center_crop") ?? 1.0,
                    StrOr(input, "output_name", "logits"),
                    Strs(root, "labels"));
            }
            catch (FormatException ex)
            {
                return ManifestModel.Broken(path, ofaClass, ofaTarget, ex.Message);
            }
        }

        private static Dictionary<string, object?> Obj(Dictionary<string, object?> o, string key) =>
            o.TryGetValue(key, out var v) && v is Dictionary<string, object?> d ? d : throw new FormatException($"'{key}' is missing or not an object");

        private static string Str(Dictionary<string, object?> o, string key) =>
            o.TryGetValue(key, out var v) && v is string s ? s : throw new FormatException($"'{key}' is missing or not a string");

        private static string StrOr(Dictionary<string, object?> o, string key, string fallback) =>
            o.TryGetValue(key, out var v) && v is string s ? s : fallback;

        private static double Num(Dictionary<string, object?> o, string key) =>
            o.TryGetValue(key, out var v) && v is double d ? d : throw new FormatException($"'{key}' is missing or not a number");

        private static double? NumOrNull(Dictionary<string, object?> o, string key) =>
            o.TryGetValue(key, out var v) && v is double d ? d : (double?)null;

        private static EquatableArray<string> Strs(Dictionary<string, object?> o, string key, bool optional = false)
        {
            if (!o.TryGetValue(key, out var v) || v is null)
                return optional ? EquatableArray<string>.Empty : throw new FormatException($"'{key}' is missing");
            if (!(v is List<object?> list) || list.Any(x => !(x is string))) throw new FormatException($"'{key}' is not a list of strings");
            return list.Cast<string>().ToEquatableArray();
        }

        private static EquatableArray<double> Nums(Dictionary<string, object?> o, string key)
        {
            if (!o.TryGetValue(key, out var v) || !(v is List<object?> list) || list.Any(x => !(x is double)))
                throw new FormatException($"'{key}' is missing or not a list of numbers");
            return list.Cast<double>().ToEquatableArray();
        }
    }
}
