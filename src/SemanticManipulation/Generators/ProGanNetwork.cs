using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Generators;

/// <summary>
/// The Progressive GAN generator as a TorchSharp module with the authors' child names (<c>layer1 … layerN</c>,
/// <c>output_RxR</c>), so that its state dict keys are exactly those of their checkpoints.
/// </summary>
public sealed class ProGanNetwork : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor>[] _layers;

    /// <summary>Creates the network for <paramref name="architecture"/> (weights left as TorchSharp initialises them).</summary>
    /// <param name="architecture">The layout: channels per block, latent size, output clamp.</param>
    public ProGanNetwork(ProGanArchitecture architecture)
        : base("ProGanGenerator")
    {
        Architecture = architecture;
        _layers = new nn.Module<Tensor, Tensor>[architecture.LayerCount + 1];
        for (var i = 1; i <= architecture.LayerCount; i++)
        {
            var first = i == 1;
            // layer1 is a 4×4 conv with padding 3 on the 1×1 latent; odd layers from layer3 on double the resolution.
            _layers[i - 1] = new ProGanConvBlock(
                $"layer{i}",
                architecture.InputChannels(i),
                architecture.OutputChannels(i),
                kernelSize: first ? 4 : 3,
                padding: first ? 3 : 1,
                upsample: i >= 3 && i % 2 == 1);
        }

        _layers[^1] = new ProGanOutputBlock(architecture.OutputLayerName, architecture.BlockChannels[^1], architecture.ClampOutput);

        // Registered by name rather than through RegisterComponents so the keys are layerN.*, not _layers.N.*.
        foreach (var (layer, name) in _layers.Zip(architecture.LayerNames))
        {
            register_module(name, layer);
        }
    }

    /// <summary>The layout it was built for.</summary>
    public ProGanArchitecture Architecture { get; }

    /// <summary>Number of modules in forward order (conv layers then the output block).</summary>
    internal int ModuleCount => _layers.Length;

    /// <summary>G(z): latents <c>[N, Z]</c> (or <c>[N, Z, 1, 1]</c>) to images <c>[N, 3, R, R]</c>.</summary>
    public override Tensor forward(Tensor input) => ForwardRange(ToSpatial(input), 0, _layers.Length, null);

    /// <summary>Reshapes latents <c>[N, Z]</c> to <c>[N, Z, 1, 1]</c>; four-dimensional inputs pass through.</summary>
    internal Tensor ToSpatial(Tensor z)
    {
        if (z.dim() == 4)
        {
            return z.alias();
        }

        if (z.dim() != 2 || z.shape[1] != Architecture.LatentSize)
        {
            throw new ArgumentException(
                $"Latents must have shape [N, {Architecture.LatentSize}]; got [{string.Join(", ", z.shape)}].", nameof(z));
        }

        return z.view(z.shape[0], z.shape[1], 1, 1);
    }

    /// <summary>Runs modules <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive), 0-based.</summary>
    internal Tensor ForwardRange(Tensor input, int start, int end, LayerHook? hook)
    {
        if (start >= end)
        {
            return input.alias();
        }

        // Each layer picks its memory order (ProGanConvBlock): hooks may see channels-last tensors of the usual
        // [N, C, H, W] shape, but what leaves the range is contiguous NCHW, so callers never meet the layout.
        using var scope = NewDisposeScope();
        var x = input;
        var names = Architecture.LayerNames;
        for (var i = start; i < end; i++)
        {
            x = _layers[i].forward(x);
            if (hook is not null)
            {
                x = hook(names[i], x);
            }
        }

        return x.contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Weight (conv) and bias (wscale.b) of module <paramref name="index"/> (0-based).</summary>
    internal (TorchSharp.Modules.Parameter Weight, TorchSharp.Modules.Parameter Bias) ParametersOf(int index) =>
        _layers[index] switch
        {
            ProGanConvBlock block => (block.Weight, block.Bias),
            ProGanOutputBlock output => (output.Weight, output.Bias),
            _ => throw new InvalidOperationException("Unknown layer type."),
        };
}
