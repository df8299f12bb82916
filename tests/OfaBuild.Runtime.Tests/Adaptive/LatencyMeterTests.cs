namespace OfaBuild.Runtime.Tests.Adaptive;

public class LatencyMeterTests
{
    [Fact]
    public void Measures_the_median_of_the_calls_after_warm_up()
    {
        var meter = new LatencyMeter(timestampFrequency: 1000, warmupCalls: 3, sampleCalls: 5);
        foreach (long ticks in new long[] { 900, 900, 900 }) meter.Record(ticks); // warm-up, skipped
        foreach (long ticks in new long[] { 4, 2, 50, 3 }) meter.Record(ticks);
        Assert.Null(meter.MeasuredLatencyMs);
        meter.Record(5);
        Assert.Equal(4, meter.MeasuredLatencyMs); // median of 2, 3, 4, 5, 50 ticks at 1000 ticks/s
        meter.Record(1);
        Assert.Equal(4, meter.MeasuredLatencyMs);
    }

    [Fact]
    public void Every_session_measures_its_first_runs_beside_the_predicted_latency()
    {
        var clock = new FakeClock { LatencyMs = 3 };
        using var session = new OfaModelSession("Tests.Tiny", TestModel.Info(), () => TestModel.Onnx, clock: clock);
        var input = TestModel.RandomInput(1, seed: 6);
        var output = new float[TestModel.Classes];
        for (int i = 0; i < LatencyMeter.DefaultWarmupCalls; i++) session.Run(input, output);
        clock.LatencyMs = 0.8;
        for (int i = 0; i < LatencyMeter.DefaultSampleCalls - 1; i++) session.Run(input, output);
        Assert.Null(session.MeasuredLatencyMs);
        Assert.Equal(800, session.RunTimed(input, output)); // microsecond ticks
        Assert.Equal(0.8, session.MeasuredLatencyMs);
        Assert.Equal(0.5, session.Info.PredictedLatencyMs);
        Assert.Equal(0.8, session.Info.MeasuredLatencyMs); // what the wrapper's Info shows
        Assert.Null(TestModel.Info().MeasuredLatencyMs); // the build's constants measure nothing
    }

    [Fact]
    public void Concurrent_runs_fill_each_sample_once()
    {
        var meter = new LatencyMeter(timestampFrequency: 1000, warmupCalls: 10, sampleCalls: 1000);
        Parallel.For(0, 8, _ => { for (int i = 0; i < 1000; i++) meter.Record(7); });
        Assert.Equal(7, meter.MeasuredLatencyMs);
    }
}
