namespace OfaBuild.Core.IO;

/// <summary>Opens the files OfaBuild reads (packages, checkpoints, safetensors): every failure is an OfaException naming the file.</summary>
internal static class InputFile
{
    /// <param name="notFound">What to say when there is no file, e.g. "no such .ofa package. Check the path, or ...".</param>
    /// <param name="what">What the file is, for other failures: ".ofa package", "checkpoint".</param>
    public static FileStream Open(string path, string notFound, string what)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new OfaException($"{path}: {notFound}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OfaException($"{path}: cannot open the {what} ({ex.Message}).", ex);
        }
    }
}
