using OfaBuild.Contracts;

namespace OfaBuild.Core.Tests.Latency;

/// <summary>
/// The one wording of the `ofa profile` command a message asks for: it must profile the package's own space, since a
/// table's keys hold each layer's input and output size and channels.
/// </summary>
public class ProfileHintTests
{
    /// <summary>The space `ofa train --dataset photos/ --resolutions 24-32` writes for 3 RGB classes: mbv3-fmnist's name, no preset's shapes.</summary>
    private static readonly SearchSpace Photos = Presets.Get(Presets.FashionMnist, 3) with { InputChannels = 3, Resolutions = [24, 28, 32] };

    [Fact]
    public void The_package_when_its_path_is_known()
    {
        Assert.Equal("ofa profile -o board.json --model models/photos.ofa", ProfileHint.Command("board.json", "models/photos.ofa", Photos));
        Assert.Equal("ofa profile -o board.json --model models/photos.ofa", ProfileHint.Command("board.json", "models/photos.ofa")); // the package says its space
    }

    [Fact]
    public void A_preset_space_by_name_with_its_classes_when_not_the_presets()
    {
        Assert.Equal("ofa profile -o board.json --space mbv3-fmnist", ProfileHint.Command("board.json", space: Presets.Get(Presets.FashionMnist)));
        Assert.Equal("ofa profile -o board.json --space mbv3-w1.0 --classes 10", ProfileHint.Command("board.json", space: Presets.Get(Presets.MobileNetV3W10, 10)));
    }

    [Fact]
    public void A_space_no_preset_gives_asks_for_the_package_not_the_preset_of_its_name()
    {
        Assert.Equal($"ofa profile -o board.json --model {ProfileHint.PackagePlaceholder}", ProfileHint.Command("board.json", space: Photos));
        Assert.Equal($"ofa profile -o board.json --model {ProfileHint.PackagePlaceholder}", ProfileHint.Command("board.json", space: TestSpaces.ForPackage()));
    }

    [Fact]
    public void Plain_when_nothing_is_known_precision_when_not_fp32_and_odd_paths_quoted()
    {
        Assert.Equal("ofa profile -o board.json", ProfileHint.Command("board.json"));
        Assert.Equal("ofa profile -o board.json", ProfileHint.Command("board.json", precision: Precisions.Fp32));
        Assert.Equal("ofa profile -o b.int8.json --space mbv3-fmnist --precision int8", ProfileHint.Command("b.int8.json", space: Presets.Get(Presets.FashionMnist), precision: Precisions.Int8));
        Assert.Equal("ofa profile -o 'my board.json' --model '/home/me/it'\\''s.ofa'", ProfileHint.Command("my board.json", "/home/me/it's.ofa"));
    }

    [Fact]
    public void The_catalogs_errors_word_it_for_the_package()
    {
        var catalog = DeviceCatalog.Builtin();
        Assert.Contains("`ofa profile -o pixel-1.json --model /p/photos.ofa`", Assert.Throws<OfaException>(() => catalog.Get("pixel-1", Photos, "/p/photos.ofa")).Message);
        Assert.Contains($"`ofa profile -o host.json --model {ProfileHint.PackagePlaceholder}`", Assert.Throws<OfaException>(() => catalog.LatencyTable("host", Photos)).Message);
        Assert.Contains("`ofa profile -o host.json --model /p/photos.ofa --precision int8`",
            Assert.Throws<OfaException>(() => catalog.LatencyTable("host", Photos, precision: Precisions.Int8, packagePath: "/p/photos.ofa")).Message);
        Assert.Contains("`ofa profile -o /nowhere/missing.json --model /p/photos.ofa`",
            Assert.Throws<OfaException>(() => catalog.LatencyTable("board", Photos, "/nowhere/missing.json", packagePath: "/p/photos.ofa")).Message);
    }

    [Fact]
    public void A_damaged_table_read_for_a_package_says_how_to_remake_it_for_that_package()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["board.json"], """{"format":"other","version":1}""");
        var ex = Assert.Throws<OfaFormatException>(() => LatencyTableFile.Load(dir["board.json"], Photos, "/p/photos.ofa"));
        Assert.Contains(dir["board.json"], ex.Message);
        // Before, the command named the file alone ("-o board.json"), which writes into the current folder, not over the damaged table.
        Assert.Contains($"Re-create it with `ofa profile -o {dir["board.json"]} --model /p/photos.ofa`.", ex.Message);
        Assert.Contains($"Re-create it with `ofa profile -o {dir["board.json"]}`.", Assert.Throws<OfaFormatException>(() => LatencyTableFile.Load(dir["board.json"])).Message);
    }

    [Fact]
    public void A_table_of_another_space_is_remade_into_a_new_file_not_over_the_one_in_use()
    {
        // Before: `ofa profile -o board.json --model ...`, over the table another package (of mbv3-fmnist) still reads.
        using var dir = new TempDir();
        var fmnist = DeviceCatalog.Builtin().LatencyTable("cortex-a53", Presets.Get(Presets.FashionMnist));
        var manifest = Packaging.TestPackage.Manifest(TestSpaces.ForPackage(), withExtras: false);
        foreach (var name in new[] { "board.json", "board.photos.json" })
        {
            var profile = dir[name];
            LatencyTableFile.Save(new LatencyTable("board", LatencyTableKind.Measured, "test", fmnist.Entries, fmnist.ConstantMs), profile);
            var ex = Assert.Throws<OfaException>(() => Core.Specialization.TargetProblem.Create(manifest, null, "board", 1e9, profile, packagePath: "/p/photos.ofa"));
            string made = dir["board.photos.json"];
            Assert.Equal($"The latency table for 'board' ({profile}) covers none of space 'tiny''s resolutions (12, 16): it was made for another space. " +
                $"Profile the device for this space into a new file (`ofa profile -o {made} --model /p/photos.ofa --device board`" +
                (name == "board.photos.json" ? $" (it replaces '{profile}')" : "") + // named for the package, yet not its table: remade in place, and said so
                $") and point the target at it: [OfaTarget(\"board\", LatencyMs = ..., Profile = \"{made}\")] (or --profile {made} on the command line).", ex.Message);
        }
    }

    [Fact]
    public void A_new_table_is_named_after_the_device_and_the_package_or_space_and_records_the_device()
    {
        Assert.Equal(("cortex-a53.photos.int8.json", "`ofa profile -o cortex-a53.photos.int8.json --model p/photos.ofa --precision int8 --device cortex-a53`"),
            ProfileHint.NewTable("cortex-a53", null, "p/photos.ofa", Photos, Precisions.Int8));
        Assert.Equal(Path.Combine("profiles", "board.mbv3-fmnist.json"), ProfileHint.NewTable("board", Path.Combine("profiles", "x.json"), null, Presets.Get(Presets.FashionMnist)).File);
        // The file's stem records the device without --device.
        Assert.Equal("ofa profile -o Board.json", ProfileHint.Command("Board.json", device: "board"));
    }
}
