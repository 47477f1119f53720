using SemanticManipulation.Runtime;
using Xunit;

namespace SemanticManipulation.Tests.Runtime;

public sealed class NativeHeapRetentionTests
{
    [Fact]
    public void On_linux_the_runtime_has_glibc_keep_what_libtorch_frees_for_reuse()
    {
        var status = TorchRuntime.EnsureInitialized();

        if (OperatingSystem.IsLinux())
        {
            Assert.Contains("glibc keeps freed blocks for reuse", status.Description, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("platform allocator unchanged", status.Description, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(TorchRuntime.RetainNativeHeapVariable, "0", "left at its defaults")]
    [InlineData("MALLOC_TRIM_THRESHOLD_", "131072", "the host tunes glibc's allocator itself")]
    public void A_host_that_opts_out_or_tunes_the_allocator_itself_is_left_alone(string variable, string value, string expected)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var before = Environment.GetEnvironmentVariable(variable);
        Environment.SetEnvironmentVariable(variable, value);
        try
        {
            Assert.Contains(expected, NativeHeapRetention.Apply(), StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, before);
        }
    }
}
