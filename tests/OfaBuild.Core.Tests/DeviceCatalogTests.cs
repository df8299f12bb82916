using OfaBuild.Core.Devices;
using OfaBuild.Core.Predictors;
using OfaBuild.Core.Space;

namespace OfaBuild.Core.Tests;

public class DeviceCatalogTests
{
    private static readonly string[] Expected = ["apple-m1", "cortex-a53", "cortex-a55", "cortex-a72", "cortex-a76", "host", "note10", "x64-avx2", "x64-avx512"];

    [Fact]
    public void Catalog_loads_every_device()
    {
        var catalog = DeviceCatalog.Builtin();
        Assert.Equal(Expected, catalog.Names);
        foreach (var d in catalog.Devices)
        {
            Assert.NotEmpty(d.RuntimeIdentifiers);
            if (d.Name == DeviceCatalog.Host) { Assert.Equal(LatencyTableKind.Measured, d.LatencyKind); continue; }
            if (d.MeasuredTables is not null) { Assert.Equal(LatencyTableKind.Measured, d.LatencyKind); continue; } // note10: the authors' tables
            Assert.Equal(LatencyTableKind.Estimated, d.LatencyKind);
            Assert.NotNull(d.Constants);
            Assert.Equal(4, d.Constants!.Sources.Count);
        }
    }

    [Fact]
    public void Every_estimated_device_covers_the_reference_spaces()
    {
        var catalog = DeviceCatalog.Builtin();
        foreach (var space in Presets.Names.Select(n => Presets.Get(n)))
        {
            foreach (var d in catalog.Devices.Where(d => d.LatencyKind == LatencyTableKind.Estimated))
            {
                var table = catalog.LatencyTable(d.Name, space);
                Assert.Equal(LatencyTableKind.Estimated, table.Kind);
                Assert.Equal(space.Resolutions, table.CoveredResolutions(space));
                var small = table.Predict(space, SubnetConfig.Smallest(space));
                var large = table.Predict(space, SubnetConfig.Largest(space));
                Assert.True(small > 0 && large > small, $"{d.Name} {space.Name}: {small} .. {large}");
            }
        }
    }

    [Fact]
    public void Faster_devices_estimate_lower_latency()
    {
        var catalog = DeviceCatalog.Builtin();
        var space = Presets.Get(Presets.MobileNetV3W10);
        var c = SubnetConfig.Largest(space);
        double Ms(string d) => catalog.LatencyTable(d, space).Predict(space, c);
        Assert.True(Ms("cortex-a53") > Ms("cortex-a72"));
        Assert.True(Ms("cortex-a72") > Ms("cortex-a76"));
        Assert.True(Ms("cortex-a76") > Ms("apple-m1"));
    }

    [Fact]
    public void Unknown_device_lists_known_ones_and_how_to_profile()
    {
        var ex = Assert.Throws<OfaException>(() => DeviceCatalog.Builtin().Get("pixel-1"));
        foreach (var n in Expected) Assert.Contains(n, ex.Message);
        Assert.Contains("ofa profile -o pixel-1.json", ex.Message);
        Assert.Contains("Profile = ", ex.Message);
    }

    [Fact]
    public void Host_without_profile_says_how_to_measure()
    {
        var ex = Assert.Throws<OfaException>(() => DeviceCatalog.Builtin().LatencyTable("host", Presets.Get(Presets.FashionMnist)));
        Assert.Contains("ofa profile -o host.json --space mbv3-fmnist", ex.Message);
    }

    [Theory]
    [InlineData("arm64", "linux", new[] { "0xd03", "0xd03" }, new string[0], "cortex-a53")]
    [InlineData("arm64", "linux", new[] { "0xd05", "0xd05", "0xd0b", "0xd0b" }, new string[0], "cortex-a76")]
    [InlineData("arm64", "linux", new[] { "0xd08" }, new string[0], "cortex-a72")]
    [InlineData("arm64", "osx", new string[0], new string[0], "apple-m1")]
    [InlineData("arm64", "linux", new[] { "0xd40" }, new string[0], "host")]
    [InlineData("x64", "linux", new string[0], new[] { "avx2", "fma" }, "x64-avx2")]
    [InlineData("x64", "linux", new string[0], new[] { "avx2", "fma", "avx512f" }, "x64-avx512")]
    [InlineData("x64", "windows", new string[0], new string[0], "host")]
    public void Recognition(string arch, string os, string[] parts, string[] features, string expected) =>
        Assert.Equal(expected, DeviceCatalog.Builtin().Recognize(new HostCpu(arch, os, parts, features)).Name);

    [Fact]
    public void Cpuinfo_parts_are_read()
    {
        const string cpuinfo = "processor\t: 0\nBogoMIPS\t: 38.40\nCPU implementer\t: 0x41\nCPU part\t: 0xD03\n\nprocessor\t: 1\nCPU part\t: 0xd03\n";
        Assert.Equal(["0xd03", "0xd03"], HostCpu.ArmPartsFromCpuInfo(cpuinfo));
    }

    [Theory]
    [InlineData("""{"name":"x","description":"","runtime_identifiers":["linux-x64"],"recognition":{"architecture":"x64"},"latency":{"kind":"estimated","clock_ghz":3,"cores":4,"fp32_fma_per_cycle":16,"memory_bandwidth_gbs":50,"sources":{"clock_ghz":"a","cores":"b","fp32_fma_per_cycle":"c"}}}""", "latency.sources.memory_bandwidth_gbs")]
    [InlineData("""{"name":"x","description":"","runtime_identifiers":["linux-x64"],"recognition":{"architecture":"risc"},"latency":{"kind":"measured"}}""", "recognition.architecture")]
    [InlineData("""{"name":"x","description":"","runtime_identifiers":["linux-arm64"],"recognition":{"architecture":"arm64","arm_cpu_parts":["D03"]},"latency":{"kind":"measured"}}""", "arm_cpu_parts")]
    [InlineData("""{"name":"x","description":"","runtime_identifiers":["linux-x64"],"recognition":{"architecture":"x64"},"latency":{"kind":"estimated","clock_ghz":300,"cores":4,"fp32_fma_per_cycle":16,"memory_bandwidth_gbs":50,"sources":{}}}""", "latency.clock_ghz")]
    public void Device_file_validation_names_the_field(string json, string field)
    {
        var ex = Assert.Throws<OfaFormatException>(() => DeviceFile.Parse(json, "catalog/x.json"));
        Assert.Contains("catalog/x.json", ex.Message);
        Assert.Contains(field, ex.Message);
    }

    [Fact]
    public void Roofline_block_costs_follow_the_shapes()
    {
        var d = DeviceCatalog.Builtin().Get("cortex-a72").Constants!;
        var small = new LayerShape(LayerKind.Block, 28, 28, 40, 28, 28, 40, Mid: 120, Kernel: 3, Stride: 1, IdSkip: true, Se: true);
        var wide = small with { Mid = 240 };
        var big = small with { Kernel = 7 };
        Assert.True(RooflineModel.LayerMilliseconds(wide, d) > RooflineModel.LayerMilliseconds(small, d));
        Assert.True(RooflineModel.LayerMilliseconds(big, d) > RooflineModel.LayerMilliseconds(small, d));
        // expand 1x1 MACs = 28*28*40*120
        Assert.Equal(28.0 * 28 * 40 * 120, RooflineModel.Ops(small).First().Macs);
    }
}
