using System.IO.Compression;
using OfaBuild.Core;
using OfaBuild.Core.Data;
using OfaBuild.Training.Data;

namespace OfaBuild.Training.Tests;

public class DataTests
{
    [Fact]
    public void Image_folder_reads_PGM_and_PPM_per_label()
    {
        var root = Directory.CreateTempSubdirectory("ofa-images-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "cat"));
            Directory.CreateDirectory(Path.Combine(root, "dog"));
            // P5 with a comment, 3x2 grey.
            File.WriteAllBytes(Path.Combine(root, "cat", "a.pgm"), [.. "P5\n# c\n3 2\n255\n"u8, 1, 2, 3, 4, 5, 6]);
            File.WriteAllBytes(Path.Combine(root, "dog", "b.pgm"), [.. "P5 3 2 255\n"u8, 9, 8, 7, 6, 5, 4]);
            var ds = ImageFolder.Load(root);
            Assert.Equal(["cat", "dog"], ds.ClassNames);
            Assert.Equal([0, 1], ds.Labels);
            Assert.Equal((1, 2, 3), (ds.Channels, ds.Height, ds.Width));
            Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 9, 8, 7, 6, 5, 4 }, ds.Pixels);

            // PPM is interleaved RGB; the dataset is planar.
            var ppm = Path.Combine(root, "x.ppm");
            File.WriteAllBytes(ppm, [.. "P6 2 1 255\n"u8, 10, 20, 30, 40, 50, 60]);
            var (c, h, w, data) = ImageFolder.ReadNetpbm(ppm);
            Assert.Equal((3, 1, 2), (c, h, w));
            Assert.Equal(new byte[] { 10, 40, 20, 50, 30, 60 }, data);

            File.WriteAllBytes(Path.Combine(root, "dog", "c.png"), [0x89, (byte)'P', (byte)'N', (byte)'G']);
            var ex = Assert.Throws<OfaException>(() => ImageFolder.Load(root));
            Assert.Contains("c.png", ex.Message);
        }
        finally { Directory.Delete(root, true); }
    }

    [Fact]
    public void IDX_reader_reads_gzipped_bytes()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ofa-{Guid.NewGuid():N}-idx3-ubyte.gz");
        try
        {
            using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest))
                gz.Write([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 7, 8, 9, 10]);
            var (dims, data) = IdxReader.Read(path);
            Assert.Equal([2, 1, 2], dims);
            Assert.Equal(new byte[] { 7, 8, 9, 10 }, data);
        }
        finally { File.Delete(path); }
    }
}
