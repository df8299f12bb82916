using System.Buffers.Binary;
using System.IO.Compression;

namespace OfaBuild.Cli.Tests;

/// <summary>What `ofa measure` and `ofa regret` accept before they read anything: the same dataset options as eval and quantize.</summary>
public sealed class MeasuringOptionsTests
{
    [Theory]
    [InlineData("measure")]
    [InlineData("regret")]
    public void Both_take_the_fashion_mnist_folder_as_eval_and_quantize_do(string command)
    {
        // Before, both read Fashion-MNIST from its default folder only, while their error said "pass --data-dir".
        Assert.Contains("--data-dir", Ofa.Succeeds(command, "--help").Stdout);
    }

    [Fact]
    public void Measure_refuses_the_training_split()
    {
        // Before, --eval-split train measured training images, on which the predictor was then trained.
        var r = Ofa.Run("measure", "--model", "x.ofa", "--dataset", "fashion-mnist", "--eval-split", "train");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("'train'", r.Stderr + r.Stdout);
        Assert.Contains("holdout", r.Stderr + r.Stdout);
    }

    [Fact]
    public void Measure_warns_when_the_subnets_vary_no_more_than_one_measurement_on_its_images()
    {
        // Before, a sample measured on too few images trained a predictor on noise without a word (EvaluationImages.NoiseWarning).
        var stderr = MeasureRun.Stderr; // an untrained package, 10 images
        Assert.Contains("warning: the 20 subnets' top-1 vary by ", stderr);
        Assert.Contains("a predictor trained on them learns mostly noise. Measure on more images: `--eval-images 30` (the whole test split).", stderr);
    }

    [Fact]
    public void Regret_refuses_a_test_cache_measured_on_other_images_instead_of_reporting_its_figures()
    {
        // Before, a rerun with --eval-images 20 found every subnet in the cache measured on 10 images and reported those.
        using var dir = new TempDir();
        var common = MeasuredPackage(dir);
        string[] regret = ["regret", .. common, "--devices", "x64-avx2", "--budgets", "1"];
        Assert.Contains("first 10 of the 30 test images", Ofa.Succeeds([.. regret, "--eval-images", "10"]).Stdout);

        var other = Ofa.Refuses([.. regret, "--eval-images", "20"]);
        Assert.Contains("p.test.json", other.Stderr);
        Assert.Contains("--eval-images", other.Stderr);
        var calibration = Ofa.Refuses([.. regret, "--eval-images", "10", "--calibration-images", "20"]);
        Assert.Contains("--calibration-images", calibration.Stderr);
        // The same settings still find everything in the cache.
        Ofa.Succeeds([.. regret, "--eval-images", "10"]);
    }

    [Fact]
    public void Regret_takes_each_device_once_and_its_unknown_device_error_names_the_package()
    {
        // Before, "--devices x64-avx2,x64-avx2" gave every row twice (and the mean regret counted them twice), which
        // `ofa report --device` did not; and an unknown device's `ofa profile` command said --space where report's named the package.
        using var dir = new TempDir();
        string[] common = [.. MeasuredPackage(dir), "--eval-images", "10"];

        var r = Ofa.Succeeds(["regret", .. common, "--budgets", "1", "--devices", "x64-avx2, x64-avx2,,"]);
        // One row per predictor table (the package's and the random sample's).
        Assert.Equal(2, r.Stdout.Split('\n').Count(line => line.StartsWith("| x64-avx2 |", StringComparison.Ordinal)));

        var unknown = Ofa.Refuses(["regret", .. common, "--devices", "cortex-a35"]);
        Assert.Contains("Did you mean 'cortex-a53' or 'cortex-a55'?", unknown.Stderr);
        Assert.Contains($"ofa profile -o cortex-a35.json --model {dir["p.ofa"]}", unknown.Stderr);
    }

    [Fact]
    public void Measure_refuses_an_unknown_refinement_device_before_it_measures()
    {
        // Before, the devices were looked up after the random sample was measured (hours on a real dataset).
        using var dir = new TempDir();
        var r = Ofa.Refuses("measure", "--model", Ofa.Untrained(), "--dataset", "fashion-mnist", "--data-dir", dir["nowhere"],
            "--refine-rounds", "1", "--refine-devices", "cortex-a35");
        Assert.Contains("Unknown device 'cortex-a35'. Did you mean 'cortex-a53' or 'cortex-a55'?", r.Stderr);
        Assert.Contains($"--model {Ofa.Untrained()}", r.Stderr);
    }

    [Fact]
    public void Measure_prints_the_latency_range_it_refines_over_as_search_prints_a_latency()
    {
        // Before, "refining on cortex-a53 (...-4.82 ms)", where `ofa search` and `ofa inspect` print the largest subnet's 4.820 ms.
        using var dir = new TempDir();
        string[] common = [.. MeasuredPackage(dir), "--eval-images", "10"];
        var r = Ofa.Succeeds(["measure", .. common, "--reuse", "--refine-rounds", "1", "--refine-budgets", "1", "--refine-devices", "cortex-a53"]);
        Assert.Matches(@"refining on cortex-a53 \(\d+\.\d{3}-4\.820 ms\)", r.Stdout);
    }

    [Fact]
    public void Measure_with_reuse_keeps_the_measured_rows_it_does_not_pick_again()
    {
        // Before, `ofa measure --reuse --refine-rounds 0` wrote back only the random sample: the shipped file's 14
        // refinement picks (1014 rows) became 1000, lost to the next --reuse and to `ofa regret`'s best known subnets.
        using var dir = new TempDir();
        string[] common = [.. MeasuredPackage(dir), "--eval-images", "10"];
        var space = Core.Space.Presets.Get("mbv3-fmnist");
        var file = dir["p.measured.json"];
        var before = Core.Measurement.MeasuredSubnets.Load(file, space);
        var known = before.ByConfig(space);
        var rng = new Random(3);
        var pick = Enumerable.Range(0, 100).Select(_ => Core.Space.SubnetConfig.Sample(space, rng).Canonical(space)).First(c => !known.ContainsKey(c));
        File.WriteAllText(file, (before with { Subnets = [.. before.Subnets, new(pick, 0.25, 1)] }).ToJson());

        Ofa.Succeeds(["measure", .. common, "--reuse", "--refine-rounds", "0"]);

        var after = Core.Measurement.MeasuredSubnets.Load(file, space);
        Assert.Equal(before.Subnets.Count + 1, after.Subnets.Count);
        var kept = Assert.Single(after.Subnets, s => s.Config.Canonical(space).Equals(pick));
        Assert.Equal((0.25, 1), (kept.Top1, kept.Round));
    }

    /// <summary>
    /// An untrained package measured by `ofa measure` on 10 test images of a tiny Fashion-MNIST in data/ (20 subnets),
    /// once per test run (<see cref="SharedFiles"/>): its folder, with p.ofa (now with a predictor) and p.measured.json,
    /// and that run of `ofa measure`.
    /// </summary>
    private static (string Folder, ProcessResult Measure) Measured => SharedFiles.Folder("measured", folder =>
    {
        var data = Directory.CreateDirectory(Path.Combine(folder, "data")).FullName;
        WriteIdx(data, "train", 40);
        WriteIdx(data, "t10k", 30);
        var package = Path.Combine(folder, "p.ofa");
        File.Copy(Ofa.Untrained(), package);
        return (folder, Ofa.Succeeds(["measure", .. Options(package, data), "--subnets", "20", "--eval-images", "10", "--refine-rounds", "0"]));
    });

    /// <summary>The run of `ofa measure` that measured the shared package (<see cref="Measured"/>), for the tests that look at its output.</summary>
    internal static ProcessResult MeasureRun => Measured.Measure;

    /// <summary>
    /// dir/p.ofa and the files beside it, copies of the measured package (<see cref="Measured"/>): measure and regret write
    /// beside the package. Returns the options that name the copy and the dataset as it was measured.
    /// </summary>
    private static string[] MeasuredPackage(TempDir dir)
    {
        var folder = Measured.Folder;
        foreach (var file in Directory.GetFiles(folder)) File.Copy(file, dir[Path.GetFileName(file)]);
        return Options(dir["p.ofa"], Path.Combine(folder, "data"));
    }

    /// <summary>The options of `ofa measure` and `ofa regret` that name the package and the dataset as it was measured.</summary>
    private static string[] Options(string package, string data) =>
        ["--model", package, "--dataset", "fashion-mnist", "--data-dir", data, "--calibration-images", "10"];

    /// <summary>A tiny Fashion-MNIST split (random pixels and labels) in the gzipped IDX files the reader takes.</summary>
    private static void WriteIdx(string folder, string prefix, int count)
    {
        var rng = new Random(count);
        void Write(string name, int[] dims, int magic)
        {
            using var gz = new GZipStream(File.Create(Path.Combine(folder, name)), CompressionLevel.Fastest);
            var header = new byte[4 * (dims.Length + 1)];
            BinaryPrimitives.WriteInt32BigEndian(header, magic);
            for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 * (i + 1)), dims[i]);
            gz.Write(header);
            var body = new byte[dims.Aggregate(1, (a, b) => a * b)];
            for (int i = 0; i < body.Length; i++) body[i] = (byte)rng.Next(magic == 0x803 ? 256 : 10);
            gz.Write(body);
        }
        Write($"{prefix}-images-idx3-ubyte.gz", [count, 28, 28], 0x803);
        Write($"{prefix}-labels-idx1-ubyte.gz", [count], 0x801);
    }
}
