// In namespace OfaBuild, beside the generated [OfaTarget] attribute that takes it: `Precision = OfaPrecision.Int8`.
namespace OfaBuild;

/// <summary>Numeric precision of a target's model, chosen at build time.</summary>
public enum OfaPrecision
{
    /// <summary>32-bit floating point: the exported subnet as is.</summary>
    Fp32,
    /// <summary>Static int8 (QDQ): weights symmetric per output channel, activations calibrated on the package's images.</summary>
    Int8,
}
