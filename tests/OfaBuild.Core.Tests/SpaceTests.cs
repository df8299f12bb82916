namespace OfaBuild.Core.Tests;

public class SpaceTests
{
    [Theory]
    [InlineData(16 * 1.2, 24)]   // 19.2 -> 16 is more than 10% below, so +8
    [InlineData(24 * 1.2, 32)]
    [InlineData(112 * 1.2, 136)]
    [InlineData(960 * 1.2, 1152)]
    [InlineData(144 / 4, 40)]    // SE reduce width of a 144-wide middle
    [InlineData(72 / 4, 24)]
    [InlineData(3, 8)]           // never below the divisor
    [InlineData(52, 56)]         // nearest multiple, rounding half up
    [InlineData(51, 48)]
    public void MakeDivisible_matches_reference(double v, int expected) =>
        Assert.Equal(expected, Channels.MakeDivisible(v));

    [Fact]
    public void A_preset_is_named_in_any_case_and_an_unknown_one_gets_the_nearest()
    {
        // Before: --space MBV3-FMNIST was "Unknown search space", while --device X64-AVX2 was x64-avx2.
        Assert.Equal(Presets.FashionMnist, Presets.Get("MBV3-FMNIST").Name);
        Assert.Equal(Presets.MobileNetV3W12, Presets.Get(" Mbv3-W1.2").Name);
        var e = Assert.Throws<OfaException>(() => Presets.Get("mbv3-w1.1"));
        Assert.Equal("Unknown search space 'mbv3-w1.1'. Did you mean 'mbv3-w1.0' or 'mbv3-w1.2'? Known spaces: mbv3-w1.0, mbv3-w1.2, mbv3-fmnist.", e.Message);
    }

    [Fact]
    public void Reference_widths_w12() 
    {
        var s = Presets.Get(Presets.MobileNetV3W12);
        Assert.Equal(new[] { 24, 24, 32, 48, 96, 136, 192, 1152, 1536 },
            new[] { s.FirstConvWidth, s.FirstBlockWidth }.Concat(s.Stages.Select(x => x.Width)).Concat([s.FinalExpandWidth, s.FeatureMixWidth]));
    }

    [Fact]
    public void Reference_w10_layout_equals_the_fixture_manifest()
    {
        var s = Presets.Get(Presets.MobileNetV3W10, 10);
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Fixtures.Reference("supernet_manifest.json")));
        var expected = doc.RootElement.GetProperty("tensors").EnumerateArray()
            .Select(t => t.GetProperty("name").GetString() + " " + string.Join("x", t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32())))
            .OrderBy(x => x, StringComparer.Ordinal).ToArray();
        var ours = SupernetLayout.Tensors(s).Select(t => t.Name + " " + string.Join("x", t.Shape))
            .OrderBy(x => x, StringComparer.Ordinal).ToArray();
        Assert.Equal(411, expected.Length);
        Assert.Equal(expected, ours);
    }

    [Fact]
    public void Middle_width_of_slot()
    {
        var s = Presets.Get(Presets.MobileNetV3W10);
        Assert.Equal(96, s.Slots[0].MiddleChannels(6));   // 16 * 6
        Assert.Equal(48, s.Slots[0].MiddleChannels(3));
        Assert.Equal(72, s.Slots[1].MiddleChannels(3));   // 24 * 3
        Assert.True(s.Slots[1].HasResidual);
        Assert.False(s.Slots[0].HasResidual);
    }

    [Fact]
    public void Config_validation_names_slot_and_allowed_values()
    {
        var s = Presets.Get(Presets.MobileNetV3W10);
        var c = SubnetConfig.Largest(s);
        c.Ks[5] = 4;
        var ex = Assert.Throws<OfaException>(() => c.Validate(s));
        Assert.Contains("ks[5]", ex.Message);
        Assert.Contains("stage 2, block 2", ex.Message);
        Assert.Contains("{3, 5, 7}", ex.Message);
    }

    [Fact]
    public void Config_validation_ignores_slots_past_the_depth()
    {
        var s = Presets.Get(Presets.MobileNetV3W10);
        var c = SubnetConfig.Smallest(s);
        c.Ks[3] = 0; // slot 3 is stage 1, block 4: inactive at depth 2
        c.Validate(s);
        Assert.Equal(SubnetConfig.Smallest(s), c.Canonical(s));
    }

    [Theory]
    [InlineData("{\"ks\":[3],\"e\":[3],\"d\":[2,2,2,2,2],\"r\":128}", "'ks' has 1 values")]
    [InlineData("{\"ks\":[],\"e\":[],\"d\":[2,2,2,2,2],\"r\":128}", "'ks' has 0 values")]
    [InlineData("{\"e\":[],\"d\":[2,2,2,2,2],\"r\":128}", "'ks' is missing")]
    [InlineData("[1,2]", "not a valid subnet config")]
    [InlineData("{\"ks\":\"x\"}", "not a valid subnet config")]
    public void Bad_config_json_gives_clear_errors(string json, string message)
    {
        var s = Presets.Get(Presets.MobileNetV3W10);
        var ex = Assert.ThrowsAny<OfaException>(() => SubnetConfig.FromJson(json).Validate(s));
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void Resolution_must_be_in_space()
    {
        var s = Presets.Get(Presets.MobileNetV3W10);
        var c = SubnetConfig.Uniform(s, 3, 3, 2, 130);
        var ex = Assert.Throws<OfaException>(() => c.Validate(s));
        Assert.Contains("r = 130", ex.Message);
    }

    [Fact]
    public void Config_json_round_trips_in_fixture_format()
    {
        var s = Presets.Get(Presets.MobileNetV3W10);
        var c = SubnetConfig.Sample(s, new Random(1));
        var json = c.ToJson();
        Assert.StartsWith("{\"ks\":[", json);
        Assert.Equal(c, SubnetConfig.FromJson(json));
    }

    [Fact]
    public void Presets_validate_and_unknown_names_are_listed()
    {
        foreach (var n in Presets.Names) Presets.Get(n).Validate();
        var ex = Assert.Throws<OfaException>(() => Presets.Get("mbv2"));
        Assert.Contains("mbv3-w1.0", ex.Message);
    }
}
