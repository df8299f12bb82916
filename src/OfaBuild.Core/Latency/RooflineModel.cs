using OfaBuild.Contracts;
using OfaBuild.Core.Devices;

namespace OfaBuild.Core.Latency;

/// <summary>
/// The estimate behind "estimated" latency tables: a roofline per operator. Each layer is split into the
/// operators ONNX Runtime runs (1x1 expand, depthwise kxk, squeeze-excite, 1x1 project, residual add, ...);
/// an operator takes max(MACs / (peak MAC/s x efficiency), bytes moved / (bandwidth x efficiency)) plus a
/// fixed dispatch cost. Bytes are activations read and written plus weights, each once: 4 bytes a value in FP32,
/// 1 in int8, where the peak is also scaled by the device's <see cref="Int8Throughput"/> (dense or depthwise).
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

    /// <summary>MACs, bytes moved and whether the operator is dense.</summary>
    public readonly record struct Op(double Macs, double Bytes, bool Dense);

    /// <summary>The operators of one layer shape, with values of <paramref name="bytesPerValue"/> bytes (4: FP32, 1: int8).</summary>
    public static IEnumerable<Op> Ops(LayerShape l, double bytesPerValue = 4)
    {
        double inAct = (double)l.InH * l.InW * l.InC, outAct = (double)l.OutH * l.OutW * l.OutC;
        switch (l.Kind)
        {
            case LayerKind.FirstConv:
            {
                double w = (double)l.OutC * l.InC * 9;
                yield return new Op(l.OutH * l.OutW * w, bytesPerValue * (inAct + outAct + w), true);
                break;
            }
            case LayerKind.Block:
            {
                double hw = (double)l.InH * l.InW, ohw = (double)l.OutH * l.OutW;
                if (l.Mid != l.InC) // an expand ratio > 1 has a 1x1 inverted bottleneck
                    yield return new Op(hw * l.InC * l.Mid, bytesPerValue * (inAct + hw * l.Mid + (double)l.InC * l.Mid), true);
                double dw = (double)l.Mid * l.Kernel * l.Kernel;
                yield return new Op(ohw * dw, bytesPerValue * (hw * l.Mid + ohw * l.Mid + dw), false);
                if (l.Se)
                {
                    int se = Channels.SqueezeExcite(l.Mid);
                    double fc = 2.0 * l.Mid * se;
                    yield return new Op(ohw * l.Mid, bytesPerValue * (ohw * l.Mid + l.Mid), false);     // mean over H, W
                    yield return new Op(fc, bytesPerValue * (fc + l.Mid + se), true);                  // reduce + expand
                    yield return new Op(ohw * l.Mid, bytesPerValue * (3 * ohw * l.Mid), false);       // scale
                }
                yield return new Op(ohw * l.Mid * l.OutC, bytesPerValue * (ohw * l.Mid + outAct + (double)l.Mid * l.OutC), true);
                if (l.IdSkip) yield return new Op(outAct, bytesPerValue * 3 * outAct, false);
                break;
            }
            case LayerKind.FinalExpand:
            case LayerKind.FeatureMix:
            case LayerKind.Classifier:
            {
                double w = (double)l.InC * l.OutC;
                yield return new Op(l.OutH * l.OutW * w, bytesPerValue * (inAct + outAct + w), true);
                break;
            }
            case LayerKind.Pool:
                yield return new Op(inAct, bytesPerValue * (inAct + l.OutC), false);
                break;
        }
    }

    public static double OpMilliseconds(Op op, DeviceConstants d, Int8Throughput? int8 = null)
    {
        double speedup = int8 is null ? 1 : op.Dense ? int8.Dense : int8.Depthwise;
        double compute = op.Macs / (d.PeakMacsPerSecond * speedup * (op.Dense ? DenseEfficiency : DepthwiseEfficiency));
        double memory = op.Bytes / (d.MemoryBandwidthGBs * 1e9 * BandwidthEfficiency);
        return (Math.Max(compute, memory) + DispatchMicroseconds * 1e-6) * 1e3;
    }

    /// <summary>Estimated ms of one layer; <paramref name="int8"/> given: in int8 at that throughput.</summary>
    public static double LayerMilliseconds(LayerShape l, DeviceConstants d, Int8Throughput? int8 = null) =>
        Ops(l, int8 is null ? 4 : 1).Sum(op => OpMilliseconds(op, d, int8));

    /// <summary>
    /// An estimated table with an entry for every layer shape of <paramref name="space"/>, in <paramref name="precision"/>;
    /// int8 needs the device's <see cref="DeviceConstants.Int8"/> (null otherwise: no int8 estimate).
    /// </summary>
    public static LatencyTable? BuildTable(string device, SearchSpace space, DeviceConstants d, string precision = Precisions.Fp32)
    {
        var int8 = precision == Precisions.Int8 ? d.Int8 : null;
        if (precision == Precisions.Int8 && int8 is null) return null;
        var entries = NetworkShapes.All(space).Select(l => new KeyValuePair<string, LatencyEntry>(l.Key, new LatencyEntry(0, LayerMilliseconds(l, d, int8), 0)));
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
        if (int8 is not null)
        {
            info["int8_dense_speedup"] = int8.Dense.ToString(System.Globalization.CultureInfo.InvariantCulture);
            info["int8_depthwise_speedup"] = int8.Depthwise.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return new LatencyTable(device, LatencyTableKind.Estimated, $"catalog:{device} (estimated{(int8 is null ? "" : ", int8")})", entries,
            NetworkMicroseconds * 1e-3, info, precision: precision);
    }
}
