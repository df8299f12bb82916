using OfaBuild.Core;
using OfaBuild.Core.Data;
using OfaBuild.Runtime;
using SkiaSharp;

namespace OfaBuild.Imaging;

/// <summary>
/// <see cref="IImageDecoder"/> on SkiaSharp's codecs (libjpeg-turbo, libpng, libwebp, Skia's BMP/GIF), so no
/// image format is parsed by our code. Fitting to a square: the centre square of the shorter side, resized
/// with mipmapped bilinear filtering (antialiased, like PIL's resize). A photo's EXIF orientation is applied
/// first, so a phone picture is used upright as its owner sees it (torchvision's PIL loader ignores the tag).
/// </summary>
public sealed class SkiaImageDecoder : IImageDecoder
{
    public IReadOnlyCollection<string> Extensions => ImageFolderIndex.ImageExtensions; // PGM/PPM: our own reader below

    public ImageHeader ReadHeader(string path)
    {
        if (ImageFolder.IsNetpbm(path))
        {
            var (c, h, w, _) = ImageFolder.ReadNetpbm(path);
            return new ImageHeader(w, h, c == 1);
        }
        using var codec = Open(path);
        var info = codec.Info;
        bool turned = IsQuarterTurn(codec.EncodedOrigin);
        return new ImageHeader(turned ? info.Height : info.Width, turned ? info.Width : info.Height, info.ColorType == SKColorType.Gray8);
    }

    public byte[] DecodeSquare(string path, int channels, int size)
    {
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), "1 or 3 channels.");
        using var bitmap = ImageFolder.IsNetpbm(path) ? FromNetpbm(path) : Decode(path);
        int side = Math.Min(bitmap.Width, bitmap.Height);
        using var square = new SKBitmap();
        var box = SKRectI.Create((bitmap.Width - side) / 2, (bitmap.Height - side) / 2, side, side);
        if (!bitmap.ExtractSubset(square, box)) throw new OfaException($"'{path}': could not crop its centre square.");
        var target = new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var fitted = square.Resize(target, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear))
            ?? throw new OfaException($"'{path}': could not resize it to {size}x{size}.");
        // Into the model's channels by the runtime's own rule, so an app's Prepare of a photo sees what training saw.
        var planar = new byte[channels * size * size];
        PixelLayout.Interleaved(OfaPixelFormat.Rgba32, fitted.RowBytes, channels).ToPlanar(fitted.GetPixelSpan(), size, size, channels, planar);
        return planar;
    }

    private static SKCodec Open(string path)
    {
        var codec = SKCodec.Create(path, out var result);
        if (codec is null || result != SKCodecResult.Success)
        {
            codec?.Dispose();
            // Skia says Unimplemented when no codec recognises the bytes: a text file or an unsupported format renamed .jpg.
            string why = result == SKCodecResult.Unimplemented ? "its content is not a JPEG, PNG, BMP, WebP or GIF image, whatever its extension"
                : result == SKCodecResult.IncompleteInput ? "the file is cut short" : $"the decoder reports {result}";
            throw new OfaException($"'{path}' is not a readable image ({why}); remove or replace the file.");
        }
        return codec;
    }

    private static SKBitmap Decode(string path)
    {
        using var codec = Open(path);
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            bitmap.Dispose();
            throw new OfaException($"'{path}' is damaged ({result}: the decoder could not read all of it); remove or replace the file.");
        }
        return Upright(bitmap, codec.EncodedOrigin);
    }

    private static bool IsQuarterTurn(SKEncodedOrigin origin) => origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop
        or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    /// <summary>Applies the EXIF orientation (TIFF tag 274): the transform that shows the stored pixels upright.</summary>
    private static SKBitmap Upright(SKBitmap stored, SKEncodedOrigin origin)
    {
        if (origin == SKEncodedOrigin.TopLeft) return stored;
        float w = stored.Width, h = stored.Height;
        // x' = ScaleX x + SkewX y + TransX, y' = SkewY x + ScaleY y + TransY, from stored to upright pixels.
        var m = origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),    // mirrored
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1), // rotated 180
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),   // flipped
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),       // transposed
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),     // turn 90 clockwise
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1), // transverse
            _ => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),                            // LeftBottom: turn 90 anticlockwise
        };
        bool turned = IsQuarterTurn(origin);
        var upright = new SKBitmap(new SKImageInfo(turned ? stored.Height : stored.Width, turned ? stored.Width : stored.Height,
            stored.ColorType, stored.AlphaType));
        using (var canvas = new SKCanvas(upright))
        {
            canvas.SetMatrix(m);
            canvas.DrawBitmap(stored, 0, 0);
        }
        stored.Dispose();
        return upright;
    }

    private static SKBitmap FromNetpbm(string path)
    {
        var (c, h, w, data) = ImageFolder.ReadNetpbm(path);
        var bitmap = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var px = bitmap.GetPixelSpan();
        for (int i = 0; i < h * w; i++)
        {
            for (int k = 0; k < 3; k++) px[i * 4 + k] = data[(c == 1 ? 0 : k) * h * w + i];
            px[i * 4 + 3] = 255;
        }
        return bitmap;
    }
}
