using OfaBuild.Core.Data;
using OfaBuild.Training.Data;

namespace OfaBuild.Training.Tests;

/// <summary>A synthetic, learnable dataset (class = which quadrant is bright), so tests need no downloads.</summary>
internal static class SyntheticImages
{
    public static ImageDataset Quadrants(int count, int seed, int size = 16)
    {
        var rng = new Random(seed);
        var pixels = new byte[count * size * size];
        var labels = new int[count];
        int h = size / 2;
        for (int n = 0; n < count; n++)
        {
            int label = rng.Next(4);
            labels[n] = label;
            int qy = label / 2, qx = label % 2;
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                {
                    bool bright = y / h == qy && x / h == qx;
                    pixels[n * size * size + y * size + x] = (byte)Math.Clamp((bright ? 170 : 60) + rng.Next(-50, 51), 0, 255);
                }
        }
        return new ImageDataset(pixels, labels, 1, size, size, ["a", "b", "c", "d"], "synthetic quadrants");
    }
}
