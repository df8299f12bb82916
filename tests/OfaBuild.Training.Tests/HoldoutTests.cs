using OfaBuild.Core;
using OfaBuild.Core.Data;
using OfaBuild.Core.Packaging;

namespace OfaBuild.Training.Tests;

/// <summary>The held-out split: deterministic, disjoint from training, recorded in the package, checked when recomputed.</summary>
public class HoldoutTests
{
    private static void Write(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    [Fact]
    public void The_holdout_is_a_deterministic_disjoint_choice_recognised_by_its_hash()
    {
        var a = HoldoutSplit.Indices(60_000, 10_000);
        Assert.Equal(a, HoldoutSplit.Indices(60_000, 10_000));
        Assert.Equal(10_000, a.Distinct().Count());
        Assert.True(a.Zip(a.Skip(1)).All(p => p.First < p.Second));
        Assert.NotEqual(HoldoutSplit.Hash(a), HoldoutSplit.Hash(HoldoutSplit.Indices(60_000, 10_000, seed: 1)));

        var data = SyntheticImages.Quadrants(100, 2);
        var (train, held, idx) = HoldoutSplit.Split(data, 20);
        Assert.Equal((80, 20), (train.Count, held.Count));
        Assert.Equal(idx.Select(i => data.Labels[i]), held.Labels);
        // Every image is in exactly one part: compare the pixel rows as strings.
        string Row(ImageDataset d, int i) => Convert.ToBase64String(d.Pixels, i * d.ImageSize, d.ImageSize);
        var all = Enumerable.Range(0, data.Count).Select(i => Row(data, i)).Order().ToArray();
        var parts = Enumerable.Range(0, 80).Select(i => Row(train, i)).Concat(Enumerable.Range(0, 20).Select(i => Row(held, i))).Order().ToArray();
        Assert.Equal(all, parts);
    }

    [Fact]
    public void Fashion_mnist_holds_out_10000_training_images_by_default_and_none_with_holdout_0()
    {
        var splits = DatasetSplits.ForTraining(new DatasetSource("fashion-mnist"), null);
        Assert.Equal((50_000, 10_000, 10_000), (splits.Train.Count, splits.Holdout!.Count, splits.Test!.Count));
        Assert.Equal((10_000, 60_000, "fashion-mnist/train"), (splits.HoldoutInfo!.Count, splits.HoldoutInfo.Of, splits.HoldoutInfo.Source));
        Assert.Equal(HoldoutSplit.Hash(HoldoutSplit.Indices(60_000, 10_000)), splits.HoldoutInfo.IndicesSha256);
        Assert.Null(DatasetSplits.ForTraining(new DatasetSource("fashion-mnist"), "0").Holdout);
    }

    [Theory]
    [InlineData("10000", 60000, 10000)]
    [InlineData("0.1", 60000, 6000)]
    [InlineData("10%", 500, 50)]
    [InlineData("0", 500, 0)]
    public void Holdout_counts_parse_as_images_fractions_or_percentages(string text, int count, int expected) =>
        Assert.Equal(expected, HoldoutSplit.ParseCount(text, count));

    [Fact]
    public void A_holdout_that_takes_everything_or_is_not_a_number_is_an_error() 
    {
        Assert.Contains("leave some", Assert.Throws<OfaException>(() => HoldoutSplit.ParseCount("500", 500)).Message);
        Assert.Contains("--holdout", Assert.Throws<OfaException>(() => HoldoutSplit.ParseCount("ten", 500)).Message);
        Assert.Contains("whole number", Assert.Throws<OfaException>(() => HoldoutSplit.ParseCount("12.5", 500)).Message);
    }

    [Fact]
    public void A_folder_holdout_is_recomputed_from_the_package_and_a_changed_folder_is_refused()
    {
        using var dir = new TempDir();
        foreach (var label in new[] { "a", "b" })
            for (int i = 0; i < 10; i++)
                Write(dir[$"{label}/{i}.pgm"], [.. "P5 2 2 255\n"u8, (byte)i, 1, 2, (byte)(label == "a" ? 0 : 255)]);
        var source = new DatasetSource(dir.Path); // no decoder: same-size PGM as they are
        var split = DatasetSplits.ForTraining(source, "0.25");
        Assert.Equal((15, 5), (split.Train.Count, split.Holdout!.Count));
        Assert.Equal((5, 20, HoldoutSplit.Seed), (split.HoldoutInfo!.Count, split.HoldoutInfo.Of, split.HoldoutInfo.Seed));

        var again = DatasetSplits.ForPackage(source, split.HoldoutInfo, "x.ofa");
        Assert.Equal(split.Holdout.Pixels, again.Get("holdout").Pixels);
        Assert.Equal(split.Train.Pixels, again.Get("train").Pixels);
        Assert.Contains("no test split", Assert.Throws<OfaException>(() => again.Get("test")).Message);

        Write(dir["b/99.pgm"], [.. "P5 2 2 255\n"u8, 9, 9, 9, 9]);
        var ex = Assert.Throws<OfaException>(() => DatasetSplits.ForPackage(source, split.HoldoutInfo, "x.ofa"));
        Assert.Contains("x.ofa", ex.Message);

        Assert.Contains("no hold-out", Assert.Throws<OfaException>(() => DatasetSplits.ForPackage(source, null, "x.ofa").Get("holdout")).Message);
    }

    [Fact]
    public void A_val_folder_beside_train_is_the_holdout()
    {
        using var dir = new TempDir();
        foreach (var (split, n) in new[] { ("train", 6), ("val", 2), ("test", 3) })
            foreach (var label in new[] { "a", "b" })
                for (int i = 0; i < n; i++)
                    Write(dir[$"{split}/{label}/{i}.pgm"], [.. "P5 1 1 255\n"u8, (byte)i]);
        var splits = DatasetSplits.ForTraining(new DatasetSource(dir.Path), null);
        Assert.Equal((12, 4, 6), (splits.Train.Count, splits.Holdout!.Count, splits.Test!.Count));
        Assert.Equal("val", splits.HoldoutInfo!.Folder);
        Assert.Throws<OfaException>(() => DatasetSplits.ForTraining(new DatasetSource(dir.Path), "0.1"));

        // As a drawn hold-out, a changed folder is refused rather than evaluated on.
        Assert.Equal(4, DatasetSplits.ForPackage(new DatasetSource(dir.Path), splits.HoldoutInfo, "x.ofa").Holdout!.Count);
        Write(dir["val/a/9.pgm"], [.. "P5 1 1 255\n"u8, 9]);
        var ex = Assert.Throws<OfaException>(() => DatasetSplits.ForPackage(new DatasetSource(dir.Path), splits.HoldoutInfo, "x.ofa"));
        Assert.Contains("held out the 4 images of the val/ folder", ex.Message);
        Assert.Contains("now has 5", ex.Message);
    }

    [Fact]
    public void The_manifest_records_holdout_and_centre_crop_as_optional_fields_older_readers_skip()
    {
        var space = TestSpaces.ForTraining();
        var manifest = new OfaManifest
        {
            Space = space,
            Normalization = new InputNormalization([0.5], [0.25]) { CenterCrop = 0.875 },
            Labels = ["a", "b", "c", "d"],
            Provenance = new Provenance { Source = "test" },
            Holdout = new HoldoutInfo { Count = 5, Of = 20, Seed = HoldoutSplit.Seed, Source = "x", IndicesSha256 = "ab" },
        };
        var json = manifest.ToJson();
        Assert.Contains("\"center_crop\": 0.875", json);
        Assert.Contains("\"holdout\": {", json);
        var back = OfaManifest.FromJson(System.Text.Encoding.UTF8.GetBytes(json), "m");
        Assert.Equal(manifest.Holdout, back.Holdout);
        Assert.Equal(0.875, back.Normalization.Crop);
        // Unknown fields are ignored by the reader, which is what lets a reader of this version open packages with
        // fields added later, and an older reader open these (format_version stays 1).
        Assert.Equal(1, back.FormatVersion);
        var extended = json.Replace("\"holdout\": {", "\"added_later\": {\"x\": 1},\n  \"holdout\": {");
        Assert.Equal(manifest.Holdout, OfaManifest.FromJson(System.Text.Encoding.UTF8.GetBytes(extended), "m").Holdout);
        // A package without them (as older tools write) reads with the defaults: whole image, no hold-out.
        var old = OfaManifest.FromJson(System.Text.Encoding.UTF8.GetBytes((manifest with { Holdout = null, Normalization = new([0.5], [0.25]) }).ToJson()), "m");
        Assert.Equal((1.0, (HoldoutInfo?)null), (old.Normalization.Crop, old.Holdout));
    }
}
