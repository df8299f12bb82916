using OfaBuild.Core.Tensors;

namespace OfaBuild.Core.Checkpoints;

/// <summary>
/// Reads the tensors of a PyTorch state dict saved with <c>torch.save</c> (zip format, PyTorch >= 1.6, or the
/// legacy format of older files such as the OFA model zoo's) without running any of the pickle's code: only
/// tensors, OrderedDicts and the torch storage types are allowed.
/// </summary>
public static class TorchCheckpoint
{
    /// <summary>Every tensor of the state dict in the file at <paramref name="path"/>.</summary>
    public static TensorSet ReadStateDict(string path)
    {
        using var stream = IO.InputFile.Open(path, "file not found.", "checkpoint");
        return ReadStateDict(stream, path);
    }

    /// <summary>
    /// Every tensor of the state dict in <paramref name="file"/>: a bare state dict (dict or OrderedDict of
    /// name -> tensor) or a dict whose "state_dict" entry is one (as the OFA model zoo ships), in the zip or
    /// the legacy format. F32 tensors come as float arrays, other types as raw little-endian bytes.
    /// <paramref name="source"/> names the file in messages.
    /// </summary>
    public static TensorSet ReadStateDict(Stream file, string source)
    {
        if (!file.CanSeek)
        {
            using var seekable = new MemoryStream();
            file.CopyTo(seekable);
            seekable.Position = 0;
            return ReadStateDict(seekable, source);
        }
        if (IsLegacy(file))
        {
            using var copy = new MemoryStream();
            file.CopyTo(copy);
            return ToTensorSet(LegacyTorchFormat.Load(copy.ToArray(), source), source);
        }
        using var archive = TorchZipArchive.Open(file, source);
        var root = RestrictedUnpickler.Load(archive.ReadPickle(), source, new TorchPickleHost(archive));
        return ToTensorSet(root, source);
    }

    private static bool IsLegacy(Stream file)
    {
        long start = file.Position;
        Span<byte> head = stackalloc byte[2];
        int n = file.ReadAtLeast(head, 2, throwOnEndOfStream: false);
        file.Position = start;
        return LegacyTorchFormat.LooksLegacy(head[..n]);
    }

    /// <summary>The key of the entry of <paramref name="dict"/> that is a state dict (a non-empty dict of tensors) under another name than 'state_dict' ('model', 'net', ...); null if none.</summary>
    private static string? NestedStateDict(PickleDict dict) =>
        dict.Items.FirstOrDefault(e => e.Key is string && e.Value is PickleDict d && d.Items.Count > 0 && d.Items.All(t => t.Value is Tensor)).Key as string;

    private static TensorSet ToTensorSet(object? root, string source)
    {
        if (root is not PickleDict dict)
            throw new OfaFormatException($"{source}: the checkpoint holds a {PickleValues.Describe(root)}, not a state dict; save one with torch.save(model.state_dict(), path).");
        bool wrapped = dict.TryGet("state_dict", out var inner);
        if (wrapped)
            dict = inner as PickleDict
                ?? throw new OfaFormatException($"{source}: the checkpoint's 'state_dict' entry is a {PickleValues.Describe(inner)}, not a dict of tensors.");

        var set = new TensorSet(source);
        foreach (var (key, value) in dict.Items)
        {
            if (key is not string name)
                throw new OfaFormatException($"{source}: the state dict has a key {PickleValues.Describe(key)}; tensor names must be strings.");
            if (value is not Tensor tensor)
                throw new OfaFormatException(wrapped
                    ? $"{source}: state_dict entry '{name}' is a {PickleValues.Describe(value)}, not a tensor."
                    : $"{source}: entry '{name}' is a {PickleValues.Describe(value)}, not a tensor; expected a state dict (name -> tensor) or a dict with a 'state_dict' entry."
                      + (NestedStateDict(dict) is { } nested
                          ? $" Its entry '{nested}' is a dict of tensors: save that as the state dict in Python, torch.save(checkpoint['{nested}'], 'state_dict.pth'), and import that."
                          : ""));
            set.Add(name, tensor);
        }
        return set;
    }
}
