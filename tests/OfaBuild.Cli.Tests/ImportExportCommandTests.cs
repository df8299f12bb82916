using OfaBuild.Core.Accuracy;
using OfaBuild.Core.Packaging;

namespace OfaBuild.Cli.Tests;

public class ImportExportCommandTests
{
    [Fact]
    public void Inspect_names_what_a_predictors_trained_on_line_written_before_does_not_record()
    {
        using var dir = new TempDir();
        var sample = OfaPackage.Read(Fixtures.RepoFile("samples", "models", "fashion-mnist.ofa"));
        var manifest = sample.Manifest;
        // A trained_on line as written before strides, squeeze-excite and activations were recorded.
        string before = System.Text.RegularExpressions.Regex.Replace(TrainingSpace.Of(manifest.Space).Describe(), ";strides=[^;]*;se=[^;]*;hswish=[^;]*", "");
        new OfaPackage(manifest with { Predictor = manifest.Predictor! with { TrainedOn = before } }, sample.Weights, sample.Predictor, sample.Calibration).Write(dir["old.ofa"]);

        var inspect = Ofa.Succeeds("inspect", "--model", dir["old.ofa"]);
        Assert.Contains("trained on all of this package's space (predictor.trained_on, checked when the package is read; " +
            "its strides, squeeze-excite per stage and h-swish (first block, each stage) not recorded, written before they were)", inspect.Stdout);
    }

    [Fact]
    public void Import_then_export_writes_identical_onnx_files_and_inspect_reports_reference_counts()
    {
        using var dir = new TempDir();
        var import = Ofa.Succeeds("import", Fixtures.Reference("supernet_state_dict.pt"), "--space", "mbv3-w1.0", "--classes", "10", "-o", dir["ref.ofa"]);

        var config = dir["cfg.json"];
        File.WriteAllText(config, "{\"ks\":[5,5,3,5,7,5,5,5,5,5,7,3,7,3,5,3,3,7,5,7],\"e\":[6,6,3,4,3,6,3,6,4,4,6,3,4,4,4,6,6,3,6,4],\"d\":[3,4,3,2,4],\"r\":128}");
        var a = Ofa.Succeeds("export", "--model", dir["ref.ofa"], "--config", config, "-o", dir["a.onnx"]);
        Ofa.Succeeds("export", "--model", dir["ref.ofa"], "--config", config, "-o", dir["b.onnx"]);
        Assert.Equal(File.ReadAllBytes(dir["a.onnx"]), File.ReadAllBytes(dir["b.onnx"]));
        Assert.Contains("MACs 97,035,648, params 4,048,090", a.Stdout); // rand0_r128 of expected.json

        // The reference's net.config of the same subnet (no resolution of its own) exports the same bytes; export read
        // only OfaBuild's config form before, while inspect read both.
        Ofa.Succeeds("export", "--model", dir["ref.ofa"], "--config", Fixtures.Reference("subnet_rand0_net_config.json"), "--resolution", "128", "-o", dir["net.onnx"]);
        Assert.Equal(File.ReadAllBytes(dir["a.onnx"]), File.ReadAllBytes(dir["net.onnx"]));
        File.WriteAllText(dir["two.json"], "[" + File.ReadAllText(config) + "," + File.ReadAllText(config) + "]");
        var two = Ofa.Refuses("export", "--model", dir["ref.ofa"], "--config", dir["two.json"], "-o", dir["two.onnx"]);
        Assert.Contains("two.json: holds 2 subnet configs; name one subnet", two.Stderr);

        var inspect = Ofa.Succeeds("inspect", "--model", dir["ref.ofa"], "--smallest");
        Assert.Contains("mbv3-w1.0", inspect.Stdout);
        Assert.Contains("MACs     40,209,024  params   2,142,602", inspect.Stdout); // min_r128 of expected.json
        // An imported checkpoint has no predictor: the commands that store one name this package.
        Assert.Contains($"predictor none (run `ofa measure --model {dir["ref.ofa"]} --dataset <its training images>`, or `ofa import --model {dir["ref.ofa"]} --predictor acc_predictor.pth` for the OFA authors' ImageNet one)", inspect.Stdout);
    }

    [Fact]
    public void A_target_of_a_package_without_calibration_images_says_its_BN_statistics_are_the_supernets()
    {
        // Before, specialize and inspect --target said "BN recalibrated on 0 images" for an imported checkpoint.
        using var dir = new TempDir();
        Ofa.Succeeds("import", Fixtures.Reference("supernet_state_dict.pt"), "--space", "mbv3-w1.0", "--classes", "10", "-o", dir["ref.ofa"]);
        var specialize = Ofa.Succeeds("specialize", "--model", dir["ref.ofa"], "--device", "cortex-a53", "--latency-ms", "60", "-o", dir["out"]);
        var inspect = Ofa.Succeeds("inspect", "--target", dir["out/cortex-a53.json"]);
        foreach (var r in new[] { specialize, inspect })
        {
            Assert.DoesNotContain("recalibrated on 0", r.Stdout);
            Assert.Contains("BN statistics of the supernet (no calibration images)", r.Stdout);
        }
    }

    [Fact]
    public void A_plain_folder_of_photos_is_taken_as_calibration_images_by_both_tools_while_a_dataset_still_needs_label_folders()
    {
        // Before, --calibration read its folder as --dataset does, so the plain folder of photos a zoo user has was refused
        // with "has no class sub-folders", though calibration never reads the labels.
        using var dir = new TempDir();
        var rng = new Random(3);
        Directory.CreateDirectory(dir["photos"]);
        for (int i = 0; i < 4; i++)
        {
            var pixels = new byte[28 * 28];
            rng.NextBytes(pixels);
            File.WriteAllBytes(dir[Path.Combine("photos", $"{i}.pgm")], [.. System.Text.Encoding.ASCII.GetBytes("P5\n28 28\n255\n"), .. pixels]);
        }
        File.WriteAllText(dir[Path.Combine("photos", "README.txt")], "not an image");
        File.Copy(Ofa.Untrained(), dir["p.ofa"]);

        var full = Ofa.Succeeds("import", "--model", dir["p.ofa"], "--calibration", dir["photos"], "-o", dir["full.ofa"]);
        Assert.Contains("4 calibration images", full.Stdout);
        Ofa.HostSucceeds("import", "--model", dir["p.ofa"], "--calibration", dir["photos"], "-o", dir["host.ofa"]);
        var stored = new[] { "full.ofa", "host.ofa" }.Select(f => OfaPackage.Read(dir[f]).Calibration!).ToArray();
        foreach (var calibration in stored)
        {
            Assert.Equal([4, 1, 28, 28], calibration[OfaPackage.CalibrationImages].Shape);
            Assert.Equal([0L, 0L, 0L, 0L], System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(calibration[OfaPackage.CalibrationLabels].Bytes).ToArray());
        }
        // Both tools read the same images alike (same-size PGM as they are).
        Assert.Equal(stored[0][OfaPackage.CalibrationImages].Bytes.ToArray(), stored[1][OfaPackage.CalibrationImages].Bytes.ToArray());

        // Measuring needs labels: --dataset still asks for the label sub-folders.
        var measure = Ofa.Refuses("measure", "--model", dir["p.ofa"], "--dataset", dir["photos"]);
        Assert.Contains($"Image folder '{dir["photos"]}' has no class sub-folders", measure.Stderr);
    }

    [Fact]
    public void Calibration_images_added_to_an_imported_checkpoint_let_it_build_in_int8_with_BN_recalibrated()
    {
        // Before, an imported checkpoint had no way to get calibration images: its int8 target failed with "`ofa train` and
        // `ofa init` write them", neither of which keeps the checkpoint, and `ofa import` had no --calibration.
        using var dir = new TempDir();
        Ofa.Succeeds("import", Fixtures.Reference("supernet_state_dict.pt"), "--space", "mbv3-w1.0", "--classes", "10", "-o", dir["ref.ofa"]);
        string[] int8 = ["specialize", "--model", dir["ref.ofa"], "--device", "cortex-a53", "--latency-ms", "60", "--precision", "int8", "-o", dir["out"]];
        var refused = Ofa.Refuses(int8);
        Assert.Contains($"{dir["ref.ofa"]} (target cortex-a53, Precision = Int8): the package has no calibration images", refused.Stderr);
        Assert.Contains($"`ofa import --model {dir["ref.ofa"]} --calibration <a folder of your images> -o {dir["ref.ofa"]}`", refused.Stderr);

        // Two label folders of colour photos of different sizes (PPM: the full tool decodes them as it does JPEG).
        var rng = new Random(5);
        foreach (var (label, w, h) in new[] { ("cat", 64, 48), ("dog", 40, 72) })
            for (int i = 0; i < 3; i++)
            {
                Directory.CreateDirectory(dir[Path.Combine("photos", label)]);
                var pixels = new byte[w * h * 3];
                rng.NextBytes(pixels);
                File.WriteAllBytes(dir[Path.Combine("photos", label, $"{i}.ppm")], [.. System.Text.Encoding.ASCII.GetBytes($"P6\n{w} {h}\n255\n"), .. pixels]);
            }
        var add = Ofa.Succeeds("import", "--model", dir["ref.ofa"], "--calibration", dir["photos"], "--calibration-images", "5", "-o", dir["ref.ofa"]);
        Assert.Contains("5 calibration images", add.Stdout);
        var package = OfaPackage.Read(dir["ref.ofa"]);
        var images = package.Calibration![OfaPackage.CalibrationImages];
        // Stored as the package's own images are: 3 channels, the largest resolution / 0.875 (224 / 0.875 = 256).
        Assert.Equal([5, 3, 256, 256], images.Shape);
        Assert.All(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(package.Calibration[OfaPackage.CalibrationLabels].Bytes).ToArray(), l => Assert.InRange(l, 0, 1));

        var built = Ofa.Succeeds(int8);
        Assert.Contains("BN recalibrated on 5 images, int8", built.Stdout);
        // Said before the slow part starts (a minute for a 224 px subnet over 170 images), not only after it.
        Assert.Matches(@"cortex-a53: recalibrating BN statistics on 5 calibration images at r \d+, then int8 activation ranges on the same images\.\n(.|\n)*wrote ", built.Stdout);

        // More label folders than the package has classes cannot be its labels.
        for (int i = 0; i < 11; i++) Directory.CreateDirectory(dir[Path.Combine("many", $"c{i:00}")]);
        foreach (var d in Directory.GetDirectories(dir["many"])) File.Copy(dir[Path.Combine("photos", "cat", "0.ppm")], Path.Combine(d, "0.ppm"));
        var many = Ofa.Refuses("import", "--model", dir["ref.ofa"], "--calibration", dir["many"], "-o", dir["many.ofa"]);
        Assert.Contains($"'{dir["many"]}' has 11 label folders; the package has 10 classes.", many.Stderr);
    }

    [Fact]
    public void User_errors_are_one_line_without_a_stack_trace()
    {
        using var dir = new TempDir();
        var missing = Ofa.Refuses("export", "--model", dir["nope.ofa"], "--largest", "-o", dir["x.onnx"]);
        Assert.Contains("nope.ofa' does not exist", missing.Stderr);

        var wrongSpace = Ofa.Refuses("import", Fixtures.Reference("supernet_state_dict.pt"), "--space", "mbv3-w1.2", "--classes", "10", "-o", dir["x.ofa"]);
        Assert.Contains("'first_conv.conv.weight' has shape [16, 3, 3, 3]; space 'mbv3-w1.2' needs [24, 3, 3, 3]", wrongSpace.Stderr);
        Assert.False(File.Exists(dir["x.ofa"]));

        File.WriteAllText(dir["bad.ofa"], "not a zip");
        var bad = Ofa.Refuses("inspect", "--model", dir["bad.ofa"]);
        Assert.Contains("bad.ofa", bad.Stderr);
    }

    [Fact]
    public void Bad_config_names_the_file_and_the_slot()
    {
        using var dir = new TempDir();
        Assert.Equal(0, Ofa.Run("import", Fixtures.Reference("supernet_state_dict.pt"), "--space", "mbv3-w1.0", "--classes", "10", "-o", dir["ref.ofa"]).ExitCode);
        File.WriteAllText(dir["cfg.json"], "{\"ks\":[3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,9],\"e\":[3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3],\"d\":[4,4,4,4,4],\"r\":128}");
        var r = Ofa.Refuses("export", "--model", dir["ref.ofa"], "--config", dir["cfg.json"], "-o", dir["x.onnx"]);
        Assert.Contains("cfg.json", r.Stderr);
        Assert.Contains("ks[19] (stage 5, block 4) = 9", r.Stderr);
    }
}
