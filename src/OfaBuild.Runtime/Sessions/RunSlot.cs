using Microsoft.ML.OnnxRuntime;

namespace OfaBuild.Runtime;

/// <summary>
/// Everything one single-sample run needs, made once: pinned input/output arrays, OrtValues over them and an
/// IoBinding that binds both. RunWithBinding is a single native call, so a run through a slot allocates nothing
/// on the managed heap (Run(RunOptions, names, values, ...) would allocate its name/handle arrays per call).
/// </summary>
internal sealed class RunSlot : IDisposable
{
    public float[] Input { get; }
    public float[] Output { get; }
    public OrtIoBinding Binding { get; }
    public RunOptions Options { get; } = new();
    private readonly OrtValue _input, _output;

    public RunSlot(InferenceSession session, OfaTargetInfo info)
    {
        var x = info.Input;
        Input = new float[info.InputLength];
        Output = new float[info.Labels.Count];
        _input = OrtValue.CreateTensorValueFromMemory(Input, [1, x.Channels, x.Resolution, x.Resolution]);
        _output = OrtValue.CreateTensorValueFromMemory(Output, [1, Output.Length]);
        Binding = session.CreateIoBinding();
        Binding.BindInput(x.Name, _input);
        Binding.BindOutput(x.OutputName, _output);
    }

    public void Dispose()
    {
        Binding.Dispose();
        _input.Dispose();
        _output.Dispose();
        Options.Dispose();
    }
}
