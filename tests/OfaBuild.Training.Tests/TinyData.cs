using OfaBuild.Core.Space;
using OfaBuild.Core.Data;
using OfaBuild.Training.Data;

namespace OfaBuild.Training.Tests;

/// <summary>A small space and a synthetic, learnable dataset (class = which quadrant is bright), so tests need no downloads.</summary>
internal static class TinyData
{
    public static SearchSpace Space(int classes = 4) => Presets.Get(Presets.FashionMnist, classes) with
    {
        Name = "tiny",
        FirstConvWidth = 8,
        FirstBlockWidth = 8,
        Stages = [new(8, 2, Activation.Relu, false), new(16, 1, Activation.Relu, true), new(16, 2, Activation.HSwish, false),
                  new(24, 1, Activation.HSwish, true), new(24, 1, Activation.HSwish, true)],
        FinalExpandWidth = 32,
        FeatureMixWidth = 48,
        Resolutions = [12, 16],
    };

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
