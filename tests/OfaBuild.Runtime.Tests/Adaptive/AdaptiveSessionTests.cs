namespace OfaBuild.Runtime.Tests.Adaptive;

public class AdaptiveSessionTests
{
    private static float[] Scores(OfaModelSession session, float[] input)
    {
        var scores = session.Run(input);
        OfaScores.SoftmaxInPlace(scores);
        return scores;
    }

    [Fact]
    public void Each_call_runs_on_the_rung_the_governor_chose_and_feeds_it_the_measured_latency()
    {
        var clock = new FakeClock { LatencyMs = 0.4 };
        using var adaptive = TestLadder.Open(budgetMs: 0.5, clock);
        var input = TestModel.RandomInput(1, seed: 3);
        float[][] expected = [.. Enumerable.Range(0, 3).Select(r => Scores(adaptive.Rung(r), input))];
        Assert.NotEqual(expected[0], expected[1]);
        var changes = new List<RungChangedEventArgs>();
        adaptive.Governor.RungChanged += (_, e) => changes.Add(e);
        var scores = new float[TestModel.Classes];

        for (int i = 0; i < 100; i++)
        {
            adaptive.Predict(input, scores, out int rung);
            Assert.Equal(0, rung);
            Assert.Equal(expected[0], scores);
        }
        clock.LatencyMs = 0.7; // over the 0.5 ms budget from now on: down one rung per full window
        int served0 = 0;
        for (int i = 0; i < 200; i++)
        {
            int label = adaptive.Predict(input, scores, out int rung);
            Assert.Equal(expected[rung], scores);
            Assert.Equal(Array.IndexOf(expected[rung], expected[rung].Max()), label);
            Assert.Equal(rung, adaptive.Governor.LastServedRung);
            if (rung == 0) served0++;
        }
        Assert.Equal(4, served0); // the 4th call at 0.7 ms puts the full window's p95 (rank 61 of 64) over budget
        Assert.Equal(2, adaptive.Governor.CurrentRung);
        Assert.Equal([(0, 1), (1, 2)], changes.Select(c => (c.From, c.To)));
        Assert.Equal(300, Enumerable.Range(0, 3).Sum(r => adaptive.Governor.ServedCalls(r)));
    }

    [Fact]
    public void Info_says_the_precision_and_table_as_a_fixed_targets_Info_does()
    {
        // An int8 adaptive target: the README's Info.Precision and Info.LatencyTablePrecision hold for it too.
        static OfaModelSession Int8(int rung) => new("Tests.Tiny", TestLadder.Info(rung) with
        {
            Precision = OfaPrecision.Int8,
            LatencyTablePrecision = OfaPrecision.Int8,
            LatencyTableThreads = 4,
        }, () => throw new InvalidOperationException("not loaded"));
        using var adaptive = new AdaptiveSession([Int8(0), Int8(1)]);
        Assert.Equal(OfaPrecision.Int8, adaptive.Info.Precision);
        Assert.Equal(OfaPrecision.Int8, adaptive.Info.LatencyTablePrecision);
        Assert.Equal(4, adaptive.Info.LatencyTableThreads);
        using var fp32 = TestLadder.Open(budgetMs: 1);
        Assert.Equal(OfaPrecision.Fp32, fp32.Info.Precision);
    }

    [Fact]
    public void Predict_allocates_nothing_after_warm_up()
    {
        using var adaptive = TestLadder.Open(budgetMs: 1e6);
        var input = TestModel.RandomInput(1, seed: 4);
        var scores = new float[TestModel.Classes];
        for (int i = 0; i < 200; i++) adaptive.Predict(input, scores);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 500; i++) adaptive.Predict(input, scores);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(0, adaptive.Governor.CurrentRung);
    }

    [Fact]
    public void Concurrent_predictions_are_each_served_once_by_the_rung_they_report()
    {
        // Real clock; the app moves the budget and the pin while 4 threads predict, so every kind of change happens.
        using var adaptive = TestLadder.Open(budgetMs: 1e6, options: new GovernorOptions { WindowSize = 8, StepUpAfterCalls = 16 });
        adaptive.Load();
        var input = TestModel.RandomInput(1, seed: 5);
        float[][] expected = [.. Enumerable.Range(0, 3).Select(r => Scores(adaptive.Rung(r), input))];
        var changes = new System.Collections.Concurrent.ConcurrentQueue<RungChangedEventArgs>();
        adaptive.Governor.RungChanged += (_, e) => changes.Enqueue(e);
        const int threads = 4, calls = 400;
        var served = new int[threads, 3];
        using var done = new CountdownEvent(threads);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var scores = new float[TestModel.Classes];
            for (int i = 0; i < calls; i++)
            {
                adaptive.Predict(input, scores, out int rung);
                Assert.Equal(expected[rung], scores);
                served[t, rung]++;
            }
            done.Signal();
        })).ToList();
        // Over budget from the first call: a step down happens even if the workers finish before this thread runs again.
        adaptive.Governor.LatencyBudgetMs = 1e-6;
        workers.ForEach(w => w.Start());
        while (!done.IsSet)
        {
            adaptive.Governor.LatencyBudgetMs = 1e-6; // every window over: down
            Thread.Sleep(5);
            adaptive.Governor.LatencyBudgetMs = 1e6;  // all headroom: up
            Thread.Sleep(5);
            adaptive.Governor.PinnedRung = 1;
            Thread.Sleep(2);
            adaptive.Governor.PinnedRung = null;
        }
        workers.ForEach(w => w.Join());

        for (int r = 0; r < 3; r++)
            Assert.Equal(Enumerable.Range(0, threads).Sum(t => served[t, r]), adaptive.Governor.ServedCalls(r));
        Assert.Equal(threads * calls, Enumerable.Range(0, 3).Sum(r => (int)adaptive.Governor.ServedCalls(r)));
        var chain = changes.OrderBy(c => c.Sequence).ToList();
        Assert.NotEmpty(chain);
        Assert.Equal(Enumerable.Range(1, chain.Count).Select(i => (long)i), chain.Select(c => c.Sequence));
        Assert.Equal(0, chain[0].From);
        for (int i = 1; i < chain.Count; i++) Assert.Equal(chain[i - 1].To, chain[i].From);
        Assert.Equal(adaptive.Governor.CurrentRung, chain[^1].To);
    }

    [Fact]
    public void Rungs_with_another_input_are_refused_with_the_fix()
    {
        var wrong = TestLadder.Info(1) with { Input = TestLadder.Info(1).Input with { Resolution = 16 } };
        var ex = Assert.Throws<OfaRuntimeException>(() =>
            new AdaptiveSession([TestLadder.Session(0), new OfaModelSession("Tests.Tiny", wrong, () => TestModel.Onnx)]));
        Assert.Contains("rung host-1 takes [1, 16, 16]", ex.Message);
        Assert.Contains("rung 0's resolution", ex.Message);
    }

    /// <summary>
    /// A lower rung runs on rung 0's input resized as an app's input prepared for it would be: bilinear up to 2x (16 to 12),
    /// antialiased beyond (28 to 12, as <see cref="OfaInputInfo.Prepare(ReadOnlySpan{byte}, int, int, Span{float})"/> and
    /// training shrink). Plain bilinear at 28 to 12 read 4 of each output pixel's ~5 x 5 source pixels of this
    /// high-frequency pattern.
    /// </summary>
    [Theory]
    [InlineData(16)]
    [InlineData(28)]
    public void A_rung_at_a_lower_resolution_gets_rung_0s_input_resized_as_its_own_would_be_prepared(int r0)
    {
        var top = TestLadder.Info(0) with { Input = TestLadder.Info(0).Input with { Resolution = r0 } };
        using var adaptive = new AdaptiveSession([new OfaModelSession("Tests.Tiny", top, () => TestModel.Export(5, 4, 3, r: r0)), TestLadder.Session(1)]);
        using var alone = TestLadder.Session(1);
        var pixels = Enumerable.Range(0, r0 * r0).Select(i => (byte)(i * 37 % 256)).ToArray();
        var input = new float[r0 * r0];
        top.Input.Prepare(pixels, r0, r0, input);
        var input12 = new float[12 * 12];
        alone.Info.Input.Prepare(pixels, r0, r0, input12); // what an app would prepare for the 12 x 12 subnet
        var resized = new float[12 * 12];
        ImageInput.Resize(input, 1, r0, resized, 12);
        for (int i = 0; i < resized.Length; i++) Assert.Equal(input12[i], resized[i], 1e-5f);
        var expected = alone.Run(input12);
        OfaScores.SoftmaxInPlace(expected);

        adaptive.Governor.PinnedRung = 1;
        var scores = new float[TestModel.Classes];
        adaptive.Predict(input, scores, out int rung);
        Assert.Equal(1, rung);
        for (int i = 0; i < scores.Length; i++) Assert.Equal(expected[i], scores[i], 5);
        var ex = Assert.Throws<ArgumentException>(() => adaptive.Predict(input12, scores));
        Assert.Contains($"{r0 * r0} = 1 x {r0} x {r0} (rung 0's input)", ex.Message);
    }

    [Fact]
    public void A_batch_is_one_governed_call_on_one_rung()
    {
        var clock = new FakeClock { LatencyMs = 2 };
        using var adaptive = TestLadder.Open(budgetMs: 1, clock);
        const int n = 3;
        var inputs = TestModel.RandomInput(n, seed: 7);
        var scores = new float[n * TestModel.Classes];
        var labels = new int[n];
        for (int call = 0; call < 4; call++)
        {
            adaptive.Predict(inputs, n, scores, labels, out int rung);
            Assert.Equal(0, rung);
        }
        Assert.Equal(1, adaptive.Governor.CurrentRung); // four slow batches, not twelve slow samples
        Assert.Equal(4, adaptive.Governor.ServedCalls(0));

        adaptive.Predict(inputs, n, scores, labels, out int served);
        Assert.Equal(1, served);
        for (int i = 0; i < n; i++)
        {
            var one = new float[TestModel.Classes];
            adaptive.Rung(1).Run(inputs.AsSpan(i * adaptive.InputLength, adaptive.InputLength), one);
            int label = OfaScores.SoftmaxInPlace(one);
            Assert.Equal(label, labels[i]);
            for (int j = 0; j < one.Length; j++) Assert.Equal(one[j], scores[i * TestModel.Classes + j], 5);
        }
    }

    [Fact]
    public void The_budget_defaults_to_the_top_rungs_build_budget()
    {
        using var adaptive = new AdaptiveSession([TestLadder.Session(0), TestLadder.Session(1)]);
        Assert.Equal(TestLadder.Info(0).LatencyBudgetMs, adaptive.Governor.LatencyBudgetMs);
        Assert.Equal(["host-0", "host-1"], adaptive.Governor.Rungs.Select(r => r.Name));
    }

    [Fact]
    public void Info_lists_the_rungs_and_tells_which_served()
    {
        using var adaptive = new AdaptiveSession([TestLadder.Session(0), TestLadder.Session(1)]);
        var info = adaptive.Info;
        Assert.Equal(["host-0", "host-1"], info.Rungs.Select(r => r.Target));
        Assert.Same(info.Rungs[0], info.Target);
        var input = TestModel.RandomInput(1, seed: 41);
        var scores = new float[TestModel.Classes];
        adaptive.Governor.PinnedRung = 1;
        adaptive.Predict(input, scores, out int rung);
        Assert.Equal((1, 1, 1L, 0L), (rung, info.ServedRung, info.ServedCalls(1), info.ServedCalls(0)));
        Assert.Same(info.Rungs[1], info.Served);
        Assert.Null(info.MeasuredLatencyMs); // one call is still warm-up
        Assert.Contains("rung 1 of 2", info.ToString());
    }

    [Fact]
    public void A_too_small_scores_buffer_is_named_scores()
    {
        using var adaptive = new AdaptiveSession([TestLadder.Session(0), TestLadder.Session(1)]);
        var one = Assert.Throws<ArgumentException>(() => adaptive.Predict(TestModel.RandomInput(1, seed: 43), new float[TestModel.Classes - 1]));
        Assert.Equal("scores", one.ParamName);
        Assert.Contains("scores has room for", one.Message);
        var batch = Assert.Throws<ArgumentException>(() => adaptive.Predict(TestModel.RandomInput(2, seed: 44), 2, new float[TestModel.Classes], new int[2], out _));
        Assert.Equal("scores", batch.ParamName);
        Assert.Equal(0L, adaptive.Info.ServedCalls(0) + adaptive.Info.ServedCalls(1)); // refused before a rung served
    }
}
