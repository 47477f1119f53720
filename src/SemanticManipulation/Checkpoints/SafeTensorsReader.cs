using System.Buffers.Binary;
using System.Text.Json;
using static TorchSharp.torch;

namespace SemanticManipulation.Checkpoints;

/// <summary>
/// Reads safetensors: an 8-byte little-endian header length N, N bytes of JSON
/// (<c>{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {…}}</c>), then the data buffer that the
/// offsets index.
/// </summary>
public static class SafeTensorsReader
{
    /// <summary>The safetensors specification caps the header at 100 MB; larger means corrupt.</summary>
    private const long MaxHeaderBytes = 100_000_000;

    private const string MetadataKey = "__metadata__";

    internal static StateDict Read(Stream stream, CheckpointSource source)
    {
        using (var document = ReadHeader(stream, source, out var dataStart, out var bufferLength))
        {
            var (entries, metadata) = Interpret(source, () => (
                document.RootElement.EnumerateObject()
                    .Where(p => p.Name != MetadataKey)
                    .Select(p => Describe(p, bufferLength, source))
                    .ToList(),
                ReadMetadata(document.RootElement)));

            using var scope = NewDisposeScope();
            var tensors = new Dictionary<string, Tensor>(entries.Count, StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                if (tensors.ContainsKey(entry.Name))
                {
                    throw source.Error($"is not a valid safetensors file: tensor '{entry.Name}' appears twice in its header.");
                }

                stream.Position = dataStart + entry.Begin;
                var (data, read) = TensorStreams.ReadVector(stream, entry.Type, entry.Numel);
                if (read < entry.Numel * entry.Type.Size)
                {
                    throw source.Error($"is truncated: the data of tensor '{entry.Name}' ends after {read} bytes.");
                }

                tensors[entry.Name] = data.reshape(entry.Shape);
            }

            // Only now, with every tensor read, do they leave the scope: on any error above the scope frees them all.
            foreach (var tensor in tensors.Values)
            {
                tensor.DetachFromDisposeScope();
            }

            return new StateDict(CheckpointFormat.SafeTensors, source.Path, tensors, metadata);
        }
    }

    /// <summary>Only the header's <c>__metadata__</c> map, reading no tensor data: a training run asks a checkpoint
    /// which step it holds before deciding whether to load it.</summary>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        using var stream = File.OpenRead(path);
        var source = new CheckpointSource(path);
        using var document = ReadHeader(stream, source, out _, out _);
        return Interpret(source, () => ReadMetadata(document.RootElement));
    }

    /// <summary>
    /// Runs code that reads the parsed header. JSON parsing accepts strings that are not valid Unicode (invalid UTF-8,
    /// an escaped lone surrogate); reading such a string as a name or value throws InvalidOperationException, which is
    /// a property of the file and is reported as one.
    /// </summary>
    private static T Interpret<T>(CheckpointSource source, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidOperationException ex)
        {
            throw source.Error($"is not a valid safetensors file: its header holds a string that is not valid Unicode ({ex.Message}).", ex);
        }
    }

    /// <summary>Whether a header length can be right for a file of <paramref name="fileLength"/> bytes: at least "{}",
    /// no more than follows the length field, and within the specification's cap.</summary>
    internal static bool IsPlausibleHeaderLength(ulong headerLength, long fileLength) =>
        headerLength >= 2 && headerLength <= MaxHeaderBytes && (long)headerLength <= fileLength - 8;

    /// <summary>Reads and checks the length prefix and the JSON header; leaves the stream at the data buffer.</summary>
    private static JsonDocument ReadHeader(Stream stream, CheckpointSource source, out long dataStart, out long bufferLength)
    {
        var start = stream.Position;
        var fileLength = stream.Length - start;
        Span<byte> prefix = stackalloc byte[8];
        if (stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8)
        {
            throw source.Error("is truncated: it is shorter than a safetensors header length (8 bytes).");
        }

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)(fileLength - 8))
        {
            throw source.Error(
                $"is truncated or not a safetensors file: its header length field says {headerLength} bytes, " +
                $"but only {fileLength - 8} bytes follow it.");
        }

        if (headerLength > MaxHeaderBytes)
        {
            throw source.Error($"is not a valid safetensors file: its header length {headerLength} exceeds the 100 MB limit.");
        }

        var header = new byte[headerLength];
        stream.ReadExactly(header);
        dataStart = start + 8 + (long)headerLength;
        bufferLength = fileLength - 8 - (long)headerLength;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            throw source.Error($"is not a valid safetensors file: its header is not valid JSON ({ex.Message}).", ex);
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw source.Error("is not a valid safetensors file: its header is not a JSON object.");
        }

        return document;
    }

    /// <summary>The <c>__metadata__</c> map; values that are not strings (which the format does not allow) are skipped
    /// rather than failing the read, since no tensor depends on them.</summary>
    private static Dictionary<string, string> ReadMetadata(JsonElement root)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty(MetadataKey, out var element) && element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.String)
                {
                    metadata[property.Name] = property.Value.GetString()!;
                }
            }
        }

        return metadata;
    }

    private sealed record Entry(string Name, TensorElementType Type, long[] Shape, long Numel, long Begin);

    private static Entry Describe(JsonProperty property, long bufferLength, CheckpointSource source)
    {
        var name = property.Name;
        var value = property.Value;
        if (value.ValueKind != JsonValueKind.Object ||
            !value.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String ||
            !value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array ||
            !value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array ||
            offsets.GetArrayLength() != 2)
        {
            throw source.Error(
                $"is not a valid safetensors file: the header entry for '{name}' lacks dtype, shape or data_offsets [begin, end].");
        }

        var dtypeName = dtype.GetString()!;
        var type = TensorElementType.FromSafeTensorsName(dtypeName) ?? throw source.Error(
            $"holds tensor '{name}' of dtype '{dtypeName}', which is not supported (supported: {TensorElementType.SafeTensorsNames}).");

        var shape = shapeElement.EnumerateArray().Select(NonNegativeInteger).ToArray();
        var begin = NonNegativeInteger(offsets[0]);
        var end = NonNegativeInteger(offsets[1]);
        if (shape.Any(d => d < 0) || begin < 0 || end < begin)
        {
            throw source.Error(
                $"is not a valid safetensors file: tensor '{name}' has a malformed shape or data_offsets " +
                $"({shapeElement.GetRawText()}, {offsets.GetRawText()}).");
        }

        if (end > bufferLength)
        {
            throw source.Error(
                $"is truncated: tensor '{name}' has data_offsets [{begin}, {end}] beyond the data buffer, which holds " +
                $"{bufferLength} bytes.");
        }

        long numel;
        try
        {
            numel = shape.Aggregate(1L, (product, d) => checked(product * d));
            _ = checked(numel * type.Size);
        }
        catch (OverflowException ex)
        {
            throw source.Error($"is not a valid safetensors file: tensor '{name}' has an impossibly large shape.", ex);
        }

        if (end - begin != numel * type.Size)
        {
            throw source.Error(
                $"is not a valid safetensors file: tensor '{name}' {CheckpointSource.Shape(shape)} of {dtypeName} needs " +
                $"{numel * type.Size} bytes but its data_offsets [{begin}, {end}] span {end - begin}.");
        }

        return new Entry(name, type, shape, numel, begin);
    }

    /// <summary>The value of a JSON integer that fits a long and is not negative; -1 for anything else (including
    /// strings, on which TryGetInt64 would throw).</summary>
    private static long NonNegativeInteger(JsonElement element) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var value) && value >= 0 ? value : -1;
}
