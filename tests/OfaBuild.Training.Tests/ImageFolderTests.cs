using OfaBuild.Core;
using OfaBuild.Core.Data;
using OfaBuild.Imaging;
using OfaBuild.Runtime;
using OfaBuild.Training.Data;
using SkiaSharp;

namespace OfaBuild.Training.Tests;

/// <summary>Image folders as users have them: JPEG/PNG/BMP/WebP of any size, grey or colour, read by SkiaSharp.</summary>
public class ImageFolderTests
{
    private static readonly SkiaImageDecoder Decoder = new();

    /// <summary>Writes a w x h image filled with <paramref name="color"/> (left half) and black (right half), encoded by Skia.</summary>
    internal static void WriteImage(string path, int w, int h, SKColor color, bool grey = false)
    {
        var info = new SKImageInfo(w, h, grey ? SKColorType.Gray8 : SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Black);
            using var paint = new SKPaint { Color = color };
            canvas.DrawRect(0, 0, w / 2f, h, paint);
        }
        var format = Path.GetExtension(path) switch
        {
            ".jpg" => SKEncodedImageFormat.Jpeg,
            ".png" => SKEncodedImageFormat.Png,
            ".webp" => SKEncodedImageFormat.Webp,
            _ => throw new ArgumentException(path),
        };
        using var data = bitmap.Encode(format, 95);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, data.ToArray());
    }

    [Fact]
    public void A_folder_of_jpeg_png_and_webp_of_any_size_loads_as_square_planar_images()
    {
        using var dir = new TempDir();
        WriteImage(dir["cat/a.jpg"], 120, 80, new SKColor(200, 20, 20));
        WriteImage(dir["cat/b.png"], 64, 64, new SKColor(10, 200, 30));
        WriteImage(dir["dog/c.webp"], 50, 90, new SKColor(30, 40, 220));
        File.WriteAllText(dir["dog/notes.txt"], "not an image: skipped");
        File.WriteAllBytes(dir["dog/.hidden.jpg"], [1, 2, 3]); // hidden files are skipped too

        var index = ImageFolderIndex.Scan(dir.Path, Decoder);
        Assert.Equal(["cat", "dog"], index.ClassNames);
        Assert.Equal([0, 0, 1], index.Labels);
        Assert.Equal(new ImageHeader(120, 80, false), index.Headers[0]);
        Assert.Equal(3, index.Channels);
        Assert.Equal(64, index.MedianShortSide);

        var ds = index.Decode(Decoder, index.Channels, 32);
        Assert.Equal((3, 32, 32, 3), (ds.Channels, ds.Height, ds.Width, ds.Count));
        Assert.Equal(InputPreprocessing.Reference, ds.Preprocessing);
        // The PNG (lossless): left half green, right half black; the centre square of a square image is the image.
        int plane = 32 * 32, png = 1 * 3 * plane;
        Assert.Equal(10, ds.Pixels[png + 0 * plane + 5 * 32 + 3]);
        Assert.Equal(200, ds.Pixels[png + 1 * plane + 5 * 32 + 3]);
        Assert.Equal(0, ds.Pixels[png + 1 * plane + 5 * 32 + 28]);
        // The JPEG, 120x80: its centre 80x80 square (x 20..100) is half red (x < 60), half black.
        Assert.InRange(ds.Pixels[0 * plane + 16 * 32 + 4], 185, 215);
        Assert.InRange(ds.Pixels[0 * plane + 16 * 32 + 28], 0, 15);
    }

    [Fact]
    public void A_photo_s_exif_orientation_is_applied_before_cropping()
    {
        using var dir = new TempDir();
        // Stored 80x40, red left half; EXIF orientation 6 ("turn 90 clockwise to view") makes it 40x80, red top half.
        WriteImage(dir["cat/phone.jpg"], 80, 40, new SKColor(200, 20, 20));
        WithExifOrientation(dir["cat/phone.jpg"], 6);

        Assert.Equal(new ImageHeader(40, 80, false), Decoder.ReadHeader(dir["cat/phone.jpg"]));
        var square = Decoder.DecodeSquare(dir["cat/phone.jpg"], 3, 20);
        // The centre 40x40 square of the upright image spans rows 20..60: red above the middle, black below.
        Assert.InRange(square[3 * 20 + 10], 185, 215);
        Assert.InRange(square[16 * 20 + 10], 0, 15);
    }

    /// <summary>Inserts an EXIF APP1 segment with only the orientation tag (274) after the JPEG's SOI marker.</summary>
    private static void WithExifOrientation(string jpeg, ushort orientation)
    {
        byte[] app1 =
        [
            0xFF, 0xE1, 0x00, 0x22, (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0, // marker, length 34, "Exif\0\0"
            (byte)'M', (byte)'M', 0x00, 0x2A, 0, 0, 0, 8,                              // big-endian TIFF, IFD at 8
            0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, (byte)(orientation >> 8), (byte)orientation, 0, 0, // 1 entry: SHORT
            0, 0, 0, 0,                                                                 // no next IFD
        ];
        var bytes = File.ReadAllBytes(jpeg);
        File.WriteAllBytes(jpeg, [.. bytes[..2], .. app1, .. bytes[2..]]);
    }

    [Fact]
    public void Grey_images_give_one_channel_and_a_colour_image_makes_the_folder_colour()
    {
        using var dir = new TempDir();
        WriteImage(dir["a/1.png"], 40, 40, new SKColor(180, 180, 180), grey: true);
        WriteImage(dir["b/2.jpg"], 40, 30, new SKColor(90, 90, 90), grey: true);
        var index = ImageFolderIndex.Scan(dir.Path, Decoder);
        Assert.True(index.Headers.All(h => h.Grey));
        Assert.Equal(1, index.Channels);
        var grey = index.Decode(Decoder, 1, 20);
        Assert.Equal(180, grey.Pixels[5 * 20 + 2]);

        WriteImage(dir["b/3.png"], 40, 40, new SKColor(255, 0, 0));
        index = ImageFolderIndex.Scan(dir.Path, Decoder);
        Assert.Equal(3, index.Channels);
        var colour = index.Decode(Decoder, 3, 20);
        // The grey PNG repeated into R, G and B.
        Assert.Equal([180, 180, 180], new[] { colour.Pixels[5 * 20 + 2], colour.Pixels[400 + 5 * 20 + 2], colour.Pixels[800 + 5 * 20 + 2] });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void A_photo_an_app_prepares_from_SkiaSharps_pixels_is_the_image_training_decodes(int channels)
    {
        // A colour photo (seeded noise, lossless PNG), square, so the decoder keeps its size and pixels.
        using var dir = new TempDir();
        const int Side = 16;
        var rgba = new byte[Side * Side * 4];
        new Random(3).NextBytes(rgba);
        for (int i = 3; i < rgba.Length; i += 4) rgba[i] = 255;
        using (var noise = new SKBitmap(new SKImageInfo(Side, Side, SKColorType.Rgba8888, SKAlphaType.Opaque)))
        {
            rgba.CopyTo(noise.GetPixelSpan());
            using var png = noise.Encode(SKEncodedImageFormat.Png, 100);
            Directory.CreateDirectory(dir.Path);
            File.WriteAllBytes(dir["photo.png"], png.ToArray());
        }
        var input = new OfaInputInfo { Channels = channels, Resolution = 7, Mean = [.. Enumerable.Repeat(0.5, channels)], Std = [.. Enumerable.Repeat(0.25, channels)], CenterCrop = 0.875 };
        // Training: the decoder's planar bytes (grey by luma for a grey model) through the planar Prepare.
        var decoded = Decoder.DecodeSquare(dir["photo.png"], channels, Side);
        for (int i = 0; i < Side * Side; i++) // grey: ITU-R 601 luma rounded to the nearest (PIL's convert("L")); colour: R, G, B planes
            Assert.Equal(channels == 1 ? [(byte)((rgba[4 * i] * 299 + rgba[4 * i + 1] * 587 + rgba[4 * i + 2] * 114 + 500) / 1000)] : rgba[(4 * i)..(4 * i + 3)],
                Enumerable.Range(0, channels).Select(c => decoded[c * Side * Side + i]).ToArray());
        var trained = new float[channels * 7 * 7];
        input.Prepare(decoded, Side, Side, trained);
        // The app, as the README shows it: SkiaSharp's BGRA pixels as they are, with their stride.
        using var codec = SKCodec.Create(dir["photo.png"]);
        using var photo = SKBitmap.Decode(codec, codec.Info with { ColorType = SKColorType.Bgra8888, AlphaType = SKAlphaType.Unpremul });
        var app = new float[channels * 7 * 7];
        input.Prepare(photo.GetPixelSpan(), photo.Height, photo.Width, photo.RowBytes, OfaPixelFormat.Bgra32, app);
        Assert.Equal(trained, app);
    }

    [Fact]
    public void A_full_size_photo_an_app_prepares_is_close_to_the_image_training_decodes_from_it()
    {
        // A 2000 x 1500 photo-like image: smooth colour gradients under a fine grating and seeded noise, lossless PNG.
        using var dir = new TempDir();
        const int W = 2000, H = 1500, R = 160;
        var rng = new Random(11);
        using (var image = new SKBitmap(new SKImageInfo(W, H, SKColorType.Rgba8888, SKAlphaType.Opaque)))
        {
            var px = image.GetPixelSpan();
            for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++)
                    for (int c = 0; c < 3; c++)
                    {
                        double smooth = 128 + 60 * Math.Sin(x / (150.0 + 40 * c)) + 40 * Math.Cos(y / (110.0 + 30 * c));
                        double fine = 40 * Math.Sin((x + 2 * y) * 2.1) + rng.Next(-30, 31);
                        px[(y * W + x) * 4 + c] = (byte)Math.Clamp(smooth + fine, 0, 255);
                    }
            for (int i = 3; i < px.Length; i += 4) px[i] = 255;
            using var png = image.Encode(SKEncodedImageFormat.Png, 100);
            Directory.CreateDirectory(dir.Path);
            File.WriteAllBytes(dir["photo.png"], png.ToArray());
        }
        var input = new OfaInputInfo { Channels = 3, Resolution = R, Mean = [0.5, 0.5, 0.5], Std = [0.25, 0.25, 0.25], CenterCrop = 0.875 };
        // Training: the stored centre square at the largest resolution / 0.875, then evaluation's planar Prepare.
        int stored = ElasticResolutions.StorageSize([R], 0.875);
        var trained = new float[3 * R * R];
        input.Prepare(Decoder.DecodeSquare(dir["photo.png"], 3, stored), stored, stored, trained);
        // The app: the full-size pixels of the same centre square, read in place (rows of the whole photo apart).
        using var codec = SKCodec.Create(dir["photo.png"]);
        using var photo = SKBitmap.Decode(codec, codec.Info with { ColorType = SKColorType.Bgra8888, AlphaType = SKAlphaType.Unpremul });
        var app = new float[3 * R * R];
        var square = photo.GetPixelSpan()[((W - H) / 2 * 4)..];
        input.Prepare(square, H, H, photo.RowBytes, OfaPixelFormat.Bgra32, app); // JIT first
        long before = GC.GetAllocatedBytesForCurrentThread();
        input.Prepare(square, H, H, photo.RowBytes, OfaPixelFormat.Bgra32, app);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        var diff = trained.Zip(app, (a, b) => Math.Abs(a - b)).ToArray();
        double mean = diff.Average(), max = diff.Max();
        // Plain bilinear (4 taps of each output pixel's ~8 x 8 source pixels) differed by mean 0.230, max 1.041 (in std
        // units); averaging the footprint by mean 0.019, max 0.095.
        Assert.True(mean < 0.04 && max < 0.2, $"trained vs app: mean {mean}, max {max}");
        // The whole photo, as the README's app passes it: Prepare keeps the same centre square (squashing the photo into
        // the square instead differed from training by mean 0.326, max 1.062).
        var whole = new float[3 * R * R];
        input.Prepare(photo.GetPixelSpan(), H, W, photo.RowBytes, OfaPixelFormat.Bgra32, whole);
        Assert.All(whole.Zip(app), p => Assert.Equal(p.First, p.Second, 1e-5f));
    }

    [Fact]
    public void An_image_at_most_twice_the_output_is_resized_bilinearly_and_a_larger_one_antialiased()
    {
        // Prepare without normalisation (mean 0, std 1, scale 1) is Resize on the bytes, bit for bit: bilinear up to 2x,
        // antialiased beyond, where the noise is averaged over each output pixel's footprint.
        var rng = new Random(4);
        foreach (int side in new[] { 28, 40, 56, 57, 112 })
        {
            var pixels = new byte[side * side];
            rng.NextBytes(pixels);
            var resized = new float[28 * 28];
            ImageInput.Resize([.. pixels.Select(p => (float)p)], 1, side, resized, 28);
            var prepared = ImageInput.Prepare(pixels, 1, 1, side, side, 28, [0.0], [1.0], pixelScale: 1);
            Assert.Equal(resized, prepared);
            if (side == 112) Assert.True(StdDev(prepared) < StdDev(pixels.Select(p => (float)p).ToArray()) / 3, $"{side} px: noise not averaged, {StdDev(prepared)}");
            // A training crop's flip mirrors the columns, whichever resize.
            var flipped = new float[28 * 28];
            ImageInput.PrepareRegion(pixels, 1, side, side, 0, 0, side, side, true, 28, [0.0], [1.0], flipped, pixelScale: 1);
            Assert.Equal(prepared, Enumerable.Range(0, 28 * 28).Select(i => flipped[i / 28 * 28 + 27 - i % 28]));
        }
    }

    private static double StdDev(float[] v)
    {
        double m = v.Average();
        return Math.Sqrt(v.Average(x => (x - m) * (x - m)));
    }

    [Fact]
    public void A_damaged_image_an_empty_class_and_a_folder_without_classes_are_one_line_errors_naming_them()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Path);
        var ex = Assert.Throws<OfaException>(() => ImageFolderIndex.Scan(dir.Path, Decoder));
        Assert.Contains(dir.Path, ex.Message);
        Assert.Contains("no class sub-folders", ex.Message);

        WriteImage(dir["ok/1.png"], 16, 16, SKColors.White);
        Directory.CreateDirectory(dir["empty"]);
        ex = Assert.Throws<OfaException>(() => ImageFolderIndex.Scan(dir.Path, Decoder));
        Assert.Contains(dir["empty"], ex.Message);

        Directory.Delete(dir["empty"]);
        File.WriteAllBytes(dir["ok/broken.jpg"], [0xFF, 0xD8, 0xFF, 0x00, 1, 2, 3]);
        ex = Assert.Throws<OfaException>(() => ImageFolderIndex.Scan(dir.Path, Decoder));
        Assert.Contains("broken.jpg", ex.Message);

        // Not an image at all (a note saved as .jpg): said so, not as Skia's "Unimplemented".
        File.Delete(dir["ok/broken.jpg"]);
        File.WriteAllText(dir["ok/notes.jpg"], "my notes");
        ex = Assert.Throws<OfaException>(() => ImageFolderIndex.Scan(dir.Path, Decoder));
        Assert.Contains("'" + dir["ok/notes.jpg"] + "' is not a readable image (its content is not a JPEG, PNG, BMP, WebP or GIF image", ex.Message);
        File.Delete(dir["ok/notes.jpg"]);

        // A PNG cut short: refused when its header is read or when its pixels are decoded, naming the file.
        WriteImage(dir["ok/cut.png"], 64, 64, SKColors.Red);
        var bytes = File.ReadAllBytes(dir["ok/cut.png"]);
        File.WriteAllBytes(dir["ok/cut.png"], bytes[..(bytes.Length * 2 / 3)]);
        ex = Assert.Throws<OfaException>(() => ImageFolderIndex.Scan(dir.Path, Decoder).Decode(Decoder, 3, 16));
        Assert.Contains("cut.png", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void A_folder_read_for_a_package_follows_the_package_s_crop()
    {
        using var dir = new TempDir();
        WriteImage(dir["a/1.png"], 40, 30, SKColors.White);
        WriteImage(dir["b/2.png"], 30, 40, SKColors.Gray);
        var whole = new DatasetSource(dir.Path, null, Decoder) { Channels = 1, Size = 28, CenterCrop = 1.0 }.Load("train");
        Assert.Equal((InputPreprocessing.WholeImage, 1, 28), (whole.Preprocessing, whole.Channels, whole.Height));
        var cropped = new DatasetSource(dir.Path, null, Decoder) { Channels = 3, Size = 32, CenterCrop = 0.875 }.Load("train");
        Assert.Equal((InputPreprocessing.Reference, 3, 32), (cropped.Preprocessing, cropped.Channels, cropped.Height));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void A_same_size_pgm_and_ppm_folder_is_evaluated_from_its_pixels_as_an_app_prepares_them_in_either_tool(int channels)
    {
        // Before, the full tool evaluated such a folder from its stored squares (the centre 32 x 32 resized by Skia to
        // 37 x 37 bytes, then cropped and resized again) and the build-host tool from the pixels: their top-1 differed.
        using var dir = new TempDir();
        const int W = 48, H = 32, R = 28;
        var rng = new Random(5);
        var files = new[] { "a/1.pgm", "a/2.ppm", "b/3.pgm" };
        foreach (var name in files)
        {
            bool grey = name.EndsWith(".pgm", StringComparison.Ordinal);
            var pixels = new byte[(grey ? 1 : 3) * W * H];
            rng.NextBytes(pixels);
            Directory.CreateDirectory(Path.GetDirectoryName(dir[name])!);
            File.WriteAllBytes(dir[name], [.. System.Text.Encoding.ASCII.GetBytes($"P{(grey ? 5 : 6)}\n{W} {H}\n255\n"), .. pixels]);
        }
        double crop = 0.875;
        var fullTool = new DatasetSource(dir.Path, null, Decoder) { Channels = channels, Size = ElasticResolutions.StorageSize([R], crop), CenterCrop = crop, ForEvaluation = true }.Load("train");
        var hostTool = new DatasetSource(dir.Path) { Channels = channels, CenterCrop = crop, ForEvaluation = true }.Load("train");
        Assert.Equal((channels, H, W, InputPreprocessing.Reference), (fullTool.Channels, fullTool.Height, fullTool.Width, fullTool.Preprocessing));
        Assert.Equal(hostTool.Pixels, fullTool.Pixels);
        Assert.Equal(hostTool.Preprocessing, fullTool.Preprocessing);

        // What evaluation feeds the network is what an app's Prepare makes of each file's pixels (grey or RGB, as stored).
        var input = new OfaInputInfo { Channels = channels, Resolution = R, Mean = [.. Enumerable.Repeat(0.5, channels)], Std = [.. Enumerable.Repeat(0.25, channels)], CenterCrop = crop };
        var evaluated = ImageInput.Prepare(fullTool.Pixels, fullTool.Count, channels, H, W, R, input.Mean, input.Std, centerCrop: crop);
        for (int i = 0; i < files.Length; i++)
        {
            var bytes = File.ReadAllBytes(dir[files[i]]);
            bool grey = files[i].EndsWith(".pgm", StringComparison.Ordinal);
            var app = new float[channels * R * R];
            input.Prepare(bytes.AsSpan(bytes.Length - (grey ? 1 : 3) * W * H), H, W, (grey ? 1 : 3) * W, grey ? OfaPixelFormat.Gray8 : OfaPixelFormat.Rgb24, app);
            Assert.Equal(app, evaluated.AsSpan(i * app.Length, app.Length).ToArray());
        }

        // Training keeps its stored squares (and the full tool decodes a folder the build-host tool cannot read).
        var training = new DatasetSource(dir.Path, null, Decoder) { Channels = channels, Size = 32 }.Load("train");
        Assert.Equal((32, 32), (training.Height, training.Width));
    }

    [Fact]
    public void Evaluation_crops_the_centre_as_resize_to_r_over_0_875_then_centre_crop()
    {
        // r 28 from a 64 px image: resize to 32, keep the centre 28, i.e. the centre 56 source pixels.
        var (x, y, w, h) = ImageInput.CenterRegion(64, 64, 28, 0.875);
        Assert.Equal((4.0, 4.0, 56.0, 56.0), (x, y, w, h));
        Assert.Equal((8.0, 0.0, 48.0, 48.0), ImageInput.CenterRegion(48, 64, 28, 1.0)); // the centre square, as the decoder keeps

        // The whole-image region is PyTorch's F.interpolate (bilinear, align_corners false); a flip mirrors it.
        var rng = new Random(3);
        var image = Enumerable.Range(0, 2 * 9 * 7).Select(_ => (byte)rng.Next(256)).ToArray();
        double[] mean = [0.5, 0.4], std = [0.2, 0.3];
        var normalised = image.Select((b, i) => (float)((b / 255.0 - mean[i / 63]) / std[i / 63])).ToArray();
        var torchResult = TorchSharp.torch.nn.functional.interpolate(TorchSharp.torch.tensor(normalised, [1, 2, 9, 7]), size: [5, 5],
            mode: TorchSharp.torch.InterpolationMode.Bilinear, align_corners: false).flatten().data<float>().ToArray();
        var region = new float[2 * 25];
        ImageInput.PrepareRegion(image, 2, 9, 7, 0, 0, 7, 9, false, 5, mean, std, region);
        for (int i = 0; i < region.Length; i++) Assert.Equal(torchResult[i], region[i], 1e-4f);
        var flipped = new float[2 * 25];
        ImageInput.PrepareRegion(image, 2, 9, 7, 0, 0, 7, 9, true, 5, mean, std, flipped);
        for (int c = 0; c < 2; c++)
            for (int row = 0; row < 5; row++)
                for (int col = 0; col < 5; col++)
                    Assert.Equal(region[c * 25 + row * 5 + col], flipped[c * 25 + row * 5 + 4 - col]);
    }

    [Fact]
    public void Training_batches_take_random_resized_crops_and_evaluation_batches_the_centre()
    {
        var rng = new Random(5);
        for (int i = 0; i < 200; i++)
        {
            var (x, y, w, h) = BatchMaker.RandomResizedCrop(40, 60, rng);
            Assert.True(x >= 0 && y >= 0 && w >= 1 && h >= 1 && x + w <= 60 && y + h <= 40, $"{(x, y, w, h)}");
            double area = w * h / (40.0 * 60), ratio = w / h;
            Assert.True(area is >= 0.07 and <= 1.0001, $"area {area}");
            Assert.True((ratio >= 0.7 && ratio <= 1.45) || (w, h) == (60, 40), $"ratio {ratio}");
        }

        // A 16x16 grey image whose left 8 columns are white: centre crop at r 7 of the stored 8 px...
        var pixels = new byte[2 * 16 * 16];
        for (int n = 0; n < 2; n++)
            for (int yy = 0; yy < 16; yy++)
                for (int xx = 0; xx < 8; xx++) pixels[n * 256 + yy * 16 + xx] = 255;
        var ds = new ImageDataset(pixels, [0, 1], 1, 16, 16, ["a", "b"], "test") { Preprocessing = InputPreprocessing.Reference };
        var maker = new BatchMaker(ds, new Normalization([0f], [1f]));
        var (evalX, evalY) = maker.Make([0, 1], 14, null);
        Assert.Equal([2L, 1, 14, 14], evalX.shape);
        Assert.Equal([0L, 1], evalY.data<long>().ToArray());
        var expected = ImageInput.Prepare(pixels.AsSpan(0, 256), 1, 1, 16, 16, 14, [0.0], [1.0], centerCrop: 0.875);
        Assert.Equal(expected, evalX[0].flatten().data<float>().ToArray());
        var (trainX, _) = maker.Make([0, 1], 14, new Random(1));
        Assert.Equal([2L, 1, 14, 14], trainX.shape);
        Assert.NotEqual(expected, trainX[0].flatten().data<float>().ToArray());
    }

    [Fact]
    public void Resolutions_parse_as_ranges_or_lists_and_default_from_the_image_size()
    {
        Assert.Equal([96, 100, 104, 108, 112, 116, 120, 124, 128, 132, 136, 140, 144, 148, 152, 156, 160], ElasticResolutions.Parse("96-160"));
        Assert.Equal([96, 112, 128, 144, 160], ElasticResolutions.Parse("96-160:16"));
        Assert.Equal([96, 128, 160], ElasticResolutions.Parse("160,96,128"));
        Assert.Throws<OfaException>(() => ElasticResolutions.Parse("96-x"));
        Assert.Throws<OfaException>(() => ElasticResolutions.Parse("4,8"));
        Assert.Equal([96, 100, 104, 108, 112, 116, 120, 124, 128, 132, 136, 140, 144, 148, 152, 156, 160], ElasticResolutions.FromImageSize(500));
        Assert.Equal([16, 20, 24, 28], ElasticResolutions.FromImageSize(28));
        Assert.Equal(183, ElasticResolutions.StorageSize([96, 160], 0.875));
        Assert.Equal(32, ElasticResolutions.StorageSize([28], 0.875));
    }
}
