using System.Buffers.Binary;
using System.Text;

namespace OfaBuild.Training.Native;

/// <summary>
/// Makes TorchSharp 0.107.0 load on Debian 12. Its libLibTorchSharp.so asks for GLIBCXX_3.4.32 (GCC 13) while
/// Debian 12's libstdc++ has 3.4.30, and loading fails with a misleading "no reference to libtorch-cpu-..."
/// error. The one symbol bound to that version (_ZSt21ios_base_library_initv) is never called, so marking that
/// version need weak (VER_FLG_WEAK in its Elf64_Vernaux entry of .gnu.version_r) lets the loader accept the
/// library. Run before the first TorchSharp call: the `ofa` tool does at start-up, wherever it is installed.
/// Idempotent, and a no-op for files that do not name the version.
/// </summary>
public static class TorchSharpDebianFix
{
    public const string LibraryFile = "libLibTorchSharp.so";
    public const string WeakVersion = "GLIBCXX_3.4.32";

    /// <summary>
    /// Patches every libLibTorchSharp.so in the directories the .NET host probes for native libraries of this
    /// process (NATIVE_DLL_SEARCH_DIRECTORIES: the app folder, or runtimes/linux-x64/native of a portable tool).
    /// Returns the files it changed; a file it may not write is reported on standard error with the fix.
    /// </summary>
    public static IReadOnlyList<string> Apply()
    {
        if (!OperatingSystem.IsLinux()) return [];
        var changed = new List<string>();
        var dirs = (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") as string ?? AppContext.BaseDirectory)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native"));
        foreach (var file in dirs.Select(d => Path.GetFullPath(Path.Combine(d, LibraryFile))).Distinct().Where(File.Exists))
        {
            try
            {
                if (Patch(file)) changed.Add(file);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                Console.Error.WriteLine($"warning: cannot mark {WeakVersion} weak in '{file}' ({ex.Message}); TorchSharp will not load on " +
                    "Debian 12. Run `ofa --help` once as the owner of that folder, or install the tool with --tool-path in a folder you own.");
            }
        }
        return changed;
    }

    /// <summary>Marks <see cref="WeakVersion"/> weak in one file; true if the file changed.</summary>
    public static bool Patch(string path)
    {
        byte[] b = File.ReadAllBytes(path);
        if (!MarkWeak(b, WeakVersion)) return false;
        // Write beside and rename, so an interrupted start never leaves a half-written library.
        string tmp = path + ".ofa-tmp";
        File.WriteAllBytes(tmp, b);
        File.Move(tmp, path, overwrite: true);
        return true;
    }

    /// <summary>Sets VER_FLG_WEAK on every version need named <paramref name="version"/>; true if a flag changed.</summary>
    public static bool MarkWeak(byte[] b, string version)
    {
        const uint ShtGnuVerneed = 0x6ffffffe;
        const ushort VerFlgWeak = 0x2;
        // ELF64 little-endian only (the linux-x64 library); anything else is left alone.
        if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F' || b[4] != 2 || b[5] != 1)
            return false;
        var s = b.AsSpan();
        long shoff = BinaryPrimitives.ReadInt64LittleEndian(s[0x28..]);
        int shentsize = BinaryPrimitives.ReadUInt16LittleEndian(s[0x3A..]), shnum = BinaryPrimitives.ReadUInt16LittleEndian(s[0x3C..]);
        bool changed = false;
        for (int i = 0; i < shnum; i++)
        {
            int sh = checked((int)(shoff + (long)i * shentsize));
            if (BinaryPrimitives.ReadUInt32LittleEndian(s[(sh + 4)..]) != ShtGnuVerneed) continue;
            int vn = checked((int)BinaryPrimitives.ReadInt64LittleEndian(s[(sh + 24)..]));
            int link = (int)BinaryPrimitives.ReadUInt32LittleEndian(s[(sh + 40)..]);
            int count = (int)BinaryPrimitives.ReadUInt32LittleEndian(s[(sh + 44)..]);
            int strings = checked((int)BinaryPrimitives.ReadInt64LittleEndian(s[(checked((int)(shoff + (long)link * shentsize)) + 24)..]));
            for (int n = 0; n < count; n++)
            {
                int auxCount = BinaryPrimitives.ReadUInt16LittleEndian(s[(vn + 2)..]);
                int aux = vn + (int)BinaryPrimitives.ReadUInt32LittleEndian(s[(vn + 8)..]);
                for (int a = 0; a < auxCount; a++)
                {
                    int name = strings + (int)BinaryPrimitives.ReadUInt32LittleEndian(s[(aux + 8)..]);
                    int end = s[name..].IndexOf((byte)0);
                    if (Encoding.ASCII.GetString(s.Slice(name, end)) == version)
                    {
                        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(s[(aux + 4)..]);
                        if ((flags & VerFlgWeak) == 0)
                        {
                            BinaryPrimitives.WriteUInt16LittleEndian(s[(aux + 4)..], (ushort)(flags | VerFlgWeak));
                            changed = true;
                        }
                    }
                    aux += (int)BinaryPrimitives.ReadUInt32LittleEndian(s[(aux + 12)..]);
                }
                vn += (int)BinaryPrimitives.ReadUInt32LittleEndian(s[(vn + 12)..]);
            }
        }
        return changed;
    }
}
