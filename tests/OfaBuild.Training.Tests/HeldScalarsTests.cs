using System.Diagnostics;
using static OfaBuild.Training.Native.HeldScalars;
using static TorchSharp.torch;

namespace OfaBuild.Training.Tests;

public class HeldScalarsTests
{
    /// <summary>
    /// TorchSharp's own <c>y + x</c> failed here with "Expected false to be true ... toFloat" about once in 350,000 calls
    /// while another thread forced collections (11 failures in 20 s, a throwaway program; the Scalar it makes for alpha
    /// is finalized during the native call); with <c>Plus</c> written as <c>a + b</c> this test failed within a second,
    /// twice out of two runs. The held Scalars must never fail, and give TorchSharp's results.
    /// </summary>
    [Fact]
    public async Task Arithmetic_survives_collections_during_the_native_call()
    {
        var x = randn(1, 8, 4, 4);
        var y = randn(1, 8, 4, 4);
        float[] xs = x.data<float>().ToArray(), ys = y.data<float>().ToArray();
        var sum = ys.Select((v, i) => v + xs[i]).ToArray();   // what libtorch's float add and multiply give
        var scaled = ys.Select(v => v * 0.25f).ToArray();

        using var stop = new CancellationTokenSource();
        var collector = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested) { GC.Collect(); GC.WaitForPendingFinalizers(); }
        });
        long calls = 0;
        try
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(3))
            {
                using var a = Plus(y, x);
                using var b = Times(y, 0.25);
                using var c = PlusInPlace(y.clone(), x, 1);
                calls += 3;
                if (calls % 30_000 == 0)
                {
                    Assert.Equal(sum, a.data<float>().ToArray());
                    Assert.Equal(scaled, b.data<float>().ToArray());
                    Assert.Equal(sum, c.data<float>().ToArray());
                }
            }
        }
        finally
        {
            stop.Cancel();
            await collector;
        }
        Assert.True(calls > 30_000, $"only {calls} calls in 3 s");
    }
}
