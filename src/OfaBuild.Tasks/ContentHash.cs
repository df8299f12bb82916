using System.Security.Cryptography;
using System.Text;

namespace OfaBuild.Tasks;

/// <summary>SHA-256 of files (cached per task run: several targets share one supernet) and of text.</summary>
internal sealed class ContentHash
{
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);

    public string OfFile(string path)
    {
        path = Path.GetFullPath(path);
        if (_files.TryGetValue(path, out var h)) return h;
        using var stream = File.OpenRead(path);
        return _files[path] = Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public static string OfText(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Cheap identity of a file for the no-op fast path: path, size and last write time.</summary>
    public static string Stat(string path)
    {
        var f = new FileInfo(path);
        return f.Exists ? $"{f.FullName}|{f.Length}|{f.LastWriteTimeUtc.Ticks}" : $"{f.FullName}|missing";
    }
}
