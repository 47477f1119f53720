using static TorchSharp.torch;

namespace SemanticManipulation.Checkpoints;

/// <summary>
/// Turns a <see cref="TensorReference"/> into a tensor once its storage has been loaded. All validation happens here,
/// in managed code, before <c>as_strided</c> is called: libtorch does not bounds-check a strided view against
/// the storage, so a corrupt size, stride or offset would otherwise read out of bounds in native code.
/// </summary>
internal static class TensorBuilder
{
    private const int MaxRank = 64;

    /// <summary>How large a tensor that repeats its storage's elements (a stride of 0, as torch.expand makes) may grow.</summary>
    private const long MaxExpandedBytes = 256L << 20;

    /// <summary>A loaded storage: a contiguous 1-D tensor plus what the file declared for it.</summary>
    /// <param name="Data">The elements that could be read.</param>
    /// <param name="Name">How the file names the storage (zip entry or legacy key), for messages.</param>
    /// <param name="DeclaredNumel">The element count the file declares; more than Data holds when the file is truncated.</param>
    internal sealed record LoadedStorage(Tensor Data, string Name, long DeclaredNumel);

    /// <summary>
    /// Builds the tensor <paramref name="reference"/> describes as a new contiguous CPU tensor of the storage's type.
    /// It may share memory with the storage only when it covers the whole storage; otherwise it is a compact copy, so
    /// that a small view never keeps a large storage alive.
    /// </summary>
    /// <exception cref="CheckpointFormatException">The view is malformed or reaches past the storage.</exception>
    public static Tensor Build(TensorReference reference, LoadedStorage storage, string tensorName, CheckpointSource source)
    {
        var size = reference.Size;
        var stride = reference.Stride;
        var shape = CheckpointSource.Shape(size);
        if (size.Length != stride.Length || size.Length > MaxRank)
        {
            throw source.Error($"is corrupt: tensor '{tensorName}' has {size.Length} sizes but {stride.Length} strides.");
        }

        if (size.Any(s => s < 0) || stride.Any(s => s < 0) || reference.Offset < 0)
        {
            throw source.Error(
                $"is corrupt: tensor '{tensorName}' has a negative size, stride or offset " +
                $"(size {shape}, stride {CheckpointSource.Shape(stride)}, offset {reference.Offset}).");
        }

        var type = reference.Storage.ElementType;
        long numel, extent, bytes;
        try
        {
            numel = size.Aggregate(1L, (product, s) => checked(product * s));
            bytes = checked(numel * type.Size);
            extent = checked(reference.Offset + 1);
            for (var i = 0; i < size.Length; i++)
            {
                extent = checked(extent + checked((size[i] - 1) * stride[i]));
            }

            _ = checked(extent * type.Size);
        }
        catch (OverflowException ex)
        {
            throw source.Error($"is corrupt: tensor '{tensorName}' {shape} has a size, stride or offset too large to address.", ex);
        }

        if (numel == 0)
        {
            return empty(size, type.ScalarType);
        }

        // A legacy storage view is a window [ViewOffset, ViewOffset + ViewNumel) of its root storage.
        var available = storage.Data.shape[0];
        var windowStart = reference.Storage.ViewOffset;
        var windowLength = reference.Storage.ViewNumel ?? available;
        if (windowStart < 0 || windowLength < 0 || windowStart > available - windowLength)
        {
            throw source.Error(
                $"is corrupt: tensor '{tensorName}' uses elements [{windowStart}, {windowStart + windowLength}) of storage " +
                $"'{storage.Name}', which holds {available} elements.");
        }

        if (extent > windowLength)
        {
            var problem = available < storage.DeclaredNumel ? "is truncated" : "is corrupt";
            throw source.Error(
                $"{problem}: storage '{storage.Name}' holds {windowLength * type.Size} bytes but tensor '{tensorName}' " +
                $"{shape} needs {extent * type.Size}.");
        }

        // The copy below has numel elements however few the storage holds: a few bytes of file must not become gigabytes.
        if (bytes > Math.Max(windowLength * type.Size, MaxExpandedBytes))
        {
            throw source.Error(
                $"is corrupt: tensor '{tensorName}' {shape} repeats the {windowLength} elements of storage '{storage.Name}' into " +
                $"{numel} ({bytes} bytes); repeated (expanded) tensors are read up to {MaxExpandedBytes >> 20} MiB, so if it is " +
                "meant to be that large, save it with .contiguous().");
        }

        var view = storage.Data.as_strided(size, stride, windowStart + reference.Offset);
        if (!view.is_contiguous())
        {
            return view.contiguous();
        }

        return windowStart + reference.Offset == 0 && numel == available ? view : view.clone();
    }
}
