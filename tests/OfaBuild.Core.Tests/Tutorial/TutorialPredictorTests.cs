namespace OfaBuild.Core.Tests.Tutorial;

/// <summary>The authors' acc_predictor.pth imported with its own input encoding, against what the reference predicts.</summary>
public class TutorialPredictorTests
{
    private static readonly Lazy<(Core.Tensors.TensorSet Tensors, PredictorInfo Info)> Imported =
        new(() => TutorialPredictorImporter.Import(Fixtures.Tutorial("acc_predictor.pth"), TutorialFixture.W12));

    private static AccuracyPredictor Predictor() =>
        AccuracyPredictor.FromTensors(Imported.Value.Tensors, encoder: ArchEncodings.For(Imported.Value.Info, TutorialFixture.W12));

    [Fact]
    public void Predicts_the_50_reference_points_to_1e5()
    {
        var points = TutorialFixture.Points();
        var predicted = Predictor().PredictMany(points.Select(p => p.Config).ToArray());
        for (int i = 0; i < points.Count; i++)
            Assert.Equal(points[i].Accuracy, predicted[i], 1e-5);
    }

    [Fact]
    public void A_subnet_is_predicted_the_same_to_the_bit_whatever_batch_it_is_in()
    {
        // MemoizedAccuracy keeps one prediction per subnet, and the kernels skip inputs that are zero across a tile of
        // rows: a subnet's value must not depend on its batch. Random subnets, then one's neighbours (similar rows).
        var space = TutorialFixture.W12;
        var rng = new Xoshiro256(17);
        var configs = Enumerable.Range(0, 23).Select(_ => SubnetConfig.Sample(space, rng.NextInt)).ToList();
        configs.AddRange(Enumerable.Range(0, space.SlotCount).Select(s => configs[0].WithSlot(s, space.KernelSizes[s % space.KernelSizes.Count], space.ExpandRatios[0])));
        var p = Predictor();
        var batch = p.PredictMany(configs.ToArray());
        var alone = configs.Select(p.Predict).ToArray();
        var reversed = p.PredictMany(configs.AsEnumerable().Reverse().ToArray()).Reverse().ToArray();
        var inFives = configs.Chunk(5).SelectMany(c => p.PredictMany(c)).ToArray();
        int[] Bits(float[] v) => [.. v.Select(BitConverter.SingleToInt32Bits)];
        Assert.Equal(Bits(batch), Bits(alone));
        Assert.Equal(Bits(batch), Bits(reversed));
        Assert.Equal(Bits(batch), Bits(inFives));
    }

    [Fact]
    public void Predicts_the_tutorial_subnet_as_the_notebook_printed()
    {
        var (config, acc, _) = TutorialFixture.Notebook();
        Assert.Equal(acc, Predictor().Predict(config), 1e-5);
    }

    [Fact]
    public void The_encoding_is_the_tutorials_and_is_recorded()
    {
        var info = Imported.Value.Info;
        Assert.StartsWith(TutorialArchEncoder.Scheme + ";", info.Encoding);
        Assert.Equal(128, info.InputSize);
        var enc = (TutorialArchEncoder)ArchEncodings.For(info, TutorialFixture.W12);
        // stage 1 at depth 2: slots 0, 1 active, 2, 3 zero; r 192 -> bucket (192 - 112) / 16 = 5.
        var c = new SubnetConfig(Enumerable.Repeat(5, 20).ToArray(), Enumerable.Repeat(6, 20).ToArray(), [2, 2, 2, 2, 2], 192);
        var row = enc.Encode(c);
        Assert.Equal(128, row.Length);
        Assert.Equal(1f, row[0 * 3 + 1]);
        Assert.Equal(0f, row[2 * 3 + 1]);
        Assert.Equal(1f, row[60 + 1 * 3 + 2]);
        Assert.Equal(1f, row[120 + 5]);
        Assert.Equal(21, row.Sum());
        Assert.Equal(enc.Describe(), ArchEncodings.Parse(enc.Describe()).Describe());
    }

    [Fact]
    public void Refuses_a_space_the_encoding_cannot_describe()
    {
        var e = Assert.Throws<OfaException>(() => TutorialPredictorImporter.Import(Fixtures.Tutorial("acc_predictor.pth"), Presets.Get(Presets.FashionMnist)));
        Assert.Contains("acc_predictor.pth", e.Message);
        Assert.Contains("--space mbv3-w1.2", e.Message);
    }

    [Fact]
    public void The_search_keeps_to_the_resolutions_the_authors_predictor_was_trained_on()
    {
        // The tutorial trained it at 160..224: below 160 its first layer is still PyTorch's initialisation, and it scores a
        // subnet higher at r 128 than at 160. Before, every device whose table covers 128..156 (all but note10) was searched
        // there: cortex-a76 at 15 ms chose r 144 "at 84.25 %", above the largest subnet at 224 (83.59 %).
        SubnetConfig At(int r) => new([5, 5, 5, 3, 5, 5, 5, 5, 7, 7, 3, 7, 3, 5, 5, 3, 5, 3, 5, 7], [4, 6, 6, 4, 4, 6, 3, 3, 4, 6, 6, 6, 6, 6, 6, 4, 6, 6, 6, 3], [4, 4, 4, 4, 4], r);
        Assert.True(Predictor().Predict(At(128)) > Predictor().Predict(At(160)));
        var encoder = (TutorialArchEncoder)Predictor().Encoder;
        Assert.False(encoder.Scores(156));
        Assert.True(encoder.Scores(160) && encoder.Scores(224));

        using var dir = new TempDir();
        File.WriteAllBytes(dir["acc_predictor.pth"], File.ReadAllBytes(Fixtures.Tutorial("acc_predictor.pth")));
        var w12 = TutorialPredictorImporter.AddTo(UntrainedPackage.Create(TutorialFixture.W12), dir["acc_predictor.pth"]);
        var a76 = Core.Specialization.TargetProblem.Create(w12, "cortex-a76", 15);
        Assert.Equal(TutorialFixture.W12.Resolutions.Where(r => r >= 160), a76.Problem.Space.Resolutions);
        Assert.Equal(TutorialFixture.W12.Resolutions.Where(r => r < 160), a76.UnscoredResolutions);
        Assert.Equal("searched resolutions 160..224 only: the accuracy predictor was not trained on 128..156, where its numbers are not predictions.", a76.UnscoredNote);
        var found = Core.Search.EvolutionSearch.Run(a76.Problem, Core.Search.EvolutionOptions.Default(0));
        Assert.True(found.Best.Config.R >= 160, found.Best.Config.ToJson());
        Assert.True(found.LatencyMs <= 15);

        // note10's tables cover 160..224 already: its problem is as before.
        var note10 = Core.Specialization.TargetProblem.Create(w12, "note10", 25);
        Assert.Empty(note10.UnscoredResolutions);
        Assert.Null(note10.UnscoredNote);

        // A space of only untrained resolutions (the predictor fits a space with fewer resolutions) leaves nothing to search.
        var low = TutorialPredictorImporter.AddTo(UntrainedPackage.Create(TutorialFixture.W12 with { Resolutions = [128, 144] }), dir["acc_predictor.pth"]);
        var e = Assert.Throws<OfaException>(() => Core.Specialization.TargetProblem.Create(low, "cortex-a76", 15, packagePath: "low.ofa"));
        Assert.StartsWith("The accuracy predictor of low.ofa (acc_predictor.pth: the OFA authors' ImageNet accuracy predictor (mit-han-lab/once-for-all tutorial)) was trained on none of the resolutions the latency table for 'cortex-a76' (", e.Message);
        Assert.EndsWith(") covers (128, 144), so no search there would be a prediction. Store a predictor measured on this space (`ofa measure --model low.ofa --dataset <its training images>`), or search a package whose space has resolutions the predictor was trained on.", e.Message);
    }

    [Fact]
    public void A_supernet_given_as_the_predictor_is_named_as_one_in_a_short_message_with_the_import_that_fits()
    {
        // Before, the message listed every tensor of the checkpoint: 475 names, about 35,000 characters, and no fix.
        using var dir = new TempDir();
        File.WriteAllBytes(dir["ofa_supernet"], LegacyTorchWriter.Write(RandomSupernet.Create(Presets.Get(Presets.FashionMnist), seed: 1), wrap: true));
        var e = Assert.Throws<OfaFormatException>(() => TutorialPredictorImporter.Import(dir["ofa_supernet"], TutorialFixture.W12));
        Assert.StartsWith($"{dir["ofa_supernet"]}: holds {{", e.Message);
        Assert.Contains(" tensors: blocks.0.conv.depth_conv.bn.bias, blocks.0.conv.depth_conv.bn.running_mean, blocks.0.conv.depth_conv.bn.running_var, ...}", e.Message);
        Assert.True(e.Message.Length < 800, e.Message);
        Assert.EndsWith("It is a supernet checkpoint, not a predictor: import it as the checkpoint, with the predictor beside it " +
            "(ofa import ofa_supernet --space mbv3-w1.2 --predictor acc_predictor.pth -o w12.ofa for the authors' mbv3-w1.2 supernet).", e.Message);
    }

    [Fact]
    public void Refuses_the_w1_0_space_whose_encoding_has_the_same_size()
    {
        var w10 = Presets.Get(Presets.MobileNetV3W10);
        Assert.Equal(ArchEncoder.For(TutorialFixture.W12).Length, ArchEncoder.For(w10).Length);
        var e = Assert.Throws<OfaException>(() => TutorialPredictorImporter.Import(Fixtures.Tutorial("acc_predictor.pth"), w10));
        Assert.StartsWith(Fixtures.Tutorial("acc_predictor.pth") + ": the accuracy predictor was trained on another search space (that of --space mbv3-w1.2) than the package's 'mbv3-w1.0': widths 24,24,32,48,96,136,192,1152,1536 (the package's: 16,16,24,40,80,112,160,960,1280).", e.Message);
        Assert.Contains("ofa import ofa_mbv3_d234_e346_k357_w1.2 --space mbv3-w1.2 --predictor acc_predictor.pth -o w12.ofa", e.Message);
    }

    public static TheoryData<string, SearchSpace> OtherChoices => new()
    {
        // Each of these fits the tutorial's encoding (its resolution buckets start at 112), so only the space tells them apart.
        { "resolutions", TutorialFixture.W12 with { Resolutions = [112, 116, 120, 124] } },
        { "depths", TutorialFixture.W12 with { Depths = [1, 2, 3, 4] } },
        { "classes", Presets.Get(Presets.MobileNetV3W12, 10) },
    };

    [Theory]
    [MemberData(nameof(OtherChoices))]
    public void Refuses_a_w1_2_space_with_choices_it_was_not_trained_on(string differs, SearchSpace space)
    {
        var e = Assert.Throws<OfaException>(() => TutorialPredictorImporter.Import(Fixtures.Tutorial("acc_predictor.pth"), space));
        Assert.Contains($": {differs} ", e.Message);
        Assert.Contains("--space mbv3-w1.2", e.Message);
    }

    [Fact]
    public void Records_the_space_it_was_trained_on_and_fits_a_space_with_fewer_resolutions()
    {
        Assert.Equal(TrainingSpace.Of(TutorialFixture.W12).Describe(), Imported.Value.Info.TrainedOn);
        var fewer = TutorialFixture.W12 with { Resolutions = [160, 176, 192, 208, 224] };
        var (_, info) = TutorialPredictorImporter.Import(Fixtures.Tutorial("acc_predictor.pth"), fewer);
        Assert.Equal(Imported.Value.Info.TrainedOn, info.TrainedOn);
    }
}
