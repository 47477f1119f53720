using System.Globalization;
using System.Text.Json;
using SemanticManipulation.Checkpoints;
using SemanticManipulation.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SemanticManipulation.Segmentation;

/// <summary>
/// A trained convolutional segmenter (a small U-Net) with one exclusive label per pixel: the segmenter the embedded
/// model ships, trained on the scene world's label maps. Its masks are one-hot (the arg-max label), and its pooled
/// bottleneck features serve as the embedding for Fréchet distances between image sets.
/// </summary>
public sealed class ConvolutionalSegmenter : ISegmenter
{
    private const string LabelsKey = "labels";
    private const string WidthKey = "width";
    private const string DepthKey = "depth";
    private readonly SegmenterNetwork _network;
    private bool _disposed;

    internal ConvolutionalSegmenter(SegmenterNetwork network, IReadOnlyList<string> labels)
    {
        if (labels.Count != network.Classes)
        {
            throw new ArgumentException($"{labels.Count} labels for a network with {network.Classes} classes.", nameof(labels));
        }

        _network = network;
        Labels = labels.ToArray();
        _network.eval();
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Length of the feature vectors <see cref="Features"/> returns.</summary>
    public int FeatureSize => _network.FeatureSize;

    /// <summary>The network's stride: image sides must be multiples of it.</summary>
    public int Stride => 1 << _network.Depth;

    /// <summary>The network as a trainable TorchSharp module (for training).</summary>
    public SegmenterNetwork Network => _network;

    /// <summary>Creates an untrained segmenter (for training).</summary>
    /// <param name="labels">The label names.</param>
    /// <param name="width">Channels of the first stage.</param>
    /// <param name="depth">Down-sampling stages.</param>
    /// <param name="seed">Seed for the initial weights.</param>
    public static ConvolutionalSegmenter Create(IReadOnlyList<string> labels, int width = 24, int depth = 3, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(labels);
        TorchRuntime.EnsureInitialized();
        manual_seed(seed);
        return new ConvolutionalSegmenter(new SegmenterNetwork(labels.Count, width, depth), labels);
    }

    /// <summary>Loads a segmenter written by <see cref="Save"/>.</summary>
    /// <exception cref="CheckpointFormatException">The file is not a segmenter, or a weight is missing or misshapen.</exception>
    public static ConvolutionalSegmenter Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        TorchRuntime.EnsureInitialized();
        var display = Path.GetFileName(path);
        using var state = StateDictReader.Read(path);
        if (!state.Metadata.TryGetValue(LabelsKey, out var labelsJson)
            || !state.Metadata.TryGetValue(WidthKey, out var width) || !state.Metadata.TryGetValue(DepthKey, out var depth))
        {
            throw new CheckpointFormatException($"{display} is not a segmenter (no '{LabelsKey}', '{WidthKey}' and '{DepthKey}' metadata).", display);
        }

        var labels = JsonSerializer.Deserialize<string[]>(labelsJson) ?? [];
        var network = new SegmenterNetwork(labels.Length, int.Parse(width, CultureInfo.InvariantCulture), int.Parse(depth, CultureInfo.InvariantCulture));
        try
        {
            StateDictCopier.CopyInto(network.state_dict().Select(p => (p.Key, p.Value)), state.Tensors, display);
        }
        catch
        {
            network.Dispose();
            throw;
        }

        return new ConvolutionalSegmenter(network, labels);
    }

    /// <summary>Saves the weights and labels as <c>.safetensors</c>, atomically.</summary>
    public void Save(string path)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        SafeTensorsWriter.Write(path, _network.state_dict(), new Dictionary<string, string>
        {
            [LabelsKey] = JsonSerializer.Serialize(Labels),
            [WidthKey] = _network.Width.ToString(CultureInfo.InvariantCulture),
            [DepthKey] = _network.Depth.ToString(CultureInfo.InvariantCulture),
        });
    }

    /// <inheritdoc />
    public Tensor Segment(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var labels = Predict(images);
        return nn.functional.one_hot(labels, Labels.Count).permute(0, 3, 1, 2).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>The arg-max label of every pixel, <c>[N, H, W]</c> int64.</summary>
    public Tensor Predict(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckImages(images);
        TorchRuntime.ApplyThreads();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _network.eval();
        return _network.forward(images).argmax(1).MoveToOuterDisposeScope();
    }

    /// <summary>Pooled bottleneck features <c>[N, FeatureSize]</c>, the embedding for Fréchet distances.</summary>
    public Tensor Features(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckImages(images);
        TorchRuntime.ApplyThreads();
        using var noGrad = no_grad();
        _network.eval();
        return _network.Features(images);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _network.Dispose();
        }
    }

    private void CheckImages(Tensor images)
    {
        if (images.dim() != 4 || images.shape[1] != 3 || images.shape[2] % Stride != 0 || images.shape[3] % Stride != 0)
        {
            throw new ArgumentException(
                $"Images must have shape [N, 3, H, W] with H and W multiples of {Stride}; got [{string.Join(", ", images.shape)}].", nameof(images));
        }
    }
}
