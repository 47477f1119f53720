using static TorchSharp.torch;

namespace SemanticManipulation.Networks;

/// <summary>
/// Puts a convolutional network's input in channels-last (NHWC) order, so that every convolution after it computes the
/// right result on every CPU.
/// </summary>
/// <remarks>
/// Given an NCHW float32 tensor, libtorch runs oneDNN's blocked kernels, which pad the channels to the vector width (8
/// floats with AVX2, 16 with AVX-512). With this libtorch, when a layer's input channels exceed that width and are not a
/// multiple of it (24 or 72 with AVX-512, 12 or 20 with AVX2), the padding lanes are read uninitialised: the output and
/// the input gradient come out wrong on every call, and NaN now and then, while the same layer is exact on an SSE4.1
/// machine. In channels-last order oneDNN runs its NHWC kernels, which handle any channel count exactly. libtorch keeps the
/// order through convolutions, normalisation, activations, pooling, interpolation and concatenation, so converting at a
/// network's entry is enough.
/// </remarks>
public static class ChannelsLast
{
    /// <summary>The same values <c>[N, C, H, W]</c>, laid out channels-last; a new tensor.</summary>
    /// <param name="input">A 4-D tensor in any layout.</param>
    public static Tensor Of(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        // TorchSharp has no contiguous(memory_format): a contiguous NHWC tensor viewed back as NCHW is the same thing.
        return input.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
    }
}
