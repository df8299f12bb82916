namespace OfaBuild.Tasks.Tests;

public sealed class SpecDiscoveryTests
{
    [Fact]
    public void Finds_model_and_targets_with_literal_arguments_and_their_locations()
    {
        const string source = """
            using OfaBuild;
            namespace App.Vision
            {
                public static partial class Outer
                {
                    [OfaModel("models/net.ofa")]
                    [OfaTarget("cortex-a53", LatencyMs = 4, MaxMFlops = 300)]
                    [OfaBuild.OfaTargetAttribute("jetson", LatencyMs = -2.5, Profile = "profiles/jetson.json")]
                    public partial class Net;
                }
            }
            """;
        var spec = Assert.Single(SpecDiscovery.FromFile("/p/Net.cs", source));
        Assert.Equal("App.Vision.Outer.Net", spec.ClassName);
        Assert.Equal("models/net.ofa", spec.ModelPath);
        Assert.Equal(new Location("/p/Net.cs", 6, 10), spec.Location);
        Assert.Equal(2, spec.Targets.Count);
        Assert.Equal(new OfaTargetSpec("cortex-a53", 4, null, 300, new Location("/p/Net.cs", 7, 10)), spec.Targets[0]);
        Assert.Equal(("jetson", -2.5, "profiles/jetson.json"), (spec.Targets[1].Device, spec.Targets[1].LatencyMs, spec.Targets[1].Profile));
    }

    [Fact]
    public void The_class_name_is_plain_identifiers_as_the_generator_names_it()
    {
        // Before, the namespace was its source text: "App /* v */ .Vision", so the generator's manifests never matched.
        const string source = """
            namespace App /* v */ . @Vision
            {
                [OfaModel("m.ofa")][OfaTarget("host", LatencyMs = 1)] partial class @class;
            }
            """;
        Assert.Equal("App.Vision.class", Assert.Single(SpecDiscovery.FromFile("/p/A.cs", source)).ClassName);
    }

    [Fact]
    public void Precision_is_the_enum_member_name_as_written()
    {
        const string source = """
            [OfaModel("m.ofa")]
            [OfaTarget("a", LatencyMs = 1, Precision = OfaPrecision.Int8)]
            [OfaTarget("b", LatencyMs = 1, Precision = global::OfaBuild.OfaPrecision.Fp32)]
            [OfaTarget("c", LatencyMs = 1, Precision = (OfaPrecision)1)]
            [OfaTarget("d", LatencyMs = 1)]
            partial class A;
            """;
        var spec = Assert.Single(SpecDiscovery.FromFile("/p/A.cs", source));
        Assert.Equal(["Int8", "Fp32", "", null], spec.Targets.Select(t => t.Precision));
    }

    [Fact]
    public void Non_literal_arguments_are_unknown_and_classes_without_the_model_attribute_are_skipped()
    {
        const string source = """
            [OfaModel(Paths.Net)][OfaTarget("host", LatencyMs = Budget.Ms)] partial class A;
            [OfaTarget("host", LatencyMs = 1)] partial class NoModel;
            """;
        var spec = Assert.Single(SpecDiscovery.FromFile("/p/A.cs", source));
        Assert.Equal("A", spec.ClassName);
        Assert.Null(spec.ModelPath);
        Assert.Null(Assert.Single(spec.Targets).LatencyMs);
        Assert.Empty(SpecDiscovery.FromFile("/p/B.cs", "class B { string s = \"OfaTarget\"; }"));
    }

    [Fact]
    public void Adaptive_is_read_as_written_and_Levels_as_a_number()
    {
        var spec = Assert.Single(SpecDiscovery.FromFile("/p/A.cs", "[OfaModel(\"m.ofa\")][OfaTarget(\"host\", LatencyMs = 1, Adaptive = true, Levels = 4)][OfaTarget(\"x64-avx2\", LatencyMs = 1)] partial class A;"));
        Assert.Equal(("true", 4.0), (spec.Targets[0].Adaptive, spec.Targets[0].Levels));
        Assert.Equal((null, null), (spec.Targets[1].Adaptive, spec.Targets[1].Levels));
    }
}
