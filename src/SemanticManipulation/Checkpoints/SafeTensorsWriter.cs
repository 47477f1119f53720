using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using SemanticManipulation.Imaging;
using static TorchSharp.torch;

namespace SemanticManipulation.Checkpoints;

/// <summary>
/// Writes tensors in the safetensors format (an 8-byte header length, a JSON header, then raw little-endian data),
/// atomically: a failure never leaves a partial file. Read back with <see cref="StateDictReader"/>.
/// </summary>
public static class SafeTensorsWriter
{
    /// <summary>Writes <paramref name="tensors"/> (sorted by name) and <paramref name="metadata"/> to <paramref name="path"/>.</summary>
    /// <param name="path">The file; replaced atomically.</param>
    /// <param name="tensors">The tensors by name (float32, float16, bfloat16, float64, integer or bool; any device).</param>
    /// <param name="metadata">String metadata for the header's <c>__metadata__</c>.</param>
    /// <exception cref="ArgumentException">A tensor's dtype has no safetensors name.</exception>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        using var scope = NewDisposeScope();
        var header = new Dictionary<string, object>(StringComparer.Ordinal);
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var (name, tensor) in tensors.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            var cpu = tensor.detach().cpu().contiguous();
            var bytes = cpu.bytes.ToArray();
            header[name] = new Dictionary<string, object>
            {
                ["dtype"] = DtypeName(cpu.dtype, name),
                ["shape"] = cpu.shape,
                ["data_offsets"] = new[] { offset, offset + bytes.Length },
            };
            offset += bytes.Length;
            blobs.Add(bytes);
        }

        if (metadata is { Count: > 0 })
        {
            header["__metadata__"] = metadata;
        }

        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        var padded = (json.Length + 7) / 8 * 8;
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
            stream.Write(length);
            stream.Write(json);
            for (var i = json.Length; i < padded; i++)
            {
                stream.WriteByte((byte)' ');
            }

            foreach (var blob in blobs)
            {
                stream.Write(blob);
            }
        });
    }

    /// <summary>Largest finite float16 magnitude.</summary>
    private const double Float16Max = 65504;

    /// <summary>
    /// Copies a safetensors file, storing its float32 tensors as float16 (half the bytes; about three significant
    /// digits). A tensor whose values do not all fit float16's range stays float32, other element types and the
    /// metadata are kept as they are. Loaders that copy into float32 parameters read the result unchanged.
    /// </summary>
    /// <param name="sourcePath">A safetensors file.</param>
    /// <param name="destinationPath">Where the copy goes (written atomically).</param>
    public static void CopyAsFloat16(string sourcePath, string destinationPath)
    {
        using var state = StateDictReader.Read(sourcePath);
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in state.Tensors)
        {
            var fits = tensor.dtype == ScalarType.Float32
                && tensor.isfinite().all().item<bool>()
                && (tensor.numel() == 0 || tensor.abs().max().item<float>() <= Float16Max);
            tensors[name] = fits ? tensor.to_type(ScalarType.Float16) : tensor;
        }

        Write(destinationPath, tensors, state.Metadata);
    }

    private static string DtypeName(ScalarType type, string name) => type switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.Float64 => "F64",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new ArgumentException($"Tensor '{name}' has dtype {type}, which safetensors cannot hold."),
    };
}
