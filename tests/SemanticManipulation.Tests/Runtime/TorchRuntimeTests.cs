using System.Text;
using SemanticManipulation.Runtime;
using Xunit;

namespace SemanticManipulation.Tests.Runtime;

public sealed class TorchRuntimeTests
{
    private static string TorchSharpNativeLibrary =>
        Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [Fact]
    public void Runtime_loads_and_patches_only_when_the_host_lacks_the_symbol_version()
    {
        var status = TorchRuntime.EnsureInitialized();
        using var t = TorchSharp.torch.ones(2, 2);

        Assert.Equal(4f, t.sum().item<float>());
        if (!OperatingSystem.IsLinux())
        {
            Assert.False(status.Patched);
            return;
        }

        var hostHasVersion = HostLibStdCxxDefines("GLIBCXX_3.4.32");
        Assert.Equal(!hostHasVersion, status.Patched);
        if (status.Patched)
        {
            Assert.Equal("GLIBCXX_3.4.32", status.WeakenedVersion);
            // The copy lives in a cache directory, never in the application folder or the NuGet cache.
            Assert.False(status.LibraryPath!.StartsWith(AppContext.BaseDirectory, StringComparison.Ordinal));
            Assert.DoesNotContain(".nuget", status.LibraryPath, StringComparison.Ordinal);
            Assert.Contains("marked weak", status.Description, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Patcher_weakens_exactly_the_one_safe_requirement()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // The ELF patch only concerns Linux hosts.
        }

        Assert.True(File.Exists(TorchSharpNativeLibrary), $"{TorchSharpNativeLibrary} is missing");
        var image = File.ReadAllBytes(TorchSharpNativeLibrary);
        var before = ElfVersionNeedPatcher.ListVersionNeeds(image);

        Assert.True(ElfVersionNeedPatcher.WeakenVersionNeed(image, "GLIBCXX_3.4.32"));

        var after = ElfVersionNeedPatcher.ListVersionNeeds(image);
        Assert.Equal(before.Count, after.Count);
        for (var i = 0; i < before.Count; i++)
        {
            var expectedFlags = before[i].Version == "GLIBCXX_3.4.32" ? (ushort)(before[i].Flags | 2) : before[i].Flags;
            Assert.Equal(expectedFlags, after[i].Flags);
        }

        Assert.Contains(after, n => n.Version == "GLIBCXX_3.4.32" && (n.Flags & 2) != 0);
    }

    [Fact]
    public void Patcher_refuses_unknown_versions_and_non_elf_files()
    {
        Assert.Throws<ArgumentException>(() => ElfVersionNeedPatcher.WeakenVersionNeed(new byte[64], "GLIBCXX_3.4.31"));
        var error = Assert.Throws<InvalidDataException>(() => ElfVersionNeedPatcher.ListVersionNeeds(Encoding.ASCII.GetBytes(new string('x', 128))));
        Assert.Contains("Not an ELF", error.Message, StringComparison.Ordinal);
    }

    private static bool HostLibStdCxxDefines(string version)
    {
        string[] candidates = ["/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6"];
        var path = candidates.FirstOrDefault(File.Exists);
        if (path is null)
        {
            return false;
        }

        var bytes = File.ReadAllBytes(path);
        return bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(version + "\0")) >= 0;
    }
}
