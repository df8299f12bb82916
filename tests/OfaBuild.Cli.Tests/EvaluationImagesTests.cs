using System.Text.Json;
using System.Text.Json.Nodes;
using OfaBuild.Core.Data;

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
        // Both record the same images read the same way, so either tool's file is reused by the other.
        string Description(string file) => JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("evaluation").GetRawText();
        Assert.Equal(Description(dir["host.json"]), Description(dir["full.json"]));
    }

    [Fact]
    public void A_test_file_measured_before_pgm_folders_were_read_as_stored_is_refused_naming_it()
    {
        // Before, the full tool's regret cache from before the PGM/PPM change (top-1s on resampled stored squares) had the
        // same description as a new one, so `ofa regret` added top-1s measured on the raw pixels to it.
        using var dir = new TempDir();
        TinyImageFolder.Write(dir["data"], trainPerClass: 10, testPerClass: 10, width: 48, height: 32);
        Ofa.Succeeds("init", "--space", "mbv3-fmnist", "--classes", "3", "-o", dir["p.ofa"]);
        Ofa.Succeeds("measure", "--model", dir["p.ofa"], "--dataset", dir["data"], "--subnets", "8", "--calibration-images", "10", "--threads", "1",
            "--refine-rounds", "0", "-o", dir["m.ofa"], "--dataset-file", dir["m.measured.json"]);
        string[] regret = ["regret", "--model", dir["m.ofa"], "--dataset", dir["data"], "--devices", "x64-avx2", "--budgets", "1", "--calibration-images", "10", "--threads", "1"];
        Ofa.Succeeds(regret);

        // The file as the full tool wrote it before: the same description, without how the pixels were read.
        var testFile = dir["m.test.json"];
        var old = JsonNode.Parse(File.ReadAllText(testFile))!.AsObject();
        string? reading = old["evaluation"]!["reading"]?.GetValue<string>(), calibration = old["calibration"]!.GetValue<string>();
        old["evaluation"]!.AsObject().Remove("reading");
        old["calibration"] = calibration.Replace($", {ImageFolder.AsStored}", "");
        File.WriteAllText(testFile, old.ToJsonString());

        var refused = Ofa.Refuses(regret);
        Assert.Contains($"{testFile} was measured on all 30 test images of {dir["data"]}; this run measures on all 30 test images of {dir["data"]}, {ImageFolder.AsStored}: "
            + "the same images, but their pixels are not recorded as read the same way", refused.Stderr);
        Assert.Contains("Delete the file to measure again.", refused.Stderr);

        // What a file measured now records: how the pixels were read, in the description of the images and of BN's.
        Assert.Equal(ImageFolder.AsStored, reading);
        Assert.EndsWith($", {ImageFolder.AsStored}", calibration);
    }
}
