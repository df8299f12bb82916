using System.Text.Json;
using OfaBuild.Contracts;

namespace OfaBuild.Tasks.Tests;

/// <summary>The target manifest's one reader and writer (OfaBuild.Contracts), which the task reads RIDs with.</summary>
public sealed class ManifestContractTests
{
    internal static TargetManifest Sample => new()
    {
        Target = "cortex-a53",
        RuntimeIdentifiers = ["linux-arm64"],
        Recognition = new TargetRecognition { ArmCpuParts = ["0xd03"] },
        TableKind = "estimated",
        LatencyBudgetMs = 4,
        MaxMFlops = 300,
        Config = new ManifestConfig { Ks = [3, 5], E = [3, 6], D = [2], R = 28 },
        PredictedLatencyMs = 3.1,
        PredictedAccuracy = 0.905,
        AccuracyModel = "predictor",
        CalibrationImages = 500,
        Seed = ulong.MaxValue, // survives: numbers are kept as written, not as doubles
        Macs = 1234567,
        Params = 234567,
        Input = new ManifestInput { Channels = 1, Resolution = 28, Mean = [0.286], Std = [0.353] },
        Labels = ["say \"hi\"", "T-shirt/top"],
        Onnx = "cortex-a53.onnx",
        OnnxSha256 = new string('a', 64),
        SupernetSha256 = new string('c', 64),
        ToolVersion = "0.1.0",
        Precision = "int8",
        TableThreads = 1,
    };

    [Fact]
    public void Writes_the_field_names_users_hold_and_reads_back_what_it_wrote()
    {
        var json = Sample.ToJson();
        using var doc = JsonDocument.Parse(json); // any JSON reader can read it
        Assert.Equal(
            ["format", "target", "runtime_identifiers", "recognition", "table_kind", "latency_budget_ms", "max_m_flops", "config",
             "predicted_latency_ms", "predicted_accuracy", "accuracy_model", "calibration_images", "seed", "macs", "params", "input",
             "labels", "onnx", "onnx_sha256", "supernet_sha256", "tool_version", "precision", "table_precision", "table_threads"],
            doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["name", "channels", "resolution", "mean", "std", "pixel_scale", "center_crop", "output_name"],
            doc.RootElement.GetProperty("input").EnumerateObject().Select(p => p.Name));
        Assert.Equal("""{"ks":[3,5],"e":[3,6],"d":[2],"r":28}""", Sample.Config.ToJson());

        var back = TargetManifest.FromJson(json, "m.json");
        Assert.Equal(json, back.ToJson());
        Assert.Equal(ulong.MaxValue, back.Seed);
        Assert.Equal(Sample.Labels, back.Labels);
        Assert.Equal(Sample.Config.Ks, back.Config.Ks);
    }

    [Fact]
    public void What_the_reader_would_refuse_is_not_written()
    {
        var ex = Assert.Throws<ManifestFormatException>(() => (Sample with { TableThreads = 0 }).ToJson());
        Assert.Contains("'cortex-a53'", ex.Message);
        Assert.Contains("'table_threads' is not a positive whole number", ex.Message);
    }

    [Fact]
    public void A_manifest_written_before_center_crop_reads_as_the_whole_image()
    {
        var json = Sample.ToJson();
        Assert.Contains("\"center_crop\": 1,", json);
        var old = TargetManifest.FromJson(json.Replace("\"center_crop\": 1,", ""), "old.json");
        Assert.Equal(1.0, old.Input.CenterCrop);
        var cropped = Sample with { Input = Sample.Input with { CenterCrop = 0.875 } };
        Assert.Equal(0.875, TargetManifest.FromJson(cropped.ToJson(), "m.json").Input.CenterCrop);
    }

    [Fact]
    public void A_manifest_written_before_the_deployment_fields_reads_as_fp32_with_unstated_threads()
    {
        var json = Sample.ToJson();
        var old = json[..json.IndexOf(",\n  \"precision\"", StringComparison.Ordinal)] + "\n}\n";
        var m = TargetManifest.FromJson(old, "old.json");
        Assert.Equal((Precisions.Fp32, Precisions.Fp32, (int?)null), (m.Precision, m.TablePrecision, m.TableThreads));
        Assert.Equal(Sample.ToolVersion, m.ToolVersion);
    }

    private static TargetManifest Adaptive => Sample with
    {
        Ladder =
        [
            new ManifestRung
            {
                Config = new ManifestConfig { Ks = [3, 3], E = [3, 3], D = [1], R = 24 }, PredictedLatencyMs = 2.0, PredictedAccuracy = 0.89,
                Macs = 600000, Params = 100000, Onnx = "cortex-a53.rung1.onnx", OnnxSha256 = new string('b', 64),
            },
        ],
    };

    [Fact]
    public void A_ladder_is_an_optional_field_at_the_end_and_a_manifest_without_it_reads_as_fixed()
    {
        Assert.DoesNotContain("\"ladder\"", Sample.ToJson());
        Assert.Empty(TargetManifest.FromJson(Sample.ToJson(), "m.json").Ladder);

        var json = Adaptive.ToJson();
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("ladder", doc.RootElement.EnumerateObject().Last().Name);
        Assert.Equal(["config", "predicted_latency_ms", "predicted_accuracy", "macs", "params", "onnx", "onnx_sha256"],
            doc.RootElement.GetProperty("ladder")[0].EnumerateObject().Select(p => p.Name));
        var back = TargetManifest.FromJson(json, "m.json");
        Assert.Equal(json, back.ToJson());
        var rung = Assert.Single(back.Ladder);
        Assert.Equal((24, 2.0, 0.89, "cortex-a53.rung1.onnx"), (rung.Config.R, rung.PredictedLatencyMs, rung.PredictedAccuracy, rung.Onnx));
    }

    [Theory]
    [InlineData(false, "\"precision\": \"int8\"", "\"precision\": \"int4\"", "'precision' or 'table_precision' is not one of fp32, int8")]
    [InlineData(false, "\"table_threads\": 1", "\"table_threads\": 0", "'table_threads' is not a positive whole number")]
    [InlineData(false, "\"labels\"", "\"labelz\"", "'labels' is missing")]
    [InlineData(false, "\"ofabuild-target/1\"", "\"ofabuild-target/2\"", "format 'ofabuild-target/2'")]
    [InlineData(false, "\"onnx\": \"cortex-a53.onnx\"", "\"onnx\": \"../x.onnx\"", "'onnx' must be a file name")]
    [InlineData(false, "\"channels\": 1", "\"channels\": 1.5", "'input.channels' is missing or not a whole number")]
    [InlineData(false, "\"macs\": 1234567", "\"macs\": 1234567, \"macs\": 1", "'macs' appears twice")]
    [InlineData(true, "\"onnx\": \"cortex-a53.rung1.onnx\"", "\"onnx\": \"cortex-a53.onnx\"", "its own file name")]
    [InlineData(true, "\"r\": 24", "\"r\": 32", "resolution must be at most rung 0's")]
    [InlineData(true, "\"onnx_sha256\": \"bbbb", "\"onnx_shaXXX\": \"bbbb", "'ladder[0].onnx_sha256' is missing")]
    public void Refuses_a_damaged_manifest_naming_the_file_and_the_field(bool ladder, string find, string replace, string message)
    {
        var json = (ladder ? Adaptive : Sample).ToJson();
        Assert.Contains(find, json);
        var ex = Assert.Throws<ManifestFormatException>(() => TargetManifest.FromJson(json.Replace(find, replace), "obj/ofa/App.Net/cortex-a53.json"));
        Assert.StartsWith("obj/ofa/App.Net/cortex-a53.json: not a valid target manifest", ex.Message);
        Assert.Contains(message, ex.Message);
    }
}
