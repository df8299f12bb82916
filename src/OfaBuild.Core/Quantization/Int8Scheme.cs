namespace OfaBuild.Core.Quantization;

/// <summary>Which ops of a subnet compute in int8.</summary>
public enum Int8Scheme
{
    /// <summary>Every op: the fastest on ONNX Runtime's x64 CPU provider (README, "int8"), and the default.</summary>
    All,
    /// <summary>
    /// Depthwise convolutions stay FP32 (float weights, float input), everything else int8: for a runtime whose int8
    /// depthwise kernels are slow. On ORT's CPU provider each switch costs a layout change (int8 NHWC, FP32 NCHWc).
    /// </summary>
    FloatDepthwise,
}
