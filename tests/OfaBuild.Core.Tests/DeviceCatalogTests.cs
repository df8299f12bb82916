using OfaBuild.Contracts;

namespace OfaBuild.Core.Tests;

public class DeviceCatalogTests
{
    private static readonly string[] Expected = ["apple-m1", "cortex-a53", "cortex-a55", "cortex-a72", "cortex-a76", "host", "note10", "x64-avx2", "x64-avx512"];

    [Fact]
    public void The_rids_the_build_task_knows_before_specialising_are_the_catalogs()
    {
        // Contracts' CatalogDevices, generated from the catalog files, is what the task decides which targets to specialise by.
        foreach (var d in DeviceCatalog.Builtin().Devices)
            Assert.Equal(d.RuntimeIdentifiers, CatalogDevices.RuntimeIdentifiersOf(d.Name));
        Assert.Empty(CatalogDevices.RuntimeIdentifiersOf("lab-board")); // not in the catalog: a profiled device, any RID
    }

    [Fact]
    public void Catalog_loads_every_device()
    {
        var catalog = DeviceCatalog.Builtin();
        Assert.Equal(Expected, catalog.Names);
        // The list the build task and the generator have (Contracts' CatalogDevices, from the files' names) is the catalog's.
        Assert.Equal(Expected, CatalogDevices.Names.Order(StringComparer.Ordinal));
        foreach (var d in catalog.Devices)
        {
            Assert.NotEmpty(d.RuntimeIdentifiers);
            // An app built for a RID that ONNX Runtime ships no native code for could never load the model.
            Assert.All(d.RuntimeIdentifiers, rid => Assert.True(OnnxRuntimeRids.IsSupported(rid), $"{d.Name}: {rid}"));
            if (d.Name == DeviceCatalog.Host) { Assert.Equal(LatencyTableKind.Measured, d.LatencyKind); continue; }
            if (d.MeasuredTables is not null) { Assert.Equal(LatencyTableKind.Measured, d.LatencyKind); continue; } // note10: the authors' tables
            Assert.Equal(LatencyTableKind.Estimated, d.LatencyKind);
            Assert.NotNull(d.Constants);
            Assert.NotNull(d.Constants!.Int8); // every estimated device also estimates int8, with the sources of its two constants
            Assert.Equal(6, d.Constants.Sources.Count);
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
    public void A_device_measured_for_another_space_names_that_space_and_how_to_measure_this_one()
    {
        // Before: "Use a mbv3-w1.2 package" (the article read before the space's name).
        var ex = Assert.Throws<OfaException>(() => DeviceCatalog.Builtin().LatencyTable("note10", Presets.Get(Presets.MobileNetV3W10)));
        Assert.Contains("Device 'note10' has measured latency tables for space 'mbv3-w1.2' only; the package's space is 'mbv3-w1.0'. "
            + "Use a package of space 'mbv3-w1.2', or measure this space on the device (`ofa profile -o note10.json --space mbv3-w1.0`)", ex.Message);
    }

    [Theory]
    [InlineData("cortex-a35", "Unknown device 'cortex-a35'. Did you mean 'cortex-a53' or 'cortex-a55'? Known devices: apple-m1,")]
    [InlineData("note-10", "Unknown device 'note-10'. Did you mean 'note10'? Known devices: apple-m1,")] // Note10 is note10 (A_device_name_in_another_case_is_the_catalogs_device)
    [InlineData("pixel-1", "Unknown device 'pixel-1'. Known devices: apple-m1,")]
    public void Unknown_device_names_the_nearest_known_one_when_one_is_close(string name, string start)
    {
        var ex = Assert.Throws<OfaException>(() => DeviceCatalog.Builtin().Get(name));
        Assert.StartsWith(start, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Note10", "note10")]
    [InlineData("CORTEX-A53", "cortex-a53")]
    [InlineData("X64-Avx2", "x64-avx2")]
    public void A_device_name_in_another_case_is_the_catalogs_device(string written, string canonical)
    {
        var catalog = DeviceCatalog.Builtin();
        Assert.Equal(canonical, catalog.Get(written).Name);
        Assert.True(catalog.TryGet(written, out var device));
        Assert.Equal(canonical, device.Name);
        Assert.Equal(canonical, catalog.Canonical(written));
        Assert.Equal("pi4-Lab", catalog.Canonical("pi4-Lab")); // a profiled device keeps its spelling
        // Its table is the catalog device's, under the catalog's name.
        Assert.Equal(canonical, catalog.LatencyTable(written, Presets.Get(Presets.MobileNetV3W12)).Device);
    }

    [Fact]
    public void Two_catalog_files_whose_names_differ_only_in_case_are_one_device_defined_twice()
    {
        var a53 = DeviceCatalog.Builtin().Get("cortex-a53");
        var ex = Assert.Throws<OfaFormatException>(() => new DeviceCatalog([a53, a53 with { Name = "Cortex-A53", Source = "Devices/catalog/Cortex-A53.json" }]));
        Assert.Contains("is defined twice", ex.Message);
    }

    [Fact]
    public void A_profile_hint_names_one_file_and_the_command_line_only_on_a_command_line()
    {
        // The file `ofa profile -o` writes is the file the target's Profile names.
        var cli = Assert.Throws<OfaException>(() => DeviceCatalog.Builtin().Get("jetson-nano")).Message;
        Assert.Contains("`ofa profile -o jetson-nano.json`", cli);
        Assert.Contains("[OfaTarget(\"jetson-nano\", LatencyMs = ..., Profile = \"jetson-nano.json\")] (or --profile jetson-nano.json on the command line).", cli);

        var catalog = DeviceCatalog.Builtin().ForBuild();
        var build = Assert.Throws<OfaException>(() => catalog.Get("jetson-nano")).Message;
        Assert.EndsWith("[OfaTarget(\"jetson-nano\", LatencyMs = ..., Profile = \"jetson-nano.json\")].", build);
        Assert.DoesNotContain("--profile", build);
        var host = Assert.Throws<OfaException>(() => catalog.LatencyTable("host", Presets.Get(Presets.FashionMnist))).Message;
        Assert.Contains("`ofa profile -o host.json --space mbv3-fmnist`", host);
        Assert.EndsWith("Profile = \"host.json\")].", host);
        Assert.DoesNotContain("--profile", host);
    }

    [Fact]
    public void Host_without_profile_says_how_to_measure()
    {
        var ex = Assert.Throws<OfaException>(() => DeviceCatalog.Builtin().LatencyTable("host", Presets.Get(Presets.FashionMnist)));
        Assert.Contains("ofa profile -o host.json --space mbv3-fmnist", ex.Message);
    }

    [Theory]
    [InlineData("""{"name":"x","description":"","runtime_identifiers":["linux-x64"],"recognition":{},"latency":{"kind":"estimated","clock_ghz":3,"cores":4,"fp32_fma_per_cycle":16,"memory_bandwidth_gbs":50,"sources":{"clock_ghz":"a","cores":"b","fp32_fma_per_cycle":"c"}}}""", "latency.sources.memory_bandwidth_gbs")]
    [InlineData("""{"name":"x","description":"","runtime_identifiers":["linux-x64"],"recognition":{"x64_features":"avx2"},"latency":{"kind":"measured"}}""", "recognition.x64_features")]
    [InlineData("""{"name":"x","description":"","runtime_identifiers":["linux-arm64"],"recognition":{"arm_cpu_parts":["D03"]},"latency":{"kind":"measured"}}""", "arm_cpu_parts")]
    [InlineData("""{"name":"x","description":"","runtime_identifiers":["linux-x64"],"recognition":{"x64_features":["avx2","avx512vnni"]},"latency":{"kind":"measured"}}""", "x64_features has 'avx512vnni', which the runtime does not recognise; use sse4.1, avx, avx2")]
    [InlineData("""{"name":"x","description":"","runtime_identifiers":["linux-arm"],"recognition":{},"latency":{"kind":"measured"}}""", "'linux-arm', where ONNX Runtime 1.31.1 ships no native library")]
    [InlineData("""{"name":"x","description":"","runtime_identifiers":["linux-x64"],"recognition":{},"latency":{"kind":"estimated","clock_ghz":300,"cores":4,"fp32_fma_per_cycle":16,"memory_bandwidth_gbs":50,"sources":{}}}""", "latency.clock_ghz")]
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

    [Theory]
    [InlineData("cortex-a53", 2.0)] // Armv8.0: no SDOT, widening SMLAL
    [InlineData("cortex-a76", 4.0)] // SDOT
    [InlineData("x64-avx512", 4.0)] // VNNI
    public void Int8_tables_scale_dense_work_by_the_devices_documented_throughput(string device, double dense)
    {
        var catalog = DeviceCatalog.Builtin();
        var d = catalog.Get(device).Constants!;
        Assert.Equal(dense, d.Int8!.Dense);
        Assert.Contains("int8_dense_speedup", d.Sources.Keys);
        var space = Presets.Get(Presets.MobileNetV3W10);
        var (fp32, int8) = (catalog.LatencyTable(device, space), catalog.LatencyTable(device, space, precision: Precisions.Int8));
        Assert.Equal((Precisions.Fp32, Precisions.Int8), (fp32.Precision, int8.Precision));
        // A large 1x1 conv is compute-bound: int8 time = fp32 time / speedup, up to the dispatch cost.
        var mix = NetworkShapes.Head(space, 224).Single(l => l.Kind == LayerKind.FinalExpand);
        double ratio = (int8.Lookup(mix, 224) - RooflineModel.DispatchMicroseconds * 1e-3) / (fp32.Lookup(mix, 224) - RooflineModel.DispatchMicroseconds * 1e-3);
        Assert.InRange(ratio, 1 / dense - 1e-9, 1 / dense + 1e-9);
        var largest = SubnetConfig.Largest(space);
        Assert.True(int8.Predict(space, largest) < fp32.Predict(space, largest));
    }

    [Fact]
    public void A_device_without_int8_constants_gives_its_fp32_table_for_int8()
    {
        const string json = """{"name":"old","description":"","runtime_identifiers":["linux-x64"],"recognition":{},"latency":{"kind":"estimated","clock_ghz":3,"cores":4,"fp32_fma_per_cycle":16,"memory_bandwidth_gbs":50,"sources":{"clock_ghz":"a","cores":"b","fp32_fma_per_cycle":"c","memory_bandwidth_gbs":"d"}}}""";
        var d = DeviceFile.Parse(json, "catalog/old.json");
        Assert.Null(d.Constants!.Int8);
        Assert.Null(RooflineModel.BuildTable(d.Name, Presets.Get(Presets.FashionMnist), d.Constants, Precisions.Int8));
        var ex = Assert.Throws<OfaFormatException>(() => DeviceFile.Parse(json.Replace("\"memory_bandwidth_gbs\":50,", "\"memory_bandwidth_gbs\":50,\"int8_dense_speedup\":4,\"int8_depthwise_speedup\":2,"), "catalog/old.json"));
        Assert.Contains("latency.sources.int8_dense_speedup", ex.Message);
    }
}
