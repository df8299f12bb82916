namespace OfaBuild.Core.Tests.Measurement;

/// <summary>The `evaluation` field of the measured file: which images, which split, and the hold-out's draw.</summary>
public class EvaluationImagesTests
{
    private static DatasetSplits Splits()
    {
        var data = new ImageDataset(new byte[100 * 4], Enumerable.Range(0, 100).Select(i => i % 2).ToArray(), 1, 2, 2, ["a", "b"], "toy/train");
        var test = new ImageDataset(new byte[30 * 4], new int[30], 1, 2, 2, ["a", "b"], "toy/test");
        var (train, held, indices) = HoldoutSplit.Split(data, 20);
        return new DatasetSplits(train, held, test, new Core.Packaging.HoldoutInfo
        {
            Count = 20, Source = "toy/train", Of = 100, Seed = HoldoutSplit.Seed, IndicesSha256 = HoldoutSplit.Hash(indices),
        });
    }

    [Fact]
    public void The_default_split_is_the_holdout_and_the_record_names_its_draw()
    {
        var splits = Splits();
        Assert.Equal("holdout", EvaluationImages.DefaultSplit(splits));
        var (evaluation, images) = EvaluationImages.Take(splits, "toy", EvaluationImages.DefaultSplit(splits), 15);

        Assert.Equal(15, images.Count);
        Assert.Equal(("toy", "holdout", 15, 20), (evaluation.Dataset, evaluation.Split, evaluation.Images, evaluation.SplitImages));
        Assert.Equal(HoldoutSplit.Seed, evaluation.Holdout!.Seed);
        Assert.Equal(100, evaluation.Holdout.Of);
        Assert.Contains($"seed {HoldoutSplit.Seed}", evaluation.ToString());
        Assert.StartsWith("first 15 of the 20 holdout images of toy", evaluation.ToString());
    }

    [Fact]
    public void The_whole_split_is_shown_as_all_of_it_and_a_part_as_the_first_of_it()
    {
        var splits = Splits();
        var (all, _) = EvaluationImages.Take(splits, "toy", "holdout", 10000); // more than the split has: all 20
        var (part, _) = EvaluationImages.Take(splits, "toy", "test", 10);

        Assert.StartsWith("first 20 of the 20 holdout images of toy", all.ToString()); // the recorded wording stays
        Assert.StartsWith("all 20 holdout images of toy (held out of 100 training images", all.Shown());
        Assert.Equal("the first 10 of the 30 test images of toy", part.Shown());
        // A package's recorded line, old ones included, is shown by the same rule.
        Assert.Equal("all 10000 holdout images of fashion-mnist (the val/ folder)", EvaluationImages.Shown("first 10000 of the 10000 holdout images of fashion-mnist (the val/ folder)"));
        Assert.Equal("the first 1000 of the 10000 test images of x", EvaluationImages.Shown("first 1000 of the 10000 test images of x"));
        Assert.Equal("the first 100 of the 1000 test images of x", EvaluationImages.Shown("first 100 of the 1000 test images of x")); // 100 is not 1000's prefix match
    }

    [Fact]
    public void Val_is_the_holdout_under_its_folder_s_name()
    {
        var splits = Splits();
        Assert.Same(splits.Holdout, splits.Get("val"));
        Assert.Equal(EvaluationImages.Take(splits, "toy", "holdout", 5).Description, EvaluationImages.Take(splits, "toy", "val", 5).Description);
    }

    [Fact]
    public void The_test_split_stays_possible_and_says_so()
    {
        var (evaluation, images) = EvaluationImages.Take(Splits(), "toy", "test", 1000);
        Assert.Equal(30, images.Count);
        Assert.Equal("test", evaluation.Split);
        Assert.Null(evaluation.Holdout);
        var noHoldout = Splits() with { Holdout = null, HoldoutInfo = null };
        Assert.Equal("test", EvaluationImages.DefaultSplit(noHoldout));
    }

    [Fact]
    public void The_measured_file_keeps_the_evaluation_and_each_subnets_round()
    {
        var (evaluation, _) = EvaluationImages.Take(Splits(), "toy", "holdout", 20);
        var space = TestSpaces.ForExport();
        var file = new MeasuredSubnets("x.ofa", "2000 images", evaluation,
            [new MeasuredSubnet(SubnetConfig.Smallest(space), 0.5), new MeasuredSubnet(SubnetConfig.Largest(space), 0.75, Round: 2)]);
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, file.ToJson());
            Assert.Contains("\"evaluation\":{\"dataset\":\"toy\",\"split\":\"holdout\",\"images\":20,\"split_images\":20,\"holdout\":{", File.ReadAllText(path));
            var read = MeasuredSubnets.Load(path, space);
            Assert.Equal(evaluation, read.Evaluation);
            Assert.Equal([0, 2], read.Subnets.Select(s => s.Round));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void The_noise_is_the_binomial_standard_error_in_points()
    {
        Assert.Equal(0.286, EvaluationImages.StandardErrorPoints(0.91, 10_000), 3);
        Assert.Equal(0.0, EvaluationImages.StandardErrorPoints(1.0, 100));
    }

    [Fact]
    public void Subnets_that_vary_no_more_than_one_measurement_get_a_warning_naming_more_images()
    {
        EvaluationImages On(int images, int of, string split = "holdout", string? folder = null) => new()
        {
            Dataset = "shapes", Split = split, Images = images, SplitImages = of,
            Holdout = split == "holdout" ? new Core.Packaging.HoldoutInfo { Count = of, Source = "shapes/train", Folder = folder } : null,
        };
        // 40 % .. 50 % on 80 images: standard deviation 4.08 points, one measurement's 5.56 points at 45 %.
        double[] top1 = [0.40, 0.45, 0.50, 0.45];
        Assert.Equal("the 4 subnets' top-1 vary by 4.08 points (standard deviation), no more than one top-1 measured on 80 images does " +
            "(5.56 points, the binomial standard error at 45.0 %): a predictor trained on them learns mostly noise. Measure on more images: more images in its val/ folder.",
            On(80, 80, folder: "val").NoiseWarning(top1));
        Assert.EndsWith("Measure on more images: `--eval-images 10000` (the whole holdout split).", On(80, 10000).NoiseWarning(top1));
        Assert.EndsWith("Measure on more images: a larger hold-out, which `ofa train --holdout` sets when the supernet is trained.", On(80, 80).NoiseWarning(top1));
        Assert.EndsWith("Measure on more images: more test images.", On(80, 80, "test").NoiseWarning(top1));
        // The same spread on 10,000 images is far above the 0.5 point noise; one subnet has no spread.
        Assert.Null(On(10000, 10000).NoiseWarning(top1));
        Assert.Null(On(80, 80).NoiseWarning([0.45]));
    }
}
