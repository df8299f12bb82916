using System.Globalization;
using OfaBuild.Contracts;

namespace OfaBuild.Runtime;

/// <summary>
/// One specialised subnet embedded in the app: what <c>ofa specialize</c> wrote in its target manifest.
/// The generated wrapper constructs these from the manifest's constants.
/// </summary>
public sealed record OfaTargetInfo
{
    /// <summary>Device name of the target (e.g. "cortex-a53").</summary>
    public required string Target { get; init; }
    /// <summary>Logical name of the embedded ONNX resource: <c>OfaBuild/&lt;Namespace.Class&gt;/&lt;target&gt;.onnx</c>.</summary>
    public required string ResourceName { get; init; }
    /// <summary>Runtime identifiers the target is meant for (e.g. "linux-arm64").</summary>
    public required IReadOnlyList<string> RuntimeIdentifiers { get; init; }
    /// <summary>Arm "CPU part" values (/proc/cpuinfo) that identify the device; any one matches.</summary>
    public IReadOnlyList<string> ArmCpuParts { get; init; } = [];
    /// <summary>x86 features the device has (lower case, e.g. "avx2"); all are required.</summary>
    public IReadOnlyList<string> X86Features { get; init; } = [];
    /// <summary>"measured" or "estimated": where the latency table came from.</summary>
    public required string TableKind { get; init; }
    /// <summary>The subnet configuration as JSON ({"ks":..,"e":..,"d":..,"r":..}).</summary>
    public required string ConfigJson { get; init; }
    public required double LatencyBudgetMs { get; init; }
    public double? MaxMFlops { get; init; }
    public required double PredictedLatencyMs { get; init; }
    /// <summary>Top-1 as a fraction, from the supernet's accuracy predictor (null when it has none).</summary>
    public double? PredictedAccuracy { get; init; }
    public required long Macs { get; init; }
    public required long Params { get; init; }
    public required OfaInputInfo Input { get; init; }
    public required IReadOnlyList<string> Labels { get; init; }
    /// <summary>Numeric precision of the embedded model.</summary>
    public OfaPrecision Precision { get; init; } = OfaPrecision.Fp32;
    /// <summary>
    /// Precision the latency table timed or estimated: <see cref="PredictedLatencyMs"/> is for this precision. An int8
    /// target gets the device's int8 table when it has one (estimated, or `ofa profile --precision int8`), else fp32's.
    /// </summary>
    public OfaPrecision LatencyTablePrecision { get; init; } = OfaPrecision.Fp32;
    /// <summary>Intra-op threads of the latency table's protocol (null: the table does not say). See the README on other thread counts.</summary>
    public int? LatencyTableThreads { get; init; }

    /// <summary>
    /// Median latency (ms) of the first calls on this device, to hold against <see cref="PredictedLatencyMs"/>: set on the
    /// <see cref="OfaModelSession.Info"/> of a session that has measured them (<see cref="LatencyMeter"/>), null before
    /// and on the build's constants. Far from the prediction means the device's latency table is off for this board.
    /// </summary>
    public double? MeasuredLatencyMs => Meter?.MeasuredLatencyMs;

    /// <summary>The measuring session's meter (set by <see cref="OfaModelSession"/>).</summary>
    internal LatencyMeter? Meter { get; init; }

    /// <summary>Floats per sample: channels x resolution x resolution.</summary>
    public int InputLength => Input.Channels * Input.Resolution * Input.Resolution;

    /// <summary>The target in one line, its predicted latency as the build printed it (<see cref="LatencyText"/>), under any locale.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Target} (r={Input.Resolution}, {Macs / 1e6:0.##} MMACs, predicted {LatencyText.Ms(PredictedLatencyMs)} of {LatencyText.Budget(LatencyBudgetMs)}, {TableKind} table{(LatencyTableThreads is int n ? $", {n} thread(s)" : "")}, {(Precision == OfaPrecision.Int8 ? "int8" : "fp32")})");
}

/// <summary>
/// The model input: [batch, Channels, Resolution, Resolution] floats normalised per channel as
/// (pixel / PixelScale - Mean[c]) / Std[c]; the output <see cref="OutputName"/> is [batch, labels].
/// </summary>
public sealed record OfaInputInfo
{
    public string Name { get; init; } = "input";
    public required int Channels { get; init; }
    public required int Resolution { get; init; }
    public required IReadOnlyList<double> Mean { get; init; }
    public required IReadOnlyList<double> Std { get; init; }
    public double PixelScale { get; init; } = 255.0;
    /// <summary>Fraction of the image kept around the centre before resizing (0.875: the reference's evaluation crop; 1: the whole image).</summary>
    public double CenterCrop { get; init; } = 1.0;
    public string OutputName { get; init; } = "logits";

    /// <summary>
    /// One image's pixels [channels, height, width] (any size) to this input: the centre square of its shorter side (as
    /// training's decoder keeps), centre-cropped by <see cref="CenterCrop"/>, resized to <see cref="Resolution"/> (antialiased
    /// when shrinking over 2x) and normalised, written into <paramref name="destination"/> (length Channels * R * R).
    /// </summary>
    public void Prepare(ReadOnlySpan<byte> pixels, int height, int width, Span<float> destination) =>
        ImageInput.Prepare(pixels, 1, Channels, height, width, Resolution, Mean, Std, destination, PixelScale, CenterCrop);

    /// <summary>
    /// One image's interleaved pixels as a decoder gives them (<paramref name="format"/>: SkiaSharp's Bgra8888 is
    /// <see cref="OfaPixelFormat.Bgra32"/>), rows packed, to this input: turned into the model's <see cref="Channels"/> as
    /// training turned its images (colour to grey by ITU-R 601 luma, grey repeated into colour, alpha ignored), then
    /// prepared as the planar overload does. Reads the pixels in place; allocates nothing.
    /// </summary>
    public void Prepare(ReadOnlySpan<byte> pixels, int height, int width, OfaPixelFormat format, Span<float> destination) =>
        Prepare(pixels, height, width, width * PixelLayout.BytesPerPixel(format), format, destination);

    /// <summary>
    /// As <see cref="Prepare(ReadOnlySpan{byte}, int, int, OfaPixelFormat, Span{float})"/>, rows <paramref name="rowBytes"/>
    /// apart: a decoder's stride, which may exceed width x bytes per pixel (SKBitmap.RowBytes, System.Drawing's
    /// BitmapData.Stride, padded to 4 bytes). The last row's padding may be left out of <paramref name="pixels"/>.
    /// </summary>
    public void Prepare(ReadOnlySpan<byte> pixels, int height, int width, int rowBytes, OfaPixelFormat format, Span<float> destination) =>
        ImageInput.Prepare(pixels, height, width, rowBytes, format, Channels, Resolution, Mean, Std, destination, PixelScale, CenterCrop);
}
