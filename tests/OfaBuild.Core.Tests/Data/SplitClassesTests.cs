using OfaBuild.Core.Data;

namespace OfaBuild.Core.Tests.Data;

/// <summary>A val/ or test/ folder's images carry the training classes' indices, matched by folder name.</summary>
public class SplitClassesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ofa-splits-").FullName;

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        GC.SuppressFinalize(this);
    }

    private void Image(string split, string label, string name)
    {
        var dir = Path.Combine(_root, split, label);
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, name), [.. "P5 2 2 255\n"u8.ToArray(), 1, 2, 3, 4]);
    }

    [Fact]
    public void A_test_folder_without_a_class_keeps_the_training_indices()
    {
        foreach (var label in new[] { "bag", "shirt", "shoe" }) Image("train", label, "1.pgm");
        Image("test", "shirt", "1.pgm");
        Image("test", "shoe", "1.pgm");

        var test = new DatasetSource(_root).Load("test");

        Assert.Equal(["bag", "shirt", "shoe"], test.ClassNames);
        Assert.Equal([1, 2], test.Labels);
    }

    [Fact]
    public void A_class_the_training_images_lack_is_an_error_naming_its_folder()
    {
        foreach (var label in new[] { "bag", "shoe" }) Image("train", label, "1.pgm");
        Image("val", "bag", "1.pgm");
        Image("val", "hat", "1.pgm");

        var ex = Assert.Throws<OfaException>(() => new DatasetSource(_root).Load("val"));

        Assert.Contains(Path.Combine(_root, "val", "hat"), ex.Message);
        Assert.Contains("bag, shoe", ex.Message);
    }

    [Fact]
    public void A_folder_without_holdout_or_test_split_says_how_to_get_images_to_measure_on()
    {
        foreach (var label in new[] { "bag", "shoe" }) Image("train", label, "1.pgm");
        var source = new DatasetSource(Path.Combine(_root, "train"));
        var splits = DatasetSplits.ForTraining(source, holdout: null);

        var ex = Assert.Throws<OfaException>(() => splits.Get("test"));

        Assert.Contains("--holdout 10%", ex.Message);
    }

    [Fact]
    public void The_build_host_reader_sends_a_jpeg_to_the_tool_that_decodes_it()
    {
        Image("train", "bag", "1.pgm");
        var dir = Path.Combine(_root, "train", "shoe");
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "1.jpg"), [0xFF, 0xD8, 0xFF, 0xE0]);

        var ex = Assert.Throws<OfaException>(() => ImageFolder.Load(Path.Combine(_root, "train")));

        Assert.Contains("src/OfaBuild.Tool", ex.Message); // the build-host tool, src/OfaBuild.Cli, is the one that cannot
    }
}
