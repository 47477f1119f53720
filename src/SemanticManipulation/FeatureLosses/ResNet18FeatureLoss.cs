using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SemanticManipulation.Diagnostics;
using SemanticManipulation.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.FeatureLosses;

/// <summary>
/// φ from a real ImageNet network: the ResNet-18 of the NuGet package <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c>
/// (MIT; a CNTK export with stage blocks [2, 2, 2, 3]), read from its ONNX file into a TorchSharp network. Images in
/// [-1, 1] are fed as the network was trained: BGR on the 0–255 scale minus the package's mean image; φ is the
/// output of one stage (default stage 2, stride 8: the counterpart of the authors' VGG16 relu4_2).
/// </summary>
/// <example>
/// <code>
/// using var phi = ResNet18FeatureLoss.Load();
/// using var features = phi.Features(image);   // [1, 128, H/8, W/8]
/// </code>
/// </example>
public sealed class ResNet18FeatureLoss : IFeatureLoss
{
    private readonly ResNetBackbone _network;
    private readonly Tensor _meanImage;
    private readonly Dictionary<(long Height, long Width), Tensor> _meanBySize = [];
    private readonly Lock _meanLock = new();
    private readonly int? _inputSize;
    private bool _disposed;

    private ResNet18FeatureLoss(ResNetBackbone network, Tensor meanImage, ResNet18FeatureLossOptions options)
    {
        _network = network;
        _meanImage = meanImage;
        Layer = options.Layer;
        _inputSize = options.InputSize;
        Device = options.Device ?? CPU;
        _network.to(Device);
        _meanImage = _meanImage.to(Device).DetachFromDisposeScope();
        if (!ReferenceEquals(_meanImage, meanImage))
        {
            meanImage.Dispose();
        }

        // Frozen, and BatchNorm always in inference mode: φ is a fixed measuring instrument.
        foreach (var parameter in _network.parameters())
        {
            parameter.requires_grad = false;
        }

        _network.eval();
    }

    /// <inheritdoc />
    public string Name => $"resnet18/{Layer.ToString().ToLowerInvariant()}";

    /// <summary>The stage whose output is φ.</summary>
    public ResNetFeatureLayer Layer { get; }

    /// <summary>The device the network lives on.</summary>
    public Device Device { get; }

    /// <summary>
    /// Loads the network from the package's ONNX files (see <see cref="ResNet18FeatureLossOptions.ModelDirectory"/>
    /// for where they are looked for). Nothing is downloaded.
    /// </summary>
    /// <exception cref="FileNotFoundException">The ONNX files were not found; the message says where it looked and how
    /// to provide them.</exception>
    /// <exception cref="InvalidDataException">A file is not the ResNet / preprocessing this SDK understands.</exception>
    public static ResNet18FeatureLoss Load(ResNet18FeatureLossOptions? options = null, ILogger? logger = null)
    {
        options ??= new ResNet18FeatureLossOptions();
        options.Validate();
        TorchRuntime.EnsureInitialized(logger);
        var clock = Stopwatch.StartNew();
        var (networkPath, preprocessPath) = ResNet18ModelFiles.Locate(options.ModelDirectory);
        var imported = OnnxResNetImporter.Import(OnnxModelReader.Read(networkPath), Path.GetFileName(networkPath));
        var mean = OnnxMeanImageImporter.Import(OnnxModelReader.Read(preprocessPath), Path.GetFileName(preprocessPath));

        ResNetBackbone network;
        using (NewDisposeScope())
        {
            // TorchSharp's layer constructors leave temporaries behind; the scope frees them (not the weights).
            network = new ResNetBackbone(imported.StemChannels, imported.StageChannels, imported.StageBlocks);
        }

        Tensor? meanImage = null;
        try
        {
            CopyWeights(network, imported.Weights, Path.GetFileName(networkPath));
            meanImage = tensor(mean.Values, [.. mean.Dims]).DetachFromDisposeScope();
            var loss = new ResNet18FeatureLoss(network, meanImage, options);
            if (logger is not null)
            {
                var blocks = string.Join(",", imported.StageBlocks);
                var parameterCount = network.parameters().Sum(p => p.numel());
                Log.FeatureNetworkLoaded(logger, networkPath, blocks, parameterCount, clock.Elapsed.TotalSeconds, loss.Name);
            }

            return loss;
        }
        catch
        {
            network.Dispose();
            meanImage?.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public Tensor Features(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (images.dim() != 4 || images.shape[1] != 3)
        {
            throw new ArgumentException($"Images must have shape [N, 3, H, W]; got [{string.Join(", ", images.shape)}].", nameof(images));
        }

        using var scope = NewDisposeScope();
        var x = images.to(ScalarType.Float32).to(Device);
        if (_inputSize is int side && (x.shape[2] != side || x.shape[3] != side))
        {
            x = nn.functional.interpolate(x, [side, side], mode: InterpolationMode.Bilinear, align_corners: false);
        }

        var rgb255 = (x + 1) * 127.5;
        return _network.Forward(Preprocess(rgb255), (int)Layer).to(images.device).MoveToOuterDisposeScope();
    }

    /// <summary>The package's preprocessing: RGB on the 0–255 scale to BGR minus the mean image (resized to fit).</summary>
    internal Tensor Preprocess(Tensor rgb255)
    {
        using var scope = NewDisposeScope();
        return (rgb255.flip(1) - MeanImage(rgb255.shape[2], rgb255.shape[3])).MoveToOuterDisposeScope();
    }

    /// <summary>The network's own output: the last stage averaged over space, <c>[N, 512]</c>.</summary>
    internal Tensor Pooled(Tensor preprocessed) => _network.Pooled(preprocessed);

    /// <summary>
    /// The network's weights and BatchNorm statistics by torchvision key, and its mean image as <c>mean_image</c>
    /// (the tensors themselves, not copies): what a reference implementation needs to compute the same φ.
    /// </summary>
    internal Dictionary<string, Tensor> StateTensors()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var tensors = _network.state_dict()
            .Where(p => !p.Key.EndsWith(".num_batches_tracked", StringComparison.Ordinal))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        tensors["mean_image"] = _meanImage;
        return tensors;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _network.Dispose();
        _meanImage.Dispose();
        foreach (var mean in _meanBySize.Values)
        {
            mean.Dispose();
        }
    }

    private Tensor MeanImage(long height, long width)
    {
        if (height == _meanImage.shape[2] && width == _meanImage.shape[3])
        {
            return _meanImage;
        }

        lock (_meanLock)
        {
            if (!_meanBySize.TryGetValue((height, width), out var mean))
            {
                using var noGrad = no_grad();
                // Area averaging when shrinking keeps the mean a mean; bilinear when enlarging keeps it smooth.
                var mode = height < _meanImage.shape[2] ? InterpolationMode.Area : InterpolationMode.Bilinear;
                mean = (mode == InterpolationMode.Area
                        ? nn.functional.interpolate(_meanImage, [height, width], mode: mode)
                        : nn.functional.interpolate(_meanImage, [height, width], mode: mode, align_corners: false))
                    .DetachFromDisposeScope();
                _meanBySize[(height, width)] = mean;
            }

            return mean;
        }
    }

    private static void CopyWeights(ResNetBackbone network, IReadOnlyDictionary<string, OnnxInitializer> weights, string display)
    {
        using var noGrad = no_grad();
        var used = 0;
        foreach (var (name, target) in network.state_dict())
        {
            if (name.EndsWith(".num_batches_tracked", StringComparison.Ordinal))
            {
                continue;
            }

            if (!weights.TryGetValue(name, out var source))
            {
                throw new InvalidDataException($"{display}: the network has no weight for '{name}'.");
            }

            if (!source.Dims.SequenceEqual(target.shape))
            {
                throw new InvalidDataException(
                    $"{display}: '{name}' has shape [{string.Join(", ", source.Dims)}], expected [{string.Join(", ", target.shape)}].");
            }

            using var values = tensor(source.Values, [.. source.Dims]);
            target.copy_(values);
            used++;
        }

        if (used != weights.Count)
        {
            throw new InvalidDataException($"{display}: {weights.Count - used} weights have no place in the network.");
        }
    }
}
