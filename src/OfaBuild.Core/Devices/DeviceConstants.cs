using OfaBuild.Core.Latency;

namespace OfaBuild.Core.Devices;

/// <summary>
/// Documented hardware figures an estimated latency table is computed from (see <see cref="RooflineModel"/>).
/// <see cref="Sources"/> says where each number comes from; the catalog files carry them.
/// </summary>
public sealed record DeviceConstants(
    double ClockGHz,
    int Cores,
    /// <summary>FP32 fused multiply-adds one core completes per cycle (SIMD lanes x FMA pipes).</summary>
    double Fp32FmaPerCycle,
    double MemoryBandwidthGBs,
    IReadOnlyDictionary<string, string> Sources,
    /// <summary>int8 multiply-accumulate throughput relative to FP32, per op kind; null: the device has no int8 estimate.</summary>
    Int8Throughput? Int8 = null)
{
    /// <summary>Peak multiply-accumulates per second of all cores.</summary>
    public double PeakMacsPerSecond => ClockGHz * 1e9 * Cores * Fp32FmaPerCycle;
}

/// <summary>
/// How many int8 multiply-accumulates a core completes per FP32 one: <see cref="Dense"/> for convolutions and GEMMs
/// that reduce over channels (where dot-product instructions help), <see cref="Depthwise"/> for depthwise and
/// element-wise work (where they do not).
/// </summary>
public sealed record Int8Throughput(double Dense, double Depthwise);
