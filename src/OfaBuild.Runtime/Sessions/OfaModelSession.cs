using System.Reflection;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace OfaBuild.Runtime;

/// <summary>
/// One target's ONNX Runtime session, created on first use from the model bytes (normally the embedded resource).
/// All Run methods are thread-safe: ORT allows concurrent Run on one session, and each concurrent
/// single-sample run takes its own <see cref="RunSlot"/>. Create one per target and keep it (like HttpClient).
/// </summary>
public sealed class OfaModelSession : IDisposable
{
    private readonly Lazy<InferenceSession> _session;
    private readonly RunSlot?[] _freeSlots;
    private readonly string[] _inputNames, _outputNames;
    private readonly SessionOptions? _ownedOptions;
    private bool _disposed;

    /// <param name="model">The model class name, for messages.</param>
    /// <param name="loadModel">Returns the ONNX bytes; called once, on first use.</param>
    /// <param name="options">Session options (owned by the caller); null for ORT's defaults.</param>
    /// <param name="clock">Times each run (<see cref="Latency"/>); null for the system clock. Tests inject a fake.</param>
    public OfaModelSession(string model, OfaTargetInfo info, Func<byte[]> loadModel, SessionOptions? options = null, TimeProvider? clock = null)
        : this(model, info, loadModel, options, null, clock)
    {
    }

    /// <summary>A session with the app's settings; a provider the platform lacks throws here, not on the first prediction.</summary>
    public static OfaModelSession Create(string model, OfaTargetInfo info, Func<byte[]> loadModel, OfaSessionOptions options, TimeProvider? clock = null) =>
        new(model, info, loadModel, null, options ?? throw new ArgumentNullException(nameof(options)), clock);

    private OfaModelSession(string model, OfaTargetInfo info, Func<byte[]> loadModel, SessionOptions? options, OfaSessionOptions? appOptions, TimeProvider? clock)
    {
        Model = model;
        Clock = clock ?? TimeProvider.System;
        Latency = new LatencyMeter(Clock.TimestampFrequency);
        Info = info with { Meter = Latency };
        if (info.Labels.Count == 0)
            throw new OfaRuntimeException($"{model} (target {info.Target}): the target has no labels; re-run `ofa specialize` to rewrite its manifest.");
        _inputNames = [info.Input.Name];
        _outputNames = [info.Input.OutputName];
        _freeSlots = new RunSlot?[Math.Max(1, Environment.ProcessorCount)];
        _ownedOptions = appOptions?.ToSessionOptions(Describe);
        _session = new Lazy<InferenceSession>(() => Open(loadModel(), options ?? _ownedOptions), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>A session over the ONNX file embedded in <paramref name="assembly"/> as <see cref="OfaTargetInfo.ResourceName"/>.</summary>
    public static OfaModelSession FromResource(Assembly assembly, string model, OfaTargetInfo info, SessionOptions? options = null) =>
        new(model, info, () => ReadResource(assembly, model, info), options);

    /// <summary>A session over the embedded ONNX file with the app's settings (see <see cref="Create"/>).</summary>
    public static OfaModelSession FromResource(Assembly assembly, string model, OfaTargetInfo info, OfaSessionOptions options) =>
        Create(model, info, () => ReadResource(assembly, model, info), options);

    public string Model { get; }
    /// <summary>The target this session runs, with this session's <see cref="OfaTargetInfo.MeasuredLatencyMs"/>.</summary>
    public OfaTargetInfo Info { get; }
    /// <summary>Floats per sample (channels x resolution x resolution).</summary>
    public int InputLength => Info.InputLength;
    /// <summary>Scores per sample (one per label).</summary>
    public int OutputLength => Info.Labels.Count;

    /// <summary>The clock that times each run.</summary>
    public TimeProvider Clock { get; }
    /// <summary>Measured latency of this session's first single-sample runs on this device (see <see cref="LatencyMeter"/>).</summary>
    public LatencyMeter Latency { get; }
    /// <summary>Median latency of the first runs after warm-up, in ms, to compare with <see cref="OfaTargetInfo.PredictedLatencyMs"/>; null until measured.</summary>
    public double? MeasuredLatencyMs => Latency.MeasuredLatencyMs;

    /// <summary>Forces the session to be created now (otherwise on the first run).</summary>
    public void Load() => _ = Session;

    /// <summary>Runs one sample, writing the logits into <paramref name="output"/>. Allocates nothing after the first call on a thread.</summary>
    public void Run(ReadOnlySpan<float> input, Span<float> output) => RunTimed(input, output);

    /// <summary>Runs one sample like <see cref="Run(ReadOnlySpan{float}, Span{float})"/> and returns its elapsed time in <see cref="Clock"/> ticks.</summary>
    public long RunTimed(ReadOnlySpan<float> input, Span<float> output)
    {
        CheckInput(input.Length, 1, nameof(input));
        CheckOutput(output.Length, 1, nameof(output));
        return RunChecked(input, output);
    }

    /// <summary>One timed run of buffers the caller has checked (each public entry, here and in AdaptiveSession, checks under its own parameter names).</summary>
    internal long RunChecked(ReadOnlySpan<float> input, Span<float> output)
    {
        var session = Session;
        long start = Clock.GetTimestamp();
        var slot = RentSlot() ?? new RunSlot(session, Info);
        try
        {
            input.CopyTo(slot.Input);
            session.RunWithBinding(slot.Options, slot.Binding);
            slot.Output.AsSpan().CopyTo(output);
        }
        finally
        {
            ReturnSlot(slot);
        }
        long elapsed = Clock.GetTimestamp() - start;
        Latency.Record(elapsed);
        return elapsed;
    }

    /// <summary>Runs one sample and returns its logits in a new array.</summary>
    public float[] Run(ReadOnlySpan<float> input)
    {
        var output = new float[OutputLength];
        Run(input, output);
        return output;
    }

    /// <summary>Classifies one sample into <paramref name="scores"/> (softmax, one per label); returns the label index. Allocates nothing.</summary>
    public int Predict(ReadOnlySpan<float> input, Span<float> scores)
    {
        CheckInput(input.Length, 1, nameof(input));
        CheckOutput(scores.Length, 1, nameof(scores));
        RunChecked(input, scores);
        return OfaScores.SoftmaxInPlace(scores[..OutputLength]);
    }

    /// <summary>Classifies <paramref name="count"/> samples in one run: scores (labels per sample) and label indices.</summary>
    public void Predict(ReadOnlySpan<float> inputs, int count, Span<float> scores, Span<int> labels)
    {
        CheckCount(count);
        CheckInput(inputs.Length, count, nameof(inputs));
        CheckLabels(labels.Length, count, nameof(labels));
        CheckOutput(scores.Length, count, nameof(scores));
        RunBatchChecked(inputs, count, scores);
        OfaScores.SoftmaxInPlace(scores, count, OutputLength, labels);
    }

    /// <summary>
    /// Runs <paramref name="count"/> samples laid out one after another in <paramref name="inputs"/>, in one ORT call,
    /// with OrtValues over the caller's pinned memory (no copies; a few small objects per call for the OrtValues).
    /// </summary>
    public void RunBatch(ReadOnlySpan<float> inputs, int count, Span<float> outputs)
    {
        CheckCount(count);
        CheckInput(inputs.Length, count, nameof(inputs));
        CheckOutput(outputs.Length, count, nameof(outputs));
        RunBatchChecked(inputs, count, outputs);
    }

    internal unsafe void RunBatchChecked(ReadOnlySpan<float> inputs, int count, Span<float> outputs)
    {
        var session = Session;
        var x = Info.Input;
        fixed (float* pIn = inputs)
        fixed (float* pOut = outputs)
        {
            using var input = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, TensorElementType.Float,
                [count, x.Channels, x.Resolution, x.Resolution], (IntPtr)pIn, (long)count * InputLength * sizeof(float));
            using var output = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, TensorElementType.Float,
                [count, OutputLength], (IntPtr)pOut, (long)count * OutputLength * sizeof(float));
            session.Run(null!, _inputNames, [input], _outputNames, [output]);
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        for (int i = 0; i < _freeSlots.Length; i++) Interlocked.Exchange(ref _freeSlots[i], null)?.Dispose();
        if (_session.IsValueCreated) _session.Value.Dispose();
        _ownedOptions?.Dispose();
    }

    private string Describe => $"{Model} (target {Info.Target})";

    private InferenceSession Session
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _session.Value;
        }
    }

    private InferenceSession Open(byte[] bytes, SessionOptions? options)
    {
        // Default: one intra-op thread, the protocol the latency tables are measured with; batch-1 inference of
        // these small models gains nothing from more, and concurrent callers already use the other cores.
        using var defaults = options is null ? OfaSessionOptions.Default.ToSessionOptions(Describe) : null;
        InferenceSession session;
        try
        {
            session = new InferenceSession(bytes, options ?? defaults!);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new OfaRuntimeException($"{Describe}: ONNX Runtime cannot load the embedded model '{Info.ResourceName}' ({bytes.Length} bytes): {ex.Message} The file the build embedded is damaged; {Respecialise}.", ex);
        }
        try
        {
            CheckSignature(session);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    // A no-op build embeds obj/.../ofa's outputs as they are (its check compares the inputs), so a damaged or foreign
    // output stays until a clean build: the fix for every fault of an embedded model.
    private const string Respecialise = "rebuild with `dotnet build --no-incremental` (its Clean deletes obj/.../ofa, so every target is specialised again)";

    // The manifest and the ONNX file come from the same `ofa specialize` run; a mismatch means a stale or foreign resource.
    private void CheckSignature(InferenceSession session)
    {
        var x = Info.Input;
        if (!session.InputMetadata.TryGetValue(x.Name, out var inMeta))
            throw new OfaRuntimeException($"{Describe}: the embedded model has no input '{x.Name}' (it has {string.Join(", ", session.InputNames)}); {Respecialise}.");
        if (!session.OutputMetadata.TryGetValue(x.OutputName, out var outMeta))
            throw new OfaRuntimeException($"{Describe}: the embedded model has no output '{x.OutputName}' (it has {string.Join(", ", session.OutputNames)}); {Respecialise}.");
        int[] want = [-1, x.Channels, x.Resolution, x.Resolution];
        if (!ShapeFits(inMeta.Dimensions, want))
            throw new OfaRuntimeException($"{Describe}: the embedded model's input is [{string.Join(", ", inMeta.Dimensions)}], the manifest says [batch, {x.Channels}, {x.Resolution}, {x.Resolution}]; {Respecialise}.");
        if (!ShapeFits(outMeta.Dimensions, [-1, OutputLength]))
            throw new OfaRuntimeException($"{Describe}: the embedded model's output is [{string.Join(", ", outMeta.Dimensions)}], the manifest has {OutputLength} labels; {Respecialise}.");
    }

    private static bool ShapeFits(int[] actual, int[] expected) =>
        actual.Length == expected.Length && actual.Zip(expected).All(p => p.Second < 0 || p.First < 0 || p.First == p.Second);

    private static byte[] ReadResource(Assembly assembly, string model, OfaTargetInfo info)
    {
        using var stream = assembly.GetManifestResourceStream(info.ResourceName);
        if (stream is null)
        {
            // "OfaBuild/" is Contracts' EmbeddedModelNames.Prefix (the app-facing runtime does not reference Contracts).
            var present = assembly.GetManifestResourceNames().Where(n => n.StartsWith("OfaBuild/", StringComparison.Ordinal)).ToList();
            throw new OfaRuntimeException(
                $"{model} (target {info.Target}): resource '{info.ResourceName}' is not embedded in {assembly.GetName().Name}" +
                (present.Count > 0 ? $" (it has {string.Join(", ", present)})" : " (it has no OfaBuild resources)") +
                "; rebuild the project so the OfaBuild build step embeds the specialised model.");
        }
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Throws unless a batch has at least one sample.</summary>
    internal void CheckCount(int count)
    {
        if (count <= 0)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"{Describe}: count must be at least 1.");
    }

    /// <summary>
    /// Throws unless a buffer of <paramref name="length"/> floats is exactly <paramref name="count"/> samples of this input;
    /// <paramref name="name"/> is the caller's parameter, <paramref name="whose"/> says whose input the shape is.
    /// </summary>
    internal void CheckInput(int length, int count, string name, string whose = "channels x resolution x resolution")
    {
        long want = (long)count * InputLength;
        if (length != want)
        {
            var x = Info.Input;
            string per = $"{InputLength} = {x.Channels} x {x.Resolution} x {x.Resolution} ({whose})";
            throw new ArgumentException(count == 1
                ? $"{Describe}: {name} has {length} floats; one sample is {per}."
                : $"{Describe}: {name} has {length} floats; {count} samples need {want}, {per} each.", name);
        }
    }

    /// <summary>Throws when a buffer of <paramref name="length"/> floats cannot hold <paramref name="count"/> samples' scores; <paramref name="name"/> is the caller's parameter.</summary>
    internal void CheckOutput(int length, int count, string name)
    {
        long want = (long)count * OutputLength;
        if (length < want)
            throw new ArgumentException($"{Describe}: {name} has room for {length} floats; {count} sample(s) need {want} ({OutputLength} labels each).", name);
    }

    /// <summary>Throws when a buffer of <paramref name="length"/> label indices cannot hold one per sample; <paramref name="name"/> is the caller's parameter.</summary>
    internal void CheckLabels(int length, int count, string name)
    {
        if (length < count)
            throw new ArgumentException($"{Describe}: {name} has room for {length} indices; {count} samples need {count}.", name);
    }

    private RunSlot? RentSlot()
    {
        for (int i = 0; i < _freeSlots.Length; i++)
            if (Interlocked.Exchange(ref _freeSlots[i], null) is { } slot) return slot;
        return null;
    }

    private void ReturnSlot(RunSlot slot)
    {
        if (!_disposed)
            for (int i = 0; i < _freeSlots.Length; i++)
                if (Interlocked.CompareExchange(ref _freeSlots[i], slot, null) is null) return;
        slot.Dispose(); // more concurrent runs than processors: the extra slot is not kept
    }
}
