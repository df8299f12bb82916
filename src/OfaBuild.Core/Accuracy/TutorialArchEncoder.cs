using System.Globalization;

namespace OfaBuild.Core.Accuracy;

/// <summary>
/// The input encoding of the OFA tutorial's ImageNet accuracy predictor (ofa/tutorial/accuracy_predictor.py,
/// <c>spec2feats</c>): per block slot a kernel one-hot (order 3, 5, 7), then per slot an expand one-hot
/// (order 3, 4, 6), slots past their stage's depth all zero, then a resolution one-hot at
/// <c>(r - ResolutionBase) / ResolutionStep</c>. For the w1.2 space: 60 + 60 + 8 = 128 features.
/// It differs from <see cref="ArchEncoder"/> in order (resolution last) and in bucketing resolutions by 16.
/// </summary>
public sealed class TutorialArchEncoder : BlockSlotEncoding, IArchEncoding
{
    public const string Scheme = "ofa-tutorial-onehot-v1";

    public int ResolutionBase { get; }
    public int ResolutionStep { get; }
    public int ResolutionBuckets { get; }

    public int Length => SlotFeatures + ResolutionBuckets;

    /// <summary>
    /// The lowest resolution the authors' predictor was trained on. The tutorial samples 160, 176, ..., 224 (ArchManager in
    /// ofa/tutorial/evolution_finder.py), and in acc_predictor.pth the first layer's columns of the buckets below 160 are still
    /// PyTorch's initialisation (every weight within ±1/√128, as drawn; the trained buckets' are not): they score a subnet at
    /// r 128-159 above the same subnet at 160-224 (83.8 % at r 128 against 81.9 % at 160 for one w1.2 subnet).
    /// </summary>
    public const int LowestTrainedResolution = 160;

    /// <summary>The tutorial's own: 5 stages of up to 4 blocks, kernels {3, 5, 7}, expands {3, 4, 6}, 8 resolution buckets from 112 by 16.</summary>
    public static TutorialArchEncoder ImageNet { get; } = new(5, 4, [3, 5, 7], [3, 4, 6], 112, 16, 8);

    public TutorialArchEncoder(int stages, int maxDepth, IReadOnlyList<int> kernelSizes, IReadOnlyList<int> expandRatios,
        int resolutionBase, int resolutionStep, int resolutionBuckets)
        : base(stages, maxDepth, kernelSizes, expandRatios)
    {
        if (!HasSlots || resolutionStep < 1 || resolutionBuckets < 1)
            throw new OfaException("Tutorial encoding: stages, depth, kernel and expand lists, resolution step and buckets must be positive.");
        (ResolutionBase, ResolutionStep, ResolutionBuckets) = (resolutionBase, resolutionStep, resolutionBuckets);
    }

    private int Bucket(int r)
    {
        int d = r - ResolutionBase;
        return d >= 0 && d / ResolutionStep < ResolutionBuckets ? d / ResolutionStep : -1;
    }

    public int ActiveFeatures(SubnetConfig config, Span<int> indices)
    {
        int n = WriteSlotOneHots(config, offset: 0, indices, n: 0);
        int bucket = Bucket(config.R);
        if (bucket < 0)
            throw new OfaException($"The accuracy predictor encodes resolutions {ResolutionBase}..{ResolutionBase + ResolutionStep * ResolutionBuckets - 1}; {config.R} is outside.");
        indices[n++] = SlotFeatures + bucket;
        return n;
    }

    public bool Scores(int resolution) => resolution >= LowestTrainedResolution && Bucket(resolution) >= 0;

    public string Describe() => string.Join(';',
        [.. DescribeSlots(Scheme),
         string.Create(CultureInfo.InvariantCulture, $"r_base={ResolutionBase}"),
         string.Create(CultureInfo.InvariantCulture, $"r_step={ResolutionStep}"),
         string.Create(CultureInfo.InvariantCulture, $"r_buckets={ResolutionBuckets}"),
         "order=ks,e,r"]);

    public static TutorialArchEncoder Parse(string description, string source = "predictor")
    {
        var ints = ReadDescription(description, Scheme, "ks,e,r", source);
        try
        {
            return new TutorialArchEncoder(ints("stages")[0], ints("max_depth")[0], ints("ks"), ints("e"), ints("r_base")[0], ints("r_step")[0], ints("r_buckets")[0]);
        }
        catch (OfaException e) when (e is not OfaFormatException)
        {
            throw new OfaFormatException($"{source}: {e.Message}", e);
        }
    }
}
