namespace OfaBuild.Core.Space;

/// <summary>One stage of elastic inverted-residual blocks: output width, stride of its first block, activation, squeeze-excite.</summary>
public sealed record StageSpec(int Width, int Stride, Activation Activation, bool UseSe);
