using Microsoft.ML.OnnxRuntime;

namespace OfaBuild.Core.Onnx;

/// <summary>
/// Runs an exported subnet (or any single-input float model) in ONNX Runtime: one session for its
/// lifetime, inputs wrapped over caller memory. Used for BN recalibration, profiling and tests.
/// </summary>
public sealed class OnnxModelRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string _input;

    /// <summary>
    /// The session options of every session OfaBuild runs itself (evaluation, BN recalibration, timing, profiling): the
    /// measured latency tables' protocol, as the app's default OfaSessionOptions (<paramref name="threads"/> intra-op
    /// threads, one inter-op, sequential, all graph optimisations). The caller disposes them.
    /// </summary>
    public static SessionOptions ProtocolOptions(int threads) => new()
    {
        IntraOpNumThreads = threads,
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
    };

    public OnnxModelRunner(byte[] model, int intraOpThreads = 1)
    {
        using var options = ProtocolOptions(intraOpThreads);
        try
        {
            _session = new InferenceSession(model, options);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new OfaException($"ONNX Runtime rejected the model: {ex.Message}", ex);
        }
        _input = _session.InputNames[0];
    }

    public IReadOnlyList<string> OutputNames => _session.OutputNames;

    /// <summary>Runs on an input of <paramref name="shape"/>; returns the requested outputs (all by default) by name.</summary>
    public Dictionary<string, float[]> Run(float[] input, long[] shape, IReadOnlyList<string>? outputs = null)
    {
        outputs ??= _session.OutputNames;
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var runOptions = new RunOptions();
        using var results = _session.Run(runOptions, [_input], [value], outputs);
        var map = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (int i = 0; i < outputs.Count; i++)
            map[outputs[i]] = results[i].GetTensorDataAsSpan<float>().ToArray();
        return map;
    }

    /// <summary>The first output (the logits of an exported subnet).</summary>
    public float[] RunFirst(float[] input, long[] shape) => Run(input, shape, [_session.OutputNames[0]]).Values.Single();

    public void Dispose() => _session.Dispose();
}
