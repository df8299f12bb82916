using System.Security.Cryptography;
using OfaBuild.Core.IO;
using OfaBuild.Core.Tensors;

namespace OfaBuild.Core.Packaging;

/// <summary>
/// A <c>.ofa</c> package: one zip holding manifest.json, weights.safetensors (the supernet, named
/// as in <see cref="SupernetLayout"/>), and optionally predictor.safetensors (accuracy predictor)
/// and calibration.safetensors (<c>images</c> U8 [N, C, H, W], <c>labels</c> I64 [N]).
/// Reading validates all of it; writing refuses what reading would refuse.
/// </summary>
public sealed class OfaPackage
{
    public const string CalibrationImages = "images";
    public const string CalibrationLabels = "labels";

    public OfaManifest Manifest { get; }
    public TensorSet Weights { get; }
    public TensorSet? Predictor { get; }
    public TensorSet? Calibration { get; }

    public OfaPackage(OfaManifest manifest, TensorSet weights, TensorSet? predictor = null, TensorSet? calibration = null)
    {
        Manifest = manifest ?? throw new ArgumentNullException(nameof(manifest));
        Weights = weights ?? throw new ArgumentNullException(nameof(weights));
        Predictor = predictor;
        Calibration = calibration;
    }

    public static OfaPackage Read(string path)
    {
        using var stream = OpenForRead(path);
        return Read(stream, path);
    }

    public static OfaPackage Read(Stream stream, string source)
    {
        long? length = stream.CanSeek ? stream.Length : null;
        using var zip = PackageArchive.Open(stream, source);
        var entries = PackageArchive.Index(zip, source);
        var manifest = ReadManifest(entries, source, length);

        TensorSet? Tensors(string entry) =>
            entries.TryGetValue(entry, out var e)
                ? SafeTensors.Read(PackageArchive.ReadEntry(e, source, length), $"{source} [{entry}]")
                : null;

        var weights = Tensors(PackageArchive.WeightsEntry)!;
        var package = new OfaPackage(manifest, weights, Tensors(PackageArchive.PredictorEntry), Tensors(PackageArchive.CalibrationEntry));
        package.Validate(source);
        return package;
    }

    /// <summary>
    /// Reads only manifest.json and predictor.safetensors (checked as <see cref="Read(string)"/> checks them): all a
    /// search needs, without the supernet's weights.
    /// </summary>
    public static (OfaManifest Manifest, TensorSet? Predictor) ReadForSearch(string path)
    {
        using var stream = OpenForRead(path);
        using var zip = PackageArchive.Open(stream, path);
        var entries = PackageArchive.Index(zip, path);
        var manifest = ReadManifest(entries, path, stream.Length);
        TensorSet? predictor = entries.TryGetValue(PackageArchive.PredictorEntry, out var e)
            ? SafeTensors.Read(PackageArchive.ReadEntry(e, path, stream.Length), $"{path} [{PackageArchive.PredictorEntry}]")
            : null;
        if ((manifest.Predictor is null) != (predictor is null))
            throw new OfaFormatException($"{path}: manifest.json and {PackageArchive.PredictorEntry} disagree on whether the package has a predictor; the package is damaged.");
        if (predictor is not null) CheckPredictor(predictor);
        return (manifest, predictor);
    }

    /// <summary>Reads and validates only manifest.json (no tensors), for cheap stale checks.</summary>
    public static OfaManifest ReadManifest(string path)
    {
        using var stream = OpenForRead(path);
        using var zip = PackageArchive.Open(stream, path);
        return ReadManifest(PackageArchive.Index(zip, path), path, stream.Length);
    }

    private static OfaManifest ReadManifest(Dictionary<string, System.IO.Compression.ZipArchiveEntry> entries, string source, long? fileLength)
    {
        if (!entries.TryGetValue(PackageArchive.ManifestEntry, out var m))
            throw new OfaFormatException($"{source}: the package has no {PackageArchive.ManifestEntry}; it is damaged or not a .ofa package.");
        if (!entries.ContainsKey(PackageArchive.WeightsEntry))
            throw new OfaFormatException($"{source}: the package has no {PackageArchive.WeightsEntry}; it is damaged or was not written completely.");
        return OfaManifest.FromJson(PackageArchive.ReadEntry(m, source, fileLength), source);
    }

    /// <summary>
    /// Checks the manifest and that the tensors are what it describes: the supernet of its space
    /// (every tensor present, F32, right shape, finite), and predictor/calibration sections present
    /// exactly when their tensors are.
    /// </summary>
    public void Validate(string source)
    {
        Manifest.Validate(source);
        var space = Manifest.Space;
        SupernetLayout.Check(space, Weights);

        if ((Manifest.Predictor is null) != (Predictor is null))
            throw new OfaFormatException(Manifest.Predictor is null
                ? $"{source}: the package holds {PackageArchive.PredictorEntry} but manifest.json has no predictor section."
                : $"{source}: manifest.json describes a predictor but the package has no {PackageArchive.PredictorEntry}.");
        if (Predictor is not null)
            CheckPredictor(Predictor);

        if ((Manifest.Calibration is null) != (Calibration is null))
            throw new OfaFormatException(Manifest.Calibration is null
                ? $"{source}: the package holds {PackageArchive.CalibrationEntry} but manifest.json has no calibration section."
                : $"{source}: manifest.json describes calibration images but the package has no {PackageArchive.CalibrationEntry}.");
        if (Calibration is not null)
            CheckCalibration(space, Manifest.Calibration!, Calibration);
    }

    private static void CheckPredictor(TensorSet predictor)
    {
        if (predictor.Count == 0)
            throw new OfaFormatException($"{predictor.Source}: the predictor has no tensors.");
        foreach (var (name, t) in predictor.Items)
        {
            if (t.DType != DType.F32)
                throw new OfaFormatException($"{predictor.Source}: predictor tensor '{name}' is {t.DType.Name()}; expected F32.");
            int bad = Array.FindIndex(t.F32, v => !float.IsFinite(v));
            if (bad >= 0)
                throw new OfaFormatException($"{predictor.Source}: predictor tensor '{name}' holds {t.F32[bad]} at element {bad}; weights must be finite.");
        }
    }

    private static void CheckCalibration(SearchSpace space, CalibrationInfo info, TensorSet set)
    {
        string src = set.Source;
        foreach (var name in set.Names)
            if (name is not (CalibrationImages or CalibrationLabels))
                throw new OfaFormatException($"{src}: unexpected tensor '{name}'; calibration holds only '{CalibrationImages}' and '{CalibrationLabels}'.");
        if (!set.TryGet(CalibrationImages, out var images))
            throw new OfaFormatException($"{src}: tensor '{CalibrationImages}' is missing; expected U8 [N, {space.InputChannels}, H, W].");
        if (!set.TryGet(CalibrationLabels, out var labels))
            throw new OfaFormatException($"{src}: tensor '{CalibrationLabels}' is missing; expected I64 [N].");
        if (images.DType != DType.U8 || images.Shape.Length != 4)
            throw new OfaFormatException($"{src}: tensor '{CalibrationImages}' is {images.DType.Name()} {images.ShapeText}; expected U8 [N, C, H, W].");
        var (n, c, h, w) = (images.Shape[0], images.Shape[1], images.Shape[2], images.Shape[3]);
        if (c != space.InputChannels)
            throw new OfaFormatException($"{src}: tensor '{CalibrationImages}' has {c} channels {images.ShapeText}; space '{space.Name}' takes {space.InputChannels}.");
        if (h < 1 || w < 1)
            throw new OfaFormatException($"{src}: tensor '{CalibrationImages}' has empty images {images.ShapeText}.");
        if (n != info.Count)
            throw new OfaFormatException($"{src}: tensor '{CalibrationImages}' holds {n} images but manifest.json calibration.count says {info.Count}.");
        if (labels.DType != DType.I64 || !labels.ShapeEquals([n]))
            throw new OfaFormatException($"{src}: tensor '{CalibrationLabels}' is {labels.DType.Name()} {labels.ShapeText}; expected I64 [{n}].");
        var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(labels.Bytes);
        for (int i = 0; i < values.Length; i++)
            if (values[i] < 0 || values[i] >= space.NumClasses)
                throw new OfaFormatException($"{src}: tensor '{CalibrationLabels}' holds class {values[i]} at element {i}; classes are 0..{space.NumClasses - 1}.");
    }

    /// <summary>
    /// The package file's bytes: entries manifest, weights, predictor, calibration in that order,
    /// fixed time stamps, deterministic JSON and safetensors. Validates first.
    /// </summary>
    public byte[] ToBytes() => ToBytes("new .ofa package");

    private byte[] ToBytes(string source)
    {
        Validate(source);
        var entries = new List<(string, byte[])>
        {
            (PackageArchive.ManifestEntry, Manifest.ToJsonBytes()),
            (PackageArchive.WeightsEntry, SafeTensors.Write(Weights)),
        };
        if (Predictor is not null) entries.Add((PackageArchive.PredictorEntry, SafeTensors.Write(Predictor)));
        if (Calibration is not null) entries.Add((PackageArchive.CalibrationEntry, SafeTensors.Write(Calibration)));
        return PackageArchive.Write(entries);
    }

    /// <summary>Writes atomically: a temporary file beside <paramref name="path"/>, then a rename.</summary>
    public void Write(string path) => AtomicFile.WriteAllBytes(path, ToBytes(path));

    /// <summary>SHA-256 of the package file, lowercase hex (the build's cache key).</summary>
    public static string ComputeHash(string path)
    {
        using var stream = OpenForRead(path);
        return ComputeHash(stream);
    }

    /// <summary>SHA-256 of the rest of <paramref name="stream"/>, lowercase hex.</summary>
    internal static string ComputeHash(Stream stream) => Convert.ToHexStringLower(SHA256.HashData(stream));

    internal static FileStream OpenForRead(string path) =>
        IO.InputFile.Open(path, "no such .ofa package. Check the path, or create one with `ofa train` or `ofa import`.", ".ofa package");
}
