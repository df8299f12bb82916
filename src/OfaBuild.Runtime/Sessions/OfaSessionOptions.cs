using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace OfaBuild.Runtime;

/// <summary>
/// How the app wants its model run: <c>Create(target, options)</c> on the generated class. The defaults are the
/// protocol measured latency tables are made with (`ofa profile`: one intra-op thread, all graph optimisations, CPU).
/// </summary>
public sealed record OfaSessionOptions
{
    /// <summary>One intra-op thread, every graph optimisation, the CPU provider: the measured tables' protocol.</summary>
    public static OfaSessionOptions Default { get; } = new();

    /// <summary>
    /// ONNX Runtime's intra-op threads for one run (default 1, the measured tables' protocol). More threads split one
    /// sample's operators across cores: see the README on how that relates to the predicted latency.
    /// </summary>
    public int IntraOpThreads { get; init; } = 1;

    /// <summary>ONNX Runtime's graph optimisation level (default all, as tables are measured).</summary>
    public GraphOptimizationLevel GraphOptimization { get; init; } = GraphOptimizationLevel.ORT_ENABLE_ALL;

    /// <summary>
    /// Execution providers in order of preference before the CPU provider, which always runs what they do not take.
    /// A provider the platform's ONNX Runtime package lacks is an <see cref="OfaRuntimeException"/> when the session is made.
    /// </summary>
    public IReadOnlyList<OfaExecutionProvider> ExecutionProviders { get; init; } = [];

    /// <summary>ONNX Runtime's session options for these settings; the caller disposes them.</summary>
    /// <param name="describe">The model and target, for messages ("Net (target x64-avx2)").</param>
    public SessionOptions ToSessionOptions(string describe)
    {
        if (IntraOpThreads < 1)
            throw new OfaRuntimeException($"{describe}: IntraOpThreads is {IntraOpThreads}; use 1 (the latency tables' protocol) or more.");
        string[]? available = null;
        var options = new SessionOptions { IntraOpNumThreads = IntraOpThreads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimization };
        try
        {
            foreach (var provider in ExecutionProviders)
                provider.AppendTo(options, available ??= OrtEnv.Instance().GetAvailableProviders(), describe);
            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }
}

/// <summary>
/// An ONNX Runtime execution provider by the name ONNX Runtime's session options take ("XNNPACK", "NNAPI", "CoreML", "QNN"),
/// with that provider's options (its documented key/value pairs; for NNAPI, NnapiFlags names such as "USE_FP16" = "1").
/// </summary>
public sealed record OfaExecutionProvider(string Name, IReadOnlyDictionary<string, string>? Options = null)
{
    /// <summary>XNNPACK (Arm and x86 CPUs; in ONNX Runtime's Android and iOS packages). Its own thread pool: "intra_op_num_threads".</summary>
    public static OfaExecutionProvider Xnnpack(IReadOnlyDictionary<string, string>? options = null) => new("XNNPACK", options);
    /// <summary>Android's Neural Networks API (ONNX Runtime's Android package).</summary>
    public static OfaExecutionProvider Nnapi(IReadOnlyDictionary<string, string>? options = null) => new("NNAPI", options);
    /// <summary>Apple's Core ML (ONNX Runtime's iOS and macOS packages).</summary>
    public static OfaExecutionProvider CoreML(IReadOnlyDictionary<string, string>? options = null) => new("CoreML", options);
    /// <summary>Qualcomm's AI Engine Direct (ONNX Runtime's QNN package); e.g. "backend_path" = "libQnnHtp.so".</summary>
    public static OfaExecutionProvider Qnn(IReadOnlyDictionary<string, string>? options = null) => new("QNN", options);

    /// <summary>The names this type knows, with what <see cref="OrtEnv.GetAvailableProviders"/> calls each.</summary>
    private static readonly (string Name, string OrtName)[] Known =
    [
        ("XNNPACK", "XnnpackExecutionProvider"),
        ("NNAPI", "NnapiExecutionProvider"),
        ("CoreML", "CoreMLExecutionProvider"),
        ("QNN", "QNNExecutionProvider"),
    ];

    internal void AppendTo(SessionOptions options, IReadOnlyCollection<string> available, string describe)
    {
        var (name, ortName) = Array.Find(Known, k => string.Equals(k.Name, Name, StringComparison.OrdinalIgnoreCase));
        if (name is null)
            throw new OfaRuntimeException($"{describe}: execution provider '{Name}' is not one OfaBuild knows; use one of {string.Join(", ", Known.Select(k => k.Name))}.");
        if (!available.Contains(ortName))
            throw new OfaRuntimeException($"{describe}: execution provider {name} is not in this platform's ONNX Runtime ({RuntimeInformation.RuntimeIdentifier}), " +
                $"which has {string.Join(", ", available)}. Reference an ONNX Runtime package that ships it for this platform, or leave it out.");
        var settings = Options ?? new Dictionary<string, string>();
        try
        {
            if (name == "NNAPI")
                options.AppendExecutionProvider_Nnapi(NnapiFlags(settings, describe));
            else
                options.AppendExecutionProvider(name, settings.ToDictionary(p => p.Key, p => p.Value));
        }
        catch (OnnxRuntimeException ex)
        {
            throw new OfaRuntimeException($"{describe}: ONNX Runtime refused execution provider {name} with options {{{string.Join(", ", settings.Select(p => p.Key + "=" + p.Value))}}}: {ex.Message}", ex);
        }
    }

    private static NnapiFlags NnapiFlags(IReadOnlyDictionary<string, string> settings, string describe)
    {
        var flags = Microsoft.ML.OnnxRuntime.NnapiFlags.NNAPI_FLAG_USE_NONE;
        foreach (var (key, value) in settings)
        {
            if (!Enum.TryParse<NnapiFlags>("NNAPI_FLAG_" + key, ignoreCase: true, out var flag))
                throw new OfaRuntimeException($"{describe}: NNAPI option '{key}' is not an NNAPI flag; use one of {string.Join(", ", Enum.GetNames<NnapiFlags>().Select(n => n["NNAPI_FLAG_".Length..]))} = \"1\".");
            if (value is "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase)) flags |= flag;
        }
        return flags;
    }
}
