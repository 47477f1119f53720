using SemanticManipulation.Runtime;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Runtime;

public sealed class NnpackSwitchTests
{
    [Fact]
    public void Libtorch_never_tries_nnpack_so_it_never_logs_that_it_cannot_initialise_it()
    {
        var status = TorchRuntime.EnsureInitialized();

        Assert.False(NnpackSwitch.IsEnabled());
        Assert.Contains("NNPACK switched off", status.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Convolutions_that_libtorch_would_have_offered_to_nnpack_still_compute_the_same()
    {
        // Batch 1, a 1×1 kernel and few elements: not oneDNN's, so libtorch falls back to its own convolution.
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        var x = randn(1, 3, 5, 5, dtype: ScalarType.Float64);
        var w = randn(4, 3, 1, 1, dtype: ScalarType.Float64);

        var y = nn.functional.conv2d(x, w);

        var expected = einsum("oi,nihw->nohw", w.reshape(4, 3), x);
        Assert.True(y.allclose(expected, rtol: 1e-12, atol: 1e-12));
    }
}
