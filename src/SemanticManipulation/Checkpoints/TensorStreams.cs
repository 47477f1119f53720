using static TorchSharp.torch;

namespace SemanticManipulation.Checkpoints;

/// <summary>
/// Moves raw bytes between streams and tensor memory without a managed copy of the whole tensor, in chunks small
/// enough for <see cref="Span{T}"/> (a span cannot exceed 2 GiB, a storage can).
/// </summary>
internal static class TensorStreams
{
    private const long ChunkBytes = 1L << 28;

    /// <summary>
    /// Fills a new contiguous 1-D tensor of <paramref name="numel"/> elements from the stream and returns it with the
    /// number of bytes actually read; when the stream ends early the tail stays unfilled and the count says so.
    /// </summary>
    public static (Tensor Tensor, long BytesRead) ReadVector(Stream stream, TensorElementType type, long numel)
    {
        EnsureLittleEndianHost();
        var tensor = empty([numel], type.ScalarType);
        var elementsPerChunk = Math.Max(1, ChunkBytes / type.Size);
        long total = 0;
        for (long start = 0; start < numel; start += elementsPerChunk)
        {
            var count = Math.Min(elementsPerChunk, numel - start);
            using var chunk = tensor.narrow(0, start, count);
            var span = chunk.bytes;
            while (!span.IsEmpty)
            {
                var read = stream.Read(span);
                if (read <= 0)
                {
                    return (tensor, total);
                }

                total += read;
                span = span[read..];
            }
        }

        return (tensor, total);
    }

    /// <summary>Writes a CPU tensor's bytes (any shape, contiguous) to the stream.</summary>
    public static void Write(Stream stream, Tensor contiguousCpuTensor)
    {
        EnsureLittleEndianHost();
        using var flat = contiguousCpuTensor.reshape(-1);
        var numel = flat.shape[0];
        var elementsPerChunk = Math.Max(1, ChunkBytes / flat.ElementSize);
        for (long start = 0; start < numel; start += elementsPerChunk)
        {
            using var chunk = flat.narrow(0, start, Math.Min(elementsPerChunk, numel - start));
            stream.Write(chunk.bytes);
        }
    }

    /// <summary>Skips <paramref name="count"/> bytes; returns false when the stream ends first.</summary>
    public static bool Skip(Stream stream, long count)
    {
        if (stream.CanSeek)
        {
            if (stream.Length - stream.Position < count)
            {
                return false;
            }

            stream.Seek(count, SeekOrigin.Current);
            return true;
        }

        var buffer = new byte[(int)Math.Min(count, 1 << 20)];
        while (count > 0)
        {
            var read = stream.Read(buffer, 0, (int)Math.Min(count, buffer.Length));
            if (read <= 0)
            {
                return false;
            }

            count -= read;
        }

        return true;
    }

    // Every format read here is little-endian and the bytes are copied as they are.
    private static void EnsureLittleEndianHost()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Checkpoint and .npy files can only be read on little-endian hosts.");
        }
    }
}
