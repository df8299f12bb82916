using OfaBuild.Core.Devices;

namespace OfaBuild.Cli.Tests;

/// <summary>The catalog JSON is the only list of devices: the tool's help is derived from it, and a mistyped name is matched against it.</summary>
public sealed class DeviceHelpTests
{
    [Fact]
    public void Device_help_lists_every_catalog_device()
    {
        var names = DeviceCatalog.Builtin().Names.ToList();
        Assert.Contains("cortex-a53", names);
        foreach (var command in new[] { "search", "specialize" })
        {
            Assert.Contains($"Device name from the catalog ({string.Join(", ", names)})", Ofa.Help(command));
        }
    }

    [Fact]
    public void A_device_in_another_case_on_the_command_line_is_the_catalogs_device()
    {
        using var dir = new TempDir();
        // Note10 is note10 (the runtime's Create("Note10") also is): its measured table, under the catalog's name.
        var config = Fixtures.Tutorial("specialized/pixel1_lat-79ms_top1-78.7_finetune-75/net.config");
        var upper = Ofa.Succeeds("inspect", "--model", Ofa.Untrained("mbv3-w1.2"), "--config", config, "--device", "Note10", "--json").Stdout;
        Assert.Contains("\"latency_device\":\"note10\"", upper);
        Assert.Equal(Ofa.Succeeds("inspect", "--model", Ofa.Untrained("mbv3-w1.2"), "--config", config, "--device", "note10", "--json").Stdout, upper);

        // The outputs are named as the catalog spells the device.
        Ofa.Succeeds("specialize", "--model", Fixtures.RepoFile("samples", "models", "fashion-mnist.ofa"), "--device", "Cortex-A53", "--latency-ms", "5", "-o", dir["out"]);
        Assert.Equal(["cortex-a53.json", "cortex-a53.onnx"], Directory.GetFiles(dir["out"]).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("cortex-a53", Contracts.TargetManifest.Load(dir["out/cortex-a53.json"]).Target);
    }

    [Fact]
    public void A_mistyped_device_on_the_command_line_names_the_device_meant()
    {
        using var dir = new TempDir();
        var r = Ofa.Refuses("specialize", "--model", Fixtures.RepoFile("samples", "models", "fashion-mnist.ofa"), "--device", "note-10", "--latency-ms", "5", "-o", dir["out"]);
        Assert.Contains("Unknown device 'note-10'. Did you mean 'note10'? Known devices: ", r.Stderr);
    }
}
