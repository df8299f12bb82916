using System.Buffers;
using System.Globalization;
using OfaBuild.Core.Tensors;

namespace OfaBuild.Core.Accuracy;

/// <summary>Predicted accuracy for many subnets at once (what the search needs).</summary>
public interface IAccuracyModel
{
    /// <summary>Writes the predicted accuracy (a fraction, 0..1) of every config.</summary>
    void PredictMany(ReadOnlySpan<SubnetConfig> configs, Span<float> accuracy);
}

/// <summary>
/// The reference's accuracy predictor (ofa/nas/accuracy_predictor/acc_predictor.py): 3 x (Linear 400 + ReLU),
/// then Linear(400, 1) without bias plus a frozen <c>base_acc</c> (the mean accuracy of the training data).
/// Accuracies are fractions (0..1), as in the reference. Inference is pure C#; the first layer adds the
/// weight rows of the one-hot features instead of multiplying by a mostly-zero row. An optional
/// <see cref="ResidualCorrection"/> (stored with it by `ofa measure`) adds the MLP's residuals at measured subnets.
/// </summary>
public sealed class AccuracyPredictor : IAccuracyModel
{
    public const int DefaultHidden = 400;
    public const int DefaultLayers = 3;

    public IArchEncoding Encoder { get; }
    public int Hidden { get; }
    public int HiddenLayers => _w.Length;
    public float BaseAccuracy { get; }
    /// <summary>The correction by measured residuals, or null (the reference's MLP alone).</summary>
    public ResidualCorrection? Residual { get; }

    // Weights are kept as [in, out] (transposed from PyTorch's [out, in]) so a batch is rows x W.
    private readonly float[][] _w;
    private readonly float[][] _b;
    private readonly float[] _wOut;
    // Zero inputs may be skipped only if every weight they would multiply is finite (0 x inf is NaN): DenseKernels.MatMulReluSkippingZeros.
    private readonly bool _hiddenFinite;

    internal AccuracyPredictor(IArchEncoding encoder, float[][] w, float[][] b, float[] wOut, float baseAccuracy, ResidualCorrection? residual = null)
    {
        Residual = residual;
        Encoder = encoder;
        Hidden = wOut.Length;
        _w = w;
        _b = b;
        _wOut = wOut;
        BaseAccuracy = baseAccuracy;
        _hiddenFinite = w.Skip(1).All(l => Array.TrueForAll(l, float.IsFinite));
        if (w.Length < 1 || w.Length != b.Length) throw new ArgumentException("Layer lists disagree.");
        if (w[0].Length != encoder.Length * Hidden) throw new ArgumentException("First layer does not match the encoding.");
    }

    /// <summary>The same MLP with <paramref name="residual"/> as its correction (null: none).</summary>
    public AccuracyPredictor WithResidual(ResidualCorrection? residual) => new(Encoder, _w, _b, _wOut, BaseAccuracy, residual);

    internal float[][] Weights => _w;
    internal float[][] Biases => _b;
    internal float[] OutputWeights => _wOut;

    /// <summary>A predictor with PyTorch's default Linear initialisation (uniform ±1/sqrt(fan_in)), seeded.</summary>
    public static AccuracyPredictor CreateRandom(ArchEncoder encoder, ulong seed, float baseAccuracy = 0f,
        int hidden = DefaultHidden, int layers = DefaultLayers)
    {
        var rng = new Search.Xoshiro256(seed);
        var w = new float[layers][];
        var b = new float[layers][];
        for (int l = 0; l < layers; l++)
        {
            int fanIn = l == 0 ? encoder.Length : hidden;
            float bound = 1f / MathF.Sqrt(fanIn);
            w[l] = Uniform(rng, fanIn * hidden, bound);
            b[l] = Uniform(rng, hidden, bound);
        }
        var wOut = Uniform(rng, hidden, 1f / MathF.Sqrt(hidden));
        return new AccuracyPredictor(encoder, w, b, wOut, baseAccuracy);
    }

    private static float[] Uniform(Search.Xoshiro256 rng, int n, float bound)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)((rng.NextDouble() * 2 - 1) * bound);
        return x;
    }

    public float Predict(SubnetConfig config)
    {
        Span<float> acc = stackalloc float[1];
        PredictMany([config], acc);
        return acc[0];
    }

    public float[] PredictMany(IReadOnlyList<SubnetConfig> configs)
    {
        var result = new float[configs.Count];
        PredictMany(configs.ToArray(), result);
        return result;
    }

    public void PredictMany(ReadOnlySpan<SubnetConfig> configs, Span<float> accuracy)
    {
        if (accuracy.Length < configs.Length) throw new ArgumentException("Output span is shorter than the configs.");
        int m = configs.Length, h = Hidden;
        var pool = ArrayPool<float>.Shared;
        var x = pool.Rent(m * h);
        var y = pool.Rent(m * h);
        var idx = new int[Encoder.MaxActiveFeatures];
        try
        {
            // Layer 0: bias plus the rows of the active one-hot features, in ascending feature order.
            for (int i = 0; i < m; i++)
            {
                int n = Encoder.ActiveFeatures(configs[i], idx);
                DenseKernels.SumRowsRelu(_b[0], _w[0], idx.AsSpan(0, n), x.AsSpan(i * h, h));
            }
            for (int l = 1; l < _w.Length; l++)
            {
                if (_hiddenFinite) DenseKernels.MatMulReluSkippingZeros(x, _w[l], y, m, h, h, _b[l]);
                else DenseKernels.MatMul(x, _w[l], y, m, h, h, _b[l], relu: true);
                (x, y) = (y, x);
            }
            DenseKernels.DotRows(x, _wOut, m, 0f, accuracy);
            for (int i = 0; i < m; i++) accuracy[i] += BaseAccuracy;
            Residual?.AddTo(Encoder, configs, accuracy);
        }
        finally
        {
            pool.Return(x);
            pool.Return(y);
        }
    }

    /// <summary>The MLP's predictions for already encoded rows ([rows, Encoder.Length], dense), without the residual correction.</summary>
    public void PredictEncoded(ReadOnlySpan<float> rows, int count, Span<float> accuracy)
    {
        int h = Hidden;
        var x = new float[count * h];
        var y = new float[count * h];
        DenseKernels.MatMul(rows, _w[0], x, count, Encoder.Length, h, _b[0], relu: true);
        for (int l = 1; l < _w.Length; l++)
        {
            DenseKernels.MatMul(x, _w[l], y, count, h, h, _b[l], relu: true);
            (x, y) = (y, x);
        }
        for (int i = 0; i < count; i++)
            accuracy[i] = DenseKernels.Dot(x.AsSpan(i * h, h), _wOut, 0f) + BaseAccuracy;
    }

    // ---- persistence: the reference's state-dict names, so predictor.safetensors reads like acc_predictor.pth ----

    public const string MetadataKind = "ofa.predictor";
    public const string MetadataEncoding = "ofa.encoding";
    public const string MetadataBaseAcc = "ofa.base_acc";

    private static string WeightName(int layer) => $"layers.{layer}.0.weight";
    private static string BiasName(int layer) => $"layers.{layer}.0.bias";
    private static string OutName(int layers) => $"layers.{layers}.weight";
    public const string BaseAccName = "base_acc";

    /// <summary>Tensors named as in the reference (<c>layers.0.0.weight</c> [400, in], ..., <c>layers.3.weight</c> [1, 400], <c>base_acc</c> [1]).</summary>
    public TensorSet ToTensors(string source = "predictor")
    {
        var set = new TensorSet(source);
        for (int l = 0; l < _w.Length; l++)
        {
            int fanIn = l == 0 ? Encoder.Length : Hidden;
            var wt = new float[fanIn * Hidden];
            DenseKernels.Transpose(_w[l], wt, fanIn, Hidden);
            set.Add(WeightName(l), Tensor.FromFloats([Hidden, fanIn], wt));
            set.Add(BiasName(l), Tensor.FromFloats([Hidden], (float[])_b[l].Clone()));
        }
        set.Add(OutName(_w.Length), Tensor.FromFloats([1, Hidden], (float[])_wOut.Clone()));
        set.Add(BaseAccName, Tensor.FromFloats([1], [BaseAccuracy]));
        Residual?.AddTensors(set);
        return set;
    }

    /// <summary>String metadata to store beside the tensors (safetensors <c>__metadata__</c>).</summary>
    public IReadOnlyDictionary<string, string> Metadata => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        [MetadataKind] = $"accuracy-mlp;hidden={Hidden};layers={HiddenLayers};output=no-bias+base_acc" + (Residual is null ? "" : $";residual={ResidualCorrection.Scheme}"),
        [MetadataEncoding] = Encoder.Describe(),
        [MetadataBaseAcc] = BaseAccuracy.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>Reads a predictor; the encoding comes from <paramref name="metadata"/> (see <see cref="Metadata"/>) or <paramref name="encoder"/>.</summary>
    public static AccuracyPredictor FromTensors(TensorSet tensors, IReadOnlyDictionary<string, string>? metadata = null, IArchEncoding? encoder = null)
    {
        if (encoder is null)
        {
            if (metadata is null || !metadata.TryGetValue(MetadataEncoding, out var desc))
                throw new OfaFormatException($"{tensors.Source}: the predictor has no '{MetadataEncoding}' metadata; pass the search space it was trained on.");
            encoder = ArchEncodings.Parse(desc, tensors.Source);
        }
        int layers = 0;
        while (tensors.Contains(WeightName(layers))) layers++;
        if (layers == 0)
            throw new OfaFormatException($"{tensors.Source}: tensor '{WeightName(0)}' is missing; not an accuracy predictor.");
        var first = tensors[WeightName(0)];
        if (first.Shape.Length != 2)
            throw new OfaFormatException($"{tensors.Source}: tensor '{WeightName(0)}' has shape {first.ShapeText}; expected [hidden, {encoder.Length}].");
        int hidden = first.Shape[0];
        var w = new float[layers][];
        var b = new float[layers][];
        for (int l = 0; l < layers; l++)
        {
            int fanIn = l == 0 ? encoder.Length : hidden;
            var wt = tensors.F32(WeightName(l), hidden, fanIn);
            w[l] = new float[fanIn * hidden];
            DenseKernels.Transpose(wt, w[l], hidden, fanIn);
            b[l] = (float[])tensors.F32(BiasName(l), hidden).Clone();
        }
        var wOut = (float[])tensors.F32(OutName(layers), 1, hidden).Clone();
        float baseAcc = tensors.F32(BaseAccName, 1)[0];
        foreach (var name in tensors.Names)
        {
            bool known = name == BaseAccName || name == OutName(layers) || ResidualCorrection.IsTensor(name)
                || Enumerable.Range(0, layers).Any(l => name == WeightName(l) || name == BiasName(l));
            if (!known) throw new OfaFormatException($"{tensors.Source}: tensor '{name}' is not part of an accuracy predictor with {layers} hidden layers.");
        }
        return new AccuracyPredictor(encoder, w, b, wOut, baseAcc, ResidualCorrection.FromTensors(tensors, encoder));
    }
}
