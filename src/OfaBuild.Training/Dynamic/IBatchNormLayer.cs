using TorchSharp.Modules;

namespace OfaBuild.Training.Dynamic;

/// <summary>A layer holding a BatchNorm2d whose statistics BN recalibration may collect and overwrite.</summary>
internal interface IBatchNormLayer
{
    BatchNorm2d Bn { get; }
    BnStatistics? Recalibration { get; set; }
}
