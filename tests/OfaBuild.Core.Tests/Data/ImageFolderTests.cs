namespace OfaBuild.Core.Tests.Data;

/// <summary>
/// Image folders: which files of a class folder are images is one rule (<see cref="ImageFolderIndex.ImageFiles"/>,
/// which the build-host tool's PGM/PPM reader follows too), and a val/ or test/ folder's images carry the training
/// classes' indices, matched by folder name.
/// </summary>
public sealed class ImageFolderTests : TempDirTest
{
    /// <summary>Writes a 2 x 2 PGM (or the given bytes) at a path inside the folder.</summary>
    private string Image(string relative, byte[]? bytes = null)
    {
        var path = Dir[relative];
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes ?? [.. "P5 2 2 255\n"u8.ToArray(), 1, 2, 3, 4]);
        return path;
    }

    [Fact]
    public void Hidden_and_non_image_files_beside_the_images_are_skipped()
    {
        Image("bag/1.pgm");
        Image("bag/README.txt", "notes"u8.ToArray());
        Image("shoe/2.PGM");
        Image("shoe/.hidden.png");             // e.g. a macOS resource fork (._x.png)
        Image("shoe/.DS_Store", [0, 0, 0, 1]);

        var data = ImageFolder.Load(Dir.Path);

        Assert.Equal([0, 1], data.Labels);
        Assert.Equal(["bag", "shoe"], data.ClassNames);
        Assert.Equal(new[] { Dir["shoe/2.PGM"] }, ImageFolderIndex.ImageFiles(Dir["shoe"], ImageFolderIndex.ImageExtensions));
    }

    [Theory]
    [InlineData("2.png", new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' })]
    [InlineData("1.jpg", new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 })]
    public void An_image_the_build_host_reader_cannot_decode_names_the_tool_that_can(string name, byte[] bytes)
    {
        Image("bag/1.pgm");
        var other = Image("shoe/" + name, bytes);

        var ex = Assert.Throws<OfaException>(() => ImageFolder.Load(Dir.Path));

        Assert.Contains(other, ex.Message);
        Assert.Contains("src/OfaBuild.Tool", ex.Message); // the build-host tool, src/OfaBuild.Cli, is the one that cannot
    }

    [Fact]
    public void A_test_folder_without_a_class_keeps_the_training_indices()
    {
        foreach (var label in new[] { "bag", "shirt", "shoe" }) Image($"train/{label}/1.pgm");
        Image("test/shirt/1.pgm");
        Image("test/shoe/1.pgm");

        var test = new DatasetSource(Dir.Path).Load("test");

        Assert.Equal(["bag", "shirt", "shoe"], test.ClassNames);
        Assert.Equal([1, 2], test.Labels);
    }

    [Fact]
    public void A_class_the_training_images_lack_is_an_error_naming_its_folder()
    {
        foreach (var label in new[] { "bag", "shoe" }) Image($"train/{label}/1.pgm");
        Image("val/bag/1.pgm");
        Image("val/hat/1.pgm");

        var ex = Assert.Throws<OfaException>(() => new DatasetSource(Dir.Path).Load("val"));

        Assert.Contains(Dir["val/hat"], ex.Message);
        Assert.Contains("bag, shoe", ex.Message);
    }

    [Fact]
    public void An_image_folder_given_one_level_up_says_which_folder_to_pass()
    {
        Image("photos/bag/1.pgm");
        Image("photos/shoe/1.pgm");

        var ex = Assert.Throws<OfaException>(() => ImageFolder.Load(Dir.Path));

        Assert.Contains($"pass --dataset {Dir["photos"]}", ex.Message);
    }

    [Fact]
    public void A_test_folder_without_a_train_folder_beside_it_says_to_move_the_classes_into_train()
    {
        Image("bag/1.pgm");
        Image("shoe/1.pgm");
        Image("test/bag/1.pgm");

        var ex = Assert.Throws<OfaException>(() => new DatasetSource(Dir.Path).Load("train"));

        Assert.Contains(Dir["test"], ex.Message);
        Assert.Contains($"move them into '{Dir["train"]}'", ex.Message);
    }

    [Fact]
    public void Folders_beside_train_that_are_not_test_or_val_are_refused_naming_them()
    {
        Image("train/bag/1.pgm");
        Image("test/bag/1.pgm");
        Image("validation/bag/1.pgm");
        Image("shoe/1.pgm");
        Image(".cache/x.pgm"); // hidden: skipped, as everywhere

        var ex = Assert.Throws<OfaException>(() => new DatasetSource(Dir.Path).Load("test"));

        Assert.Contains("'shoe', 'validation'", ex.Message);
        Assert.Contains("rename a split to test/ or val/", ex.Message);
    }

    /// <summary>The build-host tool's reader and the listing the full tool's decoder reads by, on the folder given.</summary>
    public static TheoryData<string> Readers => ["build-host", "full", "calibration"];

    private static void Read(string reader, string root)
    {
        if (reader == "build-host") ImageFolder.Load(root);
        else ImageFolderIndex.List(root, ImageFolderIndex.ImageExtensions, unlabelled: reader == "calibration");
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void Images_beside_label_folders_are_refused_naming_the_folder_the_count_and_one(string reader)
    {
        // Before, both tools read bag/ and shoe/ and skipped the photos beside them without a word.
        Image("bag/1.pgm");
        Image("shoe/1.pgm");
        Image("IMG_0002.pgm");
        Image("IMG_0001.PGM");
        Image("README.txt", "notes"u8.ToArray()); // not an image: still skipped
        Image(".DS_Store", [0, 0, 0, 1]);

        var ex = Assert.Throws<OfaException>(() => Read(reader, Dir.Path));

        Assert.Contains($"'{Dir.Path}' holds 2 image files of its own, e.g. 'IMG_0001.PGM'", ex.Message);
        Assert.Contains("move them into a label folder, or out of the dataset", ex.Message);
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void Non_image_files_beside_label_folders_are_skipped(string reader)
    {
        Image("bag/1.pgm");
        Image("shoe/1.pgm");
        Image("README.txt", "notes"u8.ToArray());
        Image(".DS_Store", [0, 0, 0, 1]);
        Image(".hidden.png");

        Read(reader, Dir.Path); // no error
        Assert.Equal(["bag", "shoe"], ImageFolderIndex.List(Dir.Path, ImageFolderIndex.ImageExtensions).Classes);
    }

    [Fact]
    public void Images_beside_a_train_folder_are_refused_for_every_split()
    {
        Image("train/bag/1.pgm");
        Image("test/bag/1.pgm");
        Image("photo.pgm");
        Image("README.txt", "notes"u8.ToArray());

        foreach (var split in new[] { "train", "test" })
        {
            var ex = Assert.Throws<OfaException>(() => new DatasetSource(Dir.Path).Load(split));
            Assert.Contains($"'{Dir.Path}' has a train/ folder", ex.Message);
            Assert.Contains("1 image file of its own, e.g. 'photo.pgm'", ex.Message);
            Assert.Contains("move them into a label folder under train/ (or test/, val/), or out of the dataset", ex.Message);
        }
    }

    [Fact]
    public void A_folder_without_holdout_or_test_split_says_how_to_get_images_to_measure_on()
    {
        foreach (var label in new[] { "bag", "shoe" }) Image($"train/{label}/1.pgm");
        var splits = DatasetSplits.ForTraining(new DatasetSource(Dir["train"]), holdout: null);

        var ex = Assert.Throws<OfaException>(() => splits.Get("test"));

        Assert.Contains("--holdout 10%", ex.Message);
    }

    [Fact]
    public void A_folder_with_a_holdout_but_no_test_split_says_to_evaluate_on_the_holdout()
    {
        foreach (var label in new[] { "bag", "shoe" }) for (int i = 0; i < 4; i++) Image($"{label}/{i}.pgm");
        var splits = DatasetSplits.ForTraining(new DatasetSource(Dir.Path), holdout: "25%");

        var ex = Assert.Throws<OfaException>(() => splits.Get("test"));

        Assert.Contains("no test split", ex.Message);
        Assert.Contains("--split holdout", ex.Message);
    }
}
