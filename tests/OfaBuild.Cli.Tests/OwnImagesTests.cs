using System.Text.Json;
using OfaBuild.Core.Packaging;
using SkiaSharp;

namespace OfaBuild.Cli.Tests;

/// <summary>
/// `ofa train` on a folder of JPEG and PNG photos of mixed sizes (with a hold-out), `ofa eval --split holdout`,
/// `ofa measure` on the hold-out, and `ofa train --from` onto a folder with other labels: the user's path, on
/// tiny data (a few seconds of training each).
/// </summary>
public class OwnImagesTests
{
    /// <summary>Colour photos: class = which colour dominates; a random size of 40-90 px per image; JPEG and PNG mixed.</summary>
    private static void WriteFolder(string root, (string Label, SKColor Color)[] classes, int perClass, int seed)
    {
        var rng = new Random(seed);
        foreach (var (label, color) in classes)
        {
            Directory.CreateDirectory(Path.Combine(root, label));
            for (int i = 0; i < perClass; i++)
            {
                int w = rng.Next(40, 91), h = rng.Next(40, 91);
                using var bitmap = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Opaque));
                using (var canvas = new SKCanvas(bitmap))
                {
                    canvas.Clear(new SKColor((byte)rng.Next(256), (byte)rng.Next(256), (byte)rng.Next(256)));
                    using var paint = new SKPaint { Color = color };
                    canvas.DrawCircle(w / 2f + rng.Next(-5, 6), h / 2f + rng.Next(-5, 6), Math.Min(w, h) * 0.35f, paint);
                }
                bool jpeg = i % 2 == 0;
                using var data = bitmap.Encode(jpeg ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Png, 90);
                File.WriteAllBytes(Path.Combine(root, label, $"{i:D3}.{(jpeg ? "jpg" : "png")}"), data.ToArray());
            }
        }
    }

    private static readonly string[] ShortSchedule =
    [
        "--batch", "16", "--threads", "1", "--eval-images", "20", "--calibration-images", "20",
        "--epochs-full", "0.5", "--epochs-kernel", "0.25", "--epochs-depth-1", "0.25", "--epochs-depth-2", "0.25",
        "--epochs-expand-1", "0.25", "--epochs-expand-2", "0.25",
    ];

    [Fact]
    public void Train_on_photos_with_a_holdout_evaluate_on_it_measure_it_and_transfer_to_other_labels()
    {
        using var dir = new TempDir();
        WriteFolder(dir["photos"], [("red", SKColors.Red), ("green", SKColors.Lime), ("blue", SKColors.Blue)], 20, 1);
        var model = dir["photos.ofa"];
        var train = Ofa.Succeeds(["train", "--dataset", dir["photos"], "--space", "mbv3-fmnist", "--resolutions", "24-32", "--holdout", "0.25",
            "-o", model, .. ShortSchedule]);
        Assert.Contains("60 images in 3 classes", train.Stdout);
        Assert.Contains("hold-out: 15 of 60 training images", train.Stdout);
        Assert.Contains("on the 15 held-out images", train.Stdout);

        var m = OfaPackage.Read(model).Manifest;
        Assert.Equal(3, m.Space.InputChannels);                     // the space follows the images
        Assert.Equal([24, 28, 32], m.Space.Resolutions);
        Assert.Equal(["blue", "green", "red"], m.Labels);
        Assert.Equal(0.875, m.Normalization.CenterCrop);
        Assert.Equal((15, 60), (m.Holdout!.Count, m.Holdout.Of));
        Assert.NotNull(m.Holdout.IndicesSha256);

        var eval = Ofa.Succeeds("eval", "--model", model, "--largest", "--dataset", dir["photos"], "--split", "holdout", "--threads", "1", "--json");
        var json = JsonDocument.Parse(eval.Stdout.Trim().Split('\n')[^1]).RootElement;
        Assert.Equal(15, json.GetProperty("images").GetInt32());
        Assert.Equal("holdout", json.GetProperty("split").GetString());

        var noTest = Ofa.Refuses("eval", "--model", model, "--largest", "--dataset", dir["photos"], "--split", "test");
        Assert.Contains("no test split", noTest.Stderr + noTest.Stdout);

        // Measured on the hold-out by default, refined for one round on one device, and recorded.
        var measure = Ofa.Succeeds("measure", "--model", model, "--dataset", dir["photos"], "--subnets", "10", "--threads", "1", "-o", dir["measured.ofa"],
            "--refine-rounds", "1", "--refine-budgets", "1", "--refine-devices", "x64-avx2");
        Assert.Contains("top-1 on all 15 holdout images of", measure.Stdout);
        Assert.DoesNotContain("NaN", measure.Stdout); // too few subnets to hold any out: "n/a", as on the predictor's line
        Assert.Contains("round 1: 1 picks on 1 devices", measure.Stdout);
        var evaluation = JsonDocument.Parse(File.ReadAllText(dir["photos.measured.json"])).RootElement.GetProperty("evaluation");
        Assert.Equal("holdout", evaluation.GetProperty("split").GetString());
        Assert.Equal(15, evaluation.GetProperty("images").GetInt32());
        Assert.Equal(60, evaluation.GetProperty("holdout").GetProperty("of").GetInt32());
        var refinement = OfaPackage.Read(dir["measured.ofa"]).Manifest.Predictor!.Refinement!;
        Assert.Equal(10, refinement.RandomSubnets);
        Assert.Equal("x64-avx2", Assert.Single(Assert.Single(refinement.Rounds).Picks).Device);
        var predictor = OfaPackage.Read(dir["measured.ofa"]).Manifest.Predictor!;
        Assert.Equal(predictor.TrainSamples, predictor.Residual!.Points); // the correction is on by default, on the training rows
        Assert.Equal(OfaBuild.Core.Accuracy.TrainingSpace.Of(OfaPackage.Read(dir["measured.ofa"]).Manifest.Space).Describe(), predictor.TrainedOn);
        var inspect = Ofa.Run("inspect", "--model", dir["measured.ofa"]);
        Assert.Contains("trained on all of this package's space", inspect.Stdout);
        Assert.Contains("measured on all 15 holdout images", inspect.Stdout);
        Assert.Contains("round 1: 1 picks", inspect.Stdout);
        Assert.Contains("residual correction rbf-kriging-v1", inspect.Stdout);

        // Adding to the file with BN recalibrated on other images (the default 2000 is all 45 training images here) would
        // mix incomparable top-1s: refused, naming it (before, the new picks were added and the file kept the old record).
        var otherCalibration = Ofa.Refuses("measure", "--model", model, "--dataset", dir["photos"], "--reuse", "--threads", "1", "-o", dir["x.ofa"],
            "--calibration-images", "10", "--refine-rounds", "1", "--refine-budgets", "4", "--refine-devices", "cortex-a53,x64-avx512");
        Assert.True(otherCalibration.Stderr.Contains("photos.measured.json was measured with BN recalibrated on 45 images"), otherCalibration.ToString());

        // Transfer: other labels (2 classes), the same kind of images; the classifier is replaced.
        WriteFolder(dir["shapes"], [("yellow", SKColors.Yellow), ("magenta", SKColors.Magenta)], 12, 2);
        var moved = dir["moved.ofa"];
        var transfer = Ofa.Succeeds(["train", "--from", model, "--dataset", dir["shapes"], "-o", moved, .. ShortSchedule]);
        Assert.Contains("a new classifier for 2 classes", transfer.Stdout);
        var t = OfaPackage.Read(moved);
        Assert.Equal(["magenta", "yellow"], t.Manifest.Labels);
        Assert.Equal(2, t.Manifest.Space.NumClasses);
        Assert.Contains("transferred from", t.Manifest.Provenance.Source);
        Assert.Equal(JsonSerializer.Serialize(m.Space with { NumClasses = 2 }, OfaJson.Options), JsonSerializer.Serialize(t.Manifest.Space, OfaJson.Options));

        var grey = Ofa.Refuses(["train", "--from", model, "--dataset", "fashion-mnist", "-o", dir["x.ofa"], .. ShortSchedule]);
        Assert.Contains("input channel", grey.Stderr + grey.Stdout);
    }

    [Fact]
    public void A_damaged_photo_stops_training_with_one_line_naming_it()
    {
        using var dir = new TempDir();
        WriteFolder(dir["photos"], [("a", SKColors.Red), ("b", SKColors.Blue)], 3, 3);
        File.WriteAllBytes(Path.Combine(dir["photos"], "b", "bad.jpg"), [0xFF, 0xD8, 0xFF, 0xE0, 0, 0]);
        var r = Ofa.Refuses(["train", "--dataset", dir["photos"], "-o", dir["x.ofa"], .. ShortSchedule]);
        Assert.Contains("bad.jpg", r.Stderr + r.Stdout);
    }
}
