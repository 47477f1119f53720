using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemanticManipulation.Networks;

/// <summary>
/// A 1×1 convolution with a stride, computed as what it is: keep every <c>stride</c>-th pixel, then convolve with
/// unit stride. Its parameters are a <see cref="Conv2d"/>'s (<c>weight</c> <c>[out, in, 1, 1]</c>, optional
/// <c>bias</c>), initialised by one, so state dicts and seeded initial weights are those of
/// <c>nn.Conv2d(in, out, 1, stride)</c>.
/// </summary>
/// <remarks>
/// Why not <c>nn.Conv2d</c>: libtorch hands a strided 1×1 convolution to oneDNN's 1×1 kernels, which first copy the
/// strided pixels into a per-thread workspace ("reduce to unit stride"). Their backward-weights pass indexes that
/// workspace by the channel block (16 on AVX-512, 8 on AVX2) while sizing it by the channel count, so with fewer
/// input channels than a block and a channels-last source it writes past the workspace: other tensors are corrupted
/// (NaN losses some steps later) or the process crashes, depending on the CPU's vector width (uxlfoundation/oneDNN
/// issue 6035, unfixed in the oneDNN inside libtorch 2.10). Subsampling first gives the kernel a unit-stride problem,
/// which never takes that path, on any CPU and in any memory format; the arithmetic is the same.
/// </remarks>
internal sealed class PointwiseConv : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // Field names are the state-dict key names.
    private readonly Parameter weight;
    private readonly Parameter? bias;
#pragma warning restore IDE1006
    private readonly long _stride;

    /// <param name="inputChannels">Input channels.</param>
    /// <param name="outputChannels">Output channels.</param>
    /// <param name="stride">Keeps every stride-th row and column (padding 0, as a strided 1×1 conv).</param>
    /// <param name="bias">Whether the convolution has a bias.</param>
    public PointwiseConv(int inputChannels, int outputChannels, long stride = 1, bool bias = true)
        : base(nameof(PointwiseConv))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        _stride = stride;
        // Initialised by nn.Conv2d itself, drawing from the generator exactly as the module this replaces did.
        using var initial = nn.Conv2d(inputChannels, outputChannels, 1, stride: stride, bias: bias);
        using (no_grad())
        {
            weight = new Parameter(initial.weight!.detach().clone().DetachFromDisposeScope());
            this.bias = initial.bias is null ? null : new Parameter(initial.bias.detach().clone().DetachFromDisposeScope());
        }

        RegisterComponents();
    }

    /// <summary>The weight, <c>[out, in, 1, 1]</c>.</summary>
    public Parameter Weight => weight;

    /// <summary>The bias, <c>[out]</c>, or null.</summary>
    public Parameter? Bias => bias;

    /// <summary>The stride: 1 for a plain 1×1 convolution.</summary>
    public long Stride => _stride;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var sampled = _stride == 1
            ? input
            : input.index(TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(null, null, _stride), TensorIndex.Slice(null, null, _stride));
        return nn.functional.conv2d(ChannelsLast.Of(sampled), weight, bias).MoveToOuterDisposeScope();
    }
}
