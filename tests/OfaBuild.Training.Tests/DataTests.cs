using System.IO.Compression;
using OfaBuild.Core;
using OfaBuild.Core.Data;
using OfaBuild.Runtime;
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
            File.Delete(ppm); // an image beside the label folders is refused, before the PNG below would be

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

    [Theory]
    [InlineData(8)]  // 28 -> 8 is 3.5x: antialiased (4 bilinear taps alias the checkerboard)
    [InlineData(20)] // 28 -> 20 is 1.4x: F.interpolate's bilinear, as before
    public void Whole_image_batches_are_resized_as_ImageInput_prepares(int resolution)
    {
        // Training batches of a stored dataset (Fashion-MNIST's IDX images) must feed the network as evaluation,
        // calibration and an app's Prepare do; float32 torch against ImageInput's doubles: measured up to 2.4e-6 (r 20).
        var rng = new Random(7);
        var pixels = new byte[2 * 28 * 28];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(((i % 28 + i / 28) % 2 == 0 ? 200 : 40) + rng.Next(16));
        var norm = new Normalization([0.286f], [0.353f]);
        var maker = new BatchMaker(new ImageDataset(pixels, [0, 1], 1, 28, 28, ["a", "b"], "test"), norm);
        var expected = ImageInput.Prepare(pixels, 2, 1, 28, 28, resolution, [(double)norm.Mean[0]], [(double)norm.Std[0]]);
        // A batch made at r, and one made at 28 then resized for a subnet at r (a shrinking step's subnets).
        var (x, _) = maker.Make([0, 1], resolution, null);
        var (full, _) = maker.Make([0, 1], 28, null);
        foreach (var (batch, what) in new[] { (x, "made"), (BatchMaker.Resize(full, resolution), "resized from 28") })
        {
            Assert.Equal([2L, 1, resolution, resolution], batch.shape);
            double worst = expected.Zip(batch.flatten().data<float>().ToArray(), (e, a) => Math.Abs(e - a)).Max();
            Assert.True(worst < 1e-5, $"the batch {what} at r {resolution} differs from ImageInput.Prepare by up to {worst}");
        }
    }
}
