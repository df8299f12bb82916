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
    IReadOnlyDictionary<string, string> Sources)
{
    /// <summary>Peak multiply-accumulates per second of all cores.</summary>
    public double PeakMacsPerSecond => ClockGHz * 1e9 * Cores * Fp32FmaPerCycle;
}
