using static TorchSharp.torch;

namespace SemanticManipulation.Checkpoints;

/// <summary>
/// The tensors of a checkpoint, flattened to dotted names, as CPU tensors in their stored element type. Owns them:
/// disposing the state dict disposes every tensor, so copy what must outlive it.
/// </summary>
public sealed class StateDict : IDisposable
{
    private readonly IReadOnlyDictionary<string, Tensor> _tensors;
    private bool _disposed;

    internal StateDict(CheckpointFormat format, string filePath, IReadOnlyDictionary<string, Tensor> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        Format = format;
        FilePath = filePath;
        _tensors = tensors;
        Metadata = metadata ?? new Dictionary<string, string>(StringComparer.Ordinal);
    }

    /// <summary>The container format the file was read as.</summary>
    internal CheckpointFormat Format { get; }

    /// <summary>The path (or display name) the checkpoint was read from.</summary>
    public string FilePath { get; }

    /// <summary>
    /// The safetensors header's <c>__metadata__</c> (string to string); empty for PyTorch checkpoints, whose pickles
    /// carry no such map.
    /// </summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>
    /// Contiguous CPU tensors by dotted name, in the order the checkpoint lists them. Nested dicts are flattened with
    /// '.'; non-tensor values (ints, strings, lists) are skipped.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The state dict has been disposed.</exception>
    public IReadOnlyDictionary<string, Tensor> Tensors
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _tensors;
        }
    }

    /// <summary>Disposes every tensor.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var tensor in _tensors.Values)
        {
            tensor.Dispose();
        }
    }
}
