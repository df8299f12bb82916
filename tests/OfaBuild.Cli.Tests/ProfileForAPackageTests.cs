using System.Text.Json;
using OfaBuild.Contracts;
using OfaBuild.Core;
using OfaBuild.Core.Latency;
using OfaBuild.Core.Packaging;
using OfaBuild.Core.Space;

namespace OfaBuild.Cli.Tests;

/// <summary>
/// `ofa profile --model x.ofa`: the table of a package whose space no preset gives (trained on one's own photos: 3
/// input channels, its own classes and resolutions), then `ofa search` and `ofa specialize` with it for that package.
/// </summary>
public class ProfileForAPackageTests
{
    /// <summary>The space `ofa train --dataset photos/ --resolutions 24-32` writes for 3 classes of RGB photos (OwnImagesTests).</summary>
    internal static readonly SearchSpace Photos = Presets.Get(Presets.FashionMnist, 3) with { InputChannels = 3, Resolutions = [24, 28, 32] };

    /// <summary>Untrained weights of <see cref="Photos"/>, written without training (the space is all `ofa profile` reads).</summary>
    internal static string WritePackage(TempDir dir, string name = "photos.ofa")
    {
        UntrainedPackage.Create(Photos, calibrationImages: 8).Write(dir[name]);
        return dir[name];
    }

    /// <summary>A quick protocol: the table's keys, not its numbers, are what these tests check.</summary>
    internal static readonly string[] Quick = ["--threads", "1", "--repetitions", "1", "--warmup", "0", "--calibration", "0"];

    [Fact]
    public void A_package_of_its_own_space_is_profiled_and_then_searched_and_specialized_with_its_table()
    {
        using var dir = new TempDir();
        string model = WritePackage(dir);
        string table = dir["board.json"];

        var profile = Ofa.Succeeds(["profile", "--model", model, "-o", table, "--validate", "2", .. Quick]);
        Assert.Contains("of the space of photos.ofa (mbv3-fmnist, 3 input channel(s), 3 classes, resolutions 24, 28, 32)", profile.Stdout);
        Assert.Contains("validation on 2 random subnets", profile.Stdout);
        Assert.Contains("in rounds, each timing every shape once", profile.Stdout); // what the progress counts ...
        Assert.Contains("timing the layer shapes, rounds 1/1", profile.Stderr);     // ... 1 timed round, no warm-up
        Assert.DoesNotContain("layers:", profile.Stderr);

        var t = LatencyTableFile.Load(table);
        Assert.Equal([24, 28, 32], t.CoveredResolutions(Photos));
        Assert.Equal(NetworkShapes.All(Photos).Select(s => s.Key).Order(), t.Entries.Keys.Order());
        Assert.Contains(t.Entries.Keys, k => k.StartsWith("Conv-input:32x32x3-", StringComparison.Ordinal)); // RGB at 32 px: no preset has it
        Assert.Empty(t.CoveredResolutions(Presets.Get(Presets.FashionMnist))); // nor does the table fit the preset of its name
        Assert.Equal("mbv3-fmnist", t.Info["space"]);                         // recorded as before
        Assert.Equal("board", t.Device);

        var search = Ofa.Succeeds("search", "--model", model, "--device", "board", "--profile", table, "--latency-ms", "1000", "--json");
        using (var found = JsonDocument.Parse(search.Stdout.Trim().Split('\n')[^1]))
        {
            Assert.Equal("board", found.RootElement.GetProperty("latency_device").GetString());
            Assert.Equal("measured", found.RootElement.GetProperty("latency_table").GetString());
            Assert.Contains(found.RootElement.GetProperty("config").GetProperty("r").GetInt32(), Photos.Resolutions);
        }

        Ofa.Succeeds("specialize", "--model", model, "--device", "board", "--profile", table, "--latency-ms", "1000", "-o", dir["out"]);
        var built = TargetManifest.Load(dir["out/board.json"]);
        Assert.Equal("measured", built.TableKind);
        Assert.Equal(3, built.Input.Channels);
        Assert.Contains(built.Input.Resolution, Photos.Resolutions);
        Assert.True(File.Exists(dir["out/board.onnx"]));

        // A missing table, or a device without one, is answered with the profile of this package.
        var missing = Ofa.Refuses("search", "--model", model, "--device", "board", "--profile", dir["other.json"], "--latency-ms", "1000");
        Assert.Contains($"`ofa profile -o {dir["other.json"]} --model {model}`", missing.Stderr); // the file it reads, not other.json in the current folder
        var unknown = Ofa.Refuses("specialize", "--model", model, "--device", "pixel-9", "--latency-ms", "1000", "-o", dir["out"]);
        Assert.Contains($"`ofa profile -o pixel-9.json --model {model}`", unknown.Stderr);
    }

    [Theory]
    [InlineData("--space", "mbv3-fmnist")]
    [InlineData("--space", "mbv3-w1.0")]
    [InlineData("--classes", "3")]
    public void Model_with_a_preset_space_or_classes_is_refused_naming_both(string option, string value)
    {
        using var dir = new TempDir();
        string model = WritePackage(dir);
        var r = Ofa.Refuses("profile", "--model", model, option, value, "-o", dir["board.json"]);
        Assert.Contains("Give --model (the package's own space) or --space/--classes (a preset's), not both", r.Stderr);
        Assert.False(File.Exists(dir["board.json"]));
    }

    [Theory]
    [InlineData("Cortex-A53", "cortex-a53")] // a catalog device: as the catalog spells it, as `ofa specialize` names its outputs (before: "Cortex-A53")
    [InlineData("Lab-Board", "Lab-Board")]   // a device the catalog does not know: as typed
    public void The_device_is_recorded_as_the_catalog_spells_it_and_the_file_keeps_its_given_name(string typed, string recorded)
    {
        using var dir = new TempDir();
        string lut = Fixtures.File("reference-lut", "16_lookup_table.yaml");
        Ofa.Succeeds("profile", "--device", typed, "-o", dir["given.json"], "--reference-lut", lut);
        Assert.Equal(recorded, LatencyTableFile.Load(dir["given.json"]).Device);

        // Without --device the name is the file's, by the same rule; the file is written where -o says.
        Ofa.Succeeds("profile", "-o", dir[typed + ".json"], "--reference-lut", lut);
        Assert.Equal(recorded, LatencyTableFile.Load(dir[typed + ".json"]).Device);
        Assert.Equal([typed + ".json", "given.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Reference_tables_are_converted_and_their_coverage_given_for_the_packages_space()
    {
        using var dir = new TempDir();
        string model = WritePackage(dir);
        var r = Ofa.Succeeds("profile", "--model", model, "-o", dir["lut.json"], "--reference-lut", Fixtures.File("reference-lut", "16_lookup_table.yaml"));
        // Before: "...: 0", as if resolution 0 were covered.
        Assert.Contains("resolutions covered for the space of photos.ofa (mbv3-fmnist, 3 input channel(s), 3 classes, resolutions 24, 28, 32): none (the tables are at resolution 16 of another space", r.Stdout);
    }
}
