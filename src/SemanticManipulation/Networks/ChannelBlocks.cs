using static TorchSharp.torch;

namespace SemanticManipulation.Networks;

/// <summary>
/// A convolution computed on whole channel blocks: its input and output channels zero-padded to a multiple of
/// oneDNN's block, so that it is exact on every CPU in NCHW order (see <see cref="ChannelsLast"/> for why a partial
/// block is computed wrong).
/// </summary>
/// <remarks>
/// The backward pass swaps the roles of the channels (the input gradient is a convolution whose input channels are the
/// layer's output channels), so both sides are padded. Zero channels with zero weights add nothing, the extra output
/// channels are cut off, and autograd cuts the padding from the weight's gradient: the layer computes what it did. A
/// layer whose channels are already whole blocks (every hidden layer of the shipped and the authors' generators) runs
/// exactly as before; an RGB input or output (3 channels) is padded too, because oneDNN's few-channel kernels are off in
/// the second-order gradient on AVX-512. Channels-last order is the lighter cure where there is no second-order gradient; the discriminators' R1
/// penalty differentiates twice, and libtorch's channels-last double backward through a first layer of few channels
/// returns NaN on AVX-512, so they use this.
/// </remarks>
public static class ChannelBlocks
{
    /// <summary>The block: 16 floats (AVX-512), a multiple of AVX2's 8.</summary>
    public const int Size = 16;

    /// <summary><c>conv2d(input, weight, bias)</c> with unit stride on whole channel blocks.</summary>
    /// <param name="input">The input, <c>[N, C, H, W]</c>.</param>
    /// <param name="weight">The weight, <c>[O, C, kH, kW]</c>.</param>
    /// <param name="bias">The bias, <c>[O]</c>, or null.</param>
    /// <param name="padding">Zero padding of H and W, on each side.</param>
    /// <returns>The output, <c>[N, O, H', W']</c>.</returns>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, long padding = 0)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.shape[2] == 1 && weight.shape[3] == 1 && padding == 0)
        {
            return Pointwise(input, weight, bias);
        }

        var (inputExtra, outputExtra) = (Extra(input.shape[1]), Extra(weight.shape[0]));
        if (inputExtra == 0 && outputExtra == 0)
        {
            return nn.functional.conv2d(input, weight, bias, padding: [padding, padding]);
        }

        using var scope = NewDisposeScope();
        var x = inputExtra == 0 ? input : nn.functional.pad(input, [0, 0, 0, 0, 0, inputExtra]);
        var w = nn.functional.pad(weight, [0, 0, 0, 0, 0, inputExtra, 0, outputExtra]);
        var b = bias is null || outputExtra == 0 ? bias : nn.functional.pad(bias, [0, outputExtra]);
        var output = nn.functional.conv2d(x, w, b, padding: [padding, padding]);
        return (outputExtra == 0 ? output : output.narrow(1, 0, weight.shape[0])).MoveToOuterDisposeScope();
    }

    /// <summary>A 1×1 convolution as the matrix product it is (BLAS, not oneDNN).</summary>
    private static Tensor Pointwise(Tensor input, Tensor weight, Tensor? bias)
    {
        using var scope = NewDisposeScope();
        var (n, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3]);
        var output = weight.reshape(weight.shape[0], c).matmul(input.reshape(n, c, h * w)).reshape(n, weight.shape[0], h, w);
        return (bias is null ? output : output + bias.reshape(1, -1, 1, 1)).MoveToOuterDisposeScope();
    }

    private static long Extra(long channels) => channels % Size == 0 ? 0 : Size - (channels % Size);
}
