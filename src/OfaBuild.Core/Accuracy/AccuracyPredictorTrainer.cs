using OfaBuild.Core.Search;

namespace OfaBuild.Core.Accuracy;

/// <summary>Training settings; defaults follow the reference (Adam lr 1e-3, weight decay 1e-4, 80/20 split).</summary>
public sealed record PredictorTrainingOptions
{
    public int Epochs { get; init; } = 50;
    public int BatchSize { get; init; } = 64;
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>L2 term added to the gradient, as torch.optim.Adam's weight_decay.</summary>
    public double WeightDecay { get; init; } = 1e-4;
    public double HeldOutFraction { get; init; } = 0.2;
    public int Hidden { get; init; } = AccuracyPredictor.DefaultHidden;
    public int Layers { get; init; } = AccuracyPredictor.DefaultLayers;
    public ulong Seed { get; init; }
    /// <summary>Also fit a <see cref="Accuracy.ResidualCorrection"/> to the MLP's residuals on the training rows (off in the reference).</summary>
    public bool ResidualCorrection { get; init; }
}

/// <summary>
/// A trained predictor and its fit: RMSE in accuracy points (percent) and Spearman on the held-out split, of the
/// predictor as returned (with its residual correction, if fitted); <see cref="Mlp"/> is the MLP's alone.
/// </summary>
public sealed record PredictorTrainingReport(
    AccuracyPredictor Predictor, int TrainCount, int HeldOutCount,
    double TrainRmsePoints, double HeldOutRmsePoints, double HeldOutSpearman)
{
    /// <summary>The MLP's held-out fit without the correction; equal to the above when there is none.</summary>
    public (double HeldOutRmsePoints, double HeldOutSpearman) Mlp { get; init; } = (HeldOutRmsePoints, HeldOutSpearman);
    /// <summary>Leave-one-out RMSE (points) of the correction on the training rows, or null without one.</summary>
    public double? ResidualLooRmsePoints { get; init; }
}

/// <summary>
/// Trains the accuracy predictor on measured (config, accuracy) pairs with mean-squared error and Adam,
/// in pure C#. Seeded shuffles and fixed-order arithmetic make a run repeatable bit for bit.
/// </summary>
public static class AccuracyPredictorTrainer
{
    /// <param name="alwaysTrain">Rows never held out (the sample's anchors, the subnets refinement picked): the
    /// held-out fit is then measured on random subnets only, and the predictor always learns the ends of the space.</param>
    /// <param name="anchors">Rows whose subnets get an own term in the residual correction (see <see cref="Accuracy.ResidualCorrection"/>).</param>
    public static PredictorTrainingReport Train(ArchEncoder encoder, IReadOnlyList<(SubnetConfig Config, double Accuracy)> data,
        PredictorTrainingOptions? options = null, Action<int, double>? onEpoch = null, Func<int, bool>? alwaysTrain = null,
        Func<int, bool>? anchors = null)
    {
        options ??= new PredictorTrainingOptions();
        if (data.Count < 5) throw new OfaException($"Training the accuracy predictor needs at least 5 measured subnets; got {data.Count}.");
        foreach (var (c, a) in data)
            if (!double.IsFinite(a) || a < 0 || a > 1)
                throw new OfaException($"Accuracy {a} of subnet {c} is not a fraction in 0..1 (the predictor works on fractions, as the reference).");

        var rng = new Xoshiro256(options.Seed);
        var order = Enumerable.Range(0, data.Count).ToArray();
        Shuffle(order, rng);
        if (alwaysTrain is not null)
            order = [.. order.Where(i => !alwaysTrain(i)), .. order.Where(alwaysTrain)]; // stable: the held-out rows come first
        int eligible = alwaysTrain is null ? data.Count : order.Count(i => !alwaysTrain(i));
        int heldOut = (int)Math.Round(eligible * options.HeldOutFraction);
        if (heldOut >= data.Count) heldOut = data.Count - 1;
        var train = order[heldOut..];
        var test = order[..heldOut];

        int inDim = encoder.Length;
        var x = new float[data.Count * inDim];
        var y = new float[data.Count];
        for (int i = 0; i < data.Count; i++)
        {
            encoder.Encode(data[i].Config, x.AsSpan(i * inDim, inDim));
            y[i] = (float)data[i].Accuracy;
        }
        double mean = train.Average(i => (double)y[i]);
        var model = AccuracyPredictor.CreateRandom(encoder, rng.NextUInt64(), (float)mean, options.Hidden, options.Layers);
        var trainer = new Backprop(model, options);

        var batch = new int[options.BatchSize];
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            Shuffle(train, rng);
            double lossSum = 0;
            for (int start = 0; start < train.Length; start += options.BatchSize)
            {
                int b = Math.Min(options.BatchSize, train.Length - start);
                Array.Copy(train, start, batch, 0, b);
                lossSum += trainer.Step(x, y, batch.AsSpan(0, b)) * b;
            }
            onEpoch?.Invoke(epoch + 1, lossSum / train.Length);
        }

        var mlp = new float[data.Count];
        model.PredictEncoded(x, data.Count, mlp);
        var mlpFit = heldOut >= 2 ? Evaluate(mlp, y, test) : (double.NaN, double.NaN);
        double? loo = null;
        if (options.ResidualCorrection)
        {
            var fit = ResidualCorrection.Fit(encoder, train.Select(i => data[i].Config).ToArray(), train.Select(i => (double)y[i] - mlp[i]).ToArray(),
                isAnchor: anchors is null ? null : j => anchors(train[j]));
            model = model.WithResidual(fit.Correction);
            loo = fit.LooRmsePoints;
            model.PredictMany(data.Select(d => d.Config).ToArray(), mlp); // now the corrected predictions
        }
        var (trainRmse, _) = Evaluate(mlp, y, train);
        var (testRmse, testRho) = heldOut >= 2 ? Evaluate(mlp, y, test) : (double.NaN, double.NaN);
        return new PredictorTrainingReport(model, train.Length, heldOut, trainRmse, testRmse, testRho)
        {
            Mlp = mlpFit,
            ResidualLooRmsePoints = loo,
        };
    }

    /// <summary>RMSE in accuracy points and Spearman of the predictions <paramref name="pred"/> on the given rows.</summary>
    private static (double RmsePoints, double Spearman) Evaluate(float[] pred, float[] y, int[] rows)
    {
        var p = rows.Select(i => (double)pred[i]).ToArray();
        var t = rows.Select(i => (double)y[i]).ToArray();
        return (PredictorMetrics.Rmse(p, t) * 100, rows.Length >= 2 ? PredictorMetrics.Spearman(p, t) : double.NaN);
    }

    private static void Shuffle(int[] a, Xoshiro256 rng)
    {
        for (int i = a.Length - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (a[i], a[j]) = (a[j], a[i]);
        }
    }

    /// <summary>Forward and backward passes of the MLP with Adam updates, in place on the model's arrays.</summary>
    internal sealed class Backprop
    {
        private readonly AccuracyPredictor _m;
        private readonly PredictorTrainingOptions _o;
        private readonly float[][] _params;
        private readonly float[][] _adamM, _adamV;
        private int _step;

        public Backprop(AccuracyPredictor model, PredictorTrainingOptions options)
        {
            _m = model;
            _o = options;
            var list = new List<float[]>();
            for (int l = 0; l < model.HiddenLayers; l++) { list.Add(model.Weights[l]); list.Add(model.Biases[l]); }
            list.Add(model.OutputWeights);
            _params = list.ToArray();
            _adamM = _params.Select(p => new float[p.Length]).ToArray();
            _adamV = _params.Select(p => new float[p.Length]).ToArray();
        }

        /// <summary>The trained arrays, in the order of <see cref="Gradients"/>: W0, b0, W1, b1, ..., output weights.</summary>
        internal IReadOnlyList<float[]> Parameters => _params;

        /// <summary>One Adam step on the rows <paramref name="batch"/>; returns the batch's mean squared error.</summary>
        public double Step(float[] x, float[] y, ReadOnlySpan<int> batch)
        {
            var grads = _params.Select(p => new float[p.Length]).ToArray();
            double loss = Gradients(x, y, batch, grads);
            Adam(grads);
            return loss;
        }

        /// <summary>
        /// The batch's mean squared error; its gradient with respect to each of <see cref="Parameters"/> is
        /// written into <paramref name="grads"/> (arrays of the same shapes, zero on entry).
        /// </summary>
        internal double Gradients(float[] x, float[] y, ReadOnlySpan<int> batch, float[][] grads)
        {
            int b = batch.Length, h = _m.Hidden, inDim = _m.Encoder.Length, layers = _m.HiddenLayers;
            var input = new float[b * inDim];
            for (int i = 0; i < b; i++) x.AsSpan(batch[i] * inDim, inDim).CopyTo(input.AsSpan(i * inDim));

            var acts = new float[layers][];
            for (int l = 0; l < layers; l++)
            {
                acts[l] = new float[b * h];
                var a = l == 0 ? input : acts[l - 1];
                DenseKernels.MatMul(a, _m.Weights[l], acts[l], b, l == 0 ? inDim : h, h, _m.Biases[l], relu: true);
            }
            var g = new float[b];
            double loss = 0;
            for (int i = 0; i < b; i++)
            {
                float pred = DenseKernels.Dot(acts[layers - 1].AsSpan(i * h, h), _m.OutputWeights, 0f) + _m.BaseAccuracy;
                float err = pred - y[batch[i]];
                loss += (double)err * err;
                g[i] = 2f * err / b;
            }

            var gOut = grads[^1];
            var dz = new float[b * h];
            var last = acts[layers - 1];
            for (int i = 0; i < b; i++)
                for (int j = 0; j < h; j++)
                {
                    gOut[j] += g[i] * last[i * h + j];
                    dz[i * h + j] = last[i * h + j] > 0 ? g[i] * _m.OutputWeights[j] : 0f;
                }
            for (int l = layers - 1; l >= 0; l--)
            {
                var a = l == 0 ? input : acts[l - 1];
                int fanIn = l == 0 ? inDim : h;
                var at = new float[fanIn * b];
                DenseKernels.Transpose(a, at, b, fanIn);
                DenseKernels.MatMul(at, dz, grads[2 * l], fanIn, b, h, default, relu: false);
                var gb = grads[2 * l + 1];
                for (int i = 0; i < b; i++)
                    for (int j = 0; j < h; j++) gb[j] += dz[i * h + j];
                if (l == 0) break;
                var wt = new float[h * fanIn];
                DenseKernels.Transpose(_m.Weights[l], wt, fanIn, h);
                var da = new float[b * fanIn];
                DenseKernels.MatMul(dz, wt, da, b, h, fanIn, default, relu: false);
                var prev = acts[l - 1];
                for (int i = 0; i < da.Length; i++) if (!(prev[i] > 0)) da[i] = 0f;
                dz = da;
            }
            return loss / b;
        }

        private void Adam(float[][] grads)
        {
            const double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
            _step++;
            double c1 = 1 - Math.Pow(beta1, _step), c2 = 1 - Math.Pow(beta2, _step);
            double lr = _o.LearningRate, wd = _o.WeightDecay;
            for (int p = 0; p < _params.Length; p++)
            {
                var w = _params[p]; var gr = grads[p]; var m = _adamM[p]; var v = _adamV[p];
                for (int i = 0; i < w.Length; i++)
                {
                    double gi = gr[i] + wd * w[i];
                    double mi = beta1 * m[i] + (1 - beta1) * gi;
                    double vi = beta2 * v[i] + (1 - beta2) * gi * gi;
                    m[i] = (float)mi;
                    v[i] = (float)vi;
                    w[i] = (float)(w[i] - lr * (mi / c1) / (Math.Sqrt(vi / c2) + eps));
                }
            }
        }
    }
}
