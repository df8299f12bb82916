using OfaBuild.Core.Devices;

namespace OfaBuild.Cli.Tests;

/// <summary>The catalog JSON is the only list of devices: the tool's help is derived from it.</summary>
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
}
