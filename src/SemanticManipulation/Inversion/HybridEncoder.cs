using Microsoft.Extensions.Logging;
using SemanticManipulation.Checkpoints;
using SemanticManipulation.Diagnostics;
using SemanticManipulation.Networks;
using SemanticManipulation.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemanticManipulation.Inversion;

/// <summary>
/// The authors' hybrid encoder E (Bau et al. 2019): a ResNet trunk with BatchNorm predicts r̂ at the generator's split
/// layer straight from the image (its pooling and classifier replaced by a 1×1 conv + LeakyReLU(0.2)); small
/// per-layer inverters then map r̂ back through every early layer to ẑ. Sized from the generator it inverts (any
/// resolution, split layer and channel schedule). Always runs in inference mode.
/// </summary>
/// <example>
/// <code>
/// using var encoder = HybridEncoder.Load("encoder.safetensors", generator);
/// using var guess = encoder.Encode(photo);   // guess.Representation: [1, C, H, W], guess.Latent: [1, Z]
/// </code>
/// </example>
public sealed class HybridEncoder : IRepresentationEncoder
{
    private readonly HybridEncoderNetwork _network;
    private bool _disposed;

    private HybridEncoder(HybridEncoderNetwork network, Device device)
    {
        _network = network;
        Device = device;
        _network.to(device);
        _network.eval();
    }

    /// <inheritdoc />
    public int Resolution => _network.Layout.Resolution;

    /// <inheritdoc />
    public FeatureShape RepresentationShape => _network.Layout.Representation;

    /// <inheritdoc />
    public int LatentSize => _network.Layout.LatentSize;

    /// <inheritdoc />
    public Device Device { get; }

    /// <summary>The generator layer r̂ is predicted at.</summary>
    public string SplitLayer => _network.Layout.SplitLayer;

    /// <summary>Channels of the trunk's first stage (64 in the authors' ResNet-18).</summary>
    public int TrunkWidth => _network.Layout.TrunkWidth;

    /// <summary>Number of weights (BatchNorm statistics excluded).</summary>
    public long ParameterCount => _network.parameters().Sum(p => p.numel());

    internal HybridEncoderNetwork Network => _network;

    /// <summary>Builds an untrained encoder for <paramref name="generator"/> with seeded weights.</summary>
    /// <param name="generator">The generator it will invert; its early layers are probed once for their shapes.</param>
    /// <param name="options">The trunk's width and depth, and the device; null for the authors' ResNet-18 trunk.</param>
    /// <param name="seed">Seed for the initial weights: the same seed gives the same encoder on every machine.</param>
    /// <exception cref="NotSupportedException">The generator's geometry cannot be inverted this way (e.g. a split layer
    /// that is not square); the message says why.</exception>
    public static HybridEncoder Create(ILayerSplitGenerator generator, HybridEncoderOptions? options = null, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(generator);
        TorchRuntime.EnsureInitialized();
        options ??= new HybridEncoderOptions();
        options.Validate();
        var layout = HybridEncoderLayout.For(generator, options.TrunkWidth, options.TrunkBlocks);
        var network = Build(layout);
        Initialize(network, seed);
        return new HybridEncoder(network, options.Device ?? generator.Device);
    }

    /// <summary>
    /// Loads an encoder for <paramref name="generator"/>: this SDK's <c>.safetensors</c> (<see cref="Save"/>) or the
    /// authors' PyTorch checkpoints (<c>.pth</c>, zip or legacy; keys <c>resnet.</c>, <c>inv4.</c> … <c>inv1.</c>,
    /// possibly wrapped in <c>state_dict</c> with a <c>model.</c> prefix). The trunk's width and depth are read from the
    /// file; its strides follow from the generator.
    /// </summary>
    /// <param name="path">The checkpoint.</param>
    /// <param name="generator">The generator the encoder must have been made for.</param>
    /// <param name="device">Where to put the weights; null for the generator's device.</param>
    /// <param name="logger">Receives what was loaded and what was ignored.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CheckpointFormatException">The file holds no encoder, or one for a generator of another size
    /// (the message names both shapes), or a key is missing or has the wrong shape.</exception>
    public static HybridEncoder Load(string path, ILayerSplitGenerator generator, Device? device = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(generator);
        TorchRuntime.EnsureInitialized(logger);
        using var state = StateDictReader.Read(path);
        var display = Path.GetFileName(path);
        var mapped = HybridEncoderCheckpoint.Map(state, generator, EarlyLayers.Probe(generator));
        var network = Build(mapped.Layout);
        try
        {
            HybridEncoderCheckpoint.LoadInto(network, mapped.Tensors, display);
        }
        catch
        {
            network.Dispose();
            throw;
        }

        if (logger is not null)
        {
            var representation = mapped.Layout.Representation.ToString();
            Log.EncoderLoaded(logger, mapped.IsSdkFormat ? "SDK" : "authors'-layout", path, mapped.Layout.TrunkWidth,
                representation, mapped.Layout.LatentSize);
            if (mapped.IgnoredKeys.Count > 0)
            {
                Log.EncoderKeysIgnored(logger, mapped.IgnoredKeys.Count, mapped.IgnoredKeys);
            }
        }

        return new HybridEncoder(network, device ?? generator.Device);
    }

    /// <summary>Writes the weights and BatchNorm statistics as <c>.safetensors</c>, with metadata naming the generator
    /// geometry they fit (read back by <see cref="Load"/>). Atomic: a failure leaves no partial file.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ObjectDisposedException.ThrowIf(_disposed, this);
        HybridEncoderCheckpoint.Save(_network, path);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The images have the wrong shape.</exception>
    public EncoderPrediction Encode(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (images.dim() != 4 || images.shape[1] != 3 || images.shape[2] != Resolution || images.shape[3] != Resolution)
        {
            throw new ArgumentException(
                $"Images must have shape [N, 3, {Resolution}, {Resolution}]; got [{string.Join(", ", images.shape)}].", nameof(images));
        }

        TorchRuntime.ApplyThreads();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // Inference always uses BatchNorm's running statistics (training may have left the network in train mode).
        _network.eval();
        var (representation, latent) = _network.Encode(images.to(ScalarType.Float32).to(Device));
        return new EncoderPrediction(representation.DetachFromDisposeScope(), latent.DetachFromDisposeScope());
    }

    /// <summary>The weights and BatchNorm statistics under the authors' key names (live tensors).</summary>
    public IReadOnlyDictionary<string, Tensor> StateDict() =>
        _network.state_dict().ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _network.Dispose();
        }
    }

    /// <summary>Builds the network inside a dispose scope: TorchSharp's layer constructors leave temporary tensors behind
    /// (a conv's bias initialisation, for one), which the scope frees. The weights themselves are not scoped.</summary>
    private static HybridEncoderNetwork Build(HybridEncoderLayout layout)
    {
        using var scope = NewDisposeScope();
        return new HybridEncoderNetwork(layout);
    }

    /// <summary>
    /// Seeded initialisation as the authors': the trunk as torchvision's ResNet, the inverters' convs Kaiming-normal
    /// (fan-in) with zero biases, BatchNorm scale 1 and shift 0.
    /// </summary>
    private static void Initialize(HybridEncoderNetwork network, long seed)
    {
        using var scope = NewDisposeScope();
        using var random = new Generator(0, CPU).manual_seed(seed);
        ResNetLayers.Initialize(network.Trunk, random);
        using var noGrad = no_grad();
        foreach (var (_, module) in network.Inverters)
        {
            foreach (var (_, child) in module.named_modules())
            {
                if (ConvolutionWeights.TryGet(child, out var weight, out var bias))
                {
                    var fanIn = weight.shape[1] * weight.shape[2] * weight.shape[3];
                    weight.normal_(0, Math.Sqrt(2.0 / fanIn), random);
                    bias?.zero_();
                }
            }
        }
    }
}
