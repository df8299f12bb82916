namespace OfaBuild.Core.Tests.Accuracy;

/// <summary>
/// The hand-written backward pass of <see cref="AccuracyPredictorTrainer"/> against central differences of
/// the mean-squared-error loss, evaluated in float64 on a tiny MLP (18 inputs, 3 x 8 hidden, 232 weights).
/// </summary>
public class AccuracyPredictorGradientTests
{
    private const int Rows = 6, Hidden = 8, Layers = 3;

    // 2 resolutions + 2 stages x 2 slots x (2 kernel sizes + 2 expand ratios) = 18 features.
    private static readonly ArchEncoder Encoder = new(stages: 2, maxDepth: 2, kernelSizes: [3, 5], expandRatios: [3, 4], resolutions: [12, 16]);

    [Fact]
    public void Backprop_gradients_match_central_differences()
    {
        var model = AccuracyPredictor.CreateRandom(Encoder, seed: 3, baseAccuracy: 0.5f, hidden: Hidden, layers: Layers);
        var rng = new Xoshiro256(17);
        // Dense inputs (not one-hot) so every first-layer weight has a gradient to check.
        var x = Enumerable.Range(0, Rows * Encoder.Length).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var y = Enumerable.Range(0, Rows).Select(_ => (float)rng.NextDouble()).ToArray();
        int[] batch = [0, 1, 2, 3, 4, 5];

        var backprop = new AccuracyPredictorTrainer.Backprop(model, new PredictorTrainingOptions());
        var parameters = backprop.Parameters;
        var grads = parameters.Select(p => new float[p.Length]).ToArray();
        double loss = backprop.Gradients(x, y, batch, grads);

        // The float64 loss below is the model's own: same forward as PredictEncoded, to float32 rounding.
        var theta = parameters.Select(p => p.Select(v => (double)v).ToArray()).ToArray();
        var predicted = new float[Rows];
        model.PredictEncoded(x, Rows, predicted);
        for (int i = 0; i < Rows; i++) Assert.Equal(Forward(theta, x, i, model.BaseAccuracy), predicted[i], 1e-5);
        Assert.Equal(Loss(theta, x, y, model.BaseAccuracy), loss, 1e-6);

        // Central differences in float64: truncation O(h^2) ~ 1e-10 and rounding ~ 1e-16 / h ~ 1e-11 are far below
        // the tolerance; no ReLU input lies within h * |x| < 1e-5 of its kink for this seed (else the check would fail).
        const double h = 1e-5;
        var numeric = theta.Select(t => new double[t.Length]).ToArray();
        for (int p = 0; p < theta.Length; p++)
            for (int k = 0; k < theta[p].Length; k++)
            {
                double keep = theta[p][k];
                theta[p][k] = keep + h;
                double up = Loss(theta, x, y, model.BaseAccuracy);
                theta[p][k] = keep - h;
                double down = Loss(theta, x, y, model.BaseAccuracy);
                theta[p][k] = keep;
                numeric[p][k] = (up - down) / (2 * h);
            }

        // The analytic gradients are float32 sums of at most Rows x Hidden = 48 products, each step rounding by
        // 2^-24 ~ 6e-8: a worst case of ~3e-6 of the largest gradient. 1e-5 of it leaves a 3x margin, while a wrong
        // rule (a missing ReLU mask, a transposed weight, a lost factor 2) is off by the size of the gradient itself.
        double scale = numeric.SelectMany(g => g).Max(Math.Abs);
        Assert.True(scale > 1e-3, $"the gradients are too small ({scale:E2}) to check anything");
        string[] names = [.. Enumerable.Range(0, Layers).SelectMany(l => new[] { $"W{l}", $"b{l}" }), "w_out"];
        for (int p = 0; p < theta.Length; p++)
            for (int k = 0; k < theta[p].Length; k++)
                Assert.True(Math.Abs(grads[p][k] - numeric[p][k]) <= 1e-5 * scale,
                    $"d loss / d {names[p]}[{k}]: backprop {grads[p][k]:E6}, central difference {numeric[p][k]:E6}");
    }

    /// <summary>Mean squared error over all rows, in float64.</summary>
    private static double Loss(double[][] theta, float[] x, float[] y, float baseAccuracy)
    {
        double sum = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double err = Forward(theta, x, i, baseAccuracy) - y[i];
            sum += err * err;
        }
        return sum / y.Length;
    }

    /// <summary>The reference's MLP in float64: Layers x (Linear + ReLU), then Linear without bias plus base_acc.</summary>
    private static double Forward(double[][] theta, float[] x, int row, float baseAccuracy)
    {
        var a = x.AsSpan(row * Encoder.Length, Encoder.Length).ToArray().Select(v => (double)v).ToArray();
        for (int l = 0; l < Layers; l++)
        {
            double[] w = theta[2 * l], b = theta[2 * l + 1];
            var next = new double[Hidden];
            for (int j = 0; j < Hidden; j++)
            {
                double z = b[j];
                for (int i = 0; i < a.Length; i++) z += a[i] * w[i * Hidden + j]; // weights are [in, out]
                next[j] = Math.Max(0, z);
            }
            a = next;
        }
        double output = baseAccuracy;
        for (int j = 0; j < Hidden; j++) output += a[j] * theta[^1][j];
        return output;
    }
}
