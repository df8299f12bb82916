using OfaBuild.Contracts;

namespace OfaBuild.Core.Tests;

public class LatencyTableTests
{
    private static readonly SearchSpace Space = TestSpaces.ForHandWrittenTable();

    private static LatencyTable HandWrittenTable() => new("tiny-dev", LatencyTableKind.Measured, "tiny.json",
        new Dictionary<string, LatencyEntry>
        {
            ["Conv-input:16x16x1-output:8x8x8"] = new(10, 1.0, 0),
            ["expanded_conv-input:8x8x8-output:8x8x8-expand:8-kernel:3-stride:1-idskip:1-se:0-hs:0"] = new(10, 0.5, 0),
            ["expanded_conv-input:8x8x8-output:4x4x16-expand:24-kernel:3-stride:2-idskip:0-se:1-hs:1"] = new(10, 0.25, 0),
            ["expanded_conv-input:8x8x8-output:4x4x16-expand:24-kernel:5-stride:2-idskip:0-se:1-hs:1"] = new(10, 0.3, 0),
            ["expanded_conv-input:4x4x16-output:4x4x16-expand:48-kernel:3-stride:1-idskip:1-se:1-hs:1"] = new(10, 0.125, 0),
            ["Conv_1-input:4x4x16-output:4x4x32"] = new(10, 0.0625, 0),
            ["AvgPool2D-input:4x4x32-output:1x1x32"] = new(10, 0.03125, 0),
            ["Conv_2-input:1x1x32-output:1x1x64"] = new(10, 0.015625, 0),
            ["Logits-input:1x1x64-output:3"] = new(10, 0.0078125, 0),
        }, constantMs: 2.0);

    [Fact]
    public void Keys_follow_the_reference_format()
    {
        var w12 = Presets.Get(Presets.MobileNetV3W12);
        var c = SubnetConfig.Uniform(w12, 3, 3, 4, 224);
        var keys = NetworkShapes.Of(w12, c).Select(l => l.Key).ToList();
        Assert.Equal("Conv-input:224x224x3-output:112x112x24", keys[0]);
        Assert.Equal("expanded_conv-input:112x112x24-output:112x112x24-expand:24-kernel:3-stride:1-idskip:1-se:0-hs:0", keys[1]);
        Assert.Equal("expanded_conv-input:112x112x24-output:56x56x32-expand:72-kernel:3-stride:2-idskip:0-se:0-hs:0", keys[2]);
        Assert.Equal("Conv_1-input:7x7x192-output:7x7x1152", keys[^4]);
        Assert.Equal("AvgPool2D-input:7x7x1152-output:1x1x1152", keys[^3]);
        Assert.Equal("Conv_2-input:1x1x1152-output:1x1x1536", keys[^2]);
        Assert.Equal("Logits-input:1x1x1536-output:1000", keys[^1]);
        Assert.Equal(2 + 20 + 4, keys.Count);
    }

    [Fact]
    public void Prediction_is_the_sum_of_entries_plus_the_constant()
    {
        var table = HandWrittenTable();
        var deep = new SubnetConfig([5, 3], [3, 3], [2], 16);
        double expected = 1.0 + 0.5 + 0.3 + 0.125 + 0.0625 + 0.03125 + 0.015625 + 0.0078125 + 2.0;
        Assert.Equal(expected, table.Predict(Space, deep), 12);
        Assert.Equal(expected, table.Compile(Space).Predict(deep), 12);
        var shallow = new SubnetConfig([3, 5], [3, 3], [1], 16); // second slot skipped: its kernel does not matter
        Assert.Equal(1.0 + 0.5 + 0.25 + 0.0625 + 0.03125 + 0.015625 + 0.0078125 + 2.0, table.Compile(Space).Predict(shallow), 12);
        Assert.Empty(table.CoveredResolutions(Space)); // the 5x5 of the second slot is missing
    }

    [Fact]
    public void Missing_entry_names_the_key_and_the_fix()
    {
        var table = HandWrittenTable();
        var c = new SubnetConfig([3, 5], [3, 3], [2], 16); // the 5x5 of the second slot is not in the table
        var ex = Assert.Throws<OfaException>(() => table.Predict(Space, c));
        Assert.Contains("expanded_conv-input:4x4x16-output:4x4x16-expand:48-kernel:5-stride:1-idskip:1-se:1-hs:1", ex.Message);
        // "tiny" is no preset: `--space tiny` would be refused. A new file, named for the space, recording the device: not over the
        // table in use, which another package may need (before: `-o tiny-dev.json`, the name `ofa profile` gives a table of tiny-dev).
        Assert.Contains($"`ofa profile -o tiny-dev.tiny.json --model {ProfileHint.PackagePlaceholder} --device tiny-dev`", ex.Message);
        var ex2 = Assert.Throws<OfaException>(() => table.Compile(Space).Predict(c));
        Assert.Equal(ex.Message, ex2.Message);
    }

    [Fact]
    public void A_missing_entry_of_a_known_package_profiles_that_package()
    {
        // `ofa inspect --model p.ofa --device note10 --resolution 128`: the command names the package, as other commands' do.
        var table = HandWrittenTable();
        var c = new SubnetConfig([3, 5], [3, 3], [2], 16);
        var ex = Assert.Throws<OfaException>(() => table.Compile(Space, "/p/w12.ofa").Predict(c));
        Assert.Contains("`ofa profile -o tiny-dev.w12.json --model /p/w12.ofa --device tiny-dev`", ex.Message);
    }

    [Fact]
    public void Reference_yaml_lut_imports_as_a_measured_table()
    {
        var table = ReferenceLatencyLut.Import("note-x", [Fixtures.File("reference-lut", "16_lookup_table.yaml")]);
        Assert.Equal(LatencyTableKind.Measured, table.Kind);
        Assert.Equal([16], table.ByResolution.Keys);
        Assert.Equal(10, table.ByResolution[16].Count);
        Assert.Equal(0.01, table.ByResolution[16]["Conv-input:16x16x1-output:8x8x8"].Var);
        var c = new SubnetConfig([5, 5], [3, 3], [2], 16);
        Assert.Equal(1.0 + 0.5 + 0.3 + 0.2 + 0.0625 + 0.03125 + 0.015625 + 0.0078125, table.Predict(Space, c), 12);

        // the same table saved as a profile and read back is the same table
        using var dir = new TempDir();
        var json = dir["note-x.json"];
        LatencyTableFile.Save(table, json);
        var back = LatencyTableFile.Load(json);
        Assert.Equal(table.Predict(Space, c), back.Predict(Space, c));
        Assert.Equal("note-x", back.Device);
    }

    [Fact]
    public void A_reference_yaml_table_given_as_a_profile_says_how_to_convert_it()
    {
        // Before: "not valid JSON ... Re-create it with `ofa profile -o 16_lookup_table.yaml`", a measurement into a .yaml file.
        var yaml = Fixtures.File("reference-lut", "16_lookup_table.yaml");
        var ex = Assert.Throws<OfaFormatException>(() => LatencyTableFile.Load(yaml, Presets.Get(Presets.MobileNetV3W12)));
        Assert.Contains($"'{yaml}'", ex.Message);
        Assert.Contains($"`ofa profile -o 16_lookup_table.json --space mbv3-w1.2 --reference-lut {yaml}`", ex.Message);
    }

    [Fact]
    public void Yaml_errors_name_file_and_line()
    {
        var ex = Assert.Throws<OfaFormatException>(() => ReferenceLatencyLut.Parse("Conv-input:1x1x1-output:1x1x1:\n  count: 3\n  mean: fast\n", "lut.yaml"));
        Assert.Contains("lut.yaml", ex.Message);
        Assert.Contains("line 3", ex.Message);
        Assert.Contains("mean", ex.Message);
    }

    [Fact]
    public void A_yaml_key_no_table_file_may_hold_is_refused_at_its_line()
    {
        // Before, the import wrote it, and the written table was then refused as a profile ("re-create it").
        var ex = Assert.Throws<OfaFormatException>(() => ReferenceLatencyLut.Parse(
            "Conv-input:1x1x1-output:1x1x1:\n  count: 3\n  mean: 1\nMBConv-input:1x1x1-output:1x1x1:\n  count: 1\n  mean: 2\n", "lut.yaml"));
        Assert.Contains("lut.yaml", ex.Message);
        Assert.Contains("line 4", ex.Message);
        Assert.Contains("'MBConv-input:1x1x1-output:1x1x1' is not a layer key", ex.Message);
    }

    [Fact]
    public void Precision_round_trips_and_a_file_without_it_reads_as_fp32()
    {
        var t = HandWrittenTable();
        var int8 = new LatencyTable(t.Device, t.Kind, t.Source, t.Entries, t.ConstantMs, t.Info, precision: Precisions.Int8);
        string json = LatencyTableFile.ToJson(int8);
        Assert.Contains("\"precision\": \"int8\"", json);
        var back = LatencyTableFile.Parse(json, "int8.json");
        Assert.Equal(Precisions.Int8, back.Precision);
        var deep = new SubnetConfig([5, 3], [3, 3], [2], 16);
        Assert.Equal(int8.Predict(Space, deep), back.Predict(Space, deep));
        Assert.Equal(Precisions.Fp32, LatencyTableFile.Parse(LatencyTableFile.ToJson(t), "fp32.json").Precision);
        // A table written before the field existed (format version 1, no "precision") timed fp32 layers.
        var old = LatencyTableFile.Parse("""{"format":"ofabuild-latency-table","version":1,"device":"d","kind":"measured","entries":{"Conv-input:1x1x1-output:1x1x1":{"mean":1}}}""", "old.json");
        Assert.Equal(Precisions.Fp32, old.Precision);
    }

    [Theory]
    [InlineData("""{"format":"ofabuild-latency-table","version":1,"device":"d","kind":"measured","entries":{"Conv-input:1x1x1-output:1x1x1":{"count":1,"mean":-2}}}""", "'mean' is -2")]
    [InlineData("""{"format":"ofabuild-latency-table","version":1,"device":"d","kind":"guessed","entries":{}}""", "'kind' is 'guessed'")]
    [InlineData("""{"format":"ofabuild-latency-table","version":1,"device":"d","kind":"measured","entries":{"conv3x3":{"mean":1}}}""", "entry 'conv3x3'")]
    [InlineData("""{"format":"other","version":1}""", "'format' is 'other'")]
    [InlineData("""[1,2""", "not valid JSON")]
    [InlineData("""{"format":"ofabuild-latency-table","version":1,"device":"d","kind":"measured","precision":"INT8","entries":{"Conv-input:1x1x1-output:1x1x1":{"mean":1}}}""", "'precision' is 'INT8'")]
    public void Profile_validation_names_file_and_entry(string json, string expected)
    {
        var ex = Assert.Throws<OfaFormatException>(() => LatencyTableFile.Parse(json, "profiles/my-device.json"));
        Assert.Contains("profiles/my-device.json", ex.Message);
        Assert.Contains(expected, ex.Message);
        Assert.Contains("Re-create it with `ofa profile -o profiles/my-device.json`.", ex.Message); // the file read, not my-device.json in the current folder
    }
}
