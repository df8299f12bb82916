using Microsoft.ML.OnnxRuntime;

namespace OfaBuild.Core.Quantization;

/// <summary>
/// The graph ONNX Runtime's CPU provider actually runs (SessionOptions.OptimizedModelFilePath, all
/// optimisations): shows which QDQ groups became int8 kernels (QLinearConv, QGemm, ...).
/// </summary>
public static class OptimizedGraph
{
    /// <summary>How many nodes of each op type the optimised graph holds.</summary>
    public static SortedDictionary<string, int> OpTypes(byte[] model)
    {
        var path = Path.Combine(Path.GetTempPath(), $"ofa-optimized-{Guid.NewGuid():N}.onnx");
        try
        {
            // Errors only: ORT warns that a saved ALL-level graph is hardware-specific, which a user reads as said of the int8 file written.
            using (var options = new SessionOptions
            {
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, OptimizedModelFilePath = path, IntraOpNumThreads = 1,
                LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
            })
            using (new InferenceSession(model, options)) { }
            var optimized = OnnxModel.Read(File.ReadAllBytes(path), path);
            return new SortedDictionary<string, int>(optimized.Nodes.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count()), StringComparer.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Ops that compute in integers (ONNX Runtime's QLinear*, QGemm, and their NHWC variants).</summary>
    public static bool IsInt8Kernel(string opType) => opType.Contains("QLinear", StringComparison.Ordinal) || opType == "QGemm";
}
