// A small image folder for the transfer measurement of the README ("Your own images"): grey PNG photos-to-be of
// four shapes (circle, square, triangle, cross) at a random size, position and rotation, on a noisy background
// of random brightness, 48-72 px. Nothing like Fashion-MNIST's clothes, so a transfer from the default supernet is
// a real change of task. Run: dotnet run samples/evidence/make-shapes.cs -- OUT TRAIN_PER_CLASS VAL_PER_CLASS TEST_PER_CLASS SEED
#:package SkiaSharp@3.119.0
#:package SkiaSharp.NativeAssets.Linux.NoDependencies@3.119.0
using SkiaSharp;

string root = args[0];
int[] counts = [int.Parse(args[1]), int.Parse(args[2]), int.Parse(args[3])];
var rng = new Random(int.Parse(args[4]));
string[] shapes = ["circle", "square", "triangle", "cross"];
foreach (var (split, n) in new[] { ("train", counts[0]), ("val", counts[1]), ("test", counts[2]) })
    foreach (var shape in shapes)
    {
        var dir = Path.Combine(root, split, shape);
        Directory.CreateDirectory(dir);
        for (int i = 0; i < n; i++)
        {
            int side = rng.Next(48, 73);
            using var bitmap = new SKBitmap(new SKImageInfo(side, side, SKColorType.Gray8, SKAlphaType.Opaque));
            var px = bitmap.GetPixelSpan();
            int background = rng.Next(0, 140);
            for (int p = 0; p < px.Length; p++) px[p] = (byte)Math.Clamp(background + rng.Next(-25, 26), 0, 255);
            using (var canvas = new SKCanvas(bitmap))
            {
                byte ink = (byte)Math.Clamp(background + rng.Next(60, 116), 0, 255);
                using var paint = new SKPaint { Color = new SKColor(ink, ink, ink), IsAntialias = true };
                float r = side * (0.18f + 0.17f * (float)rng.NextDouble());
                canvas.Translate(side / 2f + rng.Next(-side / 6, side / 6 + 1), side / 2f + rng.Next(-side / 6, side / 6 + 1));
                canvas.RotateDegrees(rng.Next(360));
                switch (shape)
                {
                    case "circle": canvas.DrawCircle(0, 0, r, paint); break;
                    case "square": canvas.DrawRect(-r * 0.85f, -r * 0.85f, r * 1.7f, r * 1.7f, paint); break;
                    case "triangle":
                        using (var path = new SKPath())
                        {
                            path.MoveTo(0, -r); path.LineTo(r * 0.87f, r * 0.5f); path.LineTo(-r * 0.87f, r * 0.5f); path.Close();
                            canvas.DrawPath(path, paint);
                        }
                        break;
                    default:
                        canvas.DrawRect(-r, -r * 0.3f, 2 * r, r * 0.6f, paint);
                        canvas.DrawRect(-r * 0.3f, -r, r * 0.6f, 2 * r, paint);
                        break;
                }
            }
            using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(Path.Combine(dir, $"{i:D4}.png"), data.ToArray());
        }
    }
