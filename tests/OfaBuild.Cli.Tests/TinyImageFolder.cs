namespace OfaBuild.Cli.Tests;

/// <summary>A tiny image-folder dataset for runs of the tool: 3 classes of PGM images (dark, grey, light; 28x28 unless given), train/ and test/.</summary>
internal static class TinyImageFolder
{
    public static void Write(string root, int trainPerClass = 80, int testPerClass = 20, int width = 28, int height = 28)
    {
        var rng = new Random(1);
        foreach (var (split, perClass) in new[] { ("train", trainPerClass), ("test", testPerClass) })
            foreach (var (label, level) in new[] { ("dark", 40), ("grey", 128), ("light", 220) })
            {
                var dir = Path.Combine(root, split, label);
                Directory.CreateDirectory(dir);
                for (int i = 0; i < perClass; i++)
                {
                    var header = System.Text.Encoding.ASCII.GetBytes($"P5\n{width} {height}\n255\n");
                    var pixels = Enumerable.Range(0, width * height).Select(_ => (byte)Math.Clamp(level + rng.Next(-30, 31), 0, 255)).ToArray();
                    File.WriteAllBytes(Path.Combine(dir, $"{i}.pgm"), header.Concat(pixels).ToArray());
                }
            }
    }
}
