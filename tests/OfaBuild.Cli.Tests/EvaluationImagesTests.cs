using System.Text.Json;

namespace OfaBuild.Cli.Tests;

/// <summary>
/// The images a package is evaluated on are read alike by both tools: the build-host tool (no image decoder) and the
/// full tool (SkiaSharp) measure the same top-1 on a folder of same-size PGM images, which both read as they are.
/// </summary>
public class EvaluationImagesTests
{
    [Fact]
    public void Both_tools_measure_the_same_top1_on_a_folder_of_non_square_pgm_images()
    {
        // Before, the full tool measured on its stored squares (the centre 32 x 32 resized by Skia to 28 x 28) and the
        // build-host tool on the pixels: these 48 x 32 images gave other top-1s for 5 of the 8 subnets.
        using var dir = new TempDir();
        TinyImageFolder.Write(dir["data"], trainPerClass: 10, testPerClass: 10, width: 48, height: 32);
        Ofa.Succeeds("init", "--space", "mbv3-fmnist", "--classes", "3", "-o", dir["p.ofa"]); // untrained: top-1s of 33-60 %, input-sensitive
        string[] measure = ["measure", "--model", dir["p.ofa"], "--dataset", dir["data"], "--subnets", "8", "--calibration-images", "10", "--threads", "1"];

        Ofa.Succeeds([.. measure, "-o", dir["full.ofa"], "--dataset-file", dir["full.json"]]);
        Ofa.HostSucceeds([.. measure, "-o", dir["host.ofa"], "--dataset-file", dir["host.json"]]);

        string Subnets(string file) => JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("subnets").GetRawText();
        Assert.Equal(Subnets(dir["host.json"]), Subnets(dir["full.json"]));
    }
}
