using System.Reflection;
using OfaBuild.Training.Native;

namespace OfaBuild.Training.Tests;

public class TorchSharpDebianFixTests
{
    /// <summary>TorchSharp's library as its package ships it (the build copies it unchanged; the tool patches its copy).</summary>
    private static string PackagedLibrary()
    {
        var root = typeof(TorchSharpDebianFixTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NuGetPackageRoot").Value!;
        var version = typeof(TorchSharp.torch).Assembly.GetName().Version!;
        return Path.Combine(root, "torchsharp", $"{version.Major}.{version.Minor}.{version.Build}", "runtimes", "linux-x64", "native", TorchSharpDebianFix.LibraryFile);
    }

    [Fact]
    public void Marks_the_version_need_weak_once_and_leaves_other_files_alone()
    {
        var original = File.ReadAllBytes(PackagedLibrary());
        var patched = (byte[])original.Clone();
        Assert.True(TorchSharpDebianFix.MarkWeak(patched, TorchSharpDebianFix.WeakVersion));
        // One flag bit in one Elf64_Vernaux entry: VER_FLG_WEAK (0x2) of vna_flags.
        var changed = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToArray();
        int at = Assert.Single(changed);
        Assert.Equal(0x2, patched[at] ^ original[at]);
        Assert.False(TorchSharpDebianFix.MarkWeak(patched, TorchSharpDebianFix.WeakVersion));

        var text = "not an ELF file"u8.ToArray();
        Assert.False(TorchSharpDebianFix.MarkWeak(text, TorchSharpDebianFix.WeakVersion));
        Assert.False(TorchSharpDebianFix.MarkWeak((byte[])original.Clone(), "GLIBCXX_9.9.99"));
    }

    [Fact]
    public void Patching_a_file_is_atomic_and_idempotent()
    {
        var dir = Directory.CreateTempSubdirectory("ofa-torchfix-").FullName;
        try
        {
            var file = Path.Combine(dir, TorchSharpDebianFix.LibraryFile);
            File.Copy(PackagedLibrary(), file);
            Assert.True(TorchSharpDebianFix.Patch(file));
            Assert.False(TorchSharpDebianFix.Patch(file));
            Assert.Equal([file], Directory.GetFiles(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
