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
            var r = Ofa.Succeeds(command, "--help");
            // Help wraps long descriptions; compare with the whitespace folded.
            var help = string.Join(" ", r.Stdout.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains($"Device name from the catalog ({string.Join(", ", names)})", help);
        }
    }

    [Fact]
    public void A_mistyped_device_on_the_command_line_names_the_device_meant()
    {
        using var dir = new TempDir();
        var r = Ofa.Refuses("specialize", "--model", Fixtures.RepoFile("samples", "models", "fashion-mnist.ofa"), "--device", "note-10", "--latency-ms", "5", "-o", dir["out"]);
        Assert.Contains("Unknown device 'note-10'. Did you mean 'note10'? Known devices: ", r.Stderr);
    }
}
