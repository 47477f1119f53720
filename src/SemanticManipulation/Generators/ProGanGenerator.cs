using Microsoft.Extensions.Logging;
using SemanticManipulation.Checkpoints;
using SemanticManipulation.Diagnostics;
using SemanticManipulation.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SemanticManipulation.Generators;

/// <summary>
/// A Progressive GAN generator (the authors' <c>proggan.py</c> layout, bit-compatible with their checkpoints), split
/// into G_H and G_F at a named layer.
/// </summary>
/// <example>
/// <code>
/// using var g = ProGanGenerator.Load("churchoutdoor_lsun.pth");
/// using var z = torch.randn(1, g.LatentSize);
/// using var image = g.Generate(z);   // [1, 3, 256, 256] in [-1, 1]
/// </code>
/// </example>
public sealed class ProGanGenerator : ILayerSplitGenerator
{
    private readonly ProGanNetwork _network;
    private readonly int _splitModule;
    private bool _disposed;

    private ProGanGenerator(ProGanNetwork network, ProGanOptions options)
    {
        _network = network;
        Architecture = network.Architecture;
        var (split, points) = options.Split.Resolve(Architecture);
        _splitModule = split;
        SplitLayer = $"layer{split}";
        PerturbationPoints = points
            .Select(i => new PerturbationPoint($"layer{i}", Architecture.ShapeOf($"layer{i}")))
            .ToArray();
        Device = options.Device ?? CPU;
        _network.to(Device);
        _network.eval();
    }

    /// <summary>The generator's architecture.</summary>
    public ProGanArchitecture Architecture { get; }

    /// <inheritdoc />
    public int Resolution => Architecture.Resolution;

    /// <inheritdoc />
    public int LatentSize => Architecture.LatentSize;

    /// <inheritdoc />
    public string SplitLayer { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> LayerNames => Architecture.LayerNames;

    /// <inheritdoc />
    public FeatureShape RepresentationShape => Architecture.ShapeOf(SplitLayer);

    /// <inheritdoc />
    public IReadOnlyList<PerturbationPoint> PerturbationPoints { get; }

    /// <inheritdoc />
    public Device Device { get; }

    /// <summary>The network as a trainable TorchSharp module (for training: its parameters and state dict carry the
    /// authors' key names).</summary>
    public ProGanNetwork Network => _network;

    /// <summary>Builds a generator with random weights (equalised-learning-rate init: weights N(0, 1), biases 0).</summary>
    /// <param name="architecture">The layout.</param>
    /// <param name="seed">Seed for the weights.</param>
    /// <param name="options">Split, clamp and device; null for the defaults.</param>
    public static ProGanGenerator Create(ProGanArchitecture architecture, long seed, ProGanOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        TorchRuntime.EnsureInitialized();
        options ??= new ProGanOptions();
        var network = new ProGanNetwork(options.ClampOutput == architecture.ClampOutput
            ? architecture
            : new ProGanArchitecture(architecture.LatentSize, architecture.BlockChannels, options.ClampOutput));
        using (no_grad())
        {
            using var generator = new Generator(0, CPU).manual_seed(seed);
            foreach (var (name, parameter) in network.named_parameters())
            {
                if (name.EndsWith(".weight", StringComparison.Ordinal))
                {
                    parameter.normal_(0, 1, generator);
                }
                else
                {
                    parameter.zero_();
                }
            }
        }

        return new ProGanGenerator(network, options);
    }

    /// <summary>
    /// Loads a generator from a checkpoint: PyTorch <c>.pth</c> (zip or legacy pre-1.6 serialization) or
    /// <c>.safetensors</c>; current (<c>layerN</c>) or older (<c>features.i</c>) key names; bare or wrapped in
    /// <c>state_dict</c>. The architecture is read from the checkpoint; extra entries are ignored.
    /// </summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="options">Split, clamp, device and an optional expected resolution; null for the defaults.</param>
    /// <param name="logger">Receives what was loaded and what was ignored.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CheckpointFormatException">The file is not a readable checkpoint, or a generator key is missing or
    /// has the wrong shape (the message names the key and both shapes).</exception>
    public static ProGanGenerator Load(string path, ProGanOptions? options = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        TorchRuntime.EnsureInitialized(logger);
        options ??= new ProGanOptions();
        using var state = StateDictReader.Read(path);
        var display = Path.GetFileName(path);
        var mapped = ProGanCheckpoint.Map(state, options.ClampOutput);
        if (options.ExpectedResolution is int expected && expected != mapped.Architecture.Resolution)
        {
            throw new CheckpointFormatException(
                $"{display} holds a {mapped.Architecture.Resolution}×{mapped.Architecture.Resolution} generator; " +
                $"{expected}×{expected} was expected.", display);
        }

        var network = new ProGanNetwork(mapped.Architecture);
        try
        {
            ProGanCheckpoint.LoadInto(network, mapped.Tensors, display);
        }
        catch
        {
            network.Dispose();
            throw;
        }

        if (logger is not null)
        {
            LogLoaded(logger, state.Format, path, mapped);
        }

        return new ProGanGenerator(network, options);
    }

    private static void LogLoaded(ILogger logger, CheckpointFormat format, string path, ProGanCheckpoint.Mapped mapped)
    {
        var architecture = mapped.Architecture;
        Log.GeneratorLoaded(logger, format, path, architecture.Resolution, architecture.LayerCount, architecture.ParameterCount);
        if (mapped.IgnoredKeys.Count > 0)
        {
            // The formatter joins the list only if the message is written.
            Log.CheckpointKeysIgnored(logger, mapped.IgnoredKeys.Count, mapped.IgnoredKeys);
        }
    }

    /// <summary>
    /// Saves the weights as <c>.safetensors</c> under the authors' key names (loadable here and by
    /// <c>safetensors.torch.load_file</c> into their <c>proggan.py</c> model), atomically.
    /// </summary>
    public void Save(string path) => Save(path, null);

    /// <summary>
    /// Saves the weights as <see cref="Save(string)"/> does, with <paramref name="metadata"/> (for example how the weights
    /// were made) in the file's header beside the format and architecture, which it may not replace.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="metadata"/> names <c>format</c> or <c>architecture</c>.</exception>
    public void Save(string path, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var header = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = "pt",
            ["architecture"] = Architecture.ToString(),
        };
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            if (!header.TryAdd(key, value))
            {
                throw new ArgumentException($"The metadata key '{key}' is the generator file's own.", nameof(metadata));
            }
        }

        SafeTensorsWriter.Write(path, StateDict(), header);
    }

    /// <summary>The weights under the authors' key names (<c>layerN.conv.weight</c>, <c>layerN.wscale.b</c>, …).</summary>
    /// <remarks>The tensors are the live parameters; copy them to keep them beyond the generator's lifetime.</remarks>
    public IReadOnlyDictionary<string, Tensor> StateDict() =>
        _network.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter, StringComparer.Ordinal);

    /// <inheritdoc />
    public Tensor Early(Tensor z, LayerHook? hook = null)
    {
        ArgumentNullException.ThrowIfNull(z);
        ObjectDisposedException.ThrowIf(_disposed, this);
        TorchRuntime.ApplyThreads();
        using var scope = NewDisposeScope();
        var spatial = _network.ToSpatial(z.to(Device));
        return _network.ForwardRange(spatial, 0, _splitModule, hook).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor Late(Tensor r, LayerHook? hook = null)
    {
        ArgumentNullException.ThrowIfNull(r);
        ObjectDisposedException.ThrowIf(_disposed, this);
        ThrowIfNotShaped(r, RepresentationShape, $"Representations at {SplitLayer}", nameof(r));

        TorchRuntime.ApplyThreads();
        using var scope = NewDisposeScope();
        return _network.ForwardRange(r.to(Device), _splitModule, _network.ModuleCount, hook).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="layerName"/> is not a late layer, or
    /// <paramref name="layerOutput"/> does not have its shape.</exception>
    public Tensor? LateFrom(string layerName, Tensor layerOutput, LayerHook? hook = null)
    {
        ArgumentNullException.ThrowIfNull(layerName);
        ArgumentNullException.ThrowIfNull(layerOutput);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var names = LayerNames;
        var index = Enumerable.Range(0, names.Count).FirstOrDefault(i => names[i] == layerName, -1);
        if (index < _splitModule)
        {
            throw new ArgumentException(
                $"'{layerName}' is not a late layer of this generator: G_F runs {string.Join(", ", names.Skip(_splitModule))}.", nameof(layerName));
        }

        ThrowIfNotShaped(layerOutput, Architecture.ShapeOf(layerName), $"The output of {layerName}", nameof(layerOutput));

        TorchRuntime.ApplyThreads();
        using var scope = NewDisposeScope();
        var x = layerOutput.to(Device);
        if (hook is not null)
        {
            x = hook(layerName, x);
        }

        return _network.ForwardRange(x, index + 1, _network.ModuleCount, hook).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Refuses features that are not <c>[N, C, H, W]</c> of <paramref name="shape"/>, naming what they are.</summary>
    private static void ThrowIfNotShaped(Tensor features, FeatureShape shape, string what, string parameterName)
    {
        if (features.dim() != 4 || features.shape[1] != shape.Channels || features.shape[2] != shape.Height || features.shape[3] != shape.Width)
        {
            throw new ArgumentException(
                $"{what} must have shape [N, {shape.Channels}, {shape.Height}, {shape.Width}]; got {CheckpointSource.Shape(features.shape)}.",
                parameterName);
        }
    }

    /// <inheritdoc />
    public Tensor Generate(Tensor z)
    {
        using var scope = NewDisposeScope();
        return Late(Early(z)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public IEnumerable<Parameter> LateParameters()
    {
        for (var i = _splitModule; i < _network.ModuleCount; i++)
        {
            var (weight, bias) = _network.ParametersOf(i);
            yield return weight;
            yield return bias;
        }
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
}
