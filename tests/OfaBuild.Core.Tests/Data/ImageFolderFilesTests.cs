using OfaBuild.Core.Data;

namespace OfaBuild.Core.Tests.Data;

/// <summary>
/// Which files of a class folder are images is one rule (<see cref="ImageFolderIndex.ImageFiles"/>): the build-host
/// tool's PGM/PPM reader skips hidden and non-image files as the full tool's index does.
/// </summary>
public class ImageFolderFilesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ofa-files-").FullName;

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        GC.SuppressFinalize(this);
    }

    private string File(string label, string name, byte[]? bytes = null)
    {
        var dir = Path.Combine(_root, label);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        System.IO.File.WriteAllBytes(path, bytes ?? [.. "P5 2 2 255\n"u8.ToArray(), 1, 2, 3, 4]);
        return path;
    }

    [Fact]
    public void Hidden_and_non_image_files_beside_the_images_are_skipped()
    {
        File("bag", "1.pgm");
        File("bag", "README.txt", "notes"u8.ToArray());
        File("shoe", "2.PGM");
        File("shoe", ".hidden.png");             // e.g. a macOS resource fork (._x.png)
        File("shoe", ".DS_Store", [0, 0, 0, 1]);

        var data = ImageFolder.Load(_root);

        Assert.Equal([0, 1], data.Labels);
        Assert.Equal(["bag", "shoe"], data.ClassNames);
        Assert.Equal(new[] { Path.Combine(_root, "shoe", "2.PGM") }, ImageFolderIndex.ImageFiles(Path.Combine(_root, "shoe"), ImageFolderIndex.ImageExtensions));
    }

    [Fact]
    public void An_image_this_reader_cannot_decode_still_names_the_full_tool()
    {
        File("bag", "1.pgm");
        var png = File("bag", "2.png", [0x89, (byte)'P', (byte)'N', (byte)'G']);

        var ex = Assert.Throws<OfaException>(() => ImageFolder.Load(_root));

        Assert.Contains(png, ex.Message);
        Assert.Contains("src/OfaBuild.Tool", ex.Message);
    }
}
