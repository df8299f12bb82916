using OfaBuild.Core.Devices;
using OfaBuild.Core.Space;

namespace OfaBuild.Core.Latency;

/// <summary>
/// The estimate behind "estimated" latency tables: a roofline per operator. Each layer is split into the
/// operators ONNX Runtime runs (1x1 expand, depthwise kxk, squeeze-excite, 1x1 project, residual add, ...);
/// an operator takes max(MACs / (peak MAC/s x efficiency), bytes moved / (bandwidth x efficiency)) plus a
/// fixed dispatch cost. Bytes are FP32 activations read and written plus weights, each once.
/// The efficiencies and the dispatch cost are assumptions, not measurements: an estimated table ranks
/// subnets sensibly, but only a measured table (`ofa profile`) gives trustworthy milliseconds.
/// </summary>
public static class RooflineModel
{
    /// <summary>Share of peak a dense convolution / GEMM reaches (assumed).</summary>
    public const double DenseEfficiency = 0.5;
    /// <summary>Share of peak of depthwise, pooling and element-wise work (low arithmetic intensity; assumed).</summary>
    public const double DepthwiseEfficiency = 0.15;
    /// <summary>Share of the nominal DRAM bandwidth a stream reaches (assumed).</summary>
    public const double BandwidthEfficiency = 0.6;
    /// <summary>Fixed cost per operator dispatch, in microseconds (assumed).</summary>
    public const double DispatchMicroseconds = 3.0;
    /// <summary>Per-network cost: session run, input and output copies, in microseconds (assumed).</summary>
    public const double NetworkMicroseconds = 20.0;

    private const double BytesPerValue = 4; // FP32

    /// <summary>MACs, bytes moved and whether the operator is dense.</summary>
    public readonly record struct Op(double Macs, double Bytes, bool Dense);

    /// <summary>The operators of one layer shape.</summary>
    public static IEnumerable<Op> Ops(LayerShape l)
    {
        double inAct = (double)l.InH * l.InW * l.InC, outAct = (double)l.OutH * l.OutW * l.OutC;
        switch (l.Kind)
        {
            case LayerKind.FirstConv:
            {
                double w = (double)l.OutC * l.InC * 9;
                yield return new Op(l.OutH * l.OutW * w, BytesPerValue * (inAct + outAct + w), true);
                break;
            }
            case LayerKind.Block:
            {
                double hw = (double)l.InH * l.InW, ohw = (double)l.OutH * l.OutW;
                if (l.Mid != l.InC) // an expand ratio > 1 has a 1x1 inverted bottleneck
                    yield return new Op(hw * l.InC * l.Mid, BytesPerValue * (inAct + hw * l.Mid + (double)l.InC * l.Mid), true);
                double dw = (double)l.Mid * l.Kernel * l.Kernel;
                yield return new Op(ohw * dw, BytesPerValue * (hw * l.Mid + ohw * l.Mid + dw), false);
                if (l.Se)
                {
                    int se = Channels.SqueezeExcite(l.Mid);
                    double fc = 2.0 * l.Mid * se;
                    yield return new Op(ohw * l.Mid, BytesPerValue * (ohw * l.Mid + l.Mid), false);     // mean over H, W
                    yield return new Op(fc, BytesPerValue * (fc + l.Mid + se), true);                  // reduce + expand
                    yield return new Op(ohw * l.Mid, BytesPerValue * (3 * ohw * l.Mid), false);       // scale
                }
                yield return new Op(ohw * l.Mid * l.OutC, BytesPerValue * (ohw * l.Mid + outAct + (double)l.Mid * l.OutC), true);
                if (l.IdSkip) yield return new Op(outAct, BytesPerValue * 3 * outAct, false);
                break;
            }
            case LayerKind.FinalExpand:
            case LayerKind.FeatureMix:
            case LayerKind.Classifier:
            {
                double w = (double)l.InC * l.OutC;
                yield return new Op(l.OutH * l.OutW * w, BytesPerValue * (inAct + outAct + w), true);
                break;
            }
            case LayerKind.Pool:
                yield return new Op(inAct, BytesPerValue * (inAct + l.OutC), false);
                break;
        }
    }

    public static double OpMilliseconds(Op op, DeviceConstants d)
    {
        double compute = op.Macs / (d.PeakMacsPerSecond * (op.Dense ? DenseEfficiency : DepthwiseEfficiency));
        double memory = op.Bytes / (d.MemoryBandwidthGBs * 1e9 * BandwidthEfficiency);
        return (Math.Max(compute, memory) + DispatchMicroseconds * 1e-6) * 1e3;
    }

    public static double LayerMilliseconds(LayerShape l, DeviceConstants d) => Ops(l).Sum(op => OpMilliseconds(op, d));

    /// <summary>An estimated table with an entry for every layer shape of <paramref name="space"/>.</summary>
    public static LatencyTable BuildTable(string device, SearchSpace space, DeviceConstants d)
    {
        var entries = NetworkShapes.All(space).Select(l => new KeyValuePair<string, LatencyEntry>(l.Key, new LatencyEntry(0, LayerMilliseconds(l, d), 0)));
        var info = new Dictionary<string, string>
        {
            ["model"] = "roofline: max(MACs / (peak x eff), bytes / (bandwidth x eff)) + dispatch, per operator",
            ["clock_ghz"] = d.ClockGHz.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["cores"] = d.Cores.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // The peak is all cores' (DeviceConstants.PeakMacsPerSecond): the estimate is for one thread per core.
            ["threads"] = d.Cores.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["fp32_fma_per_cycle"] = d.Fp32FmaPerCycle.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["memory_bandwidth_gbs"] = d.MemoryBandwidthGBs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["space"] = space.Name,
        };
        return new LatencyTable(device, LatencyTableKind.Estimated, $"catalog:{device} (estimated)", entries, NetworkMicroseconds * 1e-3, info);
    }
}
