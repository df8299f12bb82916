namespace OfaBuild.Core.Packaging;

/// <summary>
/// A <c>.ofa</c> package read from <paramref name="Path"/>, with the SHA-256 of the file's bytes (what target manifests
/// record): read once, it can serve every target of a build without the file being read again.
/// </summary>
public sealed record OfaPackageFile(string Path, OfaPackage Package, string Sha256)
{
    /// <summary>Reads and validates the package as <see cref="OfaPackage.Read(string)"/> does, hashing the same open file first.</summary>
    public static OfaPackageFile Read(string path)
    {
        // One open file: the hash is of the bytes the package is read from, even if the path is replaced meanwhile.
        using var stream = OfaPackage.OpenForRead(path);
        string sha256 = OfaPackage.ComputeHash(stream);
        stream.Position = 0;
        return new(path, OfaPackage.Read(stream, path), sha256);
    }
}
